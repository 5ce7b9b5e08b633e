/**
 * Door and output commands to a site's agent expire when not carried out by their deadline, on
 * both databases and with the clock injected: an expired command is marked so (with the instant
 * the server noticed) and never handed to the agent again, while one the agent reported done in
 * time stays done. The agent's own report of a command it refused as expired is journaled and
 * recorded. Expiry is a conditional update, so two server nodes polling for the same site agree on
 * one outcome, and a node whose clock lags cannot bring an expired command back.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, it } from 'node:test';
import { EventCatalogue, newId } from '@vigil/core';
import type { EdgeEvent } from '@vigil/edge';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { eachDatabase } from '../../storage/testing.js';
import { Journal } from '../audit/index.js';
import { FacilityService, facilityEvents } from '../facility/index.js';
import { EdgePrincipal } from './agents.js';
import { accessEvents } from './events.js';
import { createAccessModule, type AccessModule } from './module.js';
import { ACTOR, uniqueName } from './testing.js';

const TTL_SECONDS = 30;
const T0 = Date.parse('2031-03-04T08:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** One server node: the access module on the shared database, with a clock the test moves. */
interface Node {
  readonly access: AccessModule;
  now: Date;
}

function startNode(db: Kysely<Database>, catalogue: EventCatalogue): Node {
  const node = { now: at(0) } as { access: AccessModule; now: Date };
  const clock = () => node.now;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  node.access = createAccessModule(
    { db, record: new Journal({ catalogue, clock }).record, clock, publish: () => undefined },
    {
      snapshotSigningKey: { privateKey, publicKey },
      validate: (draft) => catalogue.validate(draft),
      snapshotRefreshMs: 0,
      commandTtlSeconds: TTL_SECONDS,
    },
  );
  return node;
}

eachDatabase('door and output command expiry', (t) => {
  const catalogue = new EventCatalogue().register(...facilityEvents, ...accessEvents);
  let a: Node;
  let b: Node;
  let db: Kysely<Database>;
  let siteId: string;
  let doorId: string;
  let outputId: string;
  let agent: EdgePrincipal;

  before(async () => {
    db = t().handle.db;
    a = startNode(db, catalogue);
    b = startNode(db, catalogue);
    const facility = new FacilityService({ db, record: new Journal({ catalogue, clock: () => a.now }).record, clock: () => a.now });
    siteId = (await facility.sites.create(ACTOR, { name: uniqueName('Expiry site'), timeZone: 'Europe/Berlin' })).id;
    const pharmacy = await facility.zones.create(ACTOR, { siteId, name: 'Pharmacy', type: 'pharmacy' });
    doorId = (await facility.doors.create(ACTOR, { siteId, name: 'Pharmacy door', toZoneId: pharmacy.id, unlockSeconds: 5 })).id;
    const { publicKey } = generateKeyPairSync('ed25519');
    const registered = await a.access.agents.register(ACTOR, {
      siteId,
      name: 'Pharmacy controller',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    agent = new EdgePrincipal(registered.id, registered.name, siteId, registered.keyId, '');
    outputId = (await a.access.outputs.define(ACTOR, siteId, { name: uniqueName('Elevator hold'), point: 7 })).id;
  });

  /** Both nodes' clocks at the same instant, `seconds` after the test's start. */
  const setClocks = (seconds: number) => {
    a.now = at(seconds);
    b.now = at(seconds);
  };
  const report = (type: 'door.command_executed' | 'output.command_executed', data: Record<string, unknown>, when: Date): EdgeEvent => ({
    id: newId(),
    type,
    at: when.toISOString(),
    site: siteId,
    source: `edge:${agent.keyId}`,
    subject: null,
    zone: null,
    door: type === 'door.command_executed' ? doorId : null,
    correlationId: null,
    data,
  });
  const doorRow = (id: string) => db.selectFrom('access_door_commands').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const outputRow = (id: string) => db.selectFrom('access_output_commands').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const handedOut = async (node: Node) => (await node.access.doors.pendingCommands(siteId)).map((c) => c.id);

  it('expires a door command not carried out by its deadline, and leaves one carried out in time as it is', async () => {
    setClocks(0);
    const late = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Delivery at the pharmacy');
    const done = await a.access.doors.lock(ACTOR, doorId, 'Pharmacy closed');
    assert.equal(late.expiresAt, at(TTL_SECONDS).toISOString());
    assert.equal(late.status, 'pending');

    setClocks(10);
    assert.deepEqual((await handedOut(a)).sort(), [late.id, done.id].sort(), 'before the deadline the agent gets both');
    await a.access.ingest.ingest(agent, [
      report('door.command_executed', { commandId: done.id, command: 'lock', outcome: 'executed' }, at(10)),
    ]);

    setClocks(TTL_SECONDS - 1);
    assert.deepEqual(await handedOut(a), [late.id], 'a second before its deadline the command still goes out');
    assert.equal((await a.access.doors.getCommand(late.id)).status, 'pending');

    setClocks(TTL_SECONDS + 1);
    assert.deepEqual(await handedOut(a), [], 'past its deadline it is not handed out any more');
    assert.equal((await a.access.doors.getCommand(late.id)).status, 'expired');
    assert.equal((await doorRow(late.id)).completed_at, at(TTL_SECONDS + 1).toISOString(), 'marked when the server noticed');
    assert.equal((await a.access.doors.getCommand(done.id)).status, 'executed', 'the command carried out in time stays so');
    assert.equal((await doorRow(done.id)).completed_at, at(10).toISOString());
  });

  it('expires an output command not carried out in time, with the door commands and on its own', async () => {
    setClocks(100);
    const late = await a.access.outputs.command(ACTOR, outputId, 'on', null, 'Hold the lift for a transfer');
    const done = await a.access.outputs.command(ACTOR, outputId, 'off', null, 'Transfer done');
    assert.deepEqual((await handedOut(a)).sort(), [late.id, done.id].sort(), 'output commands travel with the door commands');

    setClocks(105);
    await a.access.ingest.ingest(agent, [
      report('output.command_executed', { commandId: done.id, outputId, action: 'off', pulseMs: null, outcome: 'executed' }, at(105)),
    ]);

    setClocks(100 + TTL_SECONDS + 1);
    assert.deepEqual(await a.access.outputs.pending(siteId), []);
    assert.equal((await a.access.outputs.getCommand(late.id)).status, 'expired');
    assert.equal((await a.access.outputs.getCommand(late.id)).completedAt, at(100 + TTL_SECONDS + 1).toISOString());
    assert.equal((await a.access.outputs.getCommand(done.id)).status, 'executed');
    assert.equal((await a.access.outputs.getCommand(done.id)).completedAt, at(105).toISOString());
  });

  it('journals and records the agent’s own report of a command it refused as expired', async () => {
    setClocks(200);
    const command = await a.access.doors.unlock(ACTOR, doorId, 3, 'Porter with a trolley');
    setClocks(200 + TTL_SECONDS + 5);
    const refused = report(
      'door.command_executed',
      { commandId: command.id, command: 'unlock', outcome: 'expired' },
      at(200 + TTL_SECONDS + 2),
    );
    await a.access.ingest.ingest(agent, [refused]);

    assert.equal((await a.access.doors.getCommand(command.id)).status, 'expired');
    assert.equal((await doorRow(command.id)).completed_at, at(200 + TTL_SECONDS + 2).toISOString(), 'as the agent reported it');
    const journaled = await db.selectFrom('journal_events').select(['type', 'data']).where('id', '=', refused.id).executeTakeFirstOrThrow();
    assert.equal(journaled.type, 'door.command_executed');
    assert.deepEqual(JSON.parse(journaled.data), { commandId: command.id, command: 'unlock', outcome: 'expired' });
    assert.deepEqual(await handedOut(a), []);
  });

  it('reaches one outcome when two nodes expire the same commands, and a node whose clock lags cannot undo it', async () => {
    setClocks(300);
    const doorCommand = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Night delivery');
    const outputCommand = await b.access.outputs.command(ACTOR, outputId, 'pulse', 2000, 'Call the lift');

    // Both nodes poll for the site past the deadline, at once, each with its own clock.
    a.now = at(300 + TTL_SECONDS + 1);
    b.now = at(300 + TTL_SECONDS + 4);
    const [fromA, fromB] = await Promise.all([handedOut(a), handedOut(b)]);
    assert.deepEqual(fromA, []);
    assert.deepEqual(fromB, []);
    const first = { door: await doorRow(doorCommand.id), output: await outputRow(outputCommand.id) };
    assert.equal(first.door.status, 'expired');
    assert.equal(first.output.status, 'expired');
    const byEither = [at(300 + TTL_SECONDS + 1).toISOString(), at(300 + TTL_SECONDS + 4).toISOString()];
    assert.ok(byEither.includes(first.door.completed_at!), first.door.completed_at!);
    assert.ok(byEither.includes(first.output.completed_at!), first.output.completed_at!);

    // Later polls, on either node, leave the first outcome as it is.
    b.now = at(300 + TTL_SECONDS + 60);
    await handedOut(b);
    a.now = at(300 + TTL_SECONDS + 90);
    await handedOut(a);
    assert.deepEqual(await doorRow(doorCommand.id), first.door);
    assert.deepEqual(await outputRow(outputCommand.id), first.output);

    // A node whose clock lags behind the deadline does not hand the expired commands out again.
    b.now = at(300 + 5);
    assert.deepEqual(await handedOut(b), []);
    assert.equal((await b.access.doors.getCommand(doorCommand.id)).status, 'expired');
    assert.equal((await b.access.outputs.getCommand(outputCommand.id)).status, 'expired');
  });
});

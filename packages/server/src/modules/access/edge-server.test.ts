// The server side of the agents: signed-request authentication, idempotent ingest with origin
// checks, and door commands and controls as agents receive them.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { isVigilError, newId } from '@vigil/core';
import type { EdgeEvent } from '@vigil/edge';
import { eachDatabase } from '../../storage/testing.js';
import type { EdgePrincipal } from './agents.js';
import { ACTOR, TestAgentKey, accessUnderTest, grantEvent, uniqueName, type AccessUnderTest } from './testing.js';

function failsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

eachDatabase('edge agents on the server', (t) => {
  let a: AccessUnderTest;
  let siteId: string;
  let otherSite: string;
  let doorId: string;
  const key = new TestAgentKey();
  let keyId: string;
  let agent: EdgePrincipal;

  const journaledIds = async (ids: string[]) =>
    (await t().handle.db.selectFrom('journal_events').select('id').where('id', 'in', ids).execute()).map((r) => r.id);

  before(async () => {
    a = accessUnderTest(t().handle.db);
    siteId = (await a.facility.sites.create(ACTOR, { name: uniqueName('Edge site'), timeZone: 'Europe/London' })).id;
    otherSite = (await a.facility.sites.create(ACTOR, { name: uniqueName('Other'), timeZone: 'Europe/London' })).id;
    const zone = await a.facility.zones.create(ACTOR, { siteId, name: 'Theatre', type: 'or' });
    doorId = (await a.facility.doors.create(ACTOR, { siteId, name: 'Theatre door', toZoneId: zone.id, unlockSeconds: 4 })).id;
  });

  it('refuses door commands while no agent serves the site', async () => {
    await assert.rejects(a.access.doors.unlock(ACTOR, doorId, undefined, 'Maintenance'), failsWith('door_control.no_agent'));
  });

  it('registers an agent and authenticates its signed requests, refusing forged, replayed, stale and unknown ones', async () => {
    await assert.rejects(
      a.access.agents.register(ACTOR, { siteId, name: 'Bad', publicKey: 'not a key' }),
      failsWith('edge.public_key_invalid'),
    );
    const registered = await a.access.agents.register(ACTOR, { siteId, name: 'Theatre controller', publicKey: key.publicKeyPem });
    keyId = registered.keyId;
    await assert.rejects(
      a.access.agents.register(ACTOR, { siteId, name: 'Again', publicKey: key.publicKeyPem }),
      failsWith('edge.agent_exists'),
    );

    const signed = key.request(keyId, 'GET', '/api/edge/snapshot');
    agent = (await a.access.agents.authenticate(signed))!;
    assert.equal(agent.siteId, siteId);
    assert.ok(agent.can('edge.sync', siteId));
    assert.ok(!agent.can('edge.sync', otherSite));
    assert.ok(!agent.can('doors.control', siteId));
    await assert.rejects(a.access.agents.authenticate(signed), failsWith('edge.request_replayed'));

    const tampered = key.request(keyId, 'GET', '/api/edge/snapshot');
    await assert.rejects(a.access.agents.authenticate({ ...tampered, url: '/api/edge/commands' }), failsWith('edge.signature_invalid'));
    const stale = key.request(keyId, 'GET', '/api/edge/snapshot', '', { at: new Date(Date.now() - 10 * 60_000) });
    await assert.rejects(a.access.agents.authenticate(stale), failsWith('edge.request_expired'));
    const stranger = new TestAgentKey();
    await assert.rejects(
      a.access.agents.authenticate(stranger.request(keyId, 'GET', '/api/edge/snapshot')),
      failsWith('edge.signature_invalid'),
    );
    await assert.rejects(a.access.agents.authenticate(stranger.request('unknown-key', 'GET', '/x')), failsWith('edge.agent_unknown'));
    assert.equal(
      await a.access.agents.authenticate({ method: 'GET', url: '/x', headers: {} }),
      null,
      'no agent headers: not an agent request',
    );
  });

  it('journals a delivered batch once, however often it is delivered, and fans out only what was new', async () => {
    const batch = [grantEvent(siteId, keyId, doorId), grantEvent(siteId, keyId, doorId)];
    const first = await a.access.ingest.ingest(agent, batch);
    assert.deepEqual(
      first,
      batch.map((e) => e.id),
    );
    const published = a.published.length;
    const again = await a.access.ingest.ingest(agent, [...batch, grantEvent(siteId, keyId, doorId)]);
    assert.equal(again.length, 3);
    assert.equal(a.published.length, published + 1, 'only the new event is fanned out');
    assert.equal((await journaledIds(again)).length, 3);
    const rows = await t().handle.db.selectFrom('journal_events').select('id').where('id', 'in', again).execute();
    assert.equal(rows.length, new Set(rows.map((r) => r.id)).size);
  });

  it('refuses a batch with an event the agent may not report, naming it, and stores none of the batch', async () => {
    const good = grantEvent(siteId, keyId, doorId);
    const cases: [string, EdgeEvent][] = [
      ['another site', { ...grantEvent(siteId, keyId, doorId), site: otherSite }],
      ['another source', { ...grantEvent(siteId, keyId, doorId), source: 'edge:someone-else' }],
      ['a type agents do not report', { ...grantEvent(siteId, keyId, doorId), type: 'person.terminated' }],
      ['data off its schema', { ...grantEvent(siteId, keyId, doorId), data: { reason: 'access.granted', pin: '1234' } }],
      ['a door of no site of the agent', grantEvent(siteId, keyId, newId())],
      ['an id that is not UUIDv7', { ...grantEvent(siteId, keyId, doorId), id: '00000000-0000-4000-8000-000000000000' }],
    ];
    for (const [what, bad] of cases) {
      await assert.rejects(
        a.access.ingest.ingest(agent, [good, bad]),
        (e: unknown) => isVigilError(e) && e.code === 'edge.event_rejected' && e.details['eventId'] === bad.id,
        what,
      );
    }
    assert.deepEqual(await journaledIds([good.id]), []);
  });

  it('keeps the live door state from delivered door events', async () => {
    const event = (type: string, data: Record<string, unknown>): EdgeEvent => ({ ...grantEvent(siteId, keyId, doorId), type, data });
    await a.access.ingest.ingest(agent, [event('door.forced_open', {})]);
    let state = await a.access.doors.doorState(doorId);
    assert.equal(state.open, true);
    assert.equal(state.alarm, 'forced_open');
    await a.access.ingest.ingest(agent, [event('door.closed', { openMs: 1200, alarm: 'forced_open' })]);
    state = await a.access.doors.doorState(doorId);
    assert.equal(state.open, false);
    assert.equal(state.alarm, null);
  });

  it('queues an unlock for the agent, expires it unexecuted, and closes it when the agent reports it done', async () => {
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Patient transfer');
    assert.equal(unlock.seconds, 4, 'the door’s unlock time by default');
    const waited = await a.access.doors.waitForCommands(siteId, 0, 1000);
    assert.deepEqual(
      waited.commands.map((c) => c.id),
      [unlock.id],
    );
    const done: EdgeEvent = {
      ...grantEvent(siteId, keyId, doorId),
      type: 'door.command_executed',
      data: { commandId: unlock.id, command: 'unlock', outcome: 'executed' },
    };
    await a.access.ingest.ingest(agent, [done]);
    assert.equal((await a.access.doors.getCommand(unlock.id)).status, 'executed');
    assert.deepEqual(await a.access.doors.pendingCommands(siteId), []);
  });

  it('wakes a waiting agent at once with new controls, and versions them', async () => {
    const before = await a.access.doors.controls(siteId);
    const waiting = a.access.doors.waitForCommands(siteId, before.version, 20_000);
    await a.access.doors.setEmergency(ACTOR, siteId, 'lockdown', true, undefined, 'Police request');
    const woken = await waiting;
    assert.equal(woken.controls.version, before.version + 1);
    assert.deepEqual(woken.controls.lockdown, { siteIds: [siteId] });
    const overridden = await a.access.doors.setOverride(ACTOR, doorId, 'locked', 'Flooded corridor');
    assert.equal(overridden.version, before.version + 2);
    assert.deepEqual(overridden.overrides, [{ doorId, mode: 'locked' }]);
    assert.equal((await a.access.doors.doorState(doorId)).override?.mode, 'locked');
    const cleared = await a.access.doors.setOverride(ACTOR, doorId, null, 'Corridor dry again');
    assert.deepEqual(cleared.overrides, []);
    const journal = await t()
      .handle.db.selectFrom('journal_events')
      .select(['type', 'source'])
      .where('type', 'in', ['emergency_mode.changed', 'door.mode_overridden', 'door.unlock_requested'])
      .where('site', '=', siteId)
      .execute();
    assert.equal(journal.length, 4);
    assert.ok(journal.every((e) => e.source === ACTOR));
  });

  it('refuses a revoked agent', async () => {
    const [registered] = (await a.access.agents.list('all', { limit: 10, siteId })).items;
    await a.access.agents.revoke(ACTOR, registered!.id);
    await assert.rejects(a.access.agents.authenticate(key.request(keyId, 'GET', '/api/edge/snapshot')), failsWith('edge.agent_unknown'));
  });
});

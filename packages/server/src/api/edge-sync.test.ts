// An edge agent against the real server and a PD emulator over TCP loopback: registration by a
// signed-in administrator, the snapshot compiled from the server's state, a card read decided at
// the door and delivered exactly once (also when an acknowledgement is lost), door control and
// emergency modes from operators, live door state, and a revoked agent shut out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EdgeAgent, SimulatedIo, parseAgentConfig } from '@vigil/edge';
import {
  agentConfig,
  createWorld,
  eventually,
  harnessOf,
  journalIdCount,
  journaled,
  ReaderEmulator,
  type EdgeWorld,
} from './edge-harness.js';
import { createSignedInOperator, problemOf, type TestOperator } from './test-harness.js';

const GREEN = 2;
const RED = 1;

describe('edge agent and server', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let agent: EdgeAgent;
  let admin: TestOperator;
  let operator: TestOperator;
  const io = new SimulatedIo();
  let dropNextAck = false;
  let lostAcks = 0;

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: TestOperator, payload?: object) =>
    world.app.api.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
  const badge = async (card: number, color: number) => {
    const before = reader.leds(color);
    reader.present(card);
    await eventually(`card ${card} answered`, () => reader.leds(color) > before);
  };

  before(async () => {
    world = await createWorld([1001, 1002, 1003]);
    reader = await ReaderEmulator.listen();
    const harness = harnessOf(world);
    admin = await createSignedInOperator(harness, 'site-admin', [{ role: 'admin', site: world.siteId }]);
    operator = await createSignedInOperator(harness, 'soc-operator', [{ role: 'operator', site: world.siteId }]);
  });
  after(async () => {
    await agent?.stop();
    await reader.close();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('registers the agent key through the API and brings the agent up on the server’s snapshot', async () => {
    const config = parseAgentConfig(agentConfig(world, path.join(world.dir, 'agent'), reader));
    const realFetch = globalThis.fetch;
    agent = new EdgeAgent({
      config,
      io,
      // Loses the answer to one delivery after the server stored it: the agent must send it again.
      fetch: async (input, init) => {
        const response = await realFetch(input, init);
        const url = input instanceof Request ? input.url : input.toString();
        if (dropNextAck && url.endsWith('/api/edge/events') && response.ok) {
          dropNextAck = false;
          lostAcks++;
          throw new Error('connection reset before the acknowledgement arrived');
        }
        return response;
      },
    });
    const registered = await inject('POST', '/api/edge/agents', admin, {
      siteId: world.siteId,
      name: 'Ward 3 controller',
      publicKey: agent.key.publicKeyPem,
    });
    assert.equal(registered.statusCode, 201, registered.body);
    const body = registered.json<{ agent: { keyId: string }; snapshotPublicKey: string }>();
    assert.equal(body.agent.keyId, agent.key.keyId);
    assert.equal(body.snapshotPublicKey, world.app.access.snapshotPublicKeyPem);
    await agent.start();
    await eventually('snapshot loaded', () => agent.policy.version === 1);
    await eventually('reader online', () => agent.readers.isOnline('ward-in'));
  });

  it('decides a card at the door, releases the lock and delivers the decision once, even after a lost acknowledgement', async () => {
    dropNextAck = true;
    await badge(1001, GREEN);
    assert.equal(io.isReleased(0), true);
    await eventually('delivered', async () => (await journaled(world.app, 'access.granted')).length === 1 && agent.store.depth() === 0);
    assert.equal(lostAcks, 1);
    const [granted] = await journaled(world.app, 'access.granted');
    assert.equal(granted!.subject, world.holders.get(1001));
    await badge(4711, RED);
    await eventually('denial delivered', async () => (await journaled(world.app, 'access.denied')).length === 1);
    const counts = await journalIdCount(world.app);
    assert.equal(counts.rows, counts.distinct);
  });

  it('shows the live door state to operators', async () => {
    io.setDoorOpen(1, true);
    await eventually('open door reported', async () => {
      const state = await inject('GET', `/api/doors/${world.doorId}/state`, operator);
      return state.json<{ open: boolean | null }>().open === true;
    });
    io.setDoorOpen(1, false);
    await eventually(
      'closed door reported',
      async () => (await inject('GET', `/api/doors/${world.doorId}/state`, operator)).json<{ open: boolean }>().open === false,
    );
    const list = await inject('GET', `/api/sites/${world.siteId}/door-states`, operator);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json<{ items: { doorId: string }[] }>().items[0]?.doorId, world.doorId);
  });

  it('carries out an operator’s momentary unlock, journaled with the reason, and reports it done', async () => {
    await eventually('relocked', () => !io.isReleased(0));
    const refused = await inject('POST', `/api/doors/${world.doorId}/unlock`, admin, { reason: 'x' });
    assert.equal(refused.statusCode, 400, 'a reason is required');
    const unlocked = await inject('POST', `/api/doors/${world.doorId}/unlock`, operator, {
      seconds: 2,
      reason: 'Porter with a delivery trolley',
    });
    assert.equal(unlocked.statusCode, 202, unlocked.body);
    const command = unlocked.json<{ id: string; status: string }>();
    await eventually('lock released by the command', () => io.isReleased(0));
    await eventually(
      'command reported executed',
      async () => (await inject('GET', `/api/door-commands/${command.id}`, operator)).json<{ status: string }>().status === 'executed',
    );
    const requested = await world.app.handle.db
      .selectFrom('journal_events')
      .selectAll()
      .where('type', '=', 'door.unlock_requested')
      .executeTakeFirstOrThrow();
    assert.equal(requested.source, `operator:${operator.id}`);
    assert.match(requested.data, /Porter with a delivery trolley/);
  });

  it('applies lockdown and fire egress from operators: fire egress wins, exit stays free', async () => {
    const lockdown = await inject('PUT', `/api/sites/${world.siteId}/emergency-modes/lockdown`, operator, {
      active: true,
      reason: 'Armed intruder reported in ED',
    });
    assert.equal(lockdown.statusCode, 200, lockdown.body);
    await eventually('lockdown in force at the door', () => agent.healthReport().doors[0]?.mode === 'lockdown');
    await badge(1002, RED);
    const fire = await inject('PUT', `/api/sites/${world.siteId}/emergency-modes/fire_egress`, operator, {
      active: true,
      reason: 'Fire alarm zone 3',
    });
    assert.equal(fire.statusCode, 200);
    await eventually('fire egress beats lockdown', () => agent.healthReport().doors[0]?.mode === 'fire_egress');
    await badge(1002, GREEN);
    for (const mode of ['fire_egress', 'lockdown']) {
      const end = await inject('PUT', `/api/sites/${world.siteId}/emergency-modes/${mode}`, operator, {
        active: false,
        reason: 'All clear given',
      });
      assert.equal(end.statusCode, 200);
    }
    await eventually('back to card access', () => agent.healthReport().doors[0]?.mode === 'card_only');
  });

  it('compiles and delivers a new snapshot when a holder is suspended', async () => {
    await world.app.people.persons.suspend(world.holders.get(1003)!, 'Investigation', 'system:test');
    await eventually('snapshot version 2 loaded', () => agent.policy.version === 2, 20_000);
    await badge(1003, RED);
    await eventually('suspension decision delivered', async () =>
      (await journaled(world.app, 'access.denied')).some(
        (e) => e.subject === world.holders.get(1003) && e.data.includes('access.person_suspended'),
      ),
    );
  });

  it('shuts out a revoked agent while its doors keep deciding locally', async () => {
    const revoked = await inject(
      'POST',
      `/api/edge/agents/${(await world.app.access.agents.list('all', { limit: 1 })).items[0]!.id}/revoke`,
      admin,
    );
    assert.equal(revoked.statusCode, 200, revoked.body);
    const delivered = (await journaled(world.app)).length;
    await badge(1001, GREEN);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await journaled(world.app)).length, delivered, 'nothing is accepted from a revoked key');
    assert.ok(agent.store.depth() >= 1);
    const asAdmin = await inject('GET', '/api/edge/snapshot', admin);
    assert.equal(asAdmin.statusCode, 403, 'agent routes serve agents only');
    assert.equal(problemOf(asAdmin.body).code, 'edge.agent_required');
  });
});

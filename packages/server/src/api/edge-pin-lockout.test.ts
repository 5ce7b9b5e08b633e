// PIN lockout end to end: a card+PIN door and a PIN issued through the API, a real agent fed by
// the server's snapshot, and wrong PINs typed on a PD emulator's keypad. The lockout the agent
// starts reaches the server's journal as `access.pin_locked_out` (for rules and alarms), the card's
// next refusal names the lockout, and an operator can lift it through the API.
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
  journaled,
  registerAgent,
  ReaderEmulator,
  type EdgeWorld,
} from './edge-harness.js';
import { createSignedInOperator, type TestOperator } from './test-harness.js';

const RED = 1;
const GREEN = 2;
const AMBER = 3;
const CARD = 2002;
const PIN = '59263817';
const WRONG_PIN = '30718462';

describe('PIN lockout through the server and the edge agent', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let agent: EdgeAgent;
  let admin: TestOperator;
  let credentialId: string;
  const io = new SimulatedIo();
  const call = async (who: TestOperator, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await world.app.api.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };

  before(async () => {
    world = await createWorld([CARD]);
    reader = await ReaderEmulator.listen();
    admin = await createSignedInOperator(harnessOf(world), 'lockout-admin', [{ role: 'admin', site: world.siteId }]);
    const inject = (method: 'POST' | 'PUT', url: string, payload: object) =>
      world.app.api.inject({ method, url, headers: { cookie: admin.cookie }, payload });
    assert.equal((await inject('PUT', `/api/doors/${world.doorId}/access-mode`, { mode: 'card_and_pin' })).statusCode, 200);
    assert.equal((await inject('POST', `/api/people/persons/${world.holders.get(CARD)}/credentials/pin`, { pin: PIN })).statusCode, 201);
    const config = parseAgentConfig({
      ...agentConfig(world, path.join(world.dir, 'agent'), reader),
      pinEntry: { timeoutSeconds: 5, lockout: { attempts: 2 } },
    });
    credentialId = (
      await world.app.handle.db
        .selectFrom('person_credentials')
        .select('id')
        .where('person_id', '=', world.holders.get(CARD)!)
        .where('type', '=', 'card')
        .executeTakeFirstOrThrow()
    ).id;
    agent = new EdgeAgent({ config, io });
    await registerAgent(world, agent.key.publicKeyPem);
    await agent.start();
    await eventually('snapshot with the PIN loaded', () => (agent.policy.snapshot?.pins.hashes.length ?? 0) === 1, 20_000);
    await eventually('reader online', () => agent.readers.isOnline('ward-in'));
  });
  after(async () => {
    await agent?.stop();
    await reader.close();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  const wrongPin = async () => {
    const [ambers, reds] = [reader.leds(AMBER), reader.leds(RED)];
    reader.present(CARD);
    await eventually('PIN prompt', () => reader.leds(AMBER) > ambers);
    reader.pd.pressKeys(`${WRONG_PIN}#`);
    await eventually('refusal', () => reader.leds(RED) > reds);
  };

  it('journals the lockout the agent started, and the refusals it causes', async () => {
    await wrongPin();
    await wrongPin();
    await eventually('lockout journaled', async () => (await journaled(world.app, 'access.pin_locked_out')).length === 1);
    const [locked] = await journaled(world.app, 'access.pin_locked_out');
    assert.equal(locked!.subject, world.holders.get(CARD));
    const data = JSON.parse(locked!.data) as Record<string, unknown>;
    assert.equal(data['attempts'], 2);
    assert.equal(data['reader'], 'ward-in');

    const [ambers, reds] = [reader.leds(AMBER), reader.leds(RED)];
    reader.present(CARD);
    await eventually('refused', () => reader.leds(RED) > reds);
    assert.equal(reader.leds(AMBER), ambers, 'no PIN prompt while locked out');
    await eventually('lockout refusal journaled', async () =>
      (await journaled(world.app, 'access.denied')).some(
        (e) => (JSON.parse(e.data) as { reason: string }).reason === 'access.pin_locked_out',
      ),
    );
    assert.equal(io.isReleased(0), false);
  });

  it('lifts the lockout at an operator’s request: journaled on both sides, confirmed, and the PIN asked for again', async () => {
    const lifted = await call(admin, 'POST', `/api/sites/${world.siteId}/pin-lockouts/${credentialId}/lift`, {
      reason: 'Holder at the security desk with photo ID',
    });
    assert.equal(lifted.status, 202, JSON.stringify(lifted.body));
    const liftId = String(lifted.body['id']);
    await eventually(
      'the agent confirmed the lift',
      async () => (await call(admin, 'GET', `/api/pin-lockout-lifts/${liftId}`)).body['status'] === 'lifted',
    );

    const requested = await world.app.handle.db
      .selectFrom('journal_events')
      .select(['source', 'subject'])
      .where('type', '=', 'access.pin_lockout_lift_requested')
      .where('correlation_id', '=', liftId)
      .executeTakeFirstOrThrow();
    assert.equal(requested.source, `operator:${admin.id}`);
    assert.equal(requested.subject, world.holders.get(CARD));
    const [executed] = await journaled(world.app, 'access.pin_lockout_lift_executed');
    const data = JSON.parse(executed!.data) as Record<string, unknown>;
    assert.deepEqual([data['outcome'], data['requestedBy'], data['commandId']], ['lifted', `operator:${admin.id}`, liftId]);

    const [ambers, greens] = [reader.leds(AMBER), reader.leds(GREEN)];
    reader.present(CARD);
    await eventually('PIN prompt again', () => reader.leds(AMBER) > ambers);
    reader.pd.pressKeys(`${PIN}#`);
    await eventually('granted', () => reader.leds(GREEN) > greens);
  });

  it('refuses a lift to an operator without door control on the site, and for a card that does not exist', async () => {
    const frontDesk = await createSignedInOperator(harnessOf(world), 'lockout-desk', [{ role: 'front-desk', site: world.siteId }]);
    const url = `/api/sites/${world.siteId}/pin-lockouts/${credentialId}/lift`;
    const forbidden = await call(frontDesk, 'POST', url, { reason: 'Asked at the lobby' });
    assert.equal(forbidden.status, 403);
    const unknown = await call(admin, 'POST', `/api/sites/${world.siteId}/pin-lockouts/${world.doorId}/lift`, { reason: 'Wrong id' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body['code'], 'pin_lockout.credential_not_found');
    const missing = await call(admin, 'GET', `/api/pin-lockout-lifts/${world.doorId}`);
    assert.equal(missing.body['code'], 'pin_lockout.lift_not_found');
  });
});

// Card+PIN end to end: a door configured card+PIN and a PIN issued through the API, the snapshot
// compiled by the server and fetched by a real agent, a card presented and the PIN typed on the
// keypad of a PD emulator over TCP loopback. The PIN travels only as the people module's scrypt
// hash; the agent checks the typed digits against it and the door opens for the right PIN only.
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
const CARD = 2001;
// Eight digits: a shorter PIN could turn up by chance inside the hex of an id in the journal.
const PIN = '48263917';
const NEW_PIN = '73051846';
const WRONG_PIN = '15937264';

describe('card and PIN through the server and the edge agent', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let agent: EdgeAgent;
  let admin: TestOperator;
  const io = new SimulatedIo();

  const inject = (method: 'POST' | 'PUT', url: string, payload: object) =>
    world.app.api.inject({ method, url, headers: { cookie: admin.cookie }, payload });
  const issuePin = async (pin: string) => {
    const issued = await inject('POST', `/api/people/persons/${world.holders.get(CARD)}/credentials/pin`, { pin });
    assert.equal(issued.statusCode, 201, issued.body);
    assert.ok(!issued.body.includes(pin), 'the PIN is never answered');
  };
  const storedPinHash = async () =>
    (
      await world.app.handle.db
        .selectFrom('person_credentials')
        .select('pin_hash')
        .where('person_id', '=', world.holders.get(CARD)!)
        .where('status', '=', 'active')
        .where('type', '=', 'pin')
        .executeTakeFirstOrThrow()
    ).pin_hash!;
  /** Presents the card, waits for the PIN prompt, types `keys`, and waits for the reader's verdict. */
  const cardThenPin = async (keys: string, verdict: typeof GREEN | typeof RED) => {
    await eventually('door locked', () => !io.isReleased(0));
    const [ambers, answers] = [reader.leds(AMBER), reader.leds(verdict)];
    reader.present(CARD);
    await eventually('PIN prompt', () => reader.leds(AMBER) > ambers);
    assert.equal(io.isReleased(0), false, 'nothing opens before the PIN');
    reader.pd.pressKeys(keys);
    await eventually('verdict at the reader', () => reader.leds(verdict) > answers);
  };
  const deliveredReasons = async () =>
    (await journaled(world.app)).filter((e) => e.type.startsWith('access.')).map((e) => (JSON.parse(e.data) as { reason: string }).reason);

  before(async () => {
    world = await createWorld([CARD]);
    reader = await ReaderEmulator.listen();
    admin = await createSignedInOperator(harnessOf(world), 'pin-admin', [{ role: 'admin', site: world.siteId }]);
    const mode = await inject('PUT', `/api/doors/${world.doorId}/access-mode`, { mode: 'card_and_pin' });
    assert.equal(mode.statusCode, 200, mode.body);
    const config = parseAgentConfig(agentConfig(world, path.join(world.dir, 'agent'), reader));
    agent = new EdgeAgent({ config, io });
    await registerAgent(world, agent.key.publicKeyPem);
    await agent.start();
    await eventually('snapshot loaded', () => agent.policy.version !== null);
    await eventually('reader online', () => agent.readers.isOnline('ward-in'));
  });
  after(async () => {
    await agent?.stop();
    await reader.close();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('refuses the holder at once while they have no PIN', async () => {
    const reds = reader.leds(RED);
    reader.present(CARD);
    await eventually('refusal', () => reader.leds(RED) > reds);
    await eventually('refusal delivered', async () => (await deliveredReasons()).includes('access.pin_not_enrolled'));
    assert.equal(reader.leds(AMBER), 0, 'no prompt for a PIN that does not exist');
  });

  it('opens for the PIN issued through the API, carried to the agent only as its stored scrypt hash', async () => {
    const running = agent.policy.version!;
    await issuePin(PIN);
    await eventually('snapshot with the PIN loaded', () => agent.policy.version! > running, 20_000);
    const hash = await storedPinHash();
    assert.deepEqual(agent.policy.snapshot?.pins.hashes, [hash], 'the hash exactly as the people module stored it');
    const served = await world.app.handle.db
      .selectFrom('access_snapshots')
      .select('bytes')
      .where('site_id', '=', world.siteId)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(served.bytes, 'base64').toString('latin1').includes(PIN), 'no PIN in clear in the snapshot');

    await cardThenPin(`${PIN}#`, GREEN);
    assert.equal(io.isReleased(0), true, 'the door is released');
    await eventually('grant delivered', async () => (await journaled(world.app, 'access.granted')).length === 1);
    const [granted] = await journaled(world.app, 'access.granted');
    assert.equal(granted!.subject, world.holders.get(CARD));
    assert.deepEqual((JSON.parse(granted!.data) as { factors: string[] }).factors, ['card', 'pin']);
  });

  it('refuses a wrong PIN and keeps the door locked', async () => {
    await cardThenPin(`${WRONG_PIN}#`, RED);
    assert.equal(io.isReleased(0), false);
    await eventually('refusal delivered', async () => (await deliveredReasons()).includes('access.pin_incorrect'));
  });

  it('takes a changed PIN: the old one is refused, the new one opens', async () => {
    const running = agent.policy.version!;
    await issuePin(NEW_PIN);
    await eventually('snapshot with the new PIN loaded', () => agent.policy.version! > running, 20_000);
    assert.deepEqual(agent.policy.snapshot?.pins.hashes, [await storedPinHash()]);
    await cardThenPin(`${PIN}#`, RED);
    await cardThenPin(`${NEW_PIN}#`, GREEN);
    assert.equal(io.isReleased(0), true);
  });

  it('never journals a PIN', async () => {
    await eventually('everything delivered', () => agent.store.depth() === 0);
    const text = JSON.stringify(await journaled(world.app));
    for (const pin of [PIN, NEW_PIN, WRONG_PIN]) assert.ok(!text.includes(pin), `${pin} in the journal`);
  });
});

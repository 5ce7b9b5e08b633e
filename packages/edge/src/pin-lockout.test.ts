// PIN lockout at the door: the agent against PD emulators over TCP loopback, two card+PIN doors on
// one controller. Wrong PINs are counted per credential across its doors, a right one clears the
// count, the limit locks the card's PIN attempts out at every door (no prompt, a distinct refusal
// and reader signal, an event for the server), and neither a restart nor the other door lifts it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { newId } from '@vigil/core';
import { systemClock, type Clock } from '@vigil/osdp';
import { EdgeAgent } from './agent.js';
import type { AgentConfig } from './config.js';
import { SimulatedIo } from './io/simulated.js';
import type { EdgeEvent } from './protocol.js';
import {
  ALICE_PIN,
  DOORS,
  EmulatedReader,
  ZONES,
  eventually,
  policy,
  signedSnapshot,
  signingKeys,
  tempDir,
  testConfig,
} from './test-support.js';

const GREEN = 2;
const RED = 1;
const AMBER = 3;
const WRONG_PIN = '86420975';
const LOCKOUT_SECONDS = 900;

/** The system clock moved on by `offsetMs`: a controller restarted after the lockout ran out. */
function clockAhead(offsetMs: number): Clock {
  return { ...systemClock, now: () => Date.now() + offsetMs };
}

describe('PIN lockout at the door controller', { timeout: 60_000 }, () => {
  const keys = signingKeys();
  const dir = tempDir();
  const io = new SimulatedIo();
  // Both doors card+PIN, so a lockout started at one can be seen at the other.
  const snapshot = signedSnapshot(keys, policy(1, { doors: { main: { mode: 'card_and_pin' } } }));
  let mainIn: EmulatedReader;
  let recordsIn: EmulatedReader;
  let config: AgentConfig;
  let agent: EdgeAgent;

  const events = (type: string): EdgeEvent[] => agent.store.pending(10_000).filter((e) => e.type === type);
  const reasons = () => events('access.denied').map((e) => e.data['reason']);
  /** LED commands that flash red (a blinking temporary state), the lockout's signal. */
  const redFlashes = (reader: EmulatedReader) =>
    reader.commands.filter(
      (c) =>
        c.type === 'led' && c.leds.some((l) => l.temporary.controlCode === 2 && l.temporary.onColor === RED && l.temporary.offTime > 0),
    ).length;

  /** Presents Alice's card, waits for the PIN prompt, types `pin` and waits for the answer at the reader. */
  const cardThenPin = async (reader: EmulatedReader, pin: string, answer: 'granted' | 'denied' | 'locked_out') => {
    const [ambers, greens, reds, flashes] = [reader.leds(AMBER), reader.leds(GREEN), reader.leds(RED), redFlashes(reader)];
    reader.present('alice');
    await eventually('PIN prompt', () => reader.leds(AMBER) > ambers);
    reader.pd.pressKeys(`${pin}#`);
    if (answer === 'granted') await eventually('green', () => reader.leds(GREEN) > greens);
    else if (answer === 'locked_out') await eventually('red flashing', () => redFlashes(reader) > flashes);
    else await eventually('red', () => reader.leds(RED) > reds);
    if (answer === 'denied') assert.equal(redFlashes(reader), flashes, 'a plain refusal, not the lockout signal');
  };
  /** Presents Alice's card where her PIN attempts are locked out: refused at once, with no prompt. */
  const refusedWithoutPrompt = async (reader: EmulatedReader) => {
    const [ambers, flashes, refused] = [reader.leds(AMBER), redFlashes(reader), reasons().length];
    reader.present('alice');
    await eventually('lockout signal', () => redFlashes(reader) > flashes);
    await eventually('refusal recorded', () => reasons().length > refused);
    assert.equal(reader.leds(AMBER), ambers, 'no PIN prompt');
    const denied = events('access.denied').at(-1)!;
    assert.equal(denied.data['reason'], 'access.pin_locked_out');
    assert.equal(denied.data['credentialId'], 'card-alice');
    assert.deepEqual(denied.data['factors'], ['card']);
    return denied;
  };
  let clock: Clock = systemClock;
  const startAgent = async (at: Clock = systemClock) => {
    clock = at;
    agent = new EdgeAgent({ config, io, offline: true, clock });
    await agent.start();
    await eventually('readers online', () => agent.readers.isOnline('main-in') && agent.readers.isOnline('records-in'));
  };

  before(async () => {
    mainIn = await EmulatedReader.listen(1);
    recordsIn = await EmulatedReader.listen(2);
    config = testConfig(dir, keys, { 'main-in': mainIn, 'records-in': recordsIn });
    assert.deepEqual(config.pinEntry.lockout, { attempts: 3, windowSeconds: 300, lockoutSeconds: LOCKOUT_SECONDS }, 'the defaults');
    await startAgent();
    assert.equal(agent.applySnapshot(snapshot).status, 'applied');
  });
  after(async () => {
    await agent.stop();
    await mainIn.close();
    await recordsIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts wrong PINs across doors and starts again after a right one', async () => {
    await cardThenPin(recordsIn, WRONG_PIN, 'denied');
    await cardThenPin(mainIn, WRONG_PIN, 'denied');
    await cardThenPin(recordsIn, ALICE_PIN, 'granted');
    await cardThenPin(mainIn, WRONG_PIN, 'denied');
    await cardThenPin(recordsIn, WRONG_PIN, 'denied');
    assert.deepEqual(events('access.pin_locked_out'), [], 'two wrong PINs since the right one');
    assert.deepEqual(reasons(), Array(4).fill('access.pin_incorrect'));
  });

  it('locks the card out at the third wrong PIN in a row, with an event for the server', async () => {
    await cardThenPin(mainIn, WRONG_PIN, 'locked_out');
    const [locked] = events('access.pin_locked_out');
    assert.ok(locked, 'the lockout is recorded');
    assert.equal(locked.subject, 'alice');
    assert.equal(locked.door, DOORS.main);
    assert.deepEqual(
      { ...locked.data, until: undefined },
      {
        credentialId: 'card-alice',
        reader: 'main-in',
        attempts: 3,
        windowSeconds: 300,
        lockoutSeconds: LOCKOUT_SECONDS,
        until: undefined,
      },
    );
    assert.ok(Date.parse(String(locked.data['until'])) > Date.parse(locked.at), 'the lockout ends after it started');
    const third = events('access.denied').at(-1)!;
    assert.equal(third.data['reason'], 'access.pin_incorrect', 'the attempt itself was a wrong PIN');
    assert.equal(io.isReleased(0), false);
  });

  it('refuses the card at every door of the controller without asking for its PIN', async () => {
    // Counted by grants: the records door may still be in the strike time of the grant above.
    const grants = events('access.granted').length;
    const atMain = await refusedWithoutPrompt(mainIn);
    assert.equal(atMain.door, DOORS.main);
    const atRecords = await refusedWithoutPrompt(recordsIn);
    assert.equal(atRecords.door, DOORS.records);
    assert.match(String(atRecords.data['detail']), /locked out until/);
    assert.equal(events('access.granted').length, grants, 'no door opened');
    assert.equal(io.isReleased(0), false, 'the main door stayed locked');
    assert.equal(events('access.pin_locked_out').length, 1, 'one lockout, however many refusals');
  });

  it('keeps the lockout across a restart', async () => {
    await agent.stop();
    await startAgent();
    await refusedWithoutPrompt(recordsIn);
  });

  it('lifts the lockout once its time is up, and the right PIN opens again', async () => {
    await agent.stop();
    await startAgent(clockAhead(LOCKOUT_SECONDS * 1000 + 1000));
    await cardThenPin(recordsIn, ALICE_PIN, 'granted');
    assert.equal(events('access.granted').at(-1)!.door, DOORS.records);
  });

  it('lets a grant that no longer needs the PIN stand when the card was locked out while it was typed', async () => {
    // Time to lock the card out at the other door while the PIN prompt here is still open.
    config = { ...config, pinEntry: { ...config.pinEntry, timeoutSeconds: 60 } };
    await agent.stop();
    await startAgent(clockAhead(LOCKOUT_SECONDS * 1000 + 1000));
    const [ambers, greens, flashes] = [mainIn.leds(AMBER), mainIn.leds(GREEN), redFlashes(mainIn)];
    mainIn.present('alice');
    await eventually('PIN prompt at the main door', () => mainIn.leds(AMBER) > ambers);
    for (const answer of ['denied', 'denied', 'locked_out'] as const) await cardThenPin(recordsIn, WRONG_PIN, answer);
    // The main door is put in unlocked mode before the PIN is typed: its grant no longer rests on the PIN.
    agent.applyControls({ version: 1, fireEgress: null, lockdown: null, overrides: [{ doorId: DOORS.main, mode: 'unlocked' }] });
    mainIn.pd.pressKeys(`${WRONG_PIN}#`);
    await eventually('green at the main door', () => mainIn.leds(GREEN) > greens);
    const granted = events('access.granted').at(-1)!;
    assert.equal(granted.door, DOORS.main);
    assert.equal(granted.data['reason'], 'access.door_unlocked');
    assert.deepEqual(granted.data['factors'], ['card']);
    assert.equal(redFlashes(mainIn), flashes, 'no lockout signal at the main door');
    assert.equal(events('access.pin_locked_out').length, 2, 'the wrong PIN at the unlocked door started no second lockout');
  });

  it('records no passage for a right PIN that a lockout refused while it was typed', async () => {
    config = { ...config, pinEntry: { ...config.pinEntry, timeoutSeconds: 60 } };
    await agent.stop();
    await startAgent(clockAhead(2 * (LOCKOUT_SECONDS * 1000 + 1000)));
    // The main door now leads into the pharmacy, a hard anti-passback zone: a passage recorded
    // there counts Alice in and would refuse her next entry as a passback.
    const intoPharmacy = policy(2, { doors: { main: { mode: 'card_and_pin', toZoneId: ZONES.pharmacy } } });
    assert.equal(agent.applySnapshot(signedSnapshot(keys, intoPharmacy)).status, 'applied');
    agent.applyControls({ version: 2, fireEgress: null, lockdown: null, overrides: [] });
    const inPharmacy = () => {
      const { snapshot: s, state } = { snapshot: agent.policy.snapshot!, state: agent.policy.state! };
      const zone = s.zones.ids.indexOf(ZONES.pharmacy);
      return { occupancy: state.occupancy[zone], alice: state.personZone[s.persons.ids.indexOf('alice')] === zone };
    };
    assert.deepEqual(inPharmacy(), { occupancy: 0, alice: false });
    const [ambers, flashes] = [mainIn.leds(AMBER), redFlashes(mainIn)];
    mainIn.present('alice');
    await eventually('PIN prompt at the main door', () => mainIn.leds(AMBER) > ambers);
    for (const answer of ['denied', 'denied', 'locked_out'] as const) await cardThenPin(recordsIn, WRONG_PIN, answer);
    mainIn.pd.pressKeys(`${ALICE_PIN}#`);
    await eventually('lockout signal at the main door', () => redFlashes(mainIn) > flashes);
    await eventually('refusal recorded', () => events('access.denied').at(-1)!.door === DOORS.main);
    assert.equal(events('access.denied').at(-1)!.data['reason'], 'access.pin_locked_out');
    assert.equal(io.isReleased(0), false, 'the main door stayed shut');
    assert.deepEqual(inPharmacy(), { occupancy: 0, alice: false }, 'the refused request left no passage');

    // Once the lockout is over, the right PIN lets her in: she was never counted inside.
    await agent.stop();
    await startAgent(clockAhead(3 * (LOCKOUT_SECONDS * 1000 + 1000)));
    await cardThenPin(mainIn, ALICE_PIN, 'granted');
    assert.equal(events('access.granted').at(-1)!.data['reason'], 'access.granted');
    assert.deepEqual(inPharmacy(), { occupancy: 1, alice: true });
  });

  it('lifts a lockout at every door when an operator asks in time, once however often the command comes', async () => {
    for (const answer of ['denied', 'denied', 'locked_out'] as const) await cardThenPin(recordsIn, WRONG_PIN, answer);
    const lifts = () => events('access.pin_lockout_lift_executed').map((e) => e.data);
    const lift = (expiresInMs: number) => ({
      id: newId(),
      command: 'lift_pin_lockout' as const,
      credentialId: 'card-alice',
      personId: 'alice',
      requestedBy: 'operator:desk',
      expiresAt: new Date(clock.now() + expiresInMs).toISOString(),
    });

    agent.execute(lift(-1000));
    assert.deepEqual(
      lifts().map((l) => l['outcome']),
      ['expired'],
    );
    await refusedWithoutPrompt(recordsIn);

    const inTime = lift(60_000);
    agent.execute(inTime);
    agent.execute(inTime);
    const [, lifted] = lifts();
    assert.equal(lifts().length, 2, 'a re-delivered command is not carried out again');
    assert.equal(lifted!['outcome'], 'lifted');
    assert.equal(lifted!['requestedBy'], 'operator:desk');
    assert.equal(lifted!['commandId'], inTime.id);
    assert.ok(Date.parse(String(lifted!['until'])) > clock.now(), 'names the end the lockout would have had');
    assert.equal(events('access.pin_lockout_lift_executed').at(-1)!.subject, 'alice');
    await cardThenPin(recordsIn, ALICE_PIN, 'granted');

    // Lifted for good: a restart would restore a lockout still in the store, and this one has not run out.
    await agent.stop();
    await startAgent(clock);
    await cardThenPin(recordsIn, ALICE_PIN, 'granted');
    agent.execute(lift(60_000));
    assert.equal(lifts().at(-1)!['outcome'], 'not_locked_out');
    assert.equal(lifts().at(-1)!['until'], null);
  });
});

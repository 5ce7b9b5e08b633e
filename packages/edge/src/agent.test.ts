// The agent against PD emulators over TCP loopback, without a server: card reads decided from the
// signed snapshot, the lock, the reader's LED, keypad PINs, door alarms and the event buffer.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EdgeAgent } from './agent.js';
import { SimulatedIo } from './io/simulated.js';
import type { EdgeEvent } from './protocol.js';
import {
  ALICE_PIN,
  DOORS,
  EmulatedReader,
  SITE,
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

describe('edge agent at the door', { timeout: 30_000 }, () => {
  const keys = signingKeys();
  const dir = tempDir();
  const io = new SimulatedIo();
  let mainIn: EmulatedReader;
  let recordsIn: EmulatedReader;
  let agent: EdgeAgent;

  const events = (type?: string): EdgeEvent[] => agent.store.pending(10_000).filter((e) => !type || e.type === type);
  const last = (type: string): EdgeEvent => {
    const found = events(type).at(-1);
    assert.ok(found, `no ${type} event`);
    return found;
  };

  before(async () => {
    mainIn = await EmulatedReader.listen(1);
    recordsIn = await EmulatedReader.listen(2);
    agent = new EdgeAgent({ config: testConfig(dir, keys, { 'main-in': mainIn, 'records-in': recordsIn }), io, offline: true });
    await agent.start();
    assert.equal(agent.applySnapshot(signedSnapshot(keys, policy(1))).status, 'applied');
    await eventually('readers online', () => agent.readers.isOnline('main-in') && agent.readers.isOnline('records-in'));
  });
  after(async () => {
    await agent.stop();
    await mainIn.close();
    await recordsIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('grants a valid card: the event is buffered, the lock released for the strike time, the LED turns green', async () => {
    const greens = mainIn.leds(GREEN);
    const changes = io.lockHistory.length;
    mainIn.present('alice');
    await eventually('green LED', () => mainIn.leds(GREEN) > greens);
    const granted = last('access.granted');
    assert.equal(granted.subject, 'alice');
    assert.equal(granted.door, DOORS.main);
    assert.equal(granted.site, SITE);
    assert.equal(granted.source, `edge:${agent.key.keyId}`);
    assert.deepEqual(granted.data['factors'], ['card']);
    assert.equal(granted.data['credentialId'], 'card-alice');
    assert.match(granted.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    await eventually('relocked after the strike time', () => io.lockHistory.length >= changes + 2 && !io.isReleased(0));
    assert.deepEqual(
      io.lockHistory.slice(changes).map((c) => [c.point, c.released]),
      [
        [0, true],
        [0, false],
      ],
    );
  });

  it('refuses a suspended holder and an unknown card with a red LED, never logging the unknown card number', async () => {
    const reds = mainIn.leds(RED);
    mainIn.present('bob');
    await eventually('red LED for bob', () => mainIn.leds(RED) > reds);
    assert.equal(last('access.denied').data['reason'], 'access.person_suspended');
    mainIn.present('unknown');
    await eventually('red LED for the unknown card', () => mainIn.leds(RED) > reds + 1);
    const denied = last('access.denied');
    assert.equal(denied.data['reason'], 'access.unknown_card');
    assert.deepEqual(denied.data['unknownCard'], { bitCount: 26, format: 'H10301', facilityCode: 42, cardNumberMasked: '…99' });
    assert.ok(!JSON.stringify(denied).includes('999'), 'the full card number must not be in the event');
    assert.equal(io.isReleased(0), false);
  });

  it('asks for a PIN on a card+PIN door and grants only with the right one; the PIN is never recorded', async () => {
    const ambers = recordsIn.leds(AMBER);
    const prompts = () => recordsIn.commands.filter((c) => c.type === 'text' && c.text === 'ENTER PIN').length;
    const promptsBefore = prompts();
    recordsIn.present('alice');
    // The amber LED and the TEXT prompt are separate OSDP commands: wait for both, in either order.
    await eventually('PIN prompt', () => recordsIn.leds(AMBER) > ambers && prompts() > promptsBefore);
    assert.equal(io.isReleased(1), false, 'nothing opens before the PIN');
    const greens = recordsIn.leds(GREEN);
    recordsIn.pd.pressKeys(`${ALICE_PIN}#`);
    await eventually('green after the PIN', () => recordsIn.leds(GREEN) > greens);
    const granted = last('access.granted');
    assert.equal(granted.door, DOORS.records);
    assert.deepEqual(granted.data['factors'], ['card', 'pin']);

    const reds = recordsIn.leds(RED);
    recordsIn.present('alice');
    await eventually('second PIN prompt', () => recordsIn.leds(AMBER) > ambers + 1);
    recordsIn.pd.pressKeys('86420975#');
    await eventually('red after a wrong PIN', () => recordsIn.leds(RED) > reds);
    assert.equal(last('access.denied').data['reason'], 'access.pin_incorrect');
    const text = JSON.stringify(events());
    assert.ok(!text.includes(ALICE_PIN) && !text.includes('86420975'), 'no PIN in any event');
  });

  it('keeps its buffer, with the snapshot and its PIN hashes, readable by its own user only', () => {
    for (const file of ['buffer.db', 'buffer.db-wal']) {
      assert.equal(fs.statSync(path.join(dir, file)).mode & 0o077, 0, file);
    }
  });

  it('refuses a card+PIN entry whose PIN never comes, and a holder with no PIN at once', async () => {
    const reds = recordsIn.leds(RED);
    recordsIn.present('alice');
    await eventually('timeout refusal', () => recordsIn.leds(RED) > reds, 5000);
    const denied = last('access.denied');
    assert.equal(denied.subject, 'alice');
    assert.equal(denied.data['reason'], 'access.second_factor_required');
    const ambers = recordsIn.leds(AMBER);
    recordsIn.present('carol');
    await eventually('refusal without prompt', () => recordsIn.leds(RED) > reds + 1);
    assert.equal(last('access.denied').data['reason'], 'access.pin_not_enrolled');
    assert.equal(recordsIn.leds(AMBER), ambers);
  });

  it('raises forced open when the door opens with no grant, and clears it when it closes', () => {
    io.setDoorOpen(10, true);
    assert.equal(last('door.forced_open').door, DOORS.main);
    assert.equal(agent.healthReport().doors.find((d) => d.doorId === DOORS.main)?.alarm, 'forced_open');
    io.setDoorOpen(10, false);
    assert.equal(last('door.closed').data['alarm'], 'forced_open');
    assert.equal(agent.healthReport().doors.find((d) => d.doorId === DOORS.main)?.alarm, null);
  });

  it('opens on an exit request without alarm, then raises held open when the door stays open', async () => {
    const forced = events('door.forced_open').length;
    const changes = io.lockHistory.length;
    io.pressRequestToExit(20);
    assert.equal(last('access.granted').data['reason'], 'access.free_egress');
    // The person pushes the door at once, within the strike time.
    io.setDoorOpen(10, true);
    assert.equal(last('door.opened').data['cause'], 'exit_request');
    await eventually('lock released for the exit', () => io.lockHistory.slice(changes).some((c) => c.point === 0 && c.released));
    await eventually('held-open alarm', () => events('door.held_open').length > 0);
    assert.equal(events('door.forced_open').length, forced);
    io.setDoorOpen(10, false);
    assert.equal(last('door.closed').data['alarm'], 'held_open');
    await eventually('relocked on close', () => !io.isReleased(0));
  });

  it('refuses an output command on a door’s lock and carries out one on a free output', async () => {
    const command = (point: number, reader: string | null = null) => ({
      id: randomUUID(),
      command: 'output' as const,
      outputId: `output-${point}`,
      reader,
      point,
      action: 'on' as const,
      pulseMs: null,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const outcome = async (id: string) => {
      await eventually('output outcome recorded', () => events('output.command_executed').some((e) => e.correlationId === id));
      return events('output.command_executed').find((e) => e.correlationId === id)!.data['outcome'];
    };
    const changes = io.lockHistory.length;
    const onLock = command(0);
    agent.execute(onLock);
    assert.equal(await outcome(onLock.id), 'unknown_output');
    assert.ok(!io.lockHistory.slice(changes).some((c) => c.point === 0), 'the main door’s lock never moved');
    // The door's inputs are numbered apart from its outputs: output 10 is not the door contact.
    for (const point of [7, 10]) {
      const free = command(point);
      agent.execute(free);
      assert.equal(await outcome(free.id), 'executed');
      assert.equal(io.isReleased(point), true);
    }
    const unknownReader = command(0, 'no-such-reader');
    agent.execute(unknownReader);
    assert.equal(await outcome(unknownReader.id), 'unknown_output');
  });
});

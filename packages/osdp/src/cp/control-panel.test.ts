import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { fromHex } from '../bytes.js';
import type { Command } from '../commands/types.js';
import type { OsdpError } from '../errors.js';
import { Peripheral } from '../pd/peripheral.js';
import type { PeripheralOptions } from '../pd/peripheral.js';
import { deriveScbk } from '../secure/keys.js';
import { createMemoryLink } from '../transport/memory.js';
import type { MemoryTransport } from '../transport/memory.js';
import { ControlPanel } from './control-panel.js';
import type { ControlPanelOptions } from './control-panel.js';

const KEY_A = fromHex('00112233445566778899aabbccddeeff');
const KEY_B = fromHex('ffeeddccbbaa99887766554433221100');

function identity(serialNumber: number): PeripheralOptions['identity'] {
  return { vendorCode: 0x123456, model: 1, version: 2, serialNumber, firmware: { major: 1, minor: 0, build: 0 } };
}

/** A bus: one CP end and one PD end shared by every emulated PD, as on RS-485 multi-drop. */
function bus(
  pds: PeripheralOptions[],
  options: Omit<ControlPanelOptions, 'transport' | 'peripherals'> & Pick<ControlPanelOptions, 'peripherals'>,
) {
  const [cpEnd, pdEnd] = createMemoryLink();
  const peripherals = pds.map((o) => new Peripheral(o));
  for (const pd of peripherals) pd.attach(pdEnd);
  const cp = new ControlPanel({ replyTimeoutMs: 30, maxRetries: 1, pollIntervalMs: 5, offlineRetryMs: 40, ...options, transport: cpEnd });
  return { cp, peripherals, cpEnd, pdEnd };
}

let running: { cp: ControlPanel; pdEnd: MemoryTransport } | null = null;
afterEach(async () => {
  await running?.cp.stop();
  await running?.pdEnd.close();
  running = null;
});

async function startAll(setup: ReturnType<typeof bus>): Promise<void> {
  running = setup;
  await setup.pdEnd.open();
  await setup.cp.start();
}

function onlineSet(cp: ControlPanel, addresses: number[]): Promise<void> {
  const waiting = new Set(addresses);
  return new Promise((resolve) => {
    const off = cp.on('online', (e) => {
      waiting.delete(e.address);
      if (waiting.size === 0) {
        off();
        resolve();
      }
    });
  });
}

describe('control panel on a multi-drop bus', { timeout: 15_000 }, () => {
  it('brings three PDs online (two secure with their own keys, one plain) and routes events by address', async () => {
    const setup = bus(
      [
        { address: 1, identity: identity(1), secure: { scbk: KEY_A } },
        { address: 2, identity: identity(2), secure: { scbk: KEY_B } },
        { address: 3, identity: identity(3) },
      ],
      { peripherals: [{ address: 1, secure: { scbk: KEY_A } }, { address: 2, secure: { scbk: KEY_B } }, { address: 3 }] },
    );
    const online = onlineSet(setup.cp, [1, 2, 3]);
    await startAll(setup);
    await online;
    assert.deepEqual(
      setup.cp.statuses().map((s) => [s.address, s.online, s.secure]),
      [
        [1, true, true],
        [2, true, true],
        [3, true, false],
      ],
    );
    const card = setup.cp.next('card');
    setup.peripherals[1]!.presentCard({ bitCount: 8, data: Uint8Array.of(0xa5) });
    assert.equal((await card).address, 2);

    // PD 3 dies: only PD 3 goes offline, the others keep answering.
    const offline = setup.cp.next('offline');
    setup.peripherals[2]!.responsive = false;
    assert.equal((await offline).address, 3);
    assert.deepEqual(await setup.cp.send(1, { type: 'buz', reader: 0, tone: 2, onTime: 1, offTime: 1, count: 1 }), { type: 'ack' });
    assert.equal(setup.cp.isOnline(2), true);
  });

  it('commissions a factory-fresh PD: SCBK-D handshake, KEYSET, then the new key', async () => {
    const setup = bus([{ address: 9, identity: identity(9), secure: { installMode: true } }], {
      peripherals: [{ address: 9, secure: { scbk: KEY_A, installMode: true } }],
    });
    const pd = setup.peripherals[0]!;
    const keyChanged = pd.next('keyChanged');
    const installed = setup.cp.next('keyInstalled');
    const defaultKeyChannel = setup.cp.next('secureChannel', (e) => e.active && e.defaultKey);
    const online = setup.cp.next('online');
    await startAll(setup);
    await defaultKeyChannel;
    assert.deepEqual((await keyChanged).scbk, KEY_A);
    await installed;
    const event = await online;
    assert.equal(event.secure, true);
    assert.deepEqual(pd.scbk, KEY_A);
    assert.equal(setup.cp.status(9).secure, true);
  });

  it('diversifies each reader key from a master key and the reader cUID', async () => {
    const master = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
    const cUid = fromHex('0102030405060708');
    const setup = bus([{ address: 4, identity: identity(4), cUid, secure: { scbk: deriveScbk(master, cUid) } }], {
      peripherals: [{ address: 4, secure: { masterKey: master } }],
    });
    const online = setup.cp.next('online');
    await startAll(setup);
    assert.equal((await online).secure, true);
  });

  it('keeps a PD with the wrong key offline and reports the failed handshake', async () => {
    const setup = bus([{ address: 6, identity: identity(6), secure: { scbk: KEY_B } }], {
      peripherals: [{ address: 6, secure: { scbk: KEY_A } }],
    });
    const fault = setup.cp.next('securityFault');
    let cameOnline = false;
    setup.cp.on('online', () => (cameOnline = true));
    await startAll(setup);
    assert.equal((await fault).error.code, 'osdp.cryptogram_mismatch');
    await setup.cp.next('securityFault'); // the retry after offlineRetryMs fails the same way
    assert.equal(cameOnline, false);
    assert.equal(setup.cp.status(6).phase, 'offline');
  });

  it('repeats a command whose reply was lost; the PD resends its reply instead of acting twice', async () => {
    const setup = bus([{ address: 7, identity: identity(7), secure: { scbk: KEY_A } }], {
      peripherals: [{ address: 7, secure: { scbk: KEY_A } }],
      replyTimeoutMs: 40,
    });
    const pd = setup.peripherals[0]!;
    const online = setup.cp.next('online');
    await startAll(setup);
    await online;
    const acted: Command[] = [];
    pd.on('command', (c) => acted.push(c));
    // Drop the PD's next reply on the wire.
    const original = setup.pdEnd.write.bind(setup.pdEnd);
    let dropped = false;
    setup.pdEnd.write = (data) => {
      if (!dropped && acted.length > 0) {
        dropped = true;
        return;
      }
      original(data);
    };
    const text: Command = { type: 'text', reader: 0, command: 1, tempTime: 0, row: 0, column: 0, text: 'Hello' };
    assert.deepEqual(await setup.cp.send(7, text), { type: 'ack' });
    assert.equal(dropped, true);
    assert.deepEqual(acted, [text]);
    assert.equal(pd.stats.retransmissions, 1);
    assert.equal(setup.cp.status(7).stats.retries, 1);
  });

  it('waits out osdp_BUSY and repeats the command', async () => {
    const setup = bus([{ address: 8, identity: identity(8) }], { peripherals: [{ address: 8 }], busyRetryMs: 5 });
    const online = setup.cp.next('online');
    await startAll(setup);
    await online;
    setup.peripherals[0]!.busyReplies = 2;
    assert.deepEqual(await setup.cp.send(8, { type: 'istat' }), { type: 'istatr', inputs: [0, 0] });
    assert.equal(setup.cp.status(8).stats.busy, 2);
  });

  it('reports input changes and rejects bad requests with stable codes', async () => {
    const setup = bus([{ address: 10, identity: identity(10) }], { peripherals: [{ address: 10 }], queueLimit: 1 });
    const online = setup.cp.next('online');
    await startAll(setup);
    await online;
    const inputs = setup.cp.next('inputStatus');
    setup.peripherals[0]!.setInputs([1, 0]);
    assert.deepEqual((await inputs).inputs, [1, 0]);
    const codes = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: OsdpError) => e.code,
      );
    assert.equal(await codes(setup.cp.send(99, { type: 'poll' })), 'osdp.unknown_pd');
    assert.equal(
      await codes(setup.cp.send(10, { type: 'buz', reader: 0, tone: 300, onTime: 0, offTime: 0, count: 0 })),
      'osdp.invalid_argument',
    );
    assert.equal(await codes(setup.cp.send(10, { type: 'keyset', keyType: 1, key: KEY_A })), 'osdp.secure_channel_unavailable');
    const first = setup.cp.send(10, { type: 'lstat' });
    assert.equal(await codes(setup.cp.send(10, { type: 'lstat' })), 'osdp.queue_full');
    await first;
  });
});

describe('control panel fallbacks', { timeout: 15_000 }, () => {
  it('talks in plain text to a PD without secure channel when the secure channel is optional', async () => {
    const setup = bus([{ address: 11, identity: identity(11) }], {
      peripherals: [{ address: 11, secure: { scbk: KEY_A, required: false } }],
    });
    const online = setup.cp.next('online');
    await startAll(setup);
    assert.equal((await online).secure, false);
  });

  it('keeps a PD without secure channel offline when the secure channel is required', async () => {
    const setup = bus([{ address: 12, identity: identity(12) }], { peripherals: [{ address: 12, secure: { scbk: KEY_A } }] });
    await startAll(setup);
    // Two connection attempts (ID and CAP each), both ending before any handshake.
    while (setup.cp.status(12).stats.repliesReceived < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(setup.cp.status(12).stats.handshakes, 0);
    assert.equal(setup.cp.status(12).online, false);
    assert.equal(setup.cp.status(12).phase, 'offline');
  });

  it('switches to the 8-bit checksum for a PD that does not support CRC-16', async () => {
    const [cpEnd, pdEnd] = createMemoryLink();
    const pd = new Peripheral({
      address: 13,
      identity: identity(13),
      capabilities: [
        { function: 8, compliance: 0, count: 0 },
        { function: 4, compliance: 1, count: 1 },
      ],
    });
    pd.attach(pdEnd);
    const seen: number[] = [];
    cpEnd.onData(() => undefined);
    const original = cpEnd.write.bind(cpEnd);
    cpEnd.write = (data) => {
      seen.push(data[5] ?? 0);
      original(data);
    };
    const cp = new ControlPanel({ transport: cpEnd, peripherals: [{ address: 13 }], pollIntervalMs: 5, replyTimeoutMs: 30 });
    running = { cp, pdEnd };
    await pdEnd.open();
    const online = cp.next('online');
    await cp.start();
    await online;
    await cp.send(13, { type: 'poll' });
    // ID and CAP go out with CRC (control bit 0x04), everything after with the checksum.
    assert.deepEqual(
      seen.slice(0, 3).map((control) => control & 0x04),
      [0x04, 0x04, 0],
    );
    assert.equal(seen.at(-1)! & 0x04, 0);
  });
});

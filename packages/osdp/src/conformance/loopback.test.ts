// A control panel and our PD emulator over real TCP loopback with the secure channel on: card
// reads, LED/BUZ, a PD that dies mid-reply and comes back, forged and replayed MACs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromHex } from '../bytes.js';
import type { Command } from '../commands/types.js';
import { ControlPanel } from '../cp/control-panel.js';
import type { OsdpError } from '../errors.js';
import { crc16 } from '../frame/check.js';
import { Peripheral } from '../pd/peripheral.js';
import { TcpClientTransport, TcpServerTransport } from '../transport/tcp.js';
import type { Transport } from '../transport/transport.js';

const SCBK = fromHex('0f0e0d0c0b0a09080706050403020100');
const ADDRESS = 5;

/** Sits between the PD emulator and its socket so a test can cut or rewrite replies. */
class WireTap implements Transport {
  rewrite: ((bytes: Uint8Array) => Uint8Array | null) | null = null;
  constructor(private readonly inner: Transport) {}
  get connected() {
    return this.inner.connected;
  }
  open() {
    return this.inner.open();
  }
  close() {
    return this.inner.close();
  }
  write(data: Uint8Array) {
    const out = this.rewrite ? this.rewrite(data) : data;
    if (out) this.inner.write(out);
  }
  onData(listener: (chunk: Uint8Array) => void) {
    return this.inner.onData(listener);
  }
  onConnectionChange(listener: (connected: boolean, error?: Error) => void) {
    return this.inner.onConnectionChange(listener);
  }
}

describe('control panel and PD over TCP loopback, secure channel', { timeout: 20_000 }, () => {
  const server = new TcpServerTransport({ port: 0 });
  const tap = new WireTap(server);
  const pd = new Peripheral({
    address: ADDRESS,
    identity: { vendorCode: 0x0a0017, model: 3, version: 1, serialNumber: 0x1234abcd, firmware: { major: 1, minor: 2, build: 3 } },
    secure: { scbk: SCBK, required: true },
  });
  let cp: ControlPanel;
  const faults: OsdpError[] = [];
  const frameErrors: OsdpError[] = [];

  before(async () => {
    await server.open();
    pd.attach(tap);
    cp = new ControlPanel({
      transport: new TcpClientTransport({ host: '127.0.0.1', port: server.port, reconnectDelayMs: 50 }),
      peripherals: [{ address: ADDRESS, secure: { scbk: SCBK } }],
      replyTimeoutMs: 100,
      maxRetries: 2,
      pollIntervalMs: 10,
      offlineRetryMs: 100,
    });
    cp.on('securityFault', (e) => faults.push(e.error));
    cp.on('frameError', (e) => frameErrors.push(e.error));
    const online = cp.next('online');
    await cp.start();
    const event = await online;
    assert.equal(event.secure, true);
    assert.equal(event.identity?.serialNumber, 0x1234abcd);
  });

  after(async () => {
    await cp.stop();
    await server.close();
  });

  it('delivers a card read presented at the reader', async () => {
    const card = cp.next('card');
    pd.presentCard({ reader: 0, format: 1, bitCount: 26, data: fromHex('bd88eb80') });
    assert.deepEqual(await card, { address: ADDRESS, reader: 0, format: 1, bitCount: 26, data: fromHex('bd88eb80') });
  });

  it('delivers key presses', async () => {
    const keys = cp.next('keypad');
    pd.pressKeys('1234#');
    const event = await keys;
    assert.equal(Buffer.from(event.keys).toString('ascii'), '1234#');
  });

  it('drives the LED and the buzzer, encrypted, and the PD acts on them once', async () => {
    const received: Command[] = [];
    const off = pd.on('command', (c) => received.push(c));
    const led: Command = {
      type: 'led',
      leds: [
        {
          reader: 0,
          led: 0,
          temporary: { controlCode: 2, onTime: 5, offTime: 5, onColor: 2, offColor: 0, timer: 30 },
          permanent: { controlCode: 1, onTime: 1, offTime: 0, onColor: 1, offColor: 0 },
        },
      ],
    };
    const buz: Command = { type: 'buz', reader: 0, tone: 2, onTime: 3, offTime: 1, count: 2 };
    assert.deepEqual(await cp.send(ADDRESS, led), { type: 'ack' });
    assert.deepEqual(await cp.send(ADDRESS, buz), { type: 'ack' });
    off();
    assert.deepEqual(received, [led, buz]);
    assert.equal(cp.status(ADDRESS).secure, true);
  });

  it('reads local status on request and sets an output', async () => {
    assert.deepEqual(await cp.send(ADDRESS, { type: 'lstat' }), { type: 'lstatr', tamper: false, power: false });
    await cp.send(ADDRESS, { type: 'out', outputs: [{ output: 0, controlCode: 2, timer: 0 }] });
    assert.deepEqual(pd.outputs, [1]);
    await assert.rejects(cp.send(ADDRESS, { type: 'out', outputs: [{ output: 7, controlCode: 2, timer: 0 }] }), {
      code: 'osdp.nak',
    });
  });

  it('declares a PD that stops mid-reply offline, then recovers it with a new handshake', async () => {
    const offline = cp.next('offline');
    tap.rewrite = (bytes) => {
      // Half a frame goes out, then the PD falls silent.
      tap.rewrite = () => null;
      pd.responsive = false;
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    };
    assert.equal((await offline).reason, 'osdp.reply_timeout');
    assert.equal(cp.isOnline(ADDRESS), false);
    assert.ok(frameErrors.some((e) => e.code === 'osdp.frame_truncated'));
    await assert.rejects(cp.send(ADDRESS, { type: 'poll' }), { code: 'osdp.pd_offline' });

    const handshakesBefore = cp.status(ADDRESS).stats.handshakes;
    const online = cp.next('online');
    tap.rewrite = null;
    pd.responsive = true;
    assert.equal((await online).secure, true);
    assert.ok(cp.status(ADDRESS).stats.handshakes > handshakesBefore);
  });

  it('rejects a forged reply MAC, counts it and re-establishes the secure channel', async () => {
    const faultsBefore = faults.length;
    const down = cp.next('secureChannel', (e) => !e.active);
    const up = cp.next('secureChannel', (e) => e.active);
    tap.rewrite = (bytes) => {
      tap.rewrite = null;
      const forged = bytes.slice();
      forged[forged.length - 3] = (forged[forged.length - 3] ?? 0) ^ 0x01; // last MAC byte, just before the two CRC bytes
      return fixCrc(forged);
    };
    await down;
    await up;
    const fault = faults[faultsBefore];
    assert.equal(fault?.code, 'osdp.mac_mismatch');
    const status = cp.status(ADDRESS);
    assert.equal(status.stats.macFailures, 1);
    assert.equal(status.online, true);
    assert.equal(status.secure, true);
  });

  it('rejects a replayed reply (valid MAC from an earlier exchange)', async () => {
    let recorded: Uint8Array | null = null;
    let count = 0;
    const down = cp.next('secureChannel', (e) => !e.active);
    tap.rewrite = (bytes) => {
      count++;
      if (count === 1) recorded = bytes.slice();
      // Three exchanges later the sequence number is the same again: replay the old answer.
      if (count === 4 && recorded) {
        tap.rewrite = null;
        return recorded;
      }
      return bytes;
    };
    await down;
    await cp.next('secureChannel', (e) => e.active);
    assert.equal(cp.status(ADDRESS).stats.macFailures, 2);
    assert.equal(faults.at(-1)?.code, 'osdp.mac_mismatch');
  });

  it('recovers when the PD detects a forged command MAC', async () => {
    const macFailuresAtPd = pd.stats.macFailures;
    const up = cp.next('secureChannel', (e) => e.active);
    const clientSide = cp as unknown as { transport: Transport };
    const original = clientSide.transport.write.bind(clientSide.transport);
    let forged = false;
    clientSide.transport.write = (data: Uint8Array) => {
      if (!forged && data.length > 12 && data[6] === 0x02) {
        forged = true;
        const bad = data.slice();
        bad[bad.length - 3] = (bad[bad.length - 3] ?? 0) ^ 0x80;
        original(fixCrc(bad));
        return;
      }
      original(data);
    };
    await up;
    clientSide.transport.write = original;
    assert.equal(pd.stats.macFailures, macFailuresAtPd + 1);
    assert.equal(cp.status(ADDRESS).online, true);
  });
});

/** Recomputes the CRC so only the MAC is wrong, as a deliberate forger would. */
function fixCrc(frame: Uint8Array): Uint8Array {
  const start = frame[0] === 0xff ? 1 : 0;
  const crc = crc16(frame, start, frame.length - 2);
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >> 8;
  return frame;
}

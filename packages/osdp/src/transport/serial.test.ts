import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPortMock } from 'serialport';
import { fromHex, toHex } from '../bytes.js';
import { ControlPanel } from '../cp/control-panel.js';
import { Peripheral } from '../pd/peripheral.js';
import { SerialTransport } from './serial.js';

const identity = {
  vendorCode: 0xfebabe,
  model: 1,
  version: 1,
  serialNumber: 0xdeadbeaf,
  firmware: { major: 0xad, minor: 0xde, build: 0xad },
};

describe('serial transport on the serialport mock binding', () => {
  it('hands partial reads to the PD and writes its reply to the port', async () => {
    SerialPortMock.binding.createPort('/dev/osdp-mock', { echo: false, record: true });
    let port: SerialPortMock | null = null;
    const transport = new SerialTransport({
      path: '/dev/osdp-mock',
      baudRate: 9600,
      createPort: (settings) => (port = new SerialPortMock(settings)),
    });
    const pd = new Peripheral({ address: 0x65, identity });
    pd.attach(transport);
    await transport.open();
    assert.equal(transport.connected, true);
    const binding = port!.port!;
    const id = fromHex('ff53650900046100d97a');
    binding.emitData(Buffer.from(id.subarray(0, 4)));
    binding.emitData(Buffer.from(id.subarray(4)));
    await sleep(20);
    assert.equal(toHex(binding.recording), 'ff53e514000445bebafe0101afbeaddeaddead07fd');
    await transport.close();
    assert.equal(transport.connected, false);
    SerialPortMock.binding.reset();
  });

  it('reports the device vanishing and reopens it', async () => {
    SerialPortMock.binding.createPort('/dev/osdp-unplug', { echo: false, record: true });
    let port: SerialPortMock | null = null;
    const transport = new SerialTransport({
      path: '/dev/osdp-unplug',
      reopenDelayMs: 10,
      createPort: (settings) => (port = new SerialPortMock(settings)),
    });
    const changes: boolean[] = [];
    transport.onConnectionChange((connected) => changes.push(connected));
    await transport.open();
    const first = port!;
    first.close(() => undefined, new Error('device disconnected'));
    while (changes.length < 3) await sleep(5);
    assert.deepEqual(changes, [true, false, true]);
    assert.notEqual(port, first);
    await transport.close();
    SerialPortMock.binding.reset();
  });

  it('refuses an invalid baud rate', () => {
    assert.throws(() => new SerialTransport({ path: '/dev/null', baudRate: 0 }), { code: 'osdp.invalid_argument' });
  });
});

const socat = spawnSync('socat', ['-V']).status === 0;

describe(
  'serial transport on a pseudo-terminal pair (real serialport binding)',
  { skip: socat ? false : 'socat is not installed; it provides the pty pair' },
  () => {
    let child: ChildProcess | null = null;
    after(() => {
      child?.kill();
    });

    it('a CP and a PD on the two ends of a pty pair exchange a secure session and a card read', { timeout: 15_000 }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'osdp-pty-'));
      const [a, b] = [path.join(dir, 'cp'), path.join(dir, 'pd')];
      child = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
      while (!existsSync(a) || !existsSync(b)) await sleep(10);

      const scbk = fromHex('303132333435363738393a3b3c3d3e3f');
      const pdSide = new SerialTransport({ path: b, baudRate: 115200 });
      const pd = new Peripheral({ address: 2, identity, secure: { scbk } });
      pd.attach(pdSide);
      await pdSide.open();
      const cp = new ControlPanel({
        transport: new SerialTransport({ path: a, baudRate: 115200 }),
        peripherals: [{ address: 2, secure: { scbk } }],
        pollIntervalMs: 10,
      });
      const online = cp.next('online');
      await cp.start();
      assert.equal((await online).secure, true);
      const card = cp.next('card');
      pd.presentCard({ bitCount: 26, data: fromHex('70123440') });
      assert.deepEqual((await card).data, fromHex('70123440'));
      await cp.stop();
      await pdSide.close();
    });
  },
);

/**
 * Virtual readers multi-dropped on one TCP bus, seen from a real OSDP control panel: each answers
 * at its own address, a card read reaches the panel from the reader it was presented at, the
 * panel's LED command reaches the reader it names, and a reader without power drops offline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ControlPanel, TcpClientTransport } from '@vigil/osdp';
import { ReaderBus, VirtualReader } from './readers.js';

describe('a bus of virtual readers', { timeout: 20_000 }, () => {
  let bus: ReaderBus;
  let cp: ControlPanel;
  const readers = [1, 2, 3].map((address) => new VirtualReader(`r${address}`, address, 9000 + address));

  before(async () => {
    bus = await ReaderBus.listen();
    for (const reader of readers) bus.attach(reader);
    cp = new ControlPanel({
      transport: new TcpClientTransport({ host: '127.0.0.1', port: bus.port, reconnectDelayMs: 50 }),
      peripherals: readers.map((r) => ({ address: r.address })),
      pollIntervalMs: 10,
      replyTimeoutMs: 100,
      offlineRetryMs: 100,
    });
    const online = Promise.all(readers.map((r) => cp.next('online', (e) => e.address === r.address)));
    await cp.start();
    await online;
  });

  after(async () => {
    await cp.stop();
    await bus.close();
  });

  it('brings every reader online at its own address, with its serial number', () => {
    assert.deepEqual(
      cp.statuses().map((s) => [s.address, s.identity?.serialNumber]),
      [
        [1, 9001],
        [2, 9002],
        [3, 9003],
      ],
    );
  });

  it('delivers a card from the reader it was presented at, as 26-bit Wiegand', async () => {
    const read = cp.next('card');
    readers[1]!.present({ format: 'H10301', facilityCode: 42, cardNumber: 1234 });
    const card = await read;
    assert.equal(card.address, 2);
    assert.equal(card.bitCount, 26);
  });

  it('shows a grant flash only on the reader the panel addressed', async () => {
    const green = readers[2]!.nextSignal(2000);
    const elsewhere = readers[0]!.nextSignal(300);
    await cp.send(3, {
      type: 'led',
      leds: [
        {
          reader: 0,
          led: 0,
          temporary: { controlCode: 2, onTime: 30, offTime: 0, onColor: 2, offColor: 0, timer: 30 },
          permanent: { controlCode: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 },
        },
      ],
    });
    assert.equal(await green, 'green');
    assert.equal(await elsewhere, null);
  });

  it('drops a reader that lost power, and brings it back when power returns', async () => {
    const offline = cp.next('offline', (e) => e.address === 1);
    readers[0]!.setPowered(false);
    await offline;
    assert.equal(cp.isOnline(2), true);
    const online = cp.next('online', (e) => e.address === 1);
    readers[0]!.setPowered(true);
    await online;
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from '../../bus/test-servers.js';
import type { MqttAdapter } from './adapter.js';
import { adapterStack } from './test-stack.js';

const brokerUrl = process.env['VIGIL_TEST_MQTT_URL'];
const SKIP = brokerUrl ? false : 'MQTT broker suite skipped: set VIGIL_TEST_MQTT_URL (e.g. mqtt://127.0.0.1:1883) to run it';

void describe('MQTT device adapter (real broker)', { skip: SKIP }, () => {
  let stack: Awaited<ReturnType<typeof adapterStack>>;
  let adapter: MqttAdapter;
  let device: MqttClient;
  const publish = (topic: string, payload: string) => device.publishAsync(`${stack.prefix}/${topic}`, payload, { qos: 1 });
  const data = (row: { data: string }) => JSON.parse(row.data) as Record<string, unknown>;

  before(async () => {
    stack = await adapterStack(brokerUrl!);
    adapter = stack.make();
    adapter.start();
    await adapter.whenSubscribed();
    device = await mqtt.connectAsync(brokerUrl!, { clientId: `device-sim-${stack.prefix}` });
  });
  after(async () => {
    await device?.endAsync();
    await adapter?.stop();
    // The persistent session would keep queueing for a client id that never returns.
    const cleaner = await mqtt.connectAsync(brokerUrl!, { clientId: `vigil-test-${stack.prefix}`, clean: true, protocolVersion: 5 });
    await cleaner.endAsync();
    await stack?.dispose();
  });

  it('journals each kind of device event with its place and source', async () => {
    await publish('sites/main/doors/d-12/contact/DC-1', '{"state":"open","battery":81,"seq":1}');
    await publish('sites/main/zones/ed/panic/PB-1', '{"action":"press","id":"p-1"}');
    await publish('sites/main/zones/ed/duress/DB-1', '{"action":"press","id":"d-1"}');
    await publish('sites/main/zones/pharmacy/glass-break/GB-1', '{"event":"break"}');
    await publish('sites/main/zones/pharmacy/motion/MS-1', '{"occupancy":true}');
    await publish('sites/main/fire-panel/FP-01/inputs/loop1', 'ALARM');
    await publish('sites/main/nurse-call/NC-1', '{"room":"412","priority":"emergency","callId":"c-1"}');
    await publish('sites/main/fridges/FR-PHARM-1/temperature', '{"t":9.5,"bat":55}');
    const expected = [
      'door.contact_opened',
      'panic.pressed',
      'duress.pressed',
      'glass_break.detected',
      'motion.detected',
      'fire_panel.alarm_raised',
      'nurse_call.placed',
      'fridge.temperature_reported',
    ];
    await eventually(
      async () => (await stack.rows()).filter((r) => expected.includes(r.type)).length === 8,
      'eight device events journaled',
    );
    const facts = (await stack.rows()).filter((r) => expected.includes(r.type));
    assert.deepEqual(
      facts.map((r) => r.type),
      expected,
    );
    const door = facts[0]!;
    assert.deepEqual([door.source, door.site, door.door], ['device:DC-1', 'main', 'd-12']);
    assert.equal(facts[7]!.zone, 'pharmacy'); // from the device list
    assert.deepEqual(data(facts[7]!), { temperatureC: 9.5 });
    const health = await stack.rows('device.reported');
    assert.equal(health.length, 8, 'one health report per device on first contact');
    assert.deepEqual(data(health.find((r) => r.source === 'device:DC-1')!), { kind: 'door_contact', battery: 81 });
    assert.equal(adapter.device('FR-PHARM-1')?.battery, 55);
  });

  it('journals a message redelivered with the same device message id once', async () => {
    await publish('sites/main/doors/d-12/contact/DC-1', '{"state":"closed","seq":2}');
    await publish('sites/main/doors/d-12/contact/DC-1', '{"state":"closed","seq":2}');
    await publish('sites/main/doors/d-12/contact/DC-1', '{"state":"open","seq":3}');
    await eventually(async () => (await stack.rows('door.contact_opened')).length === 2, 'the next opening arrived');
    assert.equal((await stack.rows('door.contact_closed')).length, 1);
  });

  it('counts malformed payloads, reports them at most once per window, and keeps going', async () => {
    const before = adapter.stats().payloadsRejected;
    await publish('sites/main/zones/ed/panic/PB-2', 'not json{');
    await publish('sites/main/zones/ed/panic/PB-2', '{"action":"explode"}');
    await publish('sites/main/nurse-call/NC-2', '{"room":"7","priority":"whenever"}');
    await publish('sites/main/zones/ed/panic/PB-2', '{"action":"press","id":"p-2"}');
    await eventually(
      async () => (await stack.rows('panic.pressed')).some((r) => r.source === 'device:PB-2'),
      'the valid press after the bad ones',
    );
    assert.equal(adapter.stats().payloadsRejected - before, 3);
    const rejected = await stack.rows('device.payload_rejected');
    assert.deepEqual(
      rejected.map((r) => [r.source, data(r)['rejected']]),
      [
        ['device:PB-2', 1],
        ['device:NC-2', 1],
      ],
    );
    assert.match(String(data(rejected[0]!)['reason']), /not JSON/);
    assert.match(String(data(rejected[1]!)['reason']), /priority/);
    assert.equal((await stack.rows('nurse_call.placed')).filter((r) => r.source === 'device:NC-2').length, 0);

    stack.clock.advance(61);
    await publish('sites/main/zones/ed/panic/PB-2', '[1,2,3]');
    await eventually(async () => (await stack.rows('device.payload_rejected')).length === 3, 'the next window’s report');
    assert.equal(data((await stack.rows('device.payload_rejected'))[2]!)['rejected'], 2, 'the report counts the one held back');
  });

  it('declares a silent device offline once, and back online when it reports', async () => {
    // FP-01 (120 s) reported above; the clock has moved 61 s since: 111 s of silence is within.
    stack.clock.advance(50);
    await adapter.checkSupervision();
    assert.equal((await stack.rows('device.went_offline')).length, 0);
    stack.clock.advance(300);
    await adapter.checkSupervision();
    await adapter.checkSupervision();
    const offline = await stack.rows('device.went_offline');
    const bySource = new Map(offline.map((r) => [r.source, data(r)]));
    assert.deepEqual(bySource.get('device:FP-01'), {
      kind: 'fire_panel_input',
      lastSeenAt: '2026-03-01T10:00:00.000Z',
      supervisionSeconds: 120,
    });
    assert.ok(bySource.has('device:DC-1'), 'the door contact (300 s) is overdue too');
    assert.ok(!bySource.has('device:PB-1'), 'the panic button (3600 s) is not');
    assert.equal(offline.filter((r) => r.source === 'device:FP-01').length, 1, 'raised once');
    assert.equal(adapter.device('FP-01')?.online, false);

    await publish('sites/main/fire-panel/FP-01/inputs/loop1', 'OK');
    await eventually(async () => (await stack.rows('device.came_online')).length === 1, 'back online');
    const back = (await stack.rows('device.came_online'))[0]!;
    assert.equal(back.source, 'device:FP-01');
    assert.equal(adapter.device('FP-01')?.online, true);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileDeviceMapping, loadDeviceMapping } from './mapping.js';
import { derivedEventId, translate } from './translate.js';

const example = loadDeviceMapping(path.join(import.meta.dirname, 'devices.example.json'));
const registry = new Map((example.file.devices ?? []).map((d) => [d.serial, d]));
const received = new Date('2026-03-01T10:00:00Z');

function run(topic: string, payload: string) {
  const m = example.match(topic);
  assert.ok(m, `no mapping for ${topic}`);
  return translate(m.mapping.entry, m.captures, Buffer.from(payload), received, registry);
}

describe('MQTT payload mapping', () => {
  it('maps each device kind of the example file to its event', () => {
    const door = run('sites/main/doors/d-12/contact/DC-1', '{"state":"open","battery":81,"seq":7}');
    assert.ok(door.ok);
    assert.deepEqual(
      [door.type, door.serial, door.envelope.site, door.envelope.door, door.battery],
      ['door.contact_opened', 'DC-1', 'main', 'd-12', 81],
    );
    assert.equal(door.id, derivedEventId('DC-1', '7'));

    const fire = run('sites/main/fire-panel/FP-01/inputs/loop2-zone5', 'ALARM\n');
    assert.ok(fire.ok);
    assert.deepEqual([fire.type, fire.data, fire.envelope.zone], ['fire_panel.alarm_raised', { input: 'loop2-zone5' }, 'fire-panel-room']);
    const test = run('sites/main/fire-panel/FP-01/inputs/loop2-zone5', 'TEST');
    assert.ok(test.ok && test.kind === 'ignored');

    const call = run(
      'sites/main/nurse-call/NC-4',
      '{"room":412,"bed":"B","priority":"emergency","ts":"2026-03-01T09:59:58Z","callId":"c-1","unit":"4W"}',
    );
    assert.ok(call.ok);
    assert.deepEqual(call.data, { room: '412', bed: 'B', priority: 'emergency' });
    assert.equal(call.at.toISOString(), '2026-03-01T09:59:58.000Z');
    assert.equal(call.envelope.zone, '4W');

    const fridge = run('sites/main/fridges/FR-PHARM-1/temperature', '{"t":"4.5","bat":"62","ts":1772359200}');
    assert.ok(fridge.ok);
    assert.deepEqual(
      [fridge.type, fridge.data, fridge.battery, fridge.at.toISOString()],
      ['fridge.temperature_reported', { temperatureC: 4.5 }, 62, '2026-03-01T10:00:00.000Z'],
    );

    const motion = run('sites/main/zones/icu-2/motion/MS-9', '{"occupancy":false,"battery":40}');
    assert.ok(motion.ok && motion.kind === 'heartbeat' && motion.battery === 40);
  });

  it('rejects malformed payloads with a reason instead of throwing', () => {
    const cases: [string, string, RegExp][] = [
      ['sites/main/doors/d-1/contact/DC-1', 'not json{', /not JSON/],
      ['sites/main/doors/d-1/contact/DC-1', '{"state":"ajar"}', /maps to no event/],
      ['sites/main/doors/d-1/contact/DC-1', '{"state":"__proto__"}', /maps to no event/],
      ['sites/main/doors/d-1/contact/DC-1', '{"state":"open","battery":140}', /not a percentage/],
      ['sites/main/fridges/FR-1/temperature', '{"t":"warm"}', /not a number/],
      ['sites/main/fridges/FR-1/temperature', '{"t":4,"ts":"yesterday"}', /not a number/],
    ];
    for (const [topic, payload, reason] of cases) {
      const t = run(topic, payload);
      assert.equal(t.ok, false, payload);
      assert.match(t.ok ? '' : t.reason, reason);
    }
    const binary = translate(example.mappings[0]!.entry, { serial: 'DC-1' }, Uint8Array.from([0xff, 0xfe]), received, registry);
    assert.ok(!binary.ok && /UTF-8/.test(binary.reason));
  });

  it('refuses a mapping file that breaks the schema or names missing captures', () => {
    const valid = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'devices.example.json'), 'utf8')) as { mappings: object[] };
    const broken = [
      { mappings: [] },
      { mappings: [{ topic: 'a/{serial}', kind: 'x', event: 'door.contact_opened', colour: 'red' }] },
      { mappings: [{ topic: 'a/+/state', kind: 'x', event: 'door.contact_opened' }] },
      { mappings: [{ topic: 'a/{serial}', kind: 'x', event: 'door.contact_opened', data: { zone: '{zone}' } }] },
      { mappings: [{ topic: 'a/#/{serial}', kind: 'x', event: 'door.contact_opened' }] },
      { mappings: [{ topic: 'a/dev-{serial}', kind: 'x', event: 'door.contact_opened' }] },
      { ...valid, devices: [{ serial: 'X' }, { serial: 'X' }] },
    ];
    for (const input of broken) {
      assert.throws(
        () => compileDeviceMapping(input),
        (e: { code?: string }) => e.code === 'config.invalid',
        JSON.stringify(input),
      );
    }
    assert.deepEqual(compileDeviceMapping({ mappings: [{ topic: 'a/{serial}/#', kind: 'x', event: 'motion.detected' }] }).filters, [
      'a/+/#',
    ]);
  });
});

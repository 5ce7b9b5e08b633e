import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { normaliseIp, normaliseMac, normaliseSerial } from './device-identity.js';
import type { Site } from './model.js';
import { facilityUnderTest, uniqueName, type FacilityUnderTest } from './testing.js';
import { validateTimeZone } from './time-zones.js';

const ACTOR = 'operator:0190a0e0-0000-7000-8000-0000000000aa';

function failsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

describe('device identity and time zones', () => {
  it('normalises MAC addresses written every common way to one form', () => {
    for (const mac of ['00:1A:2b:3C:4d:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e', '001A2B3C4D5E', ' 00:1a:2b:3c:4d:5e ']) {
      assert.equal(normaliseMac(mac), '00:1a:2b:3c:4d:5e');
    }
  });

  it('refuses MACs no single device owns, and malformed ones', () => {
    for (const mac of [
      '00:00:00:00:00:00',
      'ff:ff:ff:ff:ff:ff',
      '01:00:5e:00:00:01',
      '00:1a:2b:3c:4d',
      '00:1a-2b:3c:4d:5e',
      'zz:1a:2b:3c:4d:5e',
    ]) {
      assert.throws(() => normaliseMac(mac), failsWith('facility.device_identity_invalid'), mac);
    }
  });

  it('normalises serial numbers and refuses unusable ones', () => {
    assert.equal(normaliseSerial(' hid-12 34 '), 'HID-1234');
    for (const serial of ['', '   ', 'a'.repeat(65), 'ser<ial>', '-leading']) {
      assert.throws(() => normaliseSerial(serial), failsWith('facility.device_identity_invalid'), serial);
    }
  });

  it('validates IP addresses', () => {
    assert.equal(normaliseIp(' 10.0.0.5 '), '10.0.0.5');
    assert.equal(normaliseIp('FE80::1'), 'fe80::1');
    assert.throws(() => normaliseIp('10.0.0.256'), failsWith('facility.ip_address_invalid'));
    assert.throws(() => normaliseIp('reader-3.local'), failsWith('facility.ip_address_invalid'));
  });

  it('accepts IANA zones and links, refuses abbreviations and offsets', () => {
    assert.equal(validateTimeZone('Europe/London'), 'Europe/London');
    assert.equal(validateTimeZone('US/Eastern'), 'US/Eastern');
    assert.equal(validateTimeZone('UTC'), 'UTC');
    assert.equal(validateTimeZone('Etc/GMT+5'), 'Etc/GMT+5');
    for (const zone of ['CET', 'PST', 'Europe/Londn', 'UTC+1', 'local']) {
      assert.throws(() => validateTimeZone(zone), failsWith('facility.time_zone_unknown'), zone);
    }
  });
});

eachDatabase('facility device registry', (t) => {
  let f: FacilityUnderTest;
  let site: Site;
  let other: Site;
  let now = new Date('2030-03-01T08:00:00.000Z');
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  before(async () => {
    f = facilityUnderTest(t().handle.db, { clock: () => now });
    site = await f.service.sites.create(ACTOR, { name: uniqueName('Devices'), timeZone: 'America/Denver' });
    other = await f.service.sites.create(ACTOR, { name: uniqueName('Other'), timeZone: 'America/Denver' });
  });

  it('identifies a device by serial (preferred) or MAC, and refuses a second registration however it is written', async () => {
    const reader = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'reader',
      name: 'Lobby reader',
      serialNumber: `sn ${process.pid} a1`,
      macAddress: '02-AA-BB-CC-00-01',
      ipAddress: '10.1.1.20',
    });
    assert.equal(reader.stableId, `serial:SN${process.pid}A1`);
    assert.equal(reader.macAddress, '02:aa:bb:cc:00:01');
    assert.equal(reader.health, 'unknown');
    const camera = await f.service.devices.register(ACTOR, { siteId: site.id, kind: 'camera', name: 'Cam', macAddress: '02aabbcc0002' });
    assert.equal(camera.stableId, 'mac:02:aa:bb:cc:00:02');

    await assert.rejects(
      f.service.devices.register(ACTOR, { siteId: other.id, kind: 'reader', name: 'Dup', serialNumber: `SN${process.pid}A1` }),
      (e) =>
        failsWith('facility.device_already_registered')(e) && (e as { details: Record<string, unknown> }).details['deviceId'] === reader.id,
    );
    await assert.rejects(
      f.service.devices.register(ACTOR, {
        siteId: site.id,
        kind: 'reader',
        name: 'Dup MAC',
        serialNumber: 'OTHER-1',
        macAddress: '02AA.BBCC.0001',
      }),
      failsWith('facility.device_already_registered'),
    );
    await assert.rejects(
      f.service.devices.register(ACTOR, { siteId: site.id, kind: 'sensor', name: 'Anonymous' }),
      failsWith('facility.device_identity_invalid'),
    );
    assert.equal((await f.service.devices.find({ macAddress: '02:AA:BB:CC:00:01' })).id, reader.id);
    assert.equal((await f.service.devices.find({ serialNumber: `sn${process.pid}a1` })).id, reader.id);
  });

  it('keeps the id when the IP address or name changes, and journals the change', async () => {
    const device = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'controller',
      name: 'Panel 1',
      serialNumber: uniqueName('P').replace(/\s/g, '-'),
      ipAddress: '10.1.1.30',
    });
    const moved = await f.service.devices.update(ACTOR, device.id, { ipAddress: '10.9.9.30', name: 'Panel 1 (east)' });
    assert.equal(moved.id, device.id);
    assert.equal(moved.stableId, device.stableId);
    const event = (await f.events('device.changed')).find((e) => e.subject === device.id);
    assert.deepEqual(event?.data, {
      id: device.id,
      stableId: device.stableId,
      before: { name: 'Panel 1', ipAddress: '10.1.1.30' },
      after: { name: 'Panel 1 (east)', ipAddress: '10.9.9.30' },
    });
    await assert.rejects(f.service.devices.update(ACTOR, device.id, { ipAddress: '10.9.9' }), failsWith('facility.ip_address_invalid'));
  });

  it('tracks health from heartbeats, journaling changes of state but not every heartbeat', async () => {
    const device = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'reader',
      name: 'Beat',
      macAddress: '02:aa:bb:cc:10:01',
    });
    const events = async () => (await f.events('device.health_changed')).filter((e) => e.subject === device.id).map((e) => e.data);

    const online = await f.service.devices.recordHeartbeat({ macAddress: '02aabbcc1001' }, { status: 'online', at: at(1) });
    assert.equal(online.health, 'online');
    assert.equal(online.lastSeenAt, at(1).toISOString());
    await f.service.devices.recordHeartbeat({ id: device.id }, { status: 'online', at: at(2) });
    assert.equal((await events()).length, 1);
    assert.equal((await f.service.devices.get(device.id)).lastSeenAt, at(2).toISOString());

    const degraded = await f.service.devices.recordHeartbeat(
      { id: device.id },
      { status: 'degraded', reason: 'tamper switch open', at: at(3) },
    );
    assert.equal(degraded.healthReason, 'tamper switch open');
    const offline = await f.service.devices.recordHeartbeat(
      { id: device.id },
      { status: 'offline', reason: 'no OSDP poll reply', at: at(4) },
    );
    assert.equal(offline.lastSeenAt, at(3).toISOString(), 'an offline report is not a sighting');
    assert.deepEqual(
      (await events()).map((e) => [(e as { from: string }).from, (e as { to: string }).to]),
      [
        ['unknown', 'online'],
        ['online', 'degraded'],
        ['degraded', 'offline'],
      ],
    );
    const source = (await f.events('device.health_changed')).find((e) => e.subject === device.id)?.source;
    assert.equal(source, `device:${device.stableId}`);
  });

  it('journals an IP address reported in a heartbeat as a device change', async () => {
    const device = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'reader',
      name: 'DHCP',
      macAddress: '02:aa:bb:cc:20:01',
      ipAddress: '10.0.0.1',
    });
    await f.service.devices.recordHeartbeat({ id: device.id }, { status: 'online', ipAddress: '10.0.0.2' });
    const change = (await f.events('device.changed')).find((e) => e.subject === device.id);
    assert.deepEqual(change?.data, {
      id: device.id,
      stableId: device.stableId,
      before: { ipAddress: '10.0.0.1' },
      after: { ipAddress: '10.0.0.2' },
    });
    assert.equal(change?.source, `device:${device.stableId}`);
  });

  it('marks devices that fell silent as offline', async () => {
    const device = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'sensor',
      name: 'Quiet',
      macAddress: '02:aa:bb:cc:30:01',
    });
    await f.service.devices.recordHeartbeat({ id: device.id }, { status: 'online', at: at(0) });
    now = at(600);
    const changed = await f.service.devices.markSilentDevicesOffline(300);
    const mine = changed.find((d) => d.id === device.id);
    assert.equal(mine?.health, 'offline');
    assert.equal(mine?.healthReason, 'no heartbeat for 300 s');
    assert.equal((await f.service.devices.get(device.id)).health, 'offline');
    assert.deepEqual(
      (await f.service.devices.markSilentDevicesOffline(300)).filter((d) => d.id === device.id),
      [],
    );
    const listed = await f.service.devices.list({ limit: 500, sites: [site.id], health: 'offline' });
    assert.ok(listed.items.some((d) => d.id === device.id));
  });

  it('refuses to move or remove a device a door still uses', async () => {
    const zone = await f.service.zones.create(ACTOR, { siteId: site.id, name: uniqueName('Z'), type: 'clinical' });
    const reader = await f.service.devices.register(ACTOR, {
      siteId: site.id,
      kind: 'reader',
      name: 'Used',
      macAddress: '02:aa:bb:cc:40:01',
    });
    const door = await f.service.doors.create(ACTOR, {
      siteId: site.id,
      name: uniqueName('D'),
      toZoneId: zone.id,
      entryReaderId: reader.id,
    });
    await assert.rejects(f.service.devices.update(ACTOR, reader.id, { siteId: other.id }), failsWith('facility.in_use'));
    await assert.rejects(f.service.devices.remove(ACTOR, reader.id), failsWith('facility.in_use'));
    await f.service.doors.update(ACTOR, door.id, { entryReaderId: null });
    const moved = await f.service.devices.update(ACTOR, reader.id, { siteId: other.id });
    assert.equal(moved.siteId, other.id);
    await f.service.devices.remove(ACTOR, reader.id);
    await assert.rejects(f.service.devices.get(reader.id), failsWith('facility.device_not_found'));
  });
});

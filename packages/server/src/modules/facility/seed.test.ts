import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eachDatabase } from '../../storage/testing.js';
import { seedSampleFacility } from './seed.js';
import { facilityUnderTest } from './testing.js';

eachDatabase('sample hospital seed', (t) => {
  it('creates a complete small hospital through the service, every step journaled', async () => {
    const f = facilityUnderTest(t().handle.db);
    const sample = await seedSampleFacility(f.service, 'system:quick-start');

    assert.equal(sample.site.timeZone, 'America/Chicago');
    for (const floor of [sample.floors.ground, sample.floors.first]) {
      assert.ok(floor.plan, `${floor.name} has a plan`);
      const { svg } = await f.service.floors.planSvg(floor.id);
      assert.match(svg, /<rect data-zone=/);
      assert.match(svg, /<text /);
    }
    const types = new Set(Object.values(sample.zones).map((z) => z.type));
    for (const type of ['maternity', 'nicu', 'pharmacy_vault', 'mri_zone_4', 'ed', 'public'] as const) assert.ok(types.has(type), type);

    assert.ok(sample.doors.length >= 12);
    assert.ok(sample.doors.filter((d) => d.egress).length >= 3);
    assert.ok(
      sample.doors.every((d) => !d.egress || d.lockFailMode === 'fail_safe'),
      'egress doors release on power loss',
    );
    assert.ok(sample.doors.filter((d) => d.entryReaderId).length >= 12);
    const vaultDoor = sample.doors.find((d) => d.toZoneId === sample.zones['vault']?.id);
    assert.ok(vaultDoor?.entryReaderId && vaultDoor.exitReaderId, 'the vault is read both ways');

    // Every door sits on its floor plan, inside the drawing.
    for (const door of sample.doors) {
      const floor = door.floorId === sample.floors.ground.id ? sample.floors.ground : sample.floors.first;
      const box = floor.plan?.viewBox;
      assert.ok(box && door.position, door.name);
      assert.ok(door.position.x >= box.minX && door.position.x <= box.minX + box.width, door.name);
    }

    const readers = sample.devices.filter((d) => d.kind === 'reader');
    assert.equal(
      readers.length,
      sample.doors.reduce((n, d) => n + (d.entryReaderId ? 1 : 0) + (d.exitReaderId ? 1 : 0), 0),
    );
    const journaled = (await f.events()).filter((e) => e.site === sample.site.id);
    assert.equal(journaled.filter((e) => e.type === 'door.created').length, sample.doors.length);
    assert.equal(journaled.filter((e) => e.type === 'device.registered').length, sample.devices.length);
    assert.equal(journaled.filter((e) => e.type === 'floor_plan.uploaded').length, 2);
    assert.ok(journaled.every((e) => e.source === 'system:quick-start'));
  });
});

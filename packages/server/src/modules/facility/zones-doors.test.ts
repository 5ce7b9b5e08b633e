import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { isVigilError, newId } from '@vigil/core';
import { transact, type FacilityContext } from './context.js';
import { FacilityRepository } from './repository.js';
import { DEFAULT_PLAN_LIMITS } from './svg-sanitiser.js';
import { eachDatabase } from '../../storage/testing.js';
import type { Device, Floor, Site, Zone } from './model.js';
import { facilityUnderTest, uniqueName, type FacilityUnderTest } from './testing.js';

const ACTOR = 'operator:0190a0e0-0000-7000-8000-0000000000aa';
let serial = 0;

function failsWith(code: string, mention?: RegExp) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (mention) assert.match(e.message, mention);
    return true;
  };
}

eachDatabase('facility zones and doors', (t) => {
  let f: FacilityUnderTest;
  let site: Site;
  let other: Site;
  let floor: Floor;
  let lobby: Zone;
  let vault: Zone;
  let controller: Device;

  const device = (kind: Device['kind'], siteId = site.id) =>
    f.service.devices.register(ACTOR, { siteId, kind, name: uniqueName(kind), serialNumber: `T-${process.pid}-${++serial}` });
  const rowCount = async (table: 'doors' | 'zones') =>
    Number(
      (
        await t()
          .handle.db.selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    f = facilityUnderTest(t().handle.db);
    site = await f.service.sites.create(ACTOR, { name: uniqueName('Doors'), timeZone: 'America/New_York' });
    other = await f.service.sites.create(ACTOR, { name: uniqueName('Elsewhere'), timeZone: 'America/New_York' });
    const building = await f.service.buildings.create(ACTOR, { siteId: site.id, name: 'Main' });
    floor = await f.service.floors.create(ACTOR, { buildingId: building.id, name: 'L1', level: 1 });
    await f.service.floors.uploadPlan(ACTOR, floor.id, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 500"/>');
    floor = await f.service.floors.get(floor.id);
    lobby = await f.service.zones.create(ACTOR, { siteId: site.id, floorId: floor.id, name: 'Lobby', type: 'public' });
    vault = await f.service.zones.create(ACTOR, { siteId: site.id, floorId: floor.id, name: 'Vault', type: 'pharmacy_vault' });
    controller = await device('controller');
  });

  it('gives a zone its type’s default security level, accepts named levels, and derives the building from the floor', async () => {
    assert.equal(lobby.securityLevel, 1);
    assert.equal(vault.securityLevel, 5);
    assert.equal(vault.securityLevelName, 'critical');
    assert.equal(vault.buildingId, floor.buildingId);
    const mri = await f.service.zones.create(ACTOR, { siteId: site.id, name: 'MRI IV', type: 'mri_zone_4' });
    assert.equal(mri.securityLevel, 5);
    const icu = await f.service.zones.create(ACTOR, { siteId: site.id, name: 'ICU', type: 'icu', securityLevel: 'high' });
    assert.equal(icu.securityLevel, 4);
    await assert.rejects(
      f.service.zones.create(ACTOR, { siteId: site.id, name: 'Bad', type: 'icu', securityLevel: 'secret' as 'high' }),
      failsWith('validation.failed'),
    );
    await assert.rejects(
      f.service.zones.create(ACTOR, { siteId: site.id, name: 'Lobby', type: 'public' }),
      failsWith('facility.name_taken'),
    );
  });

  it('refuses a zone on a floor of another site', async () => {
    await assert.rejects(
      f.service.zones.create(ACTOR, { siteId: other.id, floorId: floor.id, name: 'Stray', type: 'clinical' }),
      failsWith('facility.site_mismatch'),
    );
  });

  it('journals a zone change with the old and new level, and keeps the level when only the type changes', async () => {
    const zone = await f.service.zones.create(ACTOR, { siteId: site.id, name: uniqueName('Ward'), type: 'clinical' });
    const changed = await f.service.zones.update(ACTOR, zone.id, { type: 'behavioural_health' });
    assert.equal(changed.securityLevel, 2);
    const raised = await f.service.zones.update(ACTOR, zone.id, { securityLevel: 4 });
    assert.equal(raised.securityLevelName, 'high');
    const events = (await f.events('zone.changed')).filter((e) => e.zone === zone.id);
    assert.deepEqual(
      events.map((e) => e.data),
      [
        { id: zone.id, before: { type: 'clinical' }, after: { type: 'behavioural_health' } },
        { id: zone.id, before: { securityLevel: 2, securityLevelName: 'staff' }, after: { securityLevel: 4, securityLevelName: 'high' } },
      ],
    );
  });

  it('creates a door with readers, controller points, zones and a position, and journals it', async () => {
    const entry = await device('reader');
    const exit = await device('reader');
    const door = await f.service.doors.create(ACTOR, {
      siteId: site.id,
      floorId: floor.id,
      name: 'Vault Door',
      fromZoneId: lobby.id,
      toZoneId: vault.id,
      entryReaderId: entry.id,
      exitReaderId: exit.id,
      controllerId: controller.id,
      lockOutput: 1,
      doorPositionInput: 1,
      requestToExitInput: 2,
      unlockSeconds: 3,
      position: { x: 500, y: 250 },
    });
    assert.equal(door.lockFailMode, 'fail_secure');
    assert.equal(door.egress, false);
    assert.equal(door.heldOpenSeconds, 30);
    assert.equal(door.buildingId, floor.buildingId);
    assert.deepEqual(await f.service.doors.get(door.id), door);
    const created = (await f.events('door.created')).find((e) => e.door === door.id);
    assert.deepEqual(created?.data, { door });
    const egress = await f.service.doors.create(ACTOR, { siteId: site.id, name: 'Fire Exit', fromZoneId: lobby.id, egress: true });
    assert.equal(egress.lockFailMode, 'fail_safe');
    assert.equal(egress.toZoneId, null);
  });

  it('refuses zones that are missing, equal, or on another site', async () => {
    const foreign = await f.service.zones.create(ACTOR, { siteId: other.id, name: 'Foreign', type: 'public' });
    await assert.rejects(f.service.doors.create(ACTOR, { siteId: site.id, name: 'Nowhere' }), failsWith('facility.door_zones_invalid'));
    await assert.rejects(
      f.service.doors.create(ACTOR, { siteId: site.id, name: 'Loop', fromZoneId: lobby.id, toZoneId: lobby.id }),
      failsWith('facility.door_zones_invalid'),
    );
    await assert.rejects(
      f.service.doors.create(ACTOR, { siteId: site.id, name: 'Bridge', fromZoneId: lobby.id, toZoneId: foreign.id }),
      failsWith('facility.site_mismatch', /Foreign/),
    );
  });

  it('refuses a reader that is not a reader, is on another site, or already reads for a door', async () => {
    const camera = await device('camera');
    const foreignReader = await device('reader', other.id);
    const shared = await device('reader');
    const base = { siteId: site.id, fromZoneId: lobby.id, toZoneId: vault.id };
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Cam', entryReaderId: camera.id }),
      failsWith('facility.device_kind_mismatch', /camera/),
    );
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Far', entryReaderId: foreignReader.id }),
      failsWith('facility.site_mismatch'),
    );
    await f.service.doors.create(ACTOR, { ...base, name: uniqueName('First'), entryReaderId: shared.id });
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Second', exitReaderId: shared.id }),
      failsWith('facility.reader_in_use'),
    );
    const solo = await device('reader');
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Both', entryReaderId: solo.id, exitReaderId: solo.id }),
      failsWith('facility.reader_in_use'),
    );
  });

  it('refuses controller points already wired to another door, and points without a controller', async () => {
    const base = { siteId: site.id, fromZoneId: lobby.id, toZoneId: vault.id, controllerId: controller.id };
    await f.service.doors.create(ACTOR, {
      ...base,
      name: uniqueName('Wired'),
      lockOutput: 7,
      doorPositionInput: 14,
      requestToExitInput: 15,
    });
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Clash A', lockOutput: 7 }),
      failsWith('facility.controller_point_in_use', /output 7/),
    );
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Clash B', lockOutput: 8, doorPositionInput: 15 }),
      failsWith('facility.controller_point_in_use', /input 15/),
    );
    await assert.rejects(
      f.service.doors.create(ACTOR, { siteId: site.id, fromZoneId: lobby.id, name: 'Loose', lockOutput: 3 }),
      failsWith('facility.door_wiring_invalid', /lockOutput/),
    );
    const reader = await device('reader');
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Reader as controller', controllerId: reader.id }),
      failsWith('facility.device_kind_mismatch'),
    );
  });

  it('refuses a plan position off the plan or without a floor', async () => {
    const base = { siteId: site.id, fromZoneId: lobby.id, toZoneId: vault.id };
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Off plan', floorId: floor.id, position: { x: 1001, y: 10 } }),
      failsWith('facility.door_position_invalid', /outside the plan/),
    );
    await assert.rejects(
      f.service.doors.create(ACTOR, { ...base, name: 'Floating', position: { x: 1, y: 1 } }),
      failsWith('facility.door_position_invalid'),
    );
  });

  it('writes neither the door nor an event when a rule fails midway', async () => {
    const doors = await rowCount('doors');
    const events = await f.journalLength();
    const used = await device('reader');
    await f.service.doors.create(ACTOR, { siteId: site.id, name: uniqueName('Holder'), fromZoneId: lobby.id, entryReaderId: used.id });
    const afterSetup = { doors: await rowCount('doors'), events: await f.journalLength() };
    assert.equal(afterSetup.doors, doors + 1);
    assert.equal(afterSetup.events, events + 2, 'the reader and the holder door were journaled');
    await assert.rejects(
      f.service.doors.create(ACTOR, { siteId: site.id, name: 'Late clash', fromZoneId: lobby.id, entryReaderId: used.id }),
      failsWith('facility.reader_in_use'),
    );
    assert.equal(await rowCount('doors'), afterSetup.doors);
    assert.equal(await f.journalLength(), afterSetup.events);
  });

  it('rolls the door change back when the journal refuses the event', async () => {
    const door = await f.service.doors.create(ACTOR, { siteId: site.id, name: uniqueName('Stable'), fromZoneId: lobby.id });
    const broken = facilityUnderTest(t().handle.db, { record: () => Promise.reject(new Error('disk full')) });
    await assert.rejects(broken.service.doors.update(ACTOR, door.id, { heldOpenSeconds: 90, egress: true }), /disk full/);
    assert.deepEqual(await f.service.doors.get(door.id), door);
  });

  it('journals a door change with only the changed fields, and refuses to remove a zone a door uses', async () => {
    const door = await f.service.doors.create(ACTOR, {
      siteId: site.id,
      name: uniqueName('Ward'),
      fromZoneId: lobby.id,
      toZoneId: vault.id,
    });
    const changed = await f.service.doors.update(ACTOR, door.id, { heldOpenSeconds: 60, position: null, egress: true });
    assert.equal(changed.heldOpenSeconds, 60);
    const event = (await f.events('door.changed')).find((e) => e.door === door.id);
    assert.deepEqual(event?.data, {
      id: door.id,
      before: { egress: false, heldOpenSeconds: 30 },
      after: { egress: true, heldOpenSeconds: 60 },
    });
    await assert.rejects(f.service.zones.remove(ACTOR, vault.id), failsWith('facility.in_use', /door/));
    const listed = await f.service.doors.list({ limit: 500, sites: [site.id], zoneId: vault.id });
    assert.ok(listed.items.some((d) => d.id === door.id));
    assert.ok(listed.items.every((d) => d.fromZoneId === vault.id || d.toZoneId === vault.id));
    assert.deepEqual((await f.service.doors.list({ limit: 500, sites: [other.id] })).items, []);
  });

  it('turns a unique-index violation (a concurrent writer winning the race) into the conflict the check reports', async () => {
    const ctx: FacilityContext = {
      db: t().handle.db,
      repo: new FacilityRepository(),
      record: f.journal.record,
      clock: () => new Date(),
      planLimits: DEFAULT_PLAN_LIMITS,
    };
    const reader = await device('reader');
    const door = await f.service.doors.create(ACTOR, {
      siteId: site.id,
      name: uniqueName('Raced'),
      fromZoneId: lobby.id,
      entryReaderId: reader.id,
    });
    // Straight to the repository, past the service's checks, as a second node might get there first.
    await assert.rejects(
      transact(ctx, (trx) => ctx.repo.insertDoor(trx, { ...door, id: newId(), name: uniqueName('Second') })),
      failsWith('facility.reader_in_use'),
    );
    await assert.rejects(
      transact(ctx, (trx) => ctx.repo.insertDoor(trx, { ...door, id: newId(), entryReaderId: null })),
      failsWith('facility.name_taken'),
    );
    await assert.rejects(
      transact(ctx, (trx) => ctx.repo.insertSite(trx, { ...site, id: newId() })),
      failsWith('facility.name_taken'),
    );
    await assert.rejects(
      transact(ctx, (trx) => ctx.repo.insertDevice(trx, { ...reader, id: newId() })),
      failsWith('facility.device_already_registered'),
    );
  });
});

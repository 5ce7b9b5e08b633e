import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { facilityUnderTest, uniqueName, type FacilityUnderTest } from './testing.js';

const ACTOR = 'operator:0190a0e0-0000-7000-8000-0000000000aa';
const PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300"><!-- CAD --><rect x="0" y="0" width="400" height="300"/></svg>`;

function failsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

eachDatabase('facility sites, buildings and floors', (t) => {
  let f: FacilityUnderTest;
  const fx = () => (f ??= facilityUnderTest(t().handle.db));

  it('creates a site with a validated time zone, in canonical spelling, and journals it', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('General'), timeZone: 'america/chicago' });
    assert.equal(site.timeZone, 'America/Chicago');
    assert.deepEqual(await fx().service.sites.get(site.id), site);
    assert.equal(await fx().service.sites.exists(site.id), true);
    assert.equal(await fx().service.sites.exists('north'), false);
    const created = (await fx().events('site.created')).find((e) => e.site === site.id);
    assert.ok(created);
    assert.equal(created.source, ACTOR);
    assert.deepEqual(created.data, { site });
  });

  it('refuses unknown zones and DST-less abbreviations with facility.time_zone_unknown, storing nothing', async () => {
    const before = await fx().journalLength();
    for (const timeZone of ['Mars/Olympus_Mons', 'EST', 'GMT+5', '+02:00', '']) {
      await assert.rejects(
        fx().service.sites.create(ACTOR, { name: uniqueName('Bad zone'), timeZone }),
        failsWith(timeZone === '' ? 'validation.failed' : 'facility.time_zone_unknown'),
      );
    }
    assert.equal(await fx().journalLength(), before);
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Kolkata'), timeZone: 'Asia/Kolkata' });
    assert.equal(site.timeZone, 'Asia/Kolkata');
  });

  it('refuses a second site with the same name', async () => {
    const name = uniqueName('Twin');
    await fx().service.sites.create(ACTOR, { name, timeZone: 'Europe/London' });
    await assert.rejects(fx().service.sites.create(ACTOR, { name, timeZone: 'Europe/London' }), failsWith('facility.name_taken'));
  });

  it('journals only the fields that changed, with before and after, and skips no-op updates', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Mercy'), timeZone: 'Europe/Berlin', address: 'Hauptstr. 1' });
    const updated = await fx().service.sites.update(ACTOR, site.id, { timeZone: 'Europe/Vienna', address: null });
    assert.equal(updated.timeZone, 'Europe/Vienna');
    assert.equal(updated.address, null);
    const same = await fx().service.sites.update(ACTOR, site.id, { timeZone: 'Europe/Vienna' });
    assert.equal(same.updatedAt, updated.updatedAt);
    const changes = (await fx().events('site.changed')).filter((e) => e.site === site.id);
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0]?.data, {
      id: site.id,
      before: { timeZone: 'Europe/Berlin', address: 'Hauptstr. 1' },
      after: { timeZone: 'Europe/Vienna', address: null },
    });
  });

  it('keeps floors unique per level and name within a building, and derives the site from the building', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Floors'), timeZone: 'UTC' });
    const building = await fx().service.buildings.create(ACTOR, { siteId: site.id, name: 'Tower A' });
    const ground = await fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'Ground', level: 0 });
    assert.equal(ground.siteId, site.id);
    assert.equal(ground.plan, null);
    await assert.rejects(
      fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'Also ground', level: 0 }),
      failsWith('facility.name_taken'),
    );
    await assert.rejects(
      fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'Ground', level: 3 }),
      failsWith('facility.name_taken'),
    );
    await assert.rejects(
      fx().service.floors.create(ACTOR, { buildingId: '0190a0e0-0000-7000-8000-00000000ffff', name: 'X', level: 1 }),
      failsWith('facility.building_not_found'),
    );
    await assert.rejects(fx().service.buildings.create(ACTOR, { siteId: site.id, name: 'Tower A' }), failsWith('facility.name_taken'));
  });

  it('stores a sanitised floor plan and journals its hash and what was dropped', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Plans'), timeZone: 'UTC' });
    const building = await fx().service.buildings.create(ACTOR, { siteId: site.id, name: 'Main' });
    const floor = await fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'L1', level: 1 });
    const withPlan = await fx().service.floors.uploadPlan(ACTOR, floor.id, Buffer.from(PLAN));
    assert.deepEqual(withPlan.plan?.viewBox, { minX: 0, minY: 0, width: 400, height: 300 });
    const stored = await fx().service.floors.planSvg(floor.id);
    assert.doesNotMatch(stored.svg, /CAD/);
    assert.equal(stored.sha256, withPlan.plan?.sha256);
    assert.deepEqual(await fx().service.floors.get(floor.id), withPlan);
    const uploaded = (await fx().events('floor_plan.uploaded')).find((e) => e.subject === floor.id);
    assert.deepEqual(uploaded?.data, {
      floorId: floor.id,
      sha256: withPlan.plan?.sha256,
      bytes: Buffer.byteLength(stored.svg),
      viewBox: { minX: 0, minY: 0, width: 400, height: 300 },
      previousSha256: null,
      removed: ['comments'],
    });
  });

  it('refuses a hostile plan, keeping the previous plan and writing no event', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Hostile'), timeZone: 'UTC' });
    const building = await fx().service.buildings.create(ACTOR, { siteId: site.id, name: 'Main' });
    const floor = await fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'L1', level: 1 });
    const good = await fx().service.floors.uploadPlan(ACTOR, floor.id, PLAN);
    const before = await fx().journalLength();
    await assert.rejects(
      fx().service.floors.uploadPlan(ACTOR, floor.id, PLAN.replace('<rect', '<script>steal()</script><rect')),
      failsWith('facility.svg_unsafe'),
    );
    assert.equal(await fx().journalLength(), before);
    assert.equal((await fx().service.floors.get(floor.id)).plan?.sha256, good.plan?.sha256);
    const removed = await fx().service.floors.removePlan(ACTOR, floor.id);
    assert.equal(removed.plan, null);
    await assert.rejects(fx().service.floors.planSvg(floor.id), failsWith('facility.floor_plan_missing'));
  });

  it('refuses to remove a site or building that still has things on it, and says what', async () => {
    const site = await fx().service.sites.create(ACTOR, { name: uniqueName('Busy'), timeZone: 'UTC' });
    const building = await fx().service.buildings.create(ACTOR, { siteId: site.id, name: 'Main' });
    const floor = await fx().service.floors.create(ACTOR, { buildingId: building.id, name: 'L1', level: 1 });
    await assert.rejects(fx().service.buildings.remove(ACTOR, building.id), (e) => {
      assert.ok(isVigilError(e));
      assert.equal(e.code, 'facility.in_use');
      assert.deepEqual(e.details['usedBy'], { floors: 1 });
      return true;
    });
    await assert.rejects(fx().service.sites.remove(ACTOR, site.id), failsWith('facility.in_use'));
    await fx().service.floors.remove(ACTOR, floor.id);
    await fx().service.buildings.remove(ACTOR, building.id);
    await fx().service.sites.remove(ACTOR, site.id);
    await assert.rejects(fx().service.sites.get(site.id), failsWith('facility.site_not_found'));
    const types = (await fx().events()).filter((e) => e.site === site.id).map((e) => e.type);
    assert.deepEqual(types.slice(-3), ['floor.removed', 'building.removed', 'site.removed']);
  });

  it('writes neither state nor event when the journal append fails', async () => {
    const failing = facilityUnderTest(t().handle.db, {
      record: () => Promise.reject(new Error('journal unavailable')),
    });
    const name = uniqueName('Never');
    const before = await fx().journalLength();
    await assert.rejects(failing.service.sites.create(ACTOR, { name, timeZone: 'UTC' }), /journal unavailable/);
    const rows = await t().handle.db.selectFrom('sites').select('id').where('name', '=', name).execute();
    assert.equal(rows.length, 0);
    assert.equal(await fx().journalLength(), before);
  });

  it('pages through sites with an opaque cursor and filters by the sites a caller may see', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fx().service.sites.create(ACTOR, { name: uniqueName('Paged'), timeZone: 'UTC' })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await fx().service.sites.list({ limit: 2, cursor, sites: ids });
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ids);
    assert.deepEqual((await fx().service.sites.list({ limit: 50, sites: [] })).items, []);
    const one = await fx().service.sites.list({ limit: 50, sites: 'all', siteId: ids[2] });
    assert.deepEqual(
      one.items.map((s) => s.id),
      [ids[2]],
    );
    await assert.rejects(fx().service.buildings.list({ limit: 2, cursor: 'bm9wZQ', sites: 'all' }), failsWith('page.invalid_cursor'));
    const siteCursor = (await fx().service.sites.list({ limit: 1, sites: ids })).nextCursor ?? undefined;
    await assert.rejects(fx().service.buildings.list({ limit: 2, cursor: siteCursor, sites: 'all' }), failsWith('page.invalid_cursor'));
  });
});

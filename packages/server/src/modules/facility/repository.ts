/**
 * Storage of sites, buildings, floors, zones, doors and devices over Kysely, identical on SQLite
 * and PostgreSQL. Every method takes the executor to run on, so the service can do several
 * reads and writes and the journal append in one transaction.
 */
import type { Executor } from '../audit/index.js';
import type { Building, Device, DeviceHealth, DeviceKind, Door, Floor, ListOptions, Page, Site, Zone } from './model.js';
import { pageOf } from './pagination.js';
import {
  FLOOR_COLUMNS,
  buildingFromRow,
  buildingToRow,
  deviceFromRow,
  deviceToRow,
  doorFromRow,
  doorToRow,
  floorFromRow,
  floorToRow,
  siteFromRow,
  siteToRow,
  zoneFromRow,
  zoneToRow,
} from './rows.js';
import type { SanitisedPlan } from './svg-sanitiser.js';
import type { ZoneType } from './zone-types.js';

export type SiteScopedTable = 'buildings' | 'floors' | 'zones' | 'doors' | 'devices';

export class FacilityRepository {
  /** The site an item belongs to (for site-scoped permission checks); undefined when it does not exist. */
  async siteIdOf(ex: Executor, table: SiteScopedTable, id: string): Promise<string | undefined> {
    const row = await ex.selectFrom(table).select('site_id').where('id', '=', id).executeTakeFirst();
    return row?.site_id;
  }

  // Sites

  async findSite(ex: Executor, id: string): Promise<Site | undefined> {
    const row = await ex.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
    return row && siteFromRow(row);
  }

  async siteNamed(ex: Executor, name: string): Promise<Site | undefined> {
    const row = await ex.selectFrom('sites').selectAll().where('name', '=', name).executeTakeFirst();
    return row && siteFromRow(row);
  }

  async insertSite(ex: Executor, site: Site): Promise<void> {
    await ex.insertInto('sites').values(siteToRow(site)).execute();
  }

  async updateSite(ex: Executor, site: Site): Promise<void> {
    const { id, created_at: _created, ...changes } = siteToRow(site);
    await ex.updateTable('sites').set(changes).where('id', '=', id).execute();
  }

  async listSites(ex: Executor, options: ListOptions): Promise<Page<Site>> {
    return pageOf(
      'sites',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('sites').selectAll().orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('id', '=', options.siteId);
        return q.execute();
      },
      siteFromRow,
    );
  }

  // Buildings

  async findBuilding(ex: Executor, id: string): Promise<Building | undefined> {
    const row = await ex.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && buildingFromRow(row);
  }

  async buildingNamed(ex: Executor, siteId: string, name: string): Promise<Building | undefined> {
    const row = await ex.selectFrom('buildings').selectAll().where('site_id', '=', siteId).where('name', '=', name).executeTakeFirst();
    return row && buildingFromRow(row);
  }

  async insertBuilding(ex: Executor, building: Building): Promise<void> {
    await ex.insertInto('buildings').values(buildingToRow(building)).execute();
  }

  async updateBuilding(ex: Executor, building: Building): Promise<void> {
    const { id, created_at: _created, ...changes } = buildingToRow(building);
    await ex.updateTable('buildings').set(changes).where('id', '=', id).execute();
  }

  async listBuildings(ex: Executor, options: ListOptions): Promise<Page<Building>> {
    return pageOf(
      'buildings',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('buildings').selectAll().orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('site_id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('site_id', '=', options.siteId);
        return q.execute();
      },
      buildingFromRow,
    );
  }

  // Floors

  async findFloor(ex: Executor, id: string): Promise<Floor | undefined> {
    const row = await ex.selectFrom('floors').select(FLOOR_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && floorFromRow(row);
  }

  /** Floors of the building holding this level or this name (for duplicate checks). */
  async floorsClashing(ex: Executor, buildingId: string, level: number, name: string): Promise<Floor[]> {
    const rows = await ex
      .selectFrom('floors')
      .select(FLOOR_COLUMNS)
      .where('building_id', '=', buildingId)
      .where((eb) => eb.or([eb('level', '=', level), eb('name', '=', name)]))
      .execute();
    return rows.map(floorFromRow);
  }

  async insertFloor(ex: Executor, floor: Floor): Promise<void> {
    await ex.insertInto('floors').values(floorToRow(floor)).execute();
  }

  async updateFloor(ex: Executor, floor: Floor): Promise<void> {
    const { id, created_at: _created, ...changes } = floorToRow(floor);
    await ex.updateTable('floors').set(changes).where('id', '=', id).execute();
  }

  async floorPlanSvg(ex: Executor, id: string): Promise<string | null | undefined> {
    const row = await ex.selectFrom('floors').select('plan_svg').where('id', '=', id).executeTakeFirst();
    return row ? row.plan_svg : undefined;
  }

  async setFloorPlan(ex: Executor, id: string, plan: SanitisedPlan | null, at: string): Promise<void> {
    await ex
      .updateTable('floors')
      .set({
        plan_svg: plan?.svg ?? null,
        plan_sha256: plan?.sha256 ?? null,
        plan_min_x: plan?.viewBox.minX ?? null,
        plan_min_y: plan?.viewBox.minY ?? null,
        plan_width: plan?.viewBox.width ?? null,
        plan_height: plan?.viewBox.height ?? null,
        plan_uploaded_at: plan ? at : null,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  }

  async listFloors(ex: Executor, options: ListOptions & { buildingId?: string | undefined }): Promise<Page<Floor>> {
    return pageOf(
      'floors',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('floors').select(FLOOR_COLUMNS).orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('site_id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('site_id', '=', options.siteId);
        if (options.buildingId) q = q.where('building_id', '=', options.buildingId);
        return q.execute();
      },
      floorFromRow,
    );
  }

  // Zones

  async findZone(ex: Executor, id: string): Promise<Zone | undefined> {
    const row = await ex.selectFrom('zones').selectAll().where('id', '=', id).executeTakeFirst();
    return row && zoneFromRow(row);
  }

  async zoneNamed(ex: Executor, siteId: string, name: string): Promise<Zone | undefined> {
    const row = await ex.selectFrom('zones').selectAll().where('site_id', '=', siteId).where('name', '=', name).executeTakeFirst();
    return row && zoneFromRow(row);
  }

  async insertZone(ex: Executor, zone: Zone): Promise<void> {
    await ex.insertInto('zones').values(zoneToRow(zone)).execute();
  }

  async updateZone(ex: Executor, zone: Zone): Promise<void> {
    const { id, created_at: _created, ...changes } = zoneToRow(zone);
    await ex.updateTable('zones').set(changes).where('id', '=', id).execute();
  }

  async listZones(ex: Executor, options: ListOptions & { type?: ZoneType | undefined; floorId?: string | undefined }): Promise<Page<Zone>> {
    return pageOf(
      'zones',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('zones').selectAll().orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('site_id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('site_id', '=', options.siteId);
        if (options.type) q = q.where('type', '=', options.type);
        if (options.floorId) q = q.where('floor_id', '=', options.floorId);
        return q.execute();
      },
      zoneFromRow,
    );
  }

  // Doors

  async findDoor(ex: Executor, id: string): Promise<Door | undefined> {
    const row = await ex.selectFrom('doors').selectAll().where('id', '=', id).executeTakeFirst();
    return row && doorFromRow(row);
  }

  async doorNamed(ex: Executor, siteId: string, name: string): Promise<Door | undefined> {
    const row = await ex.selectFrom('doors').selectAll().where('site_id', '=', siteId).where('name', '=', name).executeTakeFirst();
    return row && doorFromRow(row);
  }

  /** Doors read by this reader on either side, or driven by this controller. */
  async doorsUsingDevice(ex: Executor, deviceId: string): Promise<Door[]> {
    const rows = await ex
      .selectFrom('doors')
      .selectAll()
      .where((eb) => eb.or([eb('entry_reader_id', '=', deviceId), eb('exit_reader_id', '=', deviceId), eb('controller_id', '=', deviceId)]))
      .execute();
    return rows.map(doorFromRow);
  }

  async insertDoor(ex: Executor, door: Door): Promise<void> {
    await ex.insertInto('doors').values(doorToRow(door)).execute();
  }

  async updateDoor(ex: Executor, door: Door): Promise<void> {
    const { id, created_at: _created, ...changes } = doorToRow(door);
    await ex.updateTable('doors').set(changes).where('id', '=', id).execute();
  }

  async listDoors(ex: Executor, options: ListOptions & { floorId?: string | undefined; zoneId?: string | undefined }): Promise<Page<Door>> {
    return pageOf(
      'doors',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('doors').selectAll().orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('site_id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('site_id', '=', options.siteId);
        if (options.floorId) q = q.where('floor_id', '=', options.floorId);
        const zoneId = options.zoneId;
        if (zoneId) q = q.where((eb) => eb.or([eb('from_zone_id', '=', zoneId), eb('to_zone_id', '=', zoneId)]));
        return q.execute();
      },
      doorFromRow,
    );
  }

  // Devices

  async findDevice(ex: Executor, id: string): Promise<Device | undefined> {
    const row = await ex.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    return row && deviceFromRow(row);
  }

  async deviceBy(ex: Executor, column: 'serial_number' | 'mac_address' | 'stable_id', value: string): Promise<Device | undefined> {
    const row = await ex.selectFrom('devices').selectAll().where(column, '=', value).executeTakeFirst();
    return row && deviceFromRow(row);
  }

  async insertDevice(ex: Executor, device: Device): Promise<void> {
    await ex.insertInto('devices').values(deviceToRow(device)).execute();
  }

  async updateDevice(ex: Executor, device: Device): Promise<void> {
    const {
      id,
      created_at: _created,
      stable_id: _stable,
      serial_number: _serial,
      mac_address: _mac,
      kind: _kind,
      ...changes
    } = deviceToRow(device);
    await ex.updateTable('devices').set(changes).where('id', '=', id).execute();
  }

  /** Devices believed up (online or degraded) that have not been seen since `before`. */
  async silentDevices(ex: Executor, before: string): Promise<Device[]> {
    const rows = await ex
      .selectFrom('devices')
      .selectAll()
      .where('health', 'in', ['online', 'degraded'])
      .where('last_seen_at', '<', before)
      .orderBy('id')
      .execute();
    return rows.map(deviceFromRow);
  }

  async listDevices(
    ex: Executor,
    options: ListOptions & { kind?: DeviceKind | undefined; health?: DeviceHealth | undefined },
  ): Promise<Page<Device>> {
    return pageOf(
      'devices',
      options,
      async (after, take) => {
        if (options.sites !== 'all' && options.sites.length === 0) return [];
        let q = ex.selectFrom('devices').selectAll().orderBy('id').limit(take);
        if (after) q = q.where('id', '>', after);
        if (options.sites !== 'all') q = q.where('site_id', 'in', [...options.sites]);
        if (options.siteId) q = q.where('site_id', '=', options.siteId);
        if (options.kind) q = q.where('kind', '=', options.kind);
        if (options.health) q = q.where('health', '=', options.health);
        return q.execute();
      },
      deviceFromRow,
    );
  }

  // Removal

  async remove(ex: Executor, table: 'sites' | SiteScopedTable, id: string): Promise<void> {
    await ex.deleteFrom(table).where('id', '=', id).execute();
  }

  /** What still refers to an item, as counts by kind (`{ doors: 2 }`); empty when nothing does. */
  async usage(ex: Executor, kind: 'site' | 'building' | 'floor' | 'zone' | 'device', id: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    // Typed as `doors` because it has every column counted on here; each table listed below has
    // the column its condition names (checked by the repository tests on both dialects).
    const base = (table: SiteScopedTable) => ex.selectFrom(table as 'doors');
    const count = async (table: SiteScopedTable, where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) => {
      const row = await where(base(table))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(row.n) > 0) counts[table] = Number(row.n);
    };
    switch (kind) {
      case 'site':
        for (const table of ['buildings', 'floors', 'zones', 'doors', 'devices'] as const)
          await count(table, (q) => q.where('site_id', '=', id));
        break;
      case 'building':
        for (const table of ['floors', 'zones', 'doors'] as const) await count(table, (q) => q.where('building_id', '=', id));
        break;
      case 'floor':
        for (const table of ['zones', 'doors'] as const) await count(table, (q) => q.where('floor_id', '=', id));
        break;
      case 'zone':
        await count('doors', (q) => q.where((eb) => eb.or([eb('from_zone_id', '=', id), eb('to_zone_id', '=', id)])));
        break;
      case 'device':
        await count('doors', (q) =>
          q.where((eb) => eb.or([eb('entry_reader_id', '=', id), eb('exit_reader_id', '=', id), eb('controller_id', '=', id)])),
        );
        break;
    }
    return counts;
  }
}

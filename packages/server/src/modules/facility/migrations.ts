import type { Kysely, Migration } from 'kysely';

/**
 * Facility tables. Foreign keys restrict deletion (the service answers `facility.in_use` first,
 * naming what still refers to the row); unique indexes back the service's own duplicate checks
 * against concurrent writers.
 */
export const facilityMigrations: Record<string, Migration> = {
  '0002_facility': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('buildings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Name uniqueness within a site; also serves "buildings of a site".
      await db.schema.createIndex('buildings_site_name').on('buildings').columns(['site_id', 'name']).unique().execute();

      await db.schema
        .createTable('floors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('plan_svg', 'text')
        .addColumn('plan_sha256', 'text')
        .addColumn('plan_min_x', 'double precision')
        .addColumn('plan_min_y', 'double precision')
        .addColumn('plan_width', 'double precision')
        .addColumn('plan_height', 'double precision')
        .addColumn('plan_uploaded_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // One floor per storey and per name in a building; the first also serves "floors of a building".
      await db.schema.createIndex('floors_building_level').on('floors').columns(['building_id', 'level']).unique().execute();
      await db.schema.createIndex('floors_building_name').on('floors').columns(['building_id', 'name']).unique().execute();
      // Site-filtered list pages (keyset on id).
      await db.schema.createIndex('floors_site_id').on('floors').columns(['site_id', 'id']).execute();

      await db.schema
        .createTable('zones')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('building_id', 'text', (c) => c.references('buildings.id'))
        .addColumn('floor_id', 'text', (c) => c.references('floors.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('security_level', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Name uniqueness within a site; also serves site-filtered list pages.
      await db.schema.createIndex('zones_site_name').on('zones').columns(['site_id', 'name']).unique().execute();
      await db.schema.createIndex('zones_site_id').on('zones').columns(['site_id', 'id']).execute();

      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('stable_id', 'text', (c) => c.notNull().unique())
        .addColumn('serial_number', 'text', (c) => c.unique())
        .addColumn('mac_address', 'text', (c) => c.unique())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ip_address', 'text')
        .addColumn('manufacturer', 'text')
        .addColumn('model', 'text')
        .addColumn('firmware_version', 'text')
        .addColumn('health', 'text', (c) => c.notNull())
        .addColumn('health_reason', 'text')
        .addColumn('health_changed_at', 'text')
        .addColumn('last_seen_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Site-filtered list pages; the health sweep scans by last_seen_at.
      await db.schema.createIndex('devices_site_id').on('devices').columns(['site_id', 'id']).execute();
      await db.schema.createIndex('devices_last_seen').on('devices').columns(['last_seen_at']).execute();

      await db.schema
        .createTable('doors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('building_id', 'text', (c) => c.references('buildings.id'))
        .addColumn('floor_id', 'text', (c) => c.references('floors.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('entry_reader_id', 'text', (c) => c.references('devices.id'))
        .addColumn('exit_reader_id', 'text', (c) => c.references('devices.id'))
        .addColumn('controller_id', 'text', (c) => c.references('devices.id'))
        .addColumn('lock_output', 'integer')
        .addColumn('door_position_input', 'integer')
        .addColumn('request_to_exit_input', 'integer')
        .addColumn('lock_fail_mode', 'text', (c) => c.notNull())
        .addColumn('egress', 'integer', (c) => c.notNull())
        .addColumn('unlock_seconds', 'integer', (c) => c.notNull())
        .addColumn('held_open_seconds', 'integer', (c) => c.notNull())
        .addColumn('from_zone_id', 'text', (c) => c.references('zones.id'))
        .addColumn('to_zone_id', 'text', (c) => c.references('zones.id'))
        .addColumn('position_x', 'double precision')
        .addColumn('position_y', 'double precision')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Name uniqueness within a site; also serves site-filtered list pages.
      await db.schema.createIndex('doors_site_name').on('doors').columns(['site_id', 'name']).unique().execute();
      await db.schema.createIndex('doors_site_id').on('doors').columns(['site_id', 'id']).execute();
      // A reader reads for one door, a controller point drives one door (nulls never collide).
      await db.schema.createIndex('doors_entry_reader').on('doors').column('entry_reader_id').unique().execute();
      await db.schema.createIndex('doors_exit_reader').on('doors').column('exit_reader_id').unique().execute();
      await db.schema.createIndex('doors_lock_output').on('doors').columns(['controller_id', 'lock_output']).unique().execute();
      await db.schema.createIndex('doors_position_input').on('doors').columns(['controller_id', 'door_position_input']).unique().execute();
      await db.schema.createIndex('doors_rex_input').on('doors').columns(['controller_id', 'request_to_exit_input']).unique().execute();
      // "Doors between these zones" and the in-use check before removing a zone or a floor.
      await db.schema.createIndex('doors_from_zone').on('doors').column('from_zone_id').execute();
      await db.schema.createIndex('doors_to_zone').on('doors').column('to_zone_id').execute();
      await db.schema.createIndex('doors_floor').on('doors').column('floor_id').execute();
    },
  },
  /**
   * Where a door's readers sit on its controller's OSDP buses, so a door controller agent takes
   * its wiring from the facility instead of a second hand-kept file.
   */
  '0017_facility_door_osdp': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('doors').addColumn('osdp_bus', 'text').execute();
      await db.schema.alterTable('doors').addColumn('entry_reader_address', 'integer').execute();
      await db.schema.alterTable('doors').addColumn('exit_reader_address', 'integer').execute();
    },
  },
  /** The battery a device last reported (MQTT sensors), kept beside its last-seen instant. */
  '0014_facility_device_battery': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('devices').addColumn('battery_percent', 'double precision').execute();
      await db.schema.alterTable('devices').addColumn('battery_reported_at', 'text').execute();
    },
  },
  /**
   * A zone's outline on a floor plan, one per zone and floor (a zone spanning storeys has one on
   * each). Outlines are drawings of the zone, so they go with the zone or the floor.
   */
  '0015_facility_zone_outlines': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('zone_outlines')
        .addColumn('zone_id', 'text', (c) => c.notNull().references('zones.id').onDelete('cascade'))
        .addColumn('floor_id', 'text', (c) => c.notNull().references('floors.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('points', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('zone_outlines_pk', ['zone_id', 'floor_id'])
        .execute();
      // "Outlines on this floor", for drawing the plan.
      await db.schema.createIndex('zone_outlines_floor').on('zone_outlines').column('floor_id').execute();
    },
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * Alarms, their procedure steps, procedures per alarm type, shelves and incidents. Site columns
 * hold facility site ids without a foreign key: an alarm outlives the configuration it came from.
 */
export const alarmMigrations: Record<string, Migration> = {
  '0008_alarms': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alarms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('zone_id', 'text')
        .addColumn('door_id', 'text')
        .addColumn('device', 'text')
        .addColumn('rule_id', 'text')
        .addColumn('trigger_event_id', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addColumn('raised_by', 'text', (c) => c.notNull())
        .addColumn('acknowledged_at', 'text')
        .addColumn('acknowledged_by', 'text')
        .addColumn('assigned_to', 'text')
        .addColumn('assigned_at', 'text')
        .addColumn('assigned_by', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolution_note', 'text')
        .addColumn('false_alarm', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('shelf_id', 'text')
        .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('escalate_at', 'text')
        .addColumn('incident_id', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The operator queue: open alarms by priority, newest first within a priority.
      await db.schema.createIndex('alarms_state_priority').on('alarms').columns(['state', 'priority', 'id']).execute();
      // The escalation sweep: due steps only.
      await db.schema.createIndex('alarms_escalate_at').on('alarms').column('escalate_at').execute();
      // Correlation look-ups (recent alarms of a zone) and false-alarm rates per device.
      await db.schema.createIndex('alarms_zone_raised').on('alarms').columns(['zone_id', 'raised_at']).execute();
      await db.schema.createIndex('alarms_device_raised').on('alarms').columns(['device', 'raised_at']).execute();
      // Releasing a shelf finds the alarms it suppressed; an incident lists its alarms.
      await db.schema.createIndex('alarms_shelf').on('alarms').column('shelf_id').execute();
      await db.schema.createIndex('alarms_incident').on('alarms').column('incident_id').execute();

      await db.schema
        .createTable('alarm_steps')
        .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addColumn('completed_by', 'text')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('alarm_steps_pk', ['alarm_id', 'position'])
        .execute();

      await db.schema
        .createTable('alarm_procedures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_key', 'text', (c) => c.notNull())
        .addColumn('alarm_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      // One procedure per alarm type and site (or `*`); serves the look-up when an alarm is raised.
      await db.schema.createIndex('alarm_procedures_key').on('alarm_procedures').columns(['site_key', 'alarm_type']).unique().execute();

      await db.schema
        .createTable('alarm_shelves')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('alarm_type', 'text', (c) => c.notNull())
        .addColumn('source_key', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('shelved_by', 'text', (c) => c.notNull())
        .addColumn('shelved_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('released_at', 'text')
        .addColumn('released_by', 'text')
        .execute();
      // "Is this new alarm shelved?" and the expiry sweep.
      await db.schema.createIndex('alarm_shelves_key').on('alarm_shelves').columns(['alarm_type', 'source_key', 'released_at']).execute();
      await db.schema.createIndex('alarm_shelves_expiry').on('alarm_shelves').columns(['released_at', 'expires_at']).execute();

      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('zone_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('last_alarm_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('close_note', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .execute();
      // An open incident of the same kind in the zone absorbs the next correlated alarm.
      await db.schema.createIndex('incidents_open').on('incidents').columns(['state', 'kind', 'zone_id']).execute();
    },
  },
};

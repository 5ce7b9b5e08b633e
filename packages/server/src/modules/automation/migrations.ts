import { sql, type Kysely, type Migration } from 'kysely';

/** The built-in correlation issue 4 names: door forced + motion + glass break in a zone within 60 s. */
export const BREAK_IN_CORRELATION_ID = '0190c6a0-0000-7000-8000-00000000b1e0';

/**
 * Rules with their version history, correlations, emergency plans and their activations (with a
 * row per door and its timings), notification channels, the delivery queue, on-call schedules and
 * escalation chains.
 */
export const automationMigrations: Record<string, Migration> = {
  '0009_automation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('automation_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('source_text', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      // Loading the enabled rules at start; lists per site.
      await db.schema.createIndex('automation_rules_site').on('automation_rules').columns(['site_id', 'id']).execute();

      await db.schema
        .createTable('automation_rule_versions')
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('source_text', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .addColumn('changed_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('automation_rule_versions_pk', ['rule_id', 'version'])
        .execute();

      await db.schema
        .createTable('automation_correlations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('incident_kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('alarm_types', 'text', (c) => c.notNull())
        .addColumn('min_types', 'integer', (c) => c.notNull())
        .addColumn('window_seconds', 'integer', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('automation_correlations' as never)
        .values({
          id: BREAK_IN_CORRELATION_ID,
          site_id: null,
          name: 'Break-in',
          incident_kind: 'break_in',
          title: 'Break-in',
          priority: 1,
          alarm_types: JSON.stringify(['door_forced', 'motion', 'glass_break']),
          min_types: 3,
          window_seconds: 60,
          scope: 'zone',
          enabled: 1,
          updated_at: new Date(0).toISOString(),
          updated_by: 'system:migration',
        })
        .execute();

      await db.schema
        .createTable('emergency_plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('doors', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .addColumn('notify', 'text', (c) => c.notNull())
        .addColumn('buttons', 'text', (c) => c.notNull())
        .addColumn('requires_confirmation', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('emergency_plans_site_name').on('emergency_plans').columns(['site_id', 'name']).unique().execute();

      await db.schema
        .createTable('emergency_activations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('drill', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        // One live (pending or active) activation per plan, across nodes: a second start conflicts here.
        .addColumn('live_key', 'text', (c) => c.unique())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('trigger_event_id', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('started_at', 'text')
        .addColumn('cleared_by', 'text')
        .addColumn('cleared_at', 'text')
        .addColumn('reason', 'text')
        .execute();
      await db.schema.createIndex('emergency_activations_state').on('emergency_activations').columns(['state', 'site_id']).execute();

      await db.schema
        .createTable('emergency_door_actions')
        .addColumn('activation_id', 'text', (c) => c.notNull())
        .addColumn('door_id', 'text', (c) => c.notNull())
        .addColumn('door_name', 'text', (c) => c.notNull())
        .addColumn('prior_mode', 'text')
        .addColumn('target_mode', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('commanded_at', 'text')
        .addColumn('confirmed_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('restored_at', 'text')
        .addColumn('restore_confirmed_at', 'text')
        .addColumn('restored_mode', 'text')
        .addPrimaryKeyConstraint('emergency_door_actions_pk', ['activation_id', 'door_id'])
        .execute();
      // "Which live activations hold this door" when a plan clears.
      await db.schema.createIndex('emergency_door_actions_door').on('emergency_door_actions').column('door_id').execute();

      await db.schema
        .createTable('notification_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('secret_sealed', 'text')
        .addColumn('recipients', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text')
        .addColumn('recipients', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The delivery worker's claim: due pending deliveries in order.
      await db.schema
        .createIndex('notification_deliveries_due')
        .on('notification_deliveries')
        .columns(['state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('oncall_schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('members', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('shift_hours', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('escalation_chains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('min_priority', 'integer', (c) => c.notNull())
        .addColumn('max_priority', 'integer', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('escalation_chains_site').on('escalation_chains').column('site_id').execute();
    },
  },
  '0012_emergency_plan_removal': {
    async up(db: Kysely<unknown>) {
      // A removed plan keeps its row: past activations and their reports still name it.
      await db.schema.alterTable('emergency_plans').addColumn('removed_at', 'text').execute();
      // Only live plans need distinct names, so a removed plan's name can be used again.
      await db.schema.dropIndex('emergency_plans_site_name').execute();
      await db.schema
        .createIndex('emergency_plans_site_name_live')
        .on('emergency_plans')
        .columns(['site_id', 'name'])
        .unique()
        .where(sql.ref('removed_at'), 'is', null)
        .execute();
    },
  },
  '0013_automation_rule_defaults': {
    async up(db: Kysely<unknown>) {
      // One row per default rule ever seeded on this installation; the primary key lets only one
      // node seed it, and the row outlives the rule so a deleted default is never re-created.
      // rule_id is null where the installation already had its own rule for the default's event.
      await db.schema
        .createTable('automation_rule_defaults')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('rule_id', 'text')
        .addColumn('seeded_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

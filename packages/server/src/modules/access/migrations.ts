import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Access-control tables: the policy the access module owns (schedules, holidays, access groups,
 * memberships, privileges, door modes), the signed snapshots compiled from it, edge agents, and
 * door control (controls, overrides, commands, live state).
 */
export const accessMigrations: Record<string, Migration> = {
  '0007_access_control': {
    async up(db: Kysely<unknown>) {
      const text = 'text' as const;
      await db.schema
        .createTable('access_schedules')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('intervals', text, (c) => c.notNull())
        .addColumn('holidays', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      // Name uniqueness per site; also serves the site's schedule list (compile and pages).
      await db.schema.createIndex('access_schedules_site_name').on('access_schedules').columns(['site_id', 'name']).unique().execute();

      await db.schema
        .createTable('access_holidays')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('date', text, (c) => c.notNull())
        .addColumn('type', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();
      // One holiday of a type per day and site; serves the site's calendar in date order.
      await db.schema
        .createIndex('access_holidays_site_date')
        .on('access_holidays')
        .columns(['site_id', 'date', 'type'])
        .unique()
        .execute();

      await db.schema
        .createTable('access_groups')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('description', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_groups_site_name').on('access_groups').columns(['site_id', 'name']).unique().execute();

      await db.schema
        .createTable('access_group_doors')
        .addColumn('group_id', text, (c) => c.notNull().references('access_groups.id').onDelete('cascade'))
        .addColumn('door_id', text, (c) => c.notNull())
        .addColumn('schedule_id', text, (c) => c.notNull().references('access_schedules.id'))
        .addPrimaryKeyConstraint('access_group_doors_pk', ['group_id', 'door_id'])
        .execute();
      // "Is this schedule or door still used?" before removing it.
      await db.schema.createIndex('access_group_doors_schedule').on('access_group_doors').column('schedule_id').execute();
      await db.schema.createIndex('access_group_doors_door').on('access_group_doors').column('door_id').execute();

      await db.schema
        .createTable('access_group_members')
        .addColumn('group_id', text, (c) => c.notNull().references('access_groups.id').onDelete('cascade'))
        .addColumn('person_id', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('access_group_members_pk', ['group_id', 'person_id'])
        .execute();
      // A person's groups (the person view and the compile's person → groups).
      await db.schema.createIndex('access_group_members_person').on('access_group_members').column('person_id').execute();

      await db.schema
        .createTable('access_person_privileges')
        .addColumn('person_id', text, (c) => c.notNull())
        .addColumn('privilege', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('access_person_privileges_pk', ['person_id', 'privilege'])
        .execute();

      await db.schema
        .createTable('access_door_modes')
        .addColumn('door_id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('mode', text, (c) => c.notNull())
        .addColumn('schedule_id', text, (c) => c.references('access_schedules.id'))
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_door_modes_site').on('access_door_modes').column('site_id').execute();

      await db.schema
        .createTable('access_policy_revisions')
        .addColumn('site_id', text, (c) => c.primaryKey())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('access_snapshots')
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('digest', text, (c) => c.notNull())
        .addColumn('compiled_at', text, (c) => c.notNull())
        .addColumn('bytes', text, (c) => c.notNull())
        // The primary key serves "latest version of a site" (descending scan) and refuses a
        // version two nodes compiled at once.
        .addPrimaryKeyConstraint('access_snapshots_pk', ['site_id', 'version'])
        .execute();

      await db.schema
        .createTable('edge_agents')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('public_key', text, (c) => c.notNull())
        .addColumn('key_id', text, (c) => c.notNull().unique())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('registered_by', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('revoked_at', text)
        .addColumn('last_seen_at', text)
        .addColumn('health', text)
        .addColumn('snapshot_version', 'integer')
        .addColumn('controls_version', 'integer')
        .execute();
      // Site-filtered agent pages (keyset on id).
      await db.schema.createIndex('edge_agents_site_id').on('edge_agents').columns(['site_id', 'id']).execute();

      await db.schema
        .createTable('access_site_controls')
        .addColumn('site_id', text, (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('fire_egress', text)
        .addColumn('lockdown', text)
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('access_door_overrides')
        .addColumn('door_id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('mode', text, (c) => c.notNull())
        .addColumn('reason', text, (c) => c.notNull())
        .addColumn('set_by', text, (c) => c.notNull())
        .addColumn('set_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_door_overrides_site').on('access_door_overrides').column('site_id').execute();

      await db.schema
        .createTable('access_door_commands')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('door_id', text, (c) => c.notNull())
        .addColumn('command', text, (c) => c.notNull())
        .addColumn('seconds', 'integer')
        .addColumn('reason', text, (c) => c.notNull())
        .addColumn('requested_by', text, (c) => c.notNull())
        .addColumn('requested_at', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('completed_at', text)
        .execute();
      // Pending commands of a site, oldest first (what each heartbeat and long poll asks).
      await db.schema.createIndex('access_door_commands_pending').on('access_door_commands').columns(['site_id', 'status', 'id']).execute();

      await db.schema
        .createTable('access_door_states')
        .addColumn('door_id', text, (c) => c.primaryKey())
        .addColumn('site_id', text, (c) => c.notNull())
        .addColumn('agent_id', text, (c) => c.notNull())
        .addColumn('open', 'integer')
        .addColumn('locked', 'integer', (c) => c.notNull())
        .addColumn('mode', text, (c) => c.notNull())
        .addColumn('alarm', text)
        .addColumn('reported_at', text, (c) => c.notNull())
        .execute();
      // The live door-state list of a site.
      await db.schema.createIndex('access_door_states_site').on('access_door_states').columns(['site_id', 'door_id']).execute();
    },
  },
  '0019_access_outputs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_outputs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reader', 'text')
        .addColumn('point', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // A site's outputs by name (the list, and the plan editor's look-up); one name per site.
      await db.schema.createIndex('access_outputs_site_name').on('access_outputs').columns(['site_id', 'name']).unique().execute();

      await db.schema
        .createTable('access_output_commands')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('output_id', 'text', (c) => c.notNull().references('access_outputs.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('pulse_ms', 'integer')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
      // Pending commands of a site, oldest first (each heartbeat and long poll asks, beside the door commands).
      await db.schema
        .createIndex('access_output_commands_pending')
        .on('access_output_commands')
        .columns(['site_id', 'status', 'id'])
        .execute();
    },
  },
  '0016_edge_agent_supervision': {
    async up(db: Kysely<unknown>) {
      // Set while an agent is declared offline; the supervision check's compare-and-set across nodes.
      await db.schema.alterTable('edge_agents').addColumn('offline_since', 'text').execute();
    },
  },
  '0021_access_pin_lockout_lifts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_pin_lockout_lifts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('access_pin_lockout_lift_agents')
        .addColumn('lift_id', 'text', (c) => c.notNull().references('access_pin_lockout_lifts.id'))
        .addColumn('agent_id', 'text', (c) => c.notNull().references('edge_agents.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addPrimaryKeyConstraint('access_pin_lockout_lift_agents_pk', ['lift_id', 'agent_id'])
        .execute();
      // An agent's pending lifts, oldest first (each heartbeat and long poll of that agent asks).
      await db.schema
        .createIndex('access_pin_lockout_lift_agents_pending')
        .on('access_pin_lockout_lift_agents')
        .columns(['agent_id', 'status', 'lift_id'])
        .execute();
    },
  },
  '0022_access_command_agents': {
    async up(db: Kysely<unknown>) {
      // The controller an agent runs the facility wiring of: commands for that controller's doors go to it.
      await db.schema.alterTable('edge_agents').addColumn('controller_serial', 'text').execute();
      await db.schema
        .createTable('access_command_agents')
        .addColumn('command_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull().references('edge_agents.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        // Serves both questions asked of it: is this agent's part of a pending command still open
        // (each heartbeat and long poll, per pending command of the site), and which other parts
        // of a command are open (a report that the agent has no such door or output).
        .addPrimaryKeyConstraint('access_command_agents_pk', ['command_id', 'agent_id'])
        .execute();
      // Commands still pending went to the whole site; they keep going to every active agent of it.
      for (const table of ['access_door_commands', 'access_output_commands']) {
        await sql`insert into access_command_agents (command_id, agent_id, status, completed_at)
          select c.id, a.id, 'pending', null from ${sql.table(table)} c
          join edge_agents a on a.site_id = c.site_id and a.status = 'active'
          where c.status = 'pending'`.execute(db);
      }
    },
  },
};

import type { Kysely, Migration } from 'kysely';

export const identityMigrations: Record<string, Migration> = {
  '0004_identity_operators': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('operators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Unique index serves the sign-in lookup by user name and the operator list's sort order.
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('mfa_secret', 'text')
        .addColumn('mfa_pending_secret', 'text')
        .addColumn('mfa_last_step', 'bigint')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_sign_in_at', 'text')
        .execute();

      await db.schema
        .createTable('operator_roles')
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('site', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('operator_roles_pk', ['operator_id', 'role', 'site'])
        .execute();
      // Serves "who holds a role on this site" (operator lists filtered by site, last-admin check).
      await db.schema.createIndex('operator_roles_site_role').on('operator_roles').columns(['site', 'role']).execute();

      await db.schema
        .createTable('operator_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('client_address', 'text', (c) => c.notNull())
        .execute();
      // Serves ending every session of one operator (disable, password change, MFA reset).
      await db.schema.createIndex('operator_sessions_operator').on('operator_sessions').column('operator_id').execute();
      // Serves purging expired sessions.
      await db.schema.createIndex('operator_sessions_expires').on('operator_sessions').column('expires_at').execute();

      await db.schema
        .createTable('mfa_challenges')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('client_address', 'text', (c) => c.notNull())
        .execute();
      // Serves purging expired challenges.
      await db.schema.createIndex('mfa_challenges_expires').on('mfa_challenges').column('expires_at').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        // Unique index serves the bearer lookup on every request.
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('sites', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      // Serves an operator's token list, newest first by id (UUIDv7).
      await db.schema.createIndex('api_tokens_operator_id').on('api_tokens').columns(['operator_id', 'id']).execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('previous_attempts', 'integer', (c) => c.notNull())
        .execute();
    },
  },
};

import type { Kysely, Migration } from 'kysely';

export const peopleMigrations: Record<string, Migration> = {
  '0003_people': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('departments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('job_roles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('persons')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        // Unique when present: NULLs are distinct on both dialects, so persons without one coexist.
        .addColumn('employee_id', 'text', (c) => c.unique())
        .addColumn('given_name', 'text', (c) => c.notNull())
        .addColumn('family_name', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text', (c) => c.references('departments.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('status_changed_at', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text')
        .addColumn('valid_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The person list: ordered by name, keyset-paginated on (family_name, given_name, id).
      await db.schema.createIndex('persons_name').on('persons').columns(['family_name', 'given_name', 'id']).execute();
      // "Is this department still used?" before deleting one.
      await db.schema.createIndex('persons_department').on('persons').column('department_id').execute();

      await db.schema
        .createTable('person_sites')
        .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('person_sites_pk', ['person_id', 'site_id'])
        .execute();
      // Site-scoped person lists: persons of the sites an operator may see.
      await db.schema.createIndex('person_sites_site').on('person_sites').columns(['site_id', 'person_id']).execute();

      await db.schema
        .createTable('person_job_roles')
        .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
        .addColumn('job_role_id', 'text', (c) => c.notNull().references('job_roles.id'))
        .addPrimaryKeyConstraint('person_job_roles_pk', ['person_id', 'job_role_id'])
        .execute();
      // "Is this job role still held?" before deleting one.
      await db.schema.createIndex('person_job_roles_role').on('person_job_roles').column('job_role_id').execute();

      await db.schema
        .createTable('training_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
        .addColumn('competency', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // A person's records, and "does this person hold a current X" for competency-gated zones.
      await db.schema
        .createIndex('training_records_person')
        .on('training_records')
        .columns(['person_id', 'competency', 'expires_at'])
        .execute();

      await db.schema
        .createTable('person_credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('status_changed_at', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text')
        .addColumn('valid_until', 'text')
        .addColumn('card_format', 'text')
        .addColumn('facility_code', 'integer')
        .addColumn('card_number', 'bigint')
        .addColumn('pin_hash', 'text')
        .addColumn('mobile_platform', 'text')
        .addColumn('mobile_enrolment_id', 'text')
        .addColumn('biometric_vendor', 'text')
        .addColumn('biometric_template_ref', 'text')
        .addColumn('issued_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // A person's credentials (lists, and disabling them all at termination).
      await db.schema.createIndex('person_credentials_person').on('person_credentials').column('person_id').execute();
      // One holder per card: a read of (format, facility code, number) names exactly one
      // credential, whatever its state; a lost card's number is never handed to someone else
      // while that card may still be presented. Serves the reader lookup as well.
      await db.schema
        .createIndex('person_credentials_card')
        .on('person_credentials')
        .columns(['card_format', 'facility_code', 'card_number'])
        .unique()
        .execute();
      await db.schema
        .createIndex('person_credentials_mobile')
        .on('person_credentials')
        .columns(['mobile_platform', 'mobile_enrolment_id'])
        .unique()
        .execute();
      await db.schema
        .createIndex('person_credentials_biometric')
        .on('person_credentials')
        .columns(['biometric_vendor', 'biometric_template_ref'])
        .unique()
        .execute();
    },
  },
};

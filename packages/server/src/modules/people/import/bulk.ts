/** The import's bulk inserts, one per table, per dialect (storage/bulk-insert.ts). */
import { BulkInsert } from '../../../storage/bulk-insert.js';
import type { Dialect } from '../../../storage/database.js';
import type { PersonCredentialsTable, PersonJobRolesTable, PersonSitesTable, PersonsTable } from '../tables.js';

export interface ImportInserts {
  readonly persons: BulkInsert<PersonsTable>;
  readonly sites: BulkInsert<PersonSitesTable>;
  readonly roles: BulkInsert<PersonJobRolesTable>;
  readonly credentials: BulkInsert<PersonCredentialsTable>;
}

const cache = new Map<Dialect, ImportInserts>();

export function importInserts(dialect: Dialect): ImportInserts {
  let inserts = cache.get(dialect);
  if (!inserts) cache.set(dialect, (inserts = build(dialect)));
  return inserts;
}

function build(dialect: Dialect): ImportInserts {
  return {
    persons: new BulkInsert<PersonsTable>(
      'persons',
      {
        id: 'text',
        kind: 'text',
        employee_id: 'text',
        given_name: 'text',
        family_name: 'text',
        department_id: 'text',
        status: 'text',
        status_reason: 'text',
        status_changed_at: 'text',
        valid_from: 'text',
        valid_until: 'text',
        created_at: 'text',
        updated_at: 'text',
      },
      dialect,
    ),
    sites: new BulkInsert<PersonSitesTable>('person_sites', { person_id: 'text', site_id: 'text', position: 'integer' }, dialect),
    roles: new BulkInsert<PersonJobRolesTable>('person_job_roles', { person_id: 'text', job_role_id: 'text' }, dialect),
    credentials: new BulkInsert<PersonCredentialsTable>(
      'person_credentials',
      {
        id: 'text',
        person_id: 'text',
        type: 'text',
        status: 'text',
        status_reason: 'text',
        status_changed_at: 'text',
        valid_from: 'text',
        valid_until: 'text',
        card_format: 'text',
        facility_code: 'integer',
        card_number: 'bigint',
        pin_hash: 'text',
        mobile_platform: 'text',
        mobile_enrolment_id: 'text',
        biometric_vendor: 'text',
        biometric_template_ref: 'text',
        issued_by: 'text',
        created_at: 'text',
        updated_at: 'text',
      },
      dialect,
    ),
  };
}

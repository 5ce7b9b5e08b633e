/**
 * Tables owned by the people module. Instants are ISO-8601 UTC text, flags 0/1 (see
 * storage/database.ts). Site ids are the facility module's ids held as plain text: the two
 * modules evolve separately, so there is no foreign key across them.
 */
export interface PersonsTable {
  id: string;
  /** staff | contractor | visitor | patient | infant */
  kind: string;
  /** Employee number or the id in the feeding system (HR, visitor system); unique when present. */
  employee_id: string | null;
  given_name: string;
  family_name: string;
  department_id: string | null;
  /** active | suspended | terminated */
  status: string;
  status_reason: string | null;
  status_changed_at: string;
  valid_from: string | null;
  valid_until: string | null;
  created_at: string;
  updated_at: string;
}

/** The sites a person belongs to; position 0 is the home site (the site their events carry). */
export interface PersonSitesTable {
  person_id: string;
  site_id: string;
  position: number;
}

export interface PersonJobRolesTable {
  person_id: string;
  job_role_id: string;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobRolesTable {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrainingRecordsTable {
  id: string;
  person_id: string;
  /** A key of the competency catalogue (model.ts). */
  competency: string;
  completed_at: string;
  expires_at: string;
  recorded_by: string;
  created_at: string;
}

/**
 * One credential of any type; the columns of the other types are null. The full card number is
 * kept only here (readers send it, the decision engine matches it); everything that leaves the
 * database shows it masked. PINs are kept only as a salted scrypt hash.
 */
export interface PersonCredentialsTable {
  id: string;
  person_id: string;
  /** card | pin | mobile | biometric */
  type: string;
  /** active | suspended | lost | stolen | revoked */
  status: string;
  status_reason: string | null;
  status_changed_at: string;
  valid_from: string | null;
  valid_until: string | null;
  card_format: string | null;
  facility_code: number | null;
  card_number: number | null;
  pin_hash: string | null;
  mobile_platform: string | null;
  mobile_enrolment_id: string | null;
  biometric_vendor: string | null;
  biometric_template_ref: string | null;
  issued_by: string;
  created_at: string;
  updated_at: string;
}

export interface PeopleTables {
  persons: PersonsTable;
  person_sites: PersonSitesTable;
  person_job_roles: PersonJobRolesTable;
  departments: DepartmentsTable;
  job_roles: JobRolesTable;
  training_records: TrainingRecordsTable;
  person_credentials: PersonCredentialsTable;
}

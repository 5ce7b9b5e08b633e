/**
 * Reading persons with their sites and job roles, and the reference checks every write shares.
 * Functions take the executor they run on, so services call them inside their transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { peopleError } from './errors.js';
import { toPerson } from './model.js';
import type { Person } from './schemas.js';
import type { PersonsTable } from './tables.js';

export type Executor = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;

/** Sites (home site first) and job roles of each of the given persons. */
export async function loadMemberships(
  db: Executor,
  personIds: readonly string[],
): Promise<{ sites: Map<string, string[]>; roles: Map<string, string[]> }> {
  const sites = new Map<string, string[]>();
  const roles = new Map<string, string[]>();
  for (let i = 0; i < personIds.length; i += CHUNK) {
    const ids = personIds.slice(i, i + CHUNK);
    const siteRows = await db
      .selectFrom('person_sites')
      .select(['person_id', 'site_id'])
      .where('person_id', 'in', ids)
      .orderBy('person_id')
      .orderBy('position')
      .execute();
    for (const row of siteRows) sites.set(row.person_id, [...(sites.get(row.person_id) ?? []), row.site_id]);
    const roleRows = await db
      .selectFrom('person_job_roles')
      .select(['person_id', 'job_role_id'])
      .where('person_id', 'in', ids)
      .orderBy('job_role_id')
      .execute();
    for (const row of roleRows) roles.set(row.person_id, [...(roles.get(row.person_id) ?? []), row.job_role_id]);
  }
  return { sites, roles };
}

export async function toPersons(db: Executor, rows: readonly PersonsTable[]): Promise<Person[]> {
  const { sites, roles } = await loadMemberships(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toPerson(row, sites.get(row.id) ?? [], roles.get(row.id) ?? []));
}

export async function findPersonRow(db: Executor, id: string): Promise<PersonsTable | undefined> {
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function requirePersonRow(db: Executor, id: string): Promise<PersonsTable> {
  const row = await findPersonRow(db, id);
  if (!row) throw peopleError('people.person_not_found', `No person ${id}`, { personId: id });
  return row;
}

export async function requirePerson(db: Executor, id: string): Promise<Person> {
  const [person] = await toPersons(db, [await requirePersonRow(db, id)]);
  return person!;
}

/** The person's sites, home site first; empty when the person has none or does not exist. */
export async function sitesOfPerson(db: Executor, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('person_sites').select('site_id').where('person_id', '=', personId).orderBy('position').execute();
  return rows.map((r) => r.site_id);
}

export async function checkDepartment(db: Executor, departmentId: string | null | undefined): Promise<void> {
  if (!departmentId) return;
  const found = await db.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst();
  if (!found) throw peopleError('people.department_not_found', `No department ${departmentId}`, { departmentId });
}

export async function checkJobRoles(db: Executor, jobRoleIds: readonly string[] | undefined): Promise<void> {
  if (!jobRoleIds || jobRoleIds.length === 0) return;
  const found = await db.selectFrom('job_roles').select('id').where('id', 'in', jobRoleIds).execute();
  const known = new Set(found.map((r) => r.id));
  const missing = jobRoleIds.filter((id) => !known.has(id));
  if (missing.length > 0) throw peopleError('people.job_role_not_found', `No job role ${missing.join(', ')}`, { jobRoleIds: missing });
}

export async function checkEmployeeIdFree(db: Executor, employeeId: string | null | undefined, exceptPersonId?: string): Promise<void> {
  if (!employeeId) return;
  const holder = await db.selectFrom('persons').select('id').where('employee_id', '=', employeeId).executeTakeFirst();
  if (holder && holder.id !== exceptPersonId) {
    throw peopleError('people.employee_id_taken', `Employee id ${employeeId} belongs to another person`, { personId: holder.id });
  }
}

export function checkWindow(from: string | null | undefined, until: string | null | undefined): void {
  if (from && until && new Date(until).getTime() <= new Date(from).getTime()) {
    throw peopleError('people.validity_window_invalid', 'The validity window ends before it starts', {
      validFrom: from,
      validUntil: until,
    });
  }
}

export async function replaceSites(trx: Transaction<Database>, personId: string, sites: readonly string[]): Promise<void> {
  await trx.deleteFrom('person_sites').where('person_id', '=', personId).execute();
  if (sites.length > 0) {
    await trx
      .insertInto('person_sites')
      .values(sites.map((site_id, position) => ({ person_id: personId, site_id, position })))
      .execute();
  }
}

export async function replaceJobRoles(trx: Transaction<Database>, personId: string, jobRoleIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('person_job_roles').where('person_id', '=', personId).execute();
  if (jobRoleIds.length > 0) {
    await trx
      .insertInto('person_job_roles')
      .values(jobRoleIds.map((job_role_id) => ({ person_id: personId, job_role_id })))
      .execute();
  }
}

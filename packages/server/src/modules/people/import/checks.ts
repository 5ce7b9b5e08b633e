/**
 * The checks a file can only pass against the database: names that must exist (departments, job
 * roles) and values that must not (employee ids, cards). Run in chunks so a file of any size
 * costs a few hundred queries, not one per row.
 */
import type { Executor } from '../person-store.js';
import type { Lookups, RowValidator } from './validate.js';

const CHUNK = 900;

export async function loadLookups(db: Executor, scope: Lookups['scope']): Promise<Lookups> {
  const departments = await db.selectFrom('departments').select(['id', 'name']).execute();
  const jobRoles = await db.selectFrom('job_roles').select(['id', 'name']).execute();
  return {
    departments: new Map(departments.map((d) => [d.name, d.id])),
    jobRoles: new Map(jobRoles.map((r) => [r.name, r.id])),
    scope,
  };
}

/** Adds `import.employee_id_exists` and `import.card_duplicate` errors for what the database already holds. */
export async function checkAgainstDatabase(db: Executor, validator: RowValidator): Promise<void> {
  const byEmployeeId = new Map<string, number>();
  for (const person of validator.persons) if (person.employeeId) byEmployeeId.set(person.employeeId, person.line);
  const employeeIds = [...byEmployeeId.keys()];
  for (let i = 0; i < employeeIds.length; i += CHUNK) {
    const taken = await db
      .selectFrom('persons')
      .select('employee_id')
      .where('employee_id', 'in', employeeIds.slice(i, i + CHUNK))
      .execute();
    for (const row of taken) {
      const line = row.employee_id === null ? undefined : byEmployeeId.get(row.employee_id);
      if (line !== undefined)
        validator.error(line, 'employee_id', 'import.employee_id_exists', `A person with employee id ${row.employee_id} exists`);
    }
  }

  // Cards grouped by (format, facility code) so each query is one index range per group.
  const groups = new Map<string, Map<number, number>>();
  for (const person of validator.persons) {
    for (const card of person.cards) {
      const key = `${card.format}\u0000${card.facilityCode}`;
      let numbers = groups.get(key);
      if (!numbers) groups.set(key, (numbers = new Map<number, number>()));
      numbers.set(card.cardNumber, card.line);
    }
  }
  for (const [key, numbers] of groups) {
    const [format, fc] = key.split('\u0000') as [string, string];
    const facilityCode = Number(fc);
    const all = [...numbers.keys()];
    for (let i = 0; i < all.length; i += CHUNK) {
      const held = await db
        .selectFrom('person_credentials')
        .select(['id', 'card_number'])
        .where('card_format', '=', format)
        .where('facility_code', '=', facilityCode)
        .where('card_number', 'in', all.slice(i, i + CHUNK))
        .execute();
      for (const row of held) {
        const line = row.card_number === null ? undefined : numbers.get(Number(row.card_number));
        if (line !== undefined) {
          validator.error(
            line,
            'card_number',
            'import.card_duplicate',
            `The card is already credential ${row.id} under facility code ${facilityCode}`,
          );
        }
      }
    }
  }
}

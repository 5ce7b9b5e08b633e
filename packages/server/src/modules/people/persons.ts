/**
 * Persons: registration, changes and the lifecycle active ⇄ suspended → terminated (→ reinstated).
 * Every change is journaled in the transaction that makes it.
 */
import { newId } from '@vigil/core';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  likePattern,
  transact,
  type Page,
  type PeopleDeps,
  type SiteScope,
} from './context.js';
import type { RecordEvents } from '../audit/index.js';
import { peopleError } from './errors.js';
import { personCreated, personReinstated, personSuspended, personUpdated, present } from './events.js';
import { optionalInstant, toPerson } from './model.js';
import {
  checkDepartment,
  checkEmployeeIdFree,
  checkJobRoles,
  checkWindow,
  replaceJobRoles,
  replaceSites,
  requirePerson,
  requirePersonRow,
  sitesOfPerson,
  toPersons,
} from './person-store.js';
import type { Person, PersonCreate, PersonQuery, PersonUpdate } from './schemas.js';
import type { PersonsTable } from './tables.js';
import { terminatePerson } from './termination.js';
import type { PersonStatus } from './vocabulary.js';

const LIST = 'persons';

export class PersonService {
  constructor(private readonly deps: PeopleDeps) {}

  /** Persons visible within `scope`, ordered by family then given name; persons with no site are visible to all. */
  async list(query: PersonQuery, scope: SiteScope): Promise<Page<Person>> {
    let select = this.deps.db.selectFrom('persons').selectAll('persons');
    if (query.q) {
      const pattern = likePattern(query.q);
      const prefix = `${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where((eb) =>
        eb.or([
          sql<boolean>`lower(given_name || ' ' || family_name) like ${pattern} escape '\\'`,
          sql<boolean>`lower(family_name || ' ' || given_name) like ${pattern} escape '\\'`,
          sql<boolean>`lower(employee_id) like ${prefix} escape '\\'`,
        ]),
      );
    }
    if (query.kind) select = select.where('kind', '=', query.kind);
    if (query.status) select = select.where('status', '=', query.status);
    if (query.departmentId) select = select.where('department_id', '=', query.departmentId);
    if (query.site) {
      const site = query.site;
      select = select.where((eb) =>
        eb.exists(eb.selectFrom('person_sites').select('person_id').whereRef('person_id', '=', 'persons.id').where('site_id', '=', site)),
      );
    }
    if (scope !== 'all') {
      select = select.where((eb) => {
        const anySite = eb.selectFrom('person_sites').select('person_id').whereRef('person_id', '=', 'persons.id');
        return scope.length === 0
          ? eb.not(eb.exists(anySite))
          : eb.or([eb.exists(anySite.where('site_id', 'in', [...scope])), eb.not(eb.exists(anySite))]);
      });
    }
    if (query.cursor) {
      const [family, given, id] = decodeCursor(LIST, query.cursor, 3) as [string, string, string];
      select = select.where((eb) => eb(eb.refTuple('family_name', 'given_name', 'id'), '>', eb.tuple(family, given, id)));
    }
    const rows = await select
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await toPersons(this.deps.db, page),
      nextCursor: rows.length > query.limit && last ? encodeCursor(LIST, [last.family_name, last.given_name, last.id]) : null,
    };
  }

  async get(id: string): Promise<Person> {
    return requirePerson(this.deps.db, id);
  }

  /** For site-scoped access checks: the person's sites, home site first (empty if unknown). */
  async sitesOf(id: string): Promise<string[]> {
    return sitesOfPerson(this.deps.db, id);
  }

  async create(input: PersonCreate, source: string): Promise<Person> {
    checkWindow(input.validFrom, input.validUntil);
    const now = this.deps.clock().toISOString();
    const row: PersonsTable = {
      id: newId(),
      kind: input.kind,
      employee_id: input.employeeId ?? null,
      given_name: input.givenName.trim(),
      family_name: input.familyName.trim(),
      department_id: input.departmentId ?? null,
      status: 'active',
      status_reason: null,
      status_changed_at: now,
      valid_from: optionalInstant(input.validFrom),
      valid_until: optionalInstant(input.validUntil),
      created_at: now,
      updated_at: now,
    };
    const sites = input.sites ?? [];
    const jobRoleIds = input.jobRoleIds ?? [];
    return this.write(async (trx, record) => {
      await checkDepartment(trx, row.department_id);
      await checkJobRoles(trx, jobRoleIds);
      await checkEmployeeIdFree(trx, row.employee_id);
      await trx.insertInto('persons').values(row).execute();
      await replaceSites(trx, row.id, sites);
      await replaceJobRoles(trx, row.id, jobRoleIds);
      const person = toPerson(row, sites, [...jobRoleIds].sort());
      await record(
        trx,
        personCreated.draft(
          { site: sites[0] ?? null, source, subject: row.id },
          {
            kind: person.kind,
            status: 'active',
            jobRoleIds: person.jobRoleIds,
            sites,
            ...present({
              employeeId: person.employeeId,
              departmentId: person.departmentId,
              validFrom: person.validFrom,
              validUntil: person.validUntil,
            }),
          },
        ),
      );
      return person;
    }, row.employee_id);
  }

  async update(id: string, patch: PersonUpdate, source: string): Promise<Person> {
    return this.write(async (trx, record) => {
      const before = await requirePerson(trx, id);
      if (before.status === 'terminated')
        throw peopleError('people.person_terminated', 'A terminated person cannot be changed', { personId: id });
      const validFrom = patch.validFrom === undefined ? before.validFrom : optionalInstant(patch.validFrom);
      const validUntil = patch.validUntil === undefined ? before.validUntil : optionalInstant(patch.validUntil);
      checkWindow(validFrom, validUntil);
      if (patch.departmentId !== undefined) await checkDepartment(trx, patch.departmentId);
      if (patch.jobRoleIds !== undefined) await checkJobRoles(trx, patch.jobRoleIds);
      if (patch.employeeId !== undefined) await checkEmployeeIdFree(trx, patch.employeeId, id);

      const after: Person = {
        ...before,
        kind: patch.kind ?? before.kind,
        employeeId: patch.employeeId === undefined ? before.employeeId : patch.employeeId,
        givenName: patch.givenName?.trim() ?? before.givenName,
        familyName: patch.familyName?.trim() ?? before.familyName,
        departmentId: patch.departmentId === undefined ? before.departmentId : patch.departmentId,
        jobRoleIds: patch.jobRoleIds ? [...patch.jobRoleIds].sort() : before.jobRoleIds,
        sites: patch.sites ? [...patch.sites] : before.sites,
        validFrom,
        validUntil,
      };
      const changed = (Object.keys(after) as (keyof Person)[]).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
      if (changed.length === 0) return before;
      after.updatedAt = this.deps.clock().toISOString();
      await trx
        .updateTable('persons')
        .set({
          kind: after.kind,
          employee_id: after.employeeId,
          given_name: after.givenName,
          family_name: after.familyName,
          department_id: after.departmentId,
          valid_from: after.validFrom,
          valid_until: after.validUntil,
          updated_at: after.updatedAt,
        })
        .where('id', '=', id)
        .execute();
      if (changed.includes('sites')) await replaceSites(trx, id, after.sites);
      if (changed.includes('jobRoleIds')) await replaceJobRoles(trx, id, after.jobRoleIds);
      const values: Record<string, unknown> = {};
      for (const key of changed) if (key !== 'givenName' && key !== 'familyName') values[key] = after[key];
      await record(
        trx,
        personUpdated.draft({ site: after.sites[0] ?? before.sites[0] ?? null, source, subject: id }, { changed, ...values }),
      );
      return after;
    }, patch.employeeId ?? null);
  }

  async suspend(id: string, reason: string, source: string): Promise<Person> {
    return this.changeStatus(id, ['active'], 'suspended', reason, source);
  }

  /** Makes a suspended or terminated person active; credentials revoked at termination stay revoked. */
  async reinstate(id: string, reason: string | null, source: string): Promise<Person> {
    return this.changeStatus(id, ['suspended', 'terminated'], 'active', reason, source);
  }

  /** Terminates the person and disables every credential they hold, atomically. */
  async terminate(id: string, reason: string, source: string): Promise<Person> {
    return transact(this.deps, async (trx, record) => {
      const row = await requirePersonRow(trx, id);
      const sites = await sitesOfPerson(trx, id);
      const { drafts } = await terminatePerson(trx, row, sites, { source, reason, now: this.deps.clock(), correlationId: newId() });
      await record(trx, drafts);
      return requirePerson(trx, id);
    });
  }

  private async changeStatus(id: string, from: readonly PersonStatus[], to: PersonStatus, reason: string | null, source: string) {
    return transact(this.deps, async (trx, record) => {
      const row = await requirePersonRow(trx, id);
      const current = row.status as PersonStatus;
      if (!from.includes(current)) {
        throw peopleError('people.invalid_transition', `A person who is ${current} cannot become ${to} this way`, { from: current, to });
      }
      const now = this.deps.clock().toISOString();
      const updated = await trx
        .updateTable('persons')
        .set({ status: to, status_reason: reason, status_changed_at: now, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', current)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw peopleError('people.invalid_transition', 'The person changed state concurrently; retry', { from: current, to });
      }
      const sites = await sitesOfPerson(trx, id);
      const event = to === 'suspended' ? personSuspended : personReinstated;
      await record(trx, event.draft({ site: sites[0] ?? null, source, subject: id }, { from: current, reason }));
      return requirePerson(trx, id);
    });
  }

  /** Runs a write; a unique violation on the employee id (a concurrent insert) becomes the domain error. */
  private async write<T>(work: (trx: Transaction<Database>, record: RecordEvents) => Promise<T>, employeeId: string | null): Promise<T> {
    try {
      return await transact(this.deps, work);
    } catch (error) {
      if (!employeeId || !isUniqueViolation(error)) throw error;
      const holder = await this.deps.db.selectFrom('persons').select('id').where('employee_id', '=', employeeId).executeTakeFirst();
      throw peopleError('people.employee_id_taken', `Employee id ${employeeId} belongs to another person`, {
        personId: holder?.id ?? null,
      });
    }
  }
}

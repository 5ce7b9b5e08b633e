/**
 * Departments and job roles: named entries persons refer to. Both have the same shape and rules
 * (unique name, deletable only when no one refers to them), so one service serves both.
 */
import { newId, type EventDefinition } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { decodeCursor, encodeCursor, isUniqueViolation, transact, type Page, type PeopleDeps } from './context.js';
import type { RecordEvents } from '../audit/index.js';
import { peopleError, type peopleErrors } from './errors.js';
import { departmentCreated, departmentDeleted, departmentUpdated, jobRoleCreated, jobRoleDeleted, jobRoleUpdated } from './events.js';
import type { Executor } from './person-store.js';
import type { Department, DirectoryCreate, DirectoryUpdate } from './schemas.js';
import type { DepartmentsTable } from './tables.js';

type ErrorCode = keyof typeof peopleErrors;
type EntryEvent = EventDefinition<string, typeof departmentCreated.schema>;

interface DirectoryKind {
  /** Both tables share DepartmentsTable's columns; queries are typed through `departments`. */
  table: 'departments' | 'job_roles';
  noun: string;
  events: { created: EntryEvent; updated: EntryEvent; deleted: EntryEvent };
  errors: { notFound: ErrorCode; nameTaken: ErrorCode; inUse: ErrorCode };
  usage: (db: Executor, id: string) => Promise<number>;
}

export const DEPARTMENTS: DirectoryKind = {
  table: 'departments',
  noun: 'department',
  events: { created: departmentCreated, updated: departmentUpdated, deleted: departmentDeleted },
  errors: { notFound: 'people.department_not_found', nameTaken: 'people.department_name_taken', inUse: 'people.department_in_use' },
  usage: async (db, id) =>
    Number(
      (
        await db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('department_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    ),
};

export const JOB_ROLES: DirectoryKind = {
  table: 'job_roles',
  noun: 'job role',
  events: { created: jobRoleCreated, updated: jobRoleUpdated, deleted: jobRoleDeleted },
  errors: { notFound: 'people.job_role_not_found', nameTaken: 'people.job_role_name_taken', inUse: 'people.job_role_in_use' },
  usage: async (db, id) =>
    Number(
      (
        await db
          .selectFrom('person_job_roles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('job_role_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    ),
};

function toEntry(row: DepartmentsTable): Department {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at };
}

export class DirectoryService {
  constructor(
    private readonly deps: PeopleDeps,
    private readonly kind: DirectoryKind,
  ) {}

  /** Both tables have the departments row type, so queries are typed as if on `departments`. */
  private get table(): 'departments' {
    return this.kind.table as 'departments';
  }

  async list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Department>> {
    let select = this.deps.db.selectFrom(this.table).selectAll();
    if (page.cursor) {
      const [name, id] = decodeCursor(this.kind.table, page.cursor, 2) as [string, string];
      select = select.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(name, id)));
    }
    const rows = await select
      .orderBy('name')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toEntry),
      nextCursor: rows.length > page.limit && last ? encodeCursor(this.kind.table, [last.name, last.id]) : null,
    };
  }

  async get(id: string): Promise<Department> {
    return toEntry(await this.requireRow(this.deps.db, id));
  }

  async create(input: DirectoryCreate, source: string): Promise<Department> {
    const now = this.deps.clock().toISOString();
    const row: DepartmentsTable = {
      id: newId(),
      name: input.name.trim(),
      description: input.description ?? null,
      created_at: now,
      updated_at: now,
    };
    return this.write(row.name, async (trx, record) => {
      await this.checkNameFree(trx, row.name);
      await trx.insertInto(this.table).values(row).execute();
      await record(trx, this.kind.events.created.draft({ site: null, source, subject: row.id }, { name: row.name }));
      return toEntry(row);
    });
  }

  async update(id: string, patch: DirectoryUpdate, source: string): Promise<Department> {
    const name = patch.name?.trim();
    return this.write(name ?? null, async (trx, record) => {
      const before = await this.requireRow(trx, id);
      const after: DepartmentsTable = {
        ...before,
        name: name ?? before.name,
        description: patch.description === undefined ? before.description : patch.description,
      };
      if (after.name === before.name && after.description === before.description) return toEntry(before);
      if (after.name !== before.name) await this.checkNameFree(trx, after.name);
      after.updated_at = this.deps.clock().toISOString();
      await trx
        .updateTable(this.table)
        .set({ name: after.name, description: after.description, updated_at: after.updated_at })
        .where('id', '=', id)
        .execute();
      await record(trx, this.kind.events.updated.draft({ site: null, source, subject: id }, { name: after.name }));
      return toEntry(after);
    });
  }

  async remove(id: string, source: string): Promise<void> {
    await transact(this.deps, async (trx, record) => {
      const row = await this.requireRow(trx, id);
      const persons = await this.kind.usage(trx, id);
      if (persons > 0) {
        throw peopleError(this.kind.errors.inUse, `${persons} person(s) still refer to this ${this.kind.noun}`, { persons });
      }
      await trx.deleteFrom(this.table).where('id', '=', id).execute();
      await record(trx, this.kind.events.deleted.draft({ site: null, source, subject: id }, { name: row.name }));
    });
  }

  private async requireRow(db: Executor, id: string): Promise<DepartmentsTable> {
    const row = await db.selectFrom(this.table).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw peopleError(this.kind.errors.notFound, `No ${this.kind.noun} ${id}`, { id });
    return row;
  }

  private async checkNameFree(db: Executor, name: string): Promise<void> {
    const holder = await db.selectFrom(this.table).select('id').where('name', '=', name).executeTakeFirst();
    if (holder) throw peopleError(this.kind.errors.nameTaken, `A ${this.kind.noun} named ${name} exists`, { id: holder.id });
  }

  private async write<T>(name: string | null, work: (trx: Transaction<Database>, record: RecordEvents) => Promise<T>): Promise<T> {
    try {
      return await transact(this.deps, work);
    } catch (error) {
      if (name !== null && isUniqueViolation(error)) {
        throw peopleError(this.kind.errors.nameTaken, `A ${this.kind.noun} named ${name} exists`, { name });
      }
      throw error;
    }
  }
}

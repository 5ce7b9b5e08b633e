/**
 * Weekly schedules and holiday calendars of a site. A schedule is checked by compiling it with
 * the decision engine's own compiler before it is stored, so a schedule that is accepted here is
 * one every agent can run. Each change is journaled and marks the site's policy changed.
 */
import { compileSchedule, isVigilError, newId, type ScheduleInput } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { bumpRevision, isUniqueViolation, type AccessDeps, type Executor } from './context.js';
import { accessModuleError } from './errors.js';
import { holidayAdded, holidayRemoved, scheduleChanged, scheduleCreated, scheduleRemoved } from './events.js';
import { afterId, pageFrom, type Page, type PageRequest } from './page.js';
import type { Holiday, HolidayCreate, Schedule, ScheduleCreate, SchedulePatch } from './schemas.js';
import type { AccessHolidaysTable, AccessSchedulesTable } from './tables.js';

/** Called after a site's policy changed on this node (the snapshot cache is dropped). */
export type PolicyChanged = (siteId: string) => void;

function toSchedule(row: AccessSchedulesTable): Schedule {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    intervals: JSON.parse(row.intervals) as Schedule['intervals'],
    holidays: JSON.parse(row.holidays) as Schedule['holidays'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toHoliday(row: AccessHolidaysTable): Holiday {
  return { id: row.id, siteId: row.site_id, date: row.date, type: row.type, name: row.name, createdAt: row.created_at };
}

function assertCompiles(schedule: Pick<Schedule, 'id' | 'intervals' | 'holidays'>): void {
  try {
    const input: ScheduleInput = { id: schedule.id, intervals: schedule.intervals, holidays: schedule.holidays };
    compileSchedule(input, Object.keys(schedule.holidays));
  } catch (error) {
    if (!isVigilError(error)) throw error;
    throw accessModuleError('access_policy.schedule_invalid', error.message, { cause: error.code });
  }
}

export async function requireSiteExists(ex: Executor, siteId: string): Promise<void> {
  const site = await ex.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
  if (!site) throw accessModuleError('access_policy.other_site', `No site ${siteId}`, { siteId });
}

export class ScheduleService {
  constructor(
    private readonly deps: AccessDeps,
    private readonly changed: PolicyChanged,
  ) {}

  async list(siteId: string, page: PageRequest): Promise<Page<Schedule>> {
    let query = this.deps.db.selectFrom('access_schedules').selectAll().where('site_id', '=', siteId);
    const after = afterId('schedules', page.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    return pageFrom('schedules', page.limit, rows, toSchedule);
  }

  async get(id: string, ex: Executor = this.deps.db): Promise<Schedule> {
    const row = await ex.selectFrom('access_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw accessModuleError('access_policy.schedule_not_found', `No schedule ${id}`, { scheduleId: id });
    return toSchedule(row);
  }

  async siteOf(id: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_schedules').select('site_id').where('id', '=', id).executeTakeFirst();
    return row?.site_id ?? null;
  }

  async create(actor: string, input: ScheduleCreate): Promise<Schedule> {
    const now = this.deps.clock().toISOString();
    const schedule: Schedule = {
      id: newId(),
      siteId: input.siteId,
      name: input.name.trim(),
      intervals: input.intervals,
      holidays: input.holidays ?? {},
      createdAt: now,
      updatedAt: now,
    };
    assertCompiles(schedule);
    await this.write(schedule.siteId, async (trx) => {
      await requireSiteExists(trx, schedule.siteId);
      await trx.insertInto('access_schedules').values(this.row(schedule)).execute();
      await this.deps.record(trx, scheduleCreated.draft({ site: schedule.siteId, source: actor }, { schedule }));
    });
    return schedule;
  }

  async update(actor: string, id: string, patch: SchedulePatch): Promise<Schedule> {
    const before = await this.get(id);
    const after: Schedule = {
      ...before,
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.intervals !== undefined ? { intervals: patch.intervals } : {}),
      ...(patch.holidays !== undefined ? { holidays: patch.holidays } : {}),
      updatedAt: this.deps.clock().toISOString(),
    };
    assertCompiles(after);
    await this.write(before.siteId, async (trx) => {
      await trx.updateTable('access_schedules').set(this.row(after)).where('id', '=', id).execute();
      await this.deps.record(trx, scheduleChanged.draft({ site: before.siteId, source: actor }, { before, after }));
    });
    return after;
  }

  async remove(actor: string, id: string): Promise<void> {
    const schedule = await this.get(id);
    await this.write(schedule.siteId, async (trx) => {
      const inGroups = await trx.selectFrom('access_group_doors').select('group_id').where('schedule_id', '=', id).executeTakeFirst();
      const onDoors = await trx.selectFrom('access_door_modes').select('door_id').where('schedule_id', '=', id).executeTakeFirst();
      if (inGroups || onDoors) {
        throw accessModuleError('access_policy.schedule_in_use', `Schedule ${schedule.name} is still used`, {
          groupId: inGroups?.group_id ?? null,
          doorId: onDoors?.door_id ?? null,
        });
      }
      await trx.deleteFrom('access_schedules').where('id', '=', id).execute();
      await this.deps.record(trx, scheduleRemoved.draft({ site: schedule.siteId, source: actor }, { id, name: schedule.name }));
    });
  }

  async listHolidays(siteId: string, page: PageRequest): Promise<Page<Holiday>> {
    let query = this.deps.db.selectFrom('access_holidays').selectAll().where('site_id', '=', siteId);
    const after = afterId('holidays', page.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    return pageFrom('holidays', page.limit, rows, toHoliday);
  }

  async addHoliday(actor: string, siteId: string, input: HolidayCreate): Promise<Holiday> {
    const holiday: Holiday = {
      id: newId(),
      siteId,
      date: input.date,
      type: input.type,
      name: input.name.trim(),
      createdAt: this.deps.clock().toISOString(),
    };
    await this.write(siteId, async (trx) => {
      await requireSiteExists(trx, siteId);
      await trx
        .insertInto('access_holidays')
        .values({
          id: holiday.id,
          site_id: siteId,
          date: holiday.date,
          type: holiday.type,
          name: holiday.name,
          created_at: holiday.createdAt,
        })
        .execute();
      await this.deps.record(trx, holidayAdded.draft({ site: siteId, source: actor }, { holiday }));
    });
    return holiday;
  }

  async removeHoliday(actor: string, siteId: string, holidayId: string): Promise<void> {
    await this.write(siteId, async (trx) => {
      const row = await trx
        .selectFrom('access_holidays')
        .selectAll()
        .where('id', '=', holidayId)
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      if (!row) throw accessModuleError('access_policy.holiday_not_found', `No holiday ${holidayId} on site ${siteId}`, { holidayId });
      await trx.deleteFrom('access_holidays').where('id', '=', holidayId).execute();
      await this.deps.record(trx, holidayRemoved.draft({ site: siteId, source: actor }, { holiday: toHoliday(row) }));
    });
  }

  private row(schedule: Schedule): AccessSchedulesTable {
    return {
      id: schedule.id,
      site_id: schedule.siteId,
      name: schedule.name,
      intervals: JSON.stringify(schedule.intervals),
      holidays: JSON.stringify(schedule.holidays),
      created_at: schedule.createdAt,
      updated_at: schedule.updatedAt,
    };
  }

  private async write(siteId: string, work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await work(trx);
        await bumpRevision(trx, siteId);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const { message, constraint } = error as { message?: unknown; constraint?: unknown };
      const holiday = /holiday/.test(`${typeof message === 'string' ? message : ''} ${typeof constraint === 'string' ? constraint : ''}`);
      throw holiday
        ? accessModuleError('access_policy.holiday_exists', 'The site already has a holiday of this type on this date')
        : accessModuleError('access_policy.name_taken', 'Another schedule of the site has this name');
    }
    this.changed(siteId);
  }
}

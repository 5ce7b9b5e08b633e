/**
 * Shelving fights alarm fatigue without losing anything: an operator shelves a chattering source
 * (one alarm type from one device, door or zone) with a reason and an expiry. Its open alarms and
 * any new ones are recorded as usual but neither escalate nor show in the default queue; when the
 * shelf expires (or is released) they come back. Priority 1 (life-safety) alarms are never shelved.
 */
import { newId } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { commit, type AlarmsContext } from './context.js';
import { alarmError } from './errors.js';
import { alarmShelved, alarmUnshelved } from './events.js';
import type { Shelf } from './model.js';
import { sourceKeyOf, toShelf } from './rows.js';
import type { AlarmShelvesTable } from './tables.js';

export interface ShelveInput {
  readonly reason: string;
  readonly minutes: number;
}

export class AlarmShelving {
  constructor(
    private readonly ctx: AlarmsContext,
    private readonly maxMinutes: number,
  ) {}

  async shelve(actor: string, alarmId: string, input: ShelveInput): Promise<Shelf> {
    if (input.minutes > this.maxMinutes) {
      throw alarmError('alarms.shelve_too_long', `A shelf may last at most ${this.maxMinutes} minutes`, { maxMinutes: this.maxMinutes });
    }
    return commit(this.ctx, async (trx) => {
      const alarm = await trx.selectFrom('alarms').selectAll().where('id', '=', alarmId).executeTakeFirst();
      if (!alarm) throw alarmError('alarms.not_found', `No alarm ${alarmId}`, { alarm: alarmId });
      if (alarm.priority === 1 || alarm.shelf_id !== null || !['new', 'acknowledged', 'assigned'].includes(alarm.state)) {
        throw alarmError('alarms.cannot_shelve', `Alarm ${alarmId} cannot be shelved (priority ${alarm.priority}, ${alarm.state})`, {
          priority: alarm.priority,
          state: alarm.state,
        });
      }
      const now = this.ctx.clock();
      const row: AlarmShelvesTable = {
        id: newId(),
        site_id: alarm.site_id,
        alarm_type: alarm.type,
        source_key: sourceKeyOf(alarm),
        reason: input.reason,
        shelved_by: actor,
        shelved_at: now.toISOString(),
        expires_at: new Date(now.getTime() + input.minutes * 60_000).toISOString(),
        released_at: null,
        released_by: null,
      };
      await trx.insertInto('alarm_shelves').values(row).execute();
      const covered = await this.openAlarmsOf(trx, row);
      if (covered.length > 0) {
        await trx
          .updateTable('alarms')
          .set({ shelf_id: row.id, escalate_at: null, updated_at: row.shelved_at })
          .where('id', 'in', covered)
          .execute();
      }
      const shelf = toShelf(row);
      return {
        result: shelf,
        events: [
          alarmShelved.draft(
            { site: row.site_id, zone: alarm.zone_id, door: alarm.door_id, source: actor, correlationId: row.id },
            { shelf, alarmIds: covered },
          ),
        ],
      };
    });
  }

  /** Ends a shelf early; its alarms return to the queue and resume escalating. */
  release(actor: string, shelfId: string): Promise<Shelf> {
    return this.end(shelfId, actor, false);
  }

  /** Releases every shelf past its expiry; returns how many. Safe to run on every node at once. */
  async expireDue(): Promise<number> {
    const now = this.ctx.clock().toISOString();
    const due = await this.ctx.db
      .selectFrom('alarm_shelves')
      .select('id')
      .where('released_at', 'is', null)
      .where('expires_at', '<=', now)
      .limit(100)
      .execute();
    let ended = 0;
    for (const { id } of due) {
      try {
        await this.end(id, 'system:alarm-shelving', true);
        ended++;
      } catch (e) {
        // Another node released it first.
        this.ctx.logger.debug({ err: e, shelf: id }, 'shelf already released');
      }
    }
    return ended;
  }

  async list(options: { sites: 'all' | readonly string[]; active: boolean }): Promise<Shelf[]> {
    if (options.sites !== 'all' && options.sites.length === 0) return [];
    let query = this.ctx.db.selectFrom('alarm_shelves').selectAll();
    if (options.sites !== 'all') query = query.where('site_id', 'in', [...options.sites]);
    if (options.active) query = query.where('released_at', 'is', null);
    return (await query.orderBy('id', 'desc').limit(500).execute()).map(toShelf);
  }

  async siteOf(shelfId: string): Promise<string | null | undefined> {
    const row = await this.ctx.db.selectFrom('alarm_shelves').select('site_id').where('id', '=', shelfId).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  private end(shelfId: string, actor: string, expired: boolean): Promise<Shelf> {
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      const row = await trx
        .updateTable('alarm_shelves')
        .set({ released_at: now, released_by: actor })
        .where('id', '=', shelfId)
        .where('released_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw alarmError('alarms.shelf_not_found', `No active shelf ${shelfId}`, { shelf: shelfId });
      const alarms = await trx.selectFrom('alarms').select(['id', 'state']).where('shelf_id', '=', shelfId).execute();
      if (alarms.length > 0) {
        await trx.updateTable('alarms').set({ shelf_id: null, updated_at: now }).where('shelf_id', '=', shelfId).execute();
        // Unacknowledged alarms resume their escalation chain where it stood.
        const unacknowledged = alarms.filter((a) => a.state === 'new').map((a) => a.id);
        if (unacknowledged.length > 0)
          await trx.updateTable('alarms').set({ escalate_at: now }).where('id', 'in', unacknowledged).execute();
      }
      const shelf = toShelf(row);
      return {
        result: shelf,
        events: [
          alarmUnshelved.draft(
            { site: row.site_id, source: actor, correlationId: row.id },
            { shelf, alarmIds: alarms.map((a) => a.id), expired },
          ),
        ],
      };
    });
  }

  private async openAlarmsOf(trx: Transaction<Database>, shelf: AlarmShelvesTable): Promise<string[]> {
    const rows = await trx
      .selectFrom('alarms')
      .select(['id', 'device', 'door_id', 'zone_id'])
      .where('type', '=', shelf.alarm_type)
      .where('state', 'in', ['new', 'acknowledged', 'assigned'])
      .where('shelf_id', 'is', null)
      .where((eb) => (shelf.site_id === null ? eb('site_id', 'is', null) : eb('site_id', '=', shelf.site_id)))
      .execute();
    return rows.filter((r) => sourceKeyOf(r) === shelf.source_key).map((r) => r.id);
  }
}

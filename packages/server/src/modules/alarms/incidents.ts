/**
 * Incidents group correlated alarms (door forced + motion + glass break in one zone within a
 * minute is one break-in, not three alarms). The correlation itself is decided by automation; this
 * keeps the grouping consistent when several nodes correlate the same alarms at once: an open
 * incident of the same kind in the zone absorbs new alarms, and a new incident is keyed by its
 * first alarm so a second node's attempt finds the first one's.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { commit, isUniqueViolation, type AlarmsContext } from './context.js';
import { alarmError } from './errors.js';
import { incidentAlarmAdded, incidentClosed, incidentOpened } from './events.js';
import type { Incident, Page } from './model.js';
import { toIncident } from './rows.js';
import type { IncidentsTable } from './tables.js';

export interface GroupAlarms {
  readonly siteId: string | null;
  readonly zoneId: string | null;
  readonly kind: string;
  readonly title: string;
  readonly priority: number;
  /** The correlated alarms, oldest first. */
  readonly alarmIds: readonly string[];
  /** An open incident whose last alarm is at or after this instant absorbs these alarms. */
  readonly windowStart: string;
  /** The correlation that matched (for the record). */
  readonly rule: string;
  readonly source: string;
}

export class AlarmIncidents {
  constructor(private readonly ctx: AlarmsContext) {}

  async group(input: GroupAlarms): Promise<Incident> {
    try {
      return await this.tryGroup(input);
    } catch (e) {
      // Another node opened the same incident between our look-up and our insert: join it.
      if (!isUniqueViolation(e)) throw e;
      return this.tryGroup(input);
    }
  }

  async get(id: string): Promise<Incident> {
    const row = await this.ctx.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw alarmError('alarms.incident_not_found', `No incident ${id}`, { incident: id });
    return toIncident(row, await this.memberIds(this.ctx.db, id));
  }

  async siteOf(id: string): Promise<string | null | undefined> {
    const row = await this.ctx.db.selectFrom('incidents').select('site_id').where('id', '=', id).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  async list(options: {
    sites: 'all' | readonly string[];
    open?: boolean | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<Incident>> {
    if (options.sites !== 'all' && options.sites.length === 0) return { items: [], nextCursor: null };
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    let query = this.ctx.db.selectFrom('incidents').selectAll();
    if (options.sites !== 'all') query = query.where('site_id', 'in', [...options.sites]);
    if (options.open !== undefined) query = query.where('state', '=', options.open ? 'open' : 'closed');
    if (options.cursor) query = query.where('id', '<', Buffer.from(options.cursor, 'base64url').toString('utf8'));
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map(async (r) => toIncident(r, await this.memberIds(this.ctx.db, r.id))));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null };
  }

  close(actor: string, id: string, note: string | null): Promise<Incident> {
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw alarmError('alarms.incident_not_found', `No incident ${id}`, { incident: id });
      const closed = await trx
        .updateTable('incidents')
        .set({ state: 'closed', closed_at: now, closed_by: actor, close_note: note })
        .where('id', '=', id)
        .where('state', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (!closed) throw alarmError('alarms.incident_closed', `Incident ${id} is already closed`, { incident: id });
      const incident = toIncident(closed, await this.memberIds(trx, id));
      return {
        result: incident,
        events: [incidentClosed.draft({ site: row.site_id, zone: row.zone_id, source: actor, correlationId: id }, { incident })],
      };
    });
  }

  private tryGroup(input: GroupAlarms): Promise<Incident> {
    return commit(this.ctx, async (trx) => {
      const open = await trx
        .selectFrom('incidents')
        .selectAll()
        .where('state', '=', 'open')
        .where('kind', '=', input.kind)
        .where('last_alarm_at', '>=', input.windowStart)
        .where((eb) => (input.zoneId === null ? eb('zone_id', 'is', null) : eb('zone_id', '=', input.zoneId)))
        .where((eb) => (input.siteId === null ? eb('site_id', 'is', null) : eb('site_id', '=', input.siteId)))
        .orderBy('opened_at', 'desc')
        .executeTakeFirst();
      const candidates = await trx
        .selectFrom('alarms')
        .select(['id', 'raised_at', 'incident_id'])
        .where('id', 'in', [...input.alarmIds])
        .execute();
      const free = candidates.filter((a) => a.incident_id === null);
      const latest = candidates.reduce((max, a) => (a.raised_at > max ? a.raised_at : max), input.windowStart);
      const envelope = { site: input.siteId, zone: input.zoneId, source: input.source };
      let incident: IncidentsTable;
      const events: EventDraft[] = [];
      if (open) {
        incident = { ...open, last_alarm_at: latest > open.last_alarm_at ? latest : open.last_alarm_at };
        await trx.updateTable('incidents').set({ last_alarm_at: incident.last_alarm_at }).where('id', '=', open.id).execute();
      } else {
        const first = [...candidates].sort((a, b) => a.raised_at.localeCompare(b.raised_at) || a.id.localeCompare(b.id))[0];
        incident = {
          id: newId(),
          site_id: input.siteId,
          zone_id: input.zoneId,
          kind: input.kind,
          title: input.title,
          priority: input.priority,
          state: 'open',
          opened_at: this.ctx.clock().toISOString(),
          last_alarm_at: latest,
          closed_at: null,
          closed_by: null,
          close_note: null,
          dedupe_key: `${input.kind}:${input.zoneId ?? input.siteId ?? '*'}:${first?.id ?? newId()}`,
        };
        await trx.insertInto('incidents').values(incident).execute();
      }
      if (free.length > 0) {
        await trx
          .updateTable('alarms')
          .set({ incident_id: incident.id })
          .where(
            'id',
            'in',
            free.map((a) => a.id),
          )
          .where('incident_id', 'is', null)
          .execute();
      }
      const result = toIncident(incident, await this.memberIds(trx, incident.id));
      if (open) {
        for (const a of free)
          events.push(incidentAlarmAdded.draft({ ...envelope, correlationId: incident.id }, { incident: result, alarmId: a.id }));
      } else {
        events.push(incidentOpened.draft({ ...envelope, correlationId: incident.id }, { incident: result, rule: input.rule }));
      }
      return { result, events };
    });
  }

  private async memberIds(ex: Transaction<Database> | AlarmsContext['db'], incidentId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('alarms')
      .select('id')
      .where('incident_id', '=', incidentId)
      .orderBy('raised_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }
}

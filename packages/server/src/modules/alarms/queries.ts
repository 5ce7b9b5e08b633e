/**
 * Reading alarms: one alarm with its procedure, the operator queue (priority first, newest first
 * within a priority, keyset-paginated), recent alarms for correlation, and false-alarm rates.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { kernelError } from '../../kernel/errors.js';
import { alarmError } from './errors.js';
import type { Alarm, AlarmSummary, FalseAlarmRate, Page } from './model.js';
import { toAlarm, toSummary } from './rows.js';
import type { AlarmState } from './tables.js';

export interface AlarmListOptions {
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** Sites the caller may see: `'all'` or a list (an empty list sees nothing). */
  readonly sites: 'all' | readonly string[];
  readonly siteId?: string | undefined;
  /** Only these states; default: every state but closed. */
  readonly states?: readonly AlarmState[] | undefined;
  /** true: only shelved; false: only unshelved; absent: both. */
  readonly shelved?: boolean | undefined;
  readonly maxPriority?: number | undefined;
  readonly type?: string | undefined;
}

const LIST = 'alarms';

function encodeCursor(priority: number, id: string): string {
  return Buffer.from(JSON.stringify({ l: LIST, p: priority, k: id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): { p: number; k: string } | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { l, p, k } = (parsed ?? {}) as { l?: unknown; p?: unknown; k?: unknown };
  if (l !== LIST || typeof p !== 'number' || typeof k !== 'string') {
    throw kernelError('page.invalid_cursor', 'The cursor does not belong to the alarms list', { list: LIST });
  }
  return { p, k };
}

export class AlarmQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<Alarm> {
    const row = await this.db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw alarmError('alarms.not_found', `No alarm ${id}`, { alarm: id });
    const steps = await this.db.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', id).execute();
    return toAlarm(row, steps);
  }

  /** The site an alarm belongs to, for the API's site check (undefined: no such alarm). */
  async siteOf(id: string): Promise<string | null | undefined> {
    const row = await this.db.selectFrom('alarms').select('site_id').where('id', '=', id).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  async list(options: AlarmListOptions): Promise<Page<AlarmSummary>> {
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    if (options.sites !== 'all' && options.sites.length === 0) return { items: [], nextCursor: null };
    const after = decodeCursor(options.cursor);
    let query = this.db.selectFrom('alarms').selectAll();
    if (options.sites !== 'all') query = query.where('site_id', 'in', [...options.sites]);
    if (options.siteId) query = query.where('site_id', '=', options.siteId);
    const states = options.states ?? (['new', 'acknowledged', 'assigned', 'resolved'] as const);
    query = query.where('state', 'in', [...states]);
    if (options.shelved === true) query = query.where('shelf_id', 'is not', null);
    if (options.shelved === false) query = query.where('shelf_id', 'is', null);
    if (options.maxPriority !== undefined) query = query.where('priority', '<=', options.maxPriority);
    if (options.type) query = query.where('type', '=', options.type);
    if (after) {
      query = query.where((eb) => eb.or([eb('priority', '>', after.p), eb.and([eb('priority', '=', after.p), eb('id', '<', after.k)])]));
    }
    const rows = await query
      .orderBy('priority', 'asc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor(last.priority, last.id) : null };
  }

  /** Alarms of these types raised since `since` on the site (and in the zone, when given). */
  async recent(filter: { siteId: string | null; zoneId: string | null; types: readonly string[]; since: string }): Promise<AlarmSummary[]> {
    if (filter.types.length === 0) return [];
    let query = this.db
      .selectFrom('alarms')
      .selectAll()
      .where('type', 'in', [...filter.types])
      .where('raised_at', '>=', filter.since)
      .where('false_alarm', '=', 0);
    query = query.where((eb) => (filter.siteId === null ? eb('site_id', 'is', null) : eb('site_id', '=', filter.siteId)));
    if (filter.zoneId !== null) query = query.where('zone_id', '=', filter.zoneId);
    const rows = await query.orderBy('raised_at').orderBy('id').limit(500).execute();
    return rows.map(toSummary);
  }

  /**
   * Per reporting device: alarms resolved in the period and how many were false. Devices with
   * fewer than `minAlarms` are left out (a rate over two alarms says little); highest rate first.
   */
  async falseAlarmRates(options: {
    sites: 'all' | readonly string[];
    since: string;
    until: string;
    minAlarms: number;
  }): Promise<FalseAlarmRate[]> {
    if (options.sites !== 'all' && options.sites.length === 0) return [];
    let query = this.db
      .selectFrom('alarms')
      .select((eb) => ['device', 'site_id', eb.fn.countAll<number>().as('alarms'), eb.fn.sum<number>('false_alarm').as('false_alarms')])
      .where('device', 'is not', null)
      .where('state', 'in', ['resolved', 'closed'])
      .where('raised_at', '>=', options.since)
      .where('raised_at', '<', options.until)
      .groupBy(['device', 'site_id']);
    if (options.sites !== 'all') query = query.where('site_id', 'in', [...options.sites]);
    const rows = await query.execute();
    return rows
      .map((r) => ({ device: r.device!, siteId: r.site_id, alarms: Number(r.alarms), falseAlarms: Number(r.false_alarms ?? 0) }))
      .filter((r) => r.alarms >= options.minAlarms)
      .map((r) => ({ ...r, rate: r.alarms === 0 ? 0 : r.falseAlarms / r.alarms }))
      .sort((a, b) => b.rate - a.rate || b.alarms - a.alarms || a.device.localeCompare(b.device));
  }
}

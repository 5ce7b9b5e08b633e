/**
 * Reads the journal for the console and the API: filtered, newest first (by seq, the order events
 * were recorded), with an opaque cursor so pages stay stable while events keep arriving.
 */
import { createHash } from 'node:crypto';
import type { VigilEvent } from '@vigil/core';
import { kernelError } from '../../kernel/errors.js';
import { canonicalJson } from './chain.js';
import { auditError } from './errors.js';
import { rowToEvent, type Executor } from './journal.js';
import type { JournalEventsTable } from './tables.js';

export interface JournalQuery {
  /** Events that happened at or after this instant. */
  from?: Date;
  /** Events that happened before this instant. */
  to?: Date;
  sites?: readonly string[];
  types?: readonly string[];
  subject?: string;
  door?: string;
  zone?: string;
  /** Page size, 1–1000 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page, with the same filters. */
  cursor?: string;
}

export interface JournalEntry extends VigilEvent {
  /** Position in the journal. */
  readonly seq: number;
  /** When the journal recorded the event (`at` is when it happened, possibly earlier at the edge). */
  readonly recordedAt: Date;
}

export interface JournalPage {
  events: JournalEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export async function searchJournal(db: Executor, query: JournalQuery): Promise<JournalPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw auditError('audit.query_invalid', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { limit });
  }
  const from = instant('from', query.from);
  const to = instant('to', query.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw auditError('audit.query_invalid', '`from` is after `to`', { from, to });
  }
  const filter = fingerprint(query);
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, filter);

  let select = db.selectFrom('journal_events').selectAll();
  if (before !== undefined) select = select.where('seq', '<', before);
  if (from !== undefined) select = select.where('at', '>=', from);
  if (to !== undefined) select = select.where('at', '<', to);
  // An empty list of sites or types matches nothing (an operator scoped to no site sees nothing).
  if (query.sites?.length === 0 || query.types?.length === 0) return { events: [], nextCursor: null };
  if (query.sites !== undefined) select = select.where('site', 'in', [...query.sites]);
  if (query.types !== undefined) select = select.where('type', 'in', [...query.types]);
  if (query.subject !== undefined) {
    // The event's own subject, or one of the further subjects a batch event names. Written as one
    // set of seqs rather than an OR: PostgreSQL cannot use an index for `subject = ? OR seq IN
    // (…)` and scans the whole journal backwards; the union reads two indexes.
    const subject = query.subject;
    select = select.where((eb) =>
      eb(
        'seq',
        'in',
        eb
          .selectFrom('journal_events as own')
          .select('own.seq')
          .where('own.subject', '=', subject)
          .unionAll(eb.selectFrom('journal_event_subjects').select('seq').where('subject', '=', subject)),
      ),
    );
  }
  if (query.door !== undefined) select = select.where('door', '=', query.door);
  if (query.zone !== undefined) select = select.where('zone', '=', query.zone);
  const rows = await select
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map(rowToEntry),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq, filter) : null,
  };
}

/** One event by id; throws `audit.event_not_found`. */
export async function getEvent(db: Executor, id: string): Promise<JournalEntry> {
  const row = await db.selectFrom('journal_events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw auditError('audit.event_not_found', `No journal event ${id}`, { id });
  return rowToEntry(row);
}

export function rowToEntry(row: JournalEventsTable): JournalEntry {
  return { ...rowToEvent(row), seq: row.seq, recordedAt: new Date(row.recorded_at) };
}

function instant(name: string, value: Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(value.getTime())) throw auditError('audit.query_invalid', `${name} is not a valid instant`);
  return value.toISOString();
}

/** Ties a cursor to its filters, so a cursor reused with other filters is rejected instead of skipping events. */
function fingerprint(query: JournalQuery): string {
  const filters = {
    from: query.from?.toISOString() ?? null,
    to: query.to?.toISOString() ?? null,
    sites: query.sites ? [...query.sites].sort() : null,
    types: query.types ? [...query.types].sort() : null,
    subject: query.subject ?? null,
    door: query.door ?? null,
    zone: query.zone ?? null,
  };
  return createHash('sha256').update(canonicalJson(filters)).digest('base64url').slice(0, 16);
}

const CURSOR_PATTERN = /^j1\.(\d{1,16})\.([A-Za-z0-9_-]{16})$/;

function encodeCursor(seq: number, filter: string): string {
  return Buffer.from(`j1.${seq}.${filter}`).toString('base64url');
}

function decodeCursor(cursor: string, filter: string): number {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[2] !== filter) {
    throw kernelError('page.invalid_cursor', 'The cursor is malformed or was issued for other filters', { cursor });
  }
  return Number(match[1]);
}

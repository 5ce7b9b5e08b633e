/**
 * Appends events to the hash-chained journal inside the caller's transaction, so a state change
 * and the event that records it commit (or roll back) together.
 */
import { newId, type EventCatalogue, type EventDraft, type VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import { BulkInsert, dialectOf, type BulkColumns } from '../../storage/bulk-insert.js';
import type { Dialect } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import { canonicalJson, recordHash, type ChainedRecord } from './chain.js';
import { insertIfTipUnchanged, insertMovingHead } from './postgres-append.js';
import type { JournalEventSubjectsTable, JournalEventsTable } from './tables.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** The port other modules receive: record facts in the transaction they are already in. */
export type RecordEvents = (trx: Transaction<Database>, drafts: EventDraft | readonly EventDraft[]) => Promise<VigilEvent[]>;

/** Called inside the append transaction after each batch, with the new tip (checkpoints hook in here). */
export type AfterAppend = (trx: Transaction<Database>, tip: { seq: number; hash: string; previousSeq: number }) => Promise<void>;

export interface JournalOptions {
  catalogue: EventCatalogue;
  clock?: () => Date;
  afterAppend?: AfterAppend;
  /**
   * The database dialect (`handle.dialect`); read from the transaction when omitted. On
   * PostgreSQL an append usually takes one statement (see append).
   */
  dialect?: Dialect;
}

const STALE_BACKOFF_APPENDS = 16;

/** Ids looked up per query when drafts carry their own ids. */
const LOOKUP_CHUNK = 1000;

const JOURNAL_COLUMNS: BulkColumns<JournalEventsTable> = {
  seq: 'bigint',
  id: 'text',
  type: 'text',
  at: 'text',
  recorded_at: 'text',
  site: 'text',
  source: 'text',
  subject: 'text',
  zone: 'text',
  door: 'text',
  correlation_id: 'text',
  data: 'text',
  prev_hash: 'text',
  hash: 'text',
};

const SUBJECT_COLUMNS: BulkColumns<JournalEventSubjectsTable> = { subject: 'text', seq: 'bigint' };

interface Tip {
  seq: number;
  hash: string;
}

interface ChainedBatch {
  rows: JournalEventsTable[];
  /** Further subjects of the new events (EventCatalogue.subjectsOf), indexed for search. */
  subjects: JournalEventSubjectsTable[];
  events: VigilEvent[];
  head: { seq: number; hash: string; updated_at: string };
}

export class Journal {
  private readonly catalogue: EventCatalogue;
  private readonly clock: () => Date;
  private readonly afterAppend: AfterAppend | undefined;
  private readonly dialect: Dialect | undefined;
  private readonly inserts = new Map<
    Dialect,
    { events: BulkInsert<JournalEventsTable>; subjects: BulkInsert<JournalEventSubjectsTable> }
  >();
  /** The tip this instance last wrote (PostgreSQL only; see append). */
  private tip: Tip | undefined;
  /** Appends left before the remembered tip is tried again, after it turned out stale. */
  private staleBackoff = 0;

  constructor(options: JournalOptions) {
    this.catalogue = options.catalogue;
    this.clock = options.clock ?? (() => new Date());
    this.afterAppend = options.afterAppend;
    this.dialect = options.dialect;
  }

  /** The port handed to modules; bound so it can be passed around as a function. */
  readonly record: RecordEvents = (trx, drafts) => this.append(trx, Array.isArray(drafts) ? drafts : [drafts as EventDraft]);

  /** Appends in one transaction of its own. */
  async appendNow(db: Kysely<Database>, drafts: readonly EventDraft[]): Promise<VigilEvent[]> {
    return db.transaction().execute((trx) => this.append(trx, drafts));
  }

  /**
   * Validates every draft before writing anything, then extends the chain. Drafts that carry an
   * id already stored (an edge agent re-delivering after a lost acknowledgement) are skipped and
   * the stored event is returned instead, so delivery is idempotent. A batch of any size is
   * chained in one pass and written in as few statements as the dialect allows
   * (storage/bulk-insert.ts).
   */
  async append(trx: Transaction<Database>, drafts: readonly EventDraft[]): Promise<VigilEvent[]> {
    if (drafts.length === 0) return [];
    for (const draft of drafts) this.catalogue.validate(draft);
    const recordedDate = this.clock();
    const dialect = this.dialect ?? dialectOf(trx);
    const insert = this.insertFor(dialect);

    // PostgreSQL, common case: this node appended last, so the tip it remembers is still the
    // tip. The batch is chained on it and written in one statement that moves the head only if
    // it is still there (checked under the row lock); otherwise nothing is written and the batch
    // is chained again below on the locked tip. When several nodes append in turn the remembered
    // tip is mostly stale, so after a miss the locked path is used for a while instead.
    let remembered: Tip | undefined;
    if (this.staleBackoff > 0) this.staleBackoff--;
    else if (dialect === 'postgres') remembered = this.tip;
    if (remembered) {
      const batch = this.chain(drafts, await this.findExisting(trx, drafts), remembered, recordedDate);
      if (batch.rows.length === 0) return batch.events;
      if (
        batch.rows.length <= insert.events.rowsPerStatement &&
        (await insertIfTipUnchanged(trx, insert.events, remembered, batch.rows, batch.head))
      ) {
        await insert.subjects.run(trx, batch.subjects);
        return this.appended(trx, batch, remembered.seq);
      }
      this.staleBackoff = STALE_BACKOFF_APPENDS;
    }

    // Taking the row lock first serialises appenders across processes and nodes. SQLite has no
    // row locks: a no-op UPDATE makes it take its write lock before the tip is read.
    const head =
      dialect === 'postgres'
        ? await trx.selectFrom('journal_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow()
        : await trx
            .updateTable('journal_head')
            .set((eb) => ({ seq: eb.ref('seq') }))
            .where('id', '=', 1)
            .returning(['seq', 'hash'])
            .executeTakeFirstOrThrow();
    const batch = this.chain(drafts, await this.findExisting(trx, drafts), head, recordedDate);
    if (batch.rows.length === 0) return batch.events;
    if (dialect === 'postgres') await insertMovingHead(trx, insert.events, batch.rows, batch.head);
    else {
      await insert.events.run(trx, batch.rows);
      await trx.updateTable('journal_head').set(batch.head).where('id', '=', 1).execute();
    }
    await insert.subjects.run(trx, batch.subjects);
    return this.appended(trx, batch, head.seq);
  }

  private insertFor(dialect: Dialect) {
    let insert = this.inserts.get(dialect);
    if (!insert) {
      insert = {
        events: new BulkInsert('journal_events', JOURNAL_COLUMNS, dialect),
        subjects: new BulkInsert('journal_event_subjects', SUBJECT_COLUMNS, dialect),
      };
      this.inserts.set(dialect, insert);
    }
    return insert;
  }

  private async appended(trx: Transaction<Database>, batch: ChainedBatch, previousSeq: number): Promise<VigilEvent[]> {
    // Remembered before the transaction commits: if it rolls back, the next append finds the
    // head elsewhere and takes the locked path, so a stale tip costs a retry, never a bad link.
    this.tip = { seq: batch.head.seq, hash: batch.head.hash };
    await this.afterAppend?.(trx, { seq: batch.head.seq, hash: batch.head.hash, previousSeq });
    return batch.events;
  }

  /** Chains the new drafts onto `tip`: the rows to insert, the head after them, and the events to return. */
  private chain(drafts: readonly EventDraft[], existing: Map<string, VigilEvent>, tip: Tip, recordedDate: Date): ChainedBatch {
    const recordedAt = recordedDate.toISOString();
    let { seq, hash } = tip;
    const rows: JournalEventsTable[] = [];
    const subjects: JournalEventSubjectsTable[] = [];
    const events: VigilEvent[] = [];
    const seenIds = new Set<string>();
    for (const draft of drafts) {
      const already = draft.id ? existing.get(draft.id) : undefined;
      if (already) {
        events.push(already);
        continue;
      }
      if (draft.id) {
        if (seenIds.has(draft.id)) continue;
        seenIds.add(draft.id);
      }
      const record: ChainedRecord = {
        seq: ++seq,
        id: draft.id ?? newId(),
        type: draft.type,
        at: draft.at ? draft.at.toISOString() : recordedAt,
        recordedAt,
        site: draft.site ?? null,
        source: draft.source,
        subject: draft.subject ?? null,
        zone: draft.zone ?? null,
        door: draft.door ?? null,
        correlationId: draft.correlationId ?? null,
        data: canonicalJson(draft.data ?? {}),
      };
      const prevHash = hash;
      hash = recordHash(prevHash, record);
      rows.push(toRow(record, prevHash, hash));
      events.push(toEvent(record, draft.at ?? recordedDate, draft.data));
      const further = this.catalogue.subjectsOf(draft.type);
      if (further) for (const subject of furtherSubjects(further, draft.data, record.subject)) subjects.push({ subject, seq: record.seq });
    }
    return { rows, subjects, events, head: { seq, hash, updated_at: recordedAt } };
  }

  private async findExisting(trx: Transaction<Database>, drafts: readonly EventDraft[]): Promise<Map<string, VigilEvent>> {
    const ids = drafts.flatMap((d) => (d.id ? [d.id] : []));
    const found = new Map<string, VigilEvent>();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const rows = await trx
        .selectFrom('journal_events')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) found.set(row.id, rowToEvent(row));
    }
    return found;
  }
}

/** An event's further subjects, each once and without its envelope subject (the events table indexes that one). */
export function furtherSubjects(derive: (data: unknown) => readonly string[], data: unknown, subject: string | null): Set<string> {
  const found = new Set(derive(data));
  if (subject !== null) found.delete(subject);
  return found;
}

function toRow(record: ChainedRecord, prevHash: string, hash: string): JournalEventsTable {
  return {
    seq: record.seq,
    id: record.id,
    type: record.type,
    at: record.at,
    recorded_at: record.recordedAt,
    site: record.site,
    source: record.source,
    subject: record.subject,
    zone: record.zone,
    door: record.door,
    correlation_id: record.correlationId,
    data: record.data,
    prev_hash: prevHash,
    hash,
  };
}

function toEvent(record: ChainedRecord, at: Date, data: unknown): VigilEvent {
  return {
    id: record.id,
    type: record.type,
    at: new Date(at.getTime()),
    site: record.site,
    source: record.source,
    subject: record.subject,
    zone: record.zone,
    door: record.door,
    correlationId: record.correlationId,
    data: data ?? {},
  };
}

export function rowToEvent(row: JournalEventsTable): VigilEvent {
  return {
    id: row.id,
    type: row.type,
    at: new Date(row.at),
    site: row.site,
    source: row.source,
    subject: row.subject,
    zone: row.zone,
    door: row.door,
    correlationId: row.correlation_id,
    data: JSON.parse(row.data) as unknown,
  };
}

/** Rebuilds the chained fields from a stored row (verification recomputes hashes from these). */
export function rowToChained(row: JournalEventsTable): ChainedRecord {
  return {
    seq: row.seq,
    id: row.id,
    type: row.type,
    at: row.at,
    recordedAt: row.recorded_at,
    site: row.site,
    source: row.source,
    subject: row.subject,
    zone: row.zone,
    door: row.door,
    correlationId: row.correlation_id,
    data: row.data,
  };
}

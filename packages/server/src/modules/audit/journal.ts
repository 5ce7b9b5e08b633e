/**
 * Appends events to the hash-chained journal inside the caller's transaction, so a state change
 * and the event that records it commit (or roll back) together.
 */
import { newId, type EventCatalogue, type EventDraft, type VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { canonicalJson, recordHash, type ChainedRecord } from './chain.js';
import type { JournalEventsTable } from './tables.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** The port other modules receive: record facts in the transaction they are already in. */
export type RecordEvents = (trx: Transaction<Database>, drafts: EventDraft | readonly EventDraft[]) => Promise<VigilEvent[]>;

/** Called inside the append transaction after each batch, with the new tip (checkpoints hook in here). */
export type AfterAppend = (trx: Transaction<Database>, tip: { seq: number; hash: string; previousSeq: number }) => Promise<void>;

export interface JournalOptions {
  catalogue: EventCatalogue;
  clock?: () => Date;
  afterAppend?: AfterAppend;
}

// SQLite allows 32,766 bound variables per statement; 14 columns a row.
const INSERT_CHUNK = 1000;

export class Journal {
  private readonly catalogue: EventCatalogue;
  private readonly clock: () => Date;
  private readonly afterAppend: AfterAppend | undefined;

  constructor(options: JournalOptions) {
    this.catalogue = options.catalogue;
    this.clock = options.clock ?? (() => new Date());
    this.afterAppend = options.afterAppend;
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
   * the stored event is returned instead, so delivery is idempotent.
   */
  async append(trx: Transaction<Database>, drafts: readonly EventDraft[]): Promise<VigilEvent[]> {
    if (drafts.length === 0) return [];
    for (const draft of drafts) this.catalogue.validate(draft);

    // Taking the row lock first (an UPDATE, on both dialects) serialises appenders across
    // processes and nodes, and makes SQLite take its write lock before reading the tip.
    const head = await trx
      .updateTable('journal_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();

    const existing = await this.findExisting(trx, drafts);
    const recordedAt = this.clock().toISOString();
    let { seq, hash } = head;
    const previousSeq = seq;
    const rows: JournalEventsTable[] = [];
    const result: VigilEvent[] = [];
    const seenIds = new Set<string>();

    for (const draft of drafts) {
      const already = draft.id ? existing.get(draft.id) : undefined;
      if (already) {
        result.push(already);
        continue;
      }
      const id = draft.id ?? newId();
      if (seenIds.has(id)) continue;
      seenIds.add(id);
      const record: ChainedRecord = {
        seq: ++seq,
        id,
        type: draft.type,
        at: (draft.at ?? new Date(recordedAt)).toISOString(),
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
      result.push(toEvent(record, draft.data));
    }

    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('journal_events')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
    if (rows.length > 0) {
      await trx.updateTable('journal_head').set({ seq, hash, updated_at: recordedAt }).where('id', '=', 1).execute();
      await this.afterAppend?.(trx, { seq, hash, previousSeq });
    }
    return result;
  }

  private async findExisting(trx: Transaction<Database>, drafts: readonly EventDraft[]): Promise<Map<string, VigilEvent>> {
    const ids = drafts.flatMap((d) => (d.id ? [d.id] : []));
    const found = new Map<string, VigilEvent>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await trx
        .selectFrom('journal_events')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const row of rows) found.set(row.id, rowToEvent(row));
    }
    return found;
  }
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

function toEvent(record: ChainedRecord, data: unknown): VigilEvent {
  return {
    id: record.id,
    type: record.type,
    at: new Date(record.at),
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

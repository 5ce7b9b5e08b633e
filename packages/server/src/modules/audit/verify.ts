/**
 * Verifies the whole journal: recomputes every record's hash from its stored fields (chain.ts, the
 * same definition the append uses), checks that seq is gapless and each record links to the one
 * before, that journal_head names the last record, and that every checkpoint is validly signed by
 * a trusted key and names the hash the chain has at its seq.
 *
 * Records are read in pages by seq (keyset pagination), so memory stays bounded however long the
 * journal is, and no long transaction holds up appends: records appended while verification runs
 * are verified too, and the head is compared only once the scan has caught up with it.
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { diagnoseRecord, gapBreak, type JournalBreak } from './diagnose.js';
import { furtherSubjects, rowToChained } from './journal.js';
import { checkpointSignatureValid, keyIdOf, toPublicKey } from './signing.js';
import type { JournalCheckpointsTable, JournalEventsTable } from './tables.js';

export interface VerifyProgress {
  /** Records verified so far. */
  verified: number;
  /** Records the journal head named when verification started (more may arrive). */
  total: number;
}

export interface VerifyOptions {
  /** Trusted checkpoint keys (PEM or KeyObject); a checkpoint signed by any other key fails. */
  publicKeys: readonly (KeyObject | string)[];
  /**
   * The configured `journal.checkpointEvery`, for checkpoints written before each recorded the
   * interval in force. Every record whose seq is a multiple of the interval it was written under
   * must carry a checkpoint, so deleting checkpoints (to rewrite history after them) is detected;
   * the interval is read from the signed checkpoints around each stretch of the journal, so a
   * later change of the setting does not affect older stretches. Omit only for a journal written
   * without checkpoints.
   */
  checkpointEvery?: number;
  /**
   * The event catalogue's `subjectsOf`: with it, the index of further subjects
   * (journal_event_subjects) is checked against every record's data, so rows deleted from it to
   * hide an event from a search for a person, or added to it, are found. Omitted: not checked.
   */
  subjectsOf?: (type: string) => ((data: unknown) => readonly string[]) | undefined;
  onProgress?: (progress: VerifyProgress) => void;
  /** Records per query (default 5000). */
  pageSize?: number;
}

export interface JournalSummary {
  /** Records verified (up to the break, when there is one). */
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstRecordedAt: string | null;
  lastRecordedAt: string | null;
  /** Checkpoints whose signature and hash verified. */
  checkpointsVerified: number;
  lastCheckpointSeq: number | null;
  /** Records after the last verified checkpoint, not yet sealed by a signature. */
  unsealedEvents: number;
  /** Keys that signed the verified checkpoints. */
  keyIds: string[];
  /** The checkpoint interval in force at the end of the journal (null: unknown, not checked). */
  checkpointEvery: number | null;
  /** Hash of the last verified record (GENESIS_HASH for an empty journal). */
  tipHash: string;
  /** Entries of the further-subject index checked against the data (null: not checked). */
  subjectEntries: number | null;
  durationMs: number;
  eventsPerSecond: number;
}

export type JournalVerification =
  { intact: true; summary: JournalSummary } | { intact: false; summary: JournalSummary; problem: JournalBreak };

export { type JournalBreak, type BreakReason } from './diagnose.js';

const DEFAULT_PAGE = 5000;

/** Pages checkpoints in seq order alongside the record scan. */
class CheckpointStream {
  private buffer: JournalCheckpointsTable[] = [];
  private index = 0;
  /** Highest seq fetched so far. */
  private after = Number.MIN_SAFE_INTEGER;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly pageSize: number,
  ) {}

  /** Buffers every checkpoint up to `seq` (called once per page of records, with its last seq). */
  async cover(seq: number): Promise<void> {
    while (this.after < seq && (await this.fetch()) === this.pageSize);
  }

  /** The next checkpoint, fetching more when the buffer runs out. */
  async next(): Promise<JournalCheckpointsTable | undefined> {
    if (this.index >= this.buffer.length) await this.fetch();
    return this.buffer[this.index++];
  }

  peek(): JournalCheckpointsTable | undefined {
    return this.buffer[this.index];
  }

  shift(): void {
    this.index++;
  }

  private async fetch(): Promise<number> {
    const page = await this.db
      .selectFrom('journal_checkpoints')
      .selectAll()
      .where('seq', '>', this.after)
      .orderBy('seq')
      .limit(this.pageSize)
      .execute();
    this.buffer = this.index < this.buffer.length ? [...this.buffer.slice(this.index), ...page] : page;
    this.index = 0;
    const last = page[page.length - 1];
    if (last) this.after = last.seq;
    return page.length;
  }
}

export async function verifyJournal(db: Kysely<Database>, options: VerifyOptions): Promise<JournalVerification> {
  const started = performance.now();
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const every = options.checkpointEvery;
  if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new RangeError('checkpointEvery must be a positive integer');
  const keys = new Map<string, KeyObject>();
  for (const key of options.publicKeys) {
    const publicKey = toPublicKey(key);
    keys.set(keyIdOf(publicKey), publicKey);
  }
  const usedKeys = new Set<string>();
  const initialHead = await db.selectFrom('journal_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();

  let events = 0;
  let firstSeq: number | null = null;
  let firstRecordedAt: string | null = null;
  let lastRecordedAt: string | null = null;
  let lastSeq = 0;
  let prev = GENESIS_HASH;
  let prevPrev: string | undefined;
  let checkpointsVerified = 0;
  let lastCheckpointSeq: number | null = null;
  /** Interval the last verified checkpoint was signed with (null: none yet, or unknown). */
  let lastInterval: number | null = null;
  const intervalOf = (checkpoint: JournalCheckpointsTable) => checkpoint.checkpoint_every ?? every ?? null;
  let subjectEntries = 0;

  const summary = (): JournalSummary => {
    const durationMs = performance.now() - started;
    return {
      events,
      firstSeq,
      lastSeq: events > 0 ? lastSeq : null,
      firstRecordedAt,
      lastRecordedAt,
      checkpointsVerified,
      lastCheckpointSeq,
      unsealedEvents: lastSeq - (lastCheckpointSeq ?? 0),
      keyIds: [...usedKeys].sort(),
      checkpointEvery: lastCheckpointSeq === null ? (every ?? null) : lastInterval,
      tipHash: prev,
      subjectEntries: options.subjectsOf ? subjectEntries : null,
      durationMs,
      eventsPerSecond: durationMs > 0 ? (events * 1000) / durationMs : 0,
    };
  };
  const broken = (problem: JournalBreak): JournalVerification => ({ intact: false, summary: summary(), problem });

  /** Checks one checkpoint against the chain's hash at its seq (undefined: no such record). */
  const checkCheckpoint = (checkpoint: JournalCheckpointsTable, chainHash: string | undefined): JournalBreak | null => {
    const at = { checkpointSeq: checkpoint.seq };
    const key = keys.get(checkpoint.key_id);
    if (!key) {
      return {
        reason: 'checkpoint_unknown_key',
        seq: checkpoint.seq,
        ...at,
        message: `Checkpoint at seq ${checkpoint.seq} is signed by key ${checkpoint.key_id}, which is not a trusted key.`,
      };
    }
    const claim = { seq: checkpoint.seq, hash: checkpoint.hash, signedAt: checkpoint.signed_at, every: checkpoint.checkpoint_every };
    if (!checkpointSignatureValid(key, claim, checkpoint.signature)) {
      return {
        reason: 'checkpoint_signature',
        seq: checkpoint.seq,
        ...at,
        message: `Checkpoint at seq ${checkpoint.seq} has an invalid signature: the checkpoint was altered or forged.`,
      };
    }
    if (chainHash === undefined) {
      return {
        reason: 'checkpoint_beyond_tip',
        seq: lastSeq + 1,
        ...at,
        message: `A signed checkpoint vouches for records up to seq ${checkpoint.seq}, but the journal ends at ${lastSeq}: records ${lastSeq + 1}–${checkpoint.seq} at least were deleted.`,
      };
    }
    if (chainHash !== checkpoint.hash) {
      const since = lastCheckpointSeq === null ? 'the start' : `the checkpoint at seq ${lastCheckpointSeq}`;
      return {
        reason: 'checkpoint_mismatch',
        seq: checkpoint.seq,
        ...at,
        message: `Checkpoint at seq ${checkpoint.seq} was signed for a different hash than the chain has there: records between ${since} and ${checkpoint.seq} were rewritten.`,
      };
    }
    // The stretch since the previous checkpoint was written under its interval, this one's, or
    // (when the setting changed in between) the one and then the other: a checkpoint is certainly
    // due at the multiples of both. At the start only this checkpoint's interval is known.
    const interval = intervalOf(checkpoint);
    const due = firstDue(lastCheckpointSeq ?? 0, lastCheckpointSeq === null ? interval : lastInterval, interval);
    if (due !== null && due < checkpoint.seq) {
      const around = [...new Set([lastCheckpointSeq === null ? null : lastInterval, interval])].filter((n) => n !== null).join(' and of ');
      return missing(
        due,
        `${around} (the intervals signed in the checkpoints around it, at seq ${lastCheckpointSeq ?? 0} and ${checkpoint.seq})`,
      );
    }
    usedKeys.add(checkpoint.key_id);
    checkpointsVerified++;
    lastCheckpointSeq = checkpoint.seq;
    lastInterval = interval;
    return null;
  };
  const missing = (seq: number, interval: string): JournalBreak => ({
    reason: 'checkpoint_missing',
    seq,
    checkpointSeq: seq,
    message: `Record ${seq} has no checkpoint, though one is signed at every multiple of ${interval}: it was deleted (history after it may have been rewritten), or the journal was written without checkpoints.`,
  });
  const hashAt = async (seq: number) =>
    (await db.selectFrom('journal_events').select('hash').where('seq', '=', seq).executeTakeFirst())?.hash;

  const checkpoints = new CheckpointStream(db, pageSize);
  for (;;) {
    for (;;) {
      const page = await db.selectFrom('journal_events').selectAll().where('seq', '>', lastSeq).orderBy('seq').limit(pageSize).execute();
      if (page.length === 0) break;
      await checkpoints.cover(page[page.length - 1]!.seq);
      const indexed = options.subjectsOf ? await subjectIndex(db, lastSeq, page[page.length - 1]!.seq) : undefined;
      for (const row of page) {
        const expected = lastSeq + 1;
        if (row.seq !== expected) return broken(gapBreak(expected, row.seq));
        if (row.prev_hash !== prev || recordHash(prev, rowToChained(row)) !== row.hash) {
          return broken(await diagnoseRecord(db, row, { prev, prevPrev }));
        }
        if (indexed) {
          const problem = checkSubjects(row, indexed.get(row.seq), options.subjectsOf!(row.type));
          if (problem) return broken(problem);
          subjectEntries += indexed.get(row.seq)?.length ?? 0;
        }
        prevPrev = prev;
        prev = row.hash;
        lastSeq = row.seq;
        lastRecordedAt = row.recorded_at;
        if (events++ === 0) {
          firstSeq = row.seq;
          firstRecordedAt = row.recorded_at;
        }
        for (let checkpoint = checkpoints.peek(); checkpoint && checkpoint.seq <= row.seq; checkpoint = checkpoints.peek()) {
          checkpoints.shift();
          // Earlier than this record: a timed checkpoint signed after its page was read.
          const chainHash = checkpoint.seq === row.seq ? row.hash : await hashAt(checkpoint.seq);
          const problem = checkCheckpoint(checkpoint, chainHash);
          if (problem) return broken(problem);
        }
      }
      options.onProgress?.({ verified: events, total: initialHead.seq });
    }

    // Caught up with the table: compare with the head, read together with the highest seq so a
    // concurrent append is told apart from a disagreement.
    const { head, maxSeq } = await db.transaction().execute(async (trx) => ({
      head: await trx.selectFrom('journal_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow(),
      maxSeq: (await trx.selectFrom('journal_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst())?.seq ?? 0,
    }));
    if (maxSeq > lastSeq) continue;
    if (head.seq === lastSeq && head.hash === prev) break;
    if (head.seq > lastSeq) {
      return broken({
        reason: 'head_mismatch',
        seq: lastSeq + 1,
        message: `The journal head names seq ${head.seq} but the last record is ${lastSeq}: records ${lastSeq + 1}–${head.seq} were deleted (the tail was truncated).`,
      });
    }
    return broken({
      reason: 'head_mismatch',
      seq: head.seq < lastSeq ? head.seq + 1 : lastSeq,
      message:
        head.seq < lastSeq
          ? `The journal head names seq ${head.seq} but records continue to ${lastSeq}: records after the head were written outside the journal, or the head was altered.`
          : `The journal head's hash differs from record ${lastSeq}'s: the head was altered.`,
    });
  }

  // Checkpoints not met during the scan: ones signed after their records' page was read, and
  // ones past the last record. A checkpoint past it whose record exists now was written by an
  // append that ran after the head comparison; it and any later ones are left for the next run.
  for (let checkpoint = await checkpoints.next(); checkpoint; checkpoint = await checkpoints.next()) {
    const chainHash = await hashAt(checkpoint.seq);
    if (checkpoint.seq > lastSeq && chainHash !== undefined) break;
    const problem = checkCheckpoint(checkpoint, chainHash);
    if (problem) return broken(problem);
  }
  // After the last checkpoint the journal is still written under its interval (or, with none
  // yet, the configured one).
  const due = firstDue(lastCheckpointSeq ?? 0, lastCheckpointSeq === null ? (every ?? null) : lastInterval, null);
  if (due !== null && due <= lastSeq) {
    return broken(missing(due, `${lastCheckpointSeq === null ? every : lastInterval} (the interval in force after the last checkpoint)`));
  }
  return { intact: true, summary: summary() };
}

/** The further-subject index entries of records (after, last], by seq. */
async function subjectIndex(db: Kysely<Database>, after: number, last: number): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('journal_event_subjects')
    .select(['seq', 'subject'])
    .where('seq', '>', after)
    .where('seq', '<=', last)
    .execute();
  const bySeq = new Map<number, string[]>();
  for (const row of rows) {
    const seq = Number(row.seq);
    const subjects = bySeq.get(seq);
    if (subjects) subjects.push(row.subject);
    else bySeq.set(seq, [row.subject]);
  }
  return bySeq;
}

/** A record's index entries must be exactly the further subjects its hashed data names. */
function checkSubjects(
  row: JournalEventsTable,
  indexed: readonly string[] | undefined,
  derive: ((data: unknown) => readonly string[]) | undefined,
): JournalBreak | null {
  if (!derive && indexed === undefined) return null;
  const expected = derive ? furtherSubjects(derive, JSON.parse(row.data) as unknown, row.subject) : new Set<string>();
  const actual = new Set(indexed);
  const missing = [...expected].filter((s) => !actual.has(s));
  const extra = [...actual].filter((s) => !expected.has(s));
  if (missing.length === 0 && extra.length === 0) return null;
  const parts = [
    missing.length > 0 ? `${missing.length} subject(s) its data names are missing from the index (${missing.slice(0, 3).join(', ')})` : '',
    extra.length > 0 ? `${extra.length} subject(s) its data does not name were added (${extra.slice(0, 3).join(', ')})` : '',
  ].filter(Boolean);
  return {
    reason: 'subject_index',
    seq: row.seq,
    message: `The subject index of record ${row.seq} disagrees with its data: ${parts.join('; ')}. A search by subject would hide or misattribute the record; the record itself is intact.`,
  };
}

/** The first seq after `after` at which both intervals (either may be unknown) put a checkpoint. */
function firstDue(after: number, a: number | null, b: number | null): number | null {
  const step = a === null ? b : b === null ? a : (a / gcd(a, b)) * b;
  return step === null ? null : (Math.floor(after / step) + 1) * step;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

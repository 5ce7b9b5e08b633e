/**
 * Names what happened at the first record that does not fit the chain. Runs only once a break is
 * found, so it may afford extra queries (the record after, a search by hash). The reasons are
 * best explanations, not proof: the proof is that the chain does not verify.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { recordHash } from './chain.js';
import { rowToChained } from './journal.js';
import type { JournalEventsTable } from './tables.js';

export type BreakReason =
  /** The record's content (or its stored prev_hash) no longer matches its hash. */
  | 'modified'
  /** A record is missing: a gap in seq, or a record that links to one no longer in the chain. */
  | 'deleted'
  /** A record that was never appended by the journal sits in the chain. */
  | 'inserted'
  /** Records are present but out of order (their seq values were exchanged or shifted). */
  | 'reordered'
  /** journal_head disagrees with the last record: the tail was truncated, or the head was altered. */
  | 'head_mismatch'
  /** A validly signed checkpoint names a different hash than the chain has at its seq: history was rewritten. */
  | 'checkpoint_mismatch'
  /** A checkpoint's signature does not verify. */
  | 'checkpoint_signature'
  /** A checkpoint names a key that is not among the trusted public keys. */
  | 'checkpoint_unknown_key'
  /** A validly signed checkpoint names a seq past the last record: the tail was deleted (and the head rewritten). */
  | 'checkpoint_beyond_tip'
  /** No checkpoint at a multiple of checkpointEvery: it was deleted (perhaps to hide rewritten history after it). */
  | 'checkpoint_missing'
  /** The index of an event's further subjects disagrees with its (hashed) data: index rows were deleted or added. */
  | 'subject_index';

export interface JournalBreak {
  reason: BreakReason;
  /** The first bad record (for a missing record, the seq it should have had). */
  seq: number;
  /** For checkpoint reasons, the checkpoint's seq. */
  checkpointSeq?: number;
  message: string;
}

export interface ChainPosition {
  /** Hash of the last record that verified (GENESIS_HASH before the first). */
  prev: string;
  /** Hash of the record before that one, when there is one. */
  prevPrev: string | undefined;
}

export async function diagnoseRecord(db: Kysely<Database>, row: JournalEventsTable, at: ChainPosition): Promise<JournalBreak> {
  const seq = row.seq;
  const chained = rowToChained(row);
  const next = await db.selectFrom('journal_events').selectAll().where('seq', '>', seq).orderBy('seq').limit(1).executeTakeFirst();
  const nextFollowsPrevious = next !== undefined && next.prev_hash === at.prev;

  if (at.prevPrev !== undefined && row.prev_hash === at.prevPrev) {
    return {
      reason: 'inserted',
      seq: seq - 1,
      message: `Record ${seq - 1} was inserted: record ${seq} links to record ${seq - 2}, skipping it.`,
    };
  }
  if (row.prev_hash === at.prev) {
    if (nextFollowsPrevious) {
      return {
        reason: 'inserted',
        seq,
        message: `Record ${seq} was inserted: it does not match its hash, and the record after it links directly to record ${seq - 1}.`,
      };
    }
    return { reason: 'modified', seq, message: `Record ${seq} was modified: its content does not match its hash.` };
  }
  if (recordHash(at.prev, chained) === row.hash) {
    return { reason: 'modified', seq, message: `Record ${seq} was modified: its stored prev_hash was altered.` };
  }
  if (next !== undefined && row.prev_hash === next.hash) {
    return {
      reason: 'reordered',
      seq,
      message: `Records ${seq} and ${next.seq} are out of order: record ${seq} links to the record stored after it.`,
    };
  }
  const predecessor = await db.selectFrom('journal_events').select('seq').where('hash', '=', row.prev_hash).limit(1).executeTakeFirst();
  if (predecessor) {
    return {
      reason: 'reordered',
      seq,
      message: `Record ${seq} is out of order: it links to the record now stored at seq ${predecessor.seq}, not to record ${seq - 1}.`,
    };
  }
  if (nextFollowsPrevious) {
    return {
      reason: 'inserted',
      seq,
      message: `Record ${seq} was inserted: it does not link to record ${seq - 1}, and the record after it does.`,
    };
  }
  return {
    reason: 'deleted',
    seq,
    message: `Record ${seq} does not link to record ${seq - 1} (prev_hash mismatch): the record it followed was deleted and the rest renumbered, or its link was altered.`,
  };
}

export function gapBreak(expected: number, found: number): JournalBreak {
  const missing = found - 1 === expected ? `Record ${expected} is` : `Records ${expected}–${found - 1} are`;
  return { reason: 'deleted', seq: expected, message: `${missing} missing (deleted): the next record is ${found}.` };
}

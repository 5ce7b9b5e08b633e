/**
 * Journal verification on demand, and its history. Running `verifyJournal` proves the record
 * intact at that moment; keeping each result (and journaling it) lets the console show when the
 * journal was last verified, by whom, and what was found, and lets an auditor see that it was.
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '@vigil/core';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from './journal.js';
import { auditError } from './errors.js';
import { journalVerified } from './events.js';
import { verifyJournal } from './verify.js';

export interface VerificationRecord {
  id: string;
  startedAt: string;
  finishedAt: string;
  intact: boolean;
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpointsVerified: number;
  problem: { seq: number; reason: string; detail: string } | null;
  /** Who asked for it (operator name, token, or `system:…`). */
  by: string;
}

export interface JournalVerificationsDeps {
  db: Kysely<Database>;
  record: RecordEvents;
  clock: () => Date;
  /** The keys checkpoints may be signed with (the current one and any retired ones). */
  publicKeys: () => readonly KeyObject[];
  checkpointEvery: number;
  /** The catalogue's `subjectsOf`, so the further-subject index is checked too (verify.ts). */
  subjectsOf?: (type: string) => ((data: unknown) => readonly string[]) | undefined;
}

export class JournalVerifications {
  private running: Promise<VerificationRecord> | null = null;

  constructor(private readonly deps: JournalVerificationsDeps) {}

  /**
   * Verifies the whole journal now. One verification runs at a time per node: a second request
   * while one runs gets the same result rather than doubling the load of a full scan.
   */
  run(by: string): Promise<VerificationRecord> {
    this.running ??= this.verify(by).finally(() => (this.running = null));
    return this.running;
  }

  async latest(): Promise<VerificationRecord> {
    const row = await this.deps.db
      .selectFrom('journal_verifications')
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw auditError('journal.never_verified', 'The journal has not been verified yet');
    return {
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      intact: row.intact === 1,
      events: Number(row.events),
      firstSeq: row.first_seq === null ? null : Number(row.first_seq),
      lastSeq: row.last_seq === null ? null : Number(row.last_seq),
      checkpointsVerified: Number(row.checkpoints_verified),
      problem:
        row.problem_seq === null
          ? null
          : { seq: Number(row.problem_seq), reason: row.problem_reason ?? '', detail: row.problem_detail ?? '' },
      by: row.requested_by,
    };
  }

  private async verify(by: string): Promise<VerificationRecord> {
    const startedAt = this.deps.clock().toISOString();
    const result = await verifyJournal(this.deps.db, {
      publicKeys: this.deps.publicKeys(),
      checkpointEvery: this.deps.checkpointEvery,
      ...(this.deps.subjectsOf ? { subjectsOf: this.deps.subjectsOf } : {}),
    });
    const record: VerificationRecord = {
      id: newId(),
      startedAt,
      finishedAt: this.deps.clock().toISOString(),
      intact: result.intact,
      events: result.summary.events,
      firstSeq: result.summary.firstSeq,
      lastSeq: result.summary.lastSeq,
      checkpointsVerified: result.summary.checkpointsVerified,
      problem: result.intact ? null : { seq: result.problem.seq, reason: result.problem.reason, detail: result.problem.message },
      by,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('journal_verifications')
        .values({
          id: record.id,
          started_at: record.startedAt,
          finished_at: record.finishedAt,
          intact: record.intact ? 1 : 0,
          events: record.events,
          first_seq: record.firstSeq,
          last_seq: record.lastSeq,
          checkpoints_verified: record.checkpointsVerified,
          problem_seq: record.problem?.seq ?? null,
          problem_reason: record.problem?.reason ?? null,
          problem_detail: record.problem?.detail ?? null,
          requested_by: by,
        })
        .execute();
      await this.deps.record(trx, [
        journalVerified.draft(
          { site: null, source: by },
          {
            verificationId: record.id,
            intact: record.intact,
            events: record.events,
            brokenAtSeq: record.problem?.seq ?? null,
            reason: record.problem?.reason ?? null,
          },
        ),
      ]);
    });
    return record;
  }
}

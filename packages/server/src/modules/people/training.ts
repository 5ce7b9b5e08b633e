/**
 * Training and competency records: who completed what, and until when it counts. Competency-gated
 * zones (MRI, pharmacy, maternity) ask `currentCompetencies` at decision time.
 */
import { decodeCursor, encodeCursor, transact, type Page, type PeopleDeps } from './context.js';
import { peopleError } from './errors.js';
import { trainingRecorded, trainingRemoved } from './events.js';
import { toTrainingRecord } from './model.js';
import { requirePersonRow, sitesOfPerson } from './person-store.js';
import type { TrainingCreate, TrainingRecord } from './schemas.js';
import { recordTrainingBatch, type TrainingBatchItem, type TrainingBatchOptions, type TrainingBatchResult } from './training-batch.js';
import { trainingFault, trainingRecordedData, trainingRow } from './training-record.js';
import { isCompetency, type Competency } from './vocabulary.js';

const LIST = 'training';

export class TrainingService {
  constructor(private readonly deps: PeopleDeps) {}

  async list(personId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<TrainingRecord>> {
    await requirePersonRow(this.deps.db, personId);
    let select = this.deps.db.selectFrom('training_records').selectAll().where('person_id', '=', personId);
    if (page.cursor) select = select.where('id', '>', decodeCursor(LIST, page.cursor, 1)[0]!);
    const rows = await select
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    const now = this.deps.clock();
    return {
      items: items.map((row) => toTrainingRecord(row, now)),
      nextCursor: rows.length > page.limit && last ? encodeCursor(LIST, [last.id]) : null,
    };
  }

  /** The person of a record, for site-scoped access checks (null when the record is unknown). */
  async personOf(recordId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('training_records').select('person_id').where('id', '=', recordId).executeTakeFirst();
    return row?.person_id ?? null;
  }

  async record(personId: string, input: TrainingCreate, source: string): Promise<TrainingRecord> {
    const fault = trainingFault(input);
    if (fault) throw peopleError(fault.code, fault.message, fault.details);
    const row = trainingRow(personId, input, source, this.deps.clock());
    return transact(this.deps, async (trx, record) => {
      await requirePersonRow(trx, personId);
      await trx.insertInto('training_records').values(row).execute();
      const sites = await sitesOfPerson(trx, personId);
      await record(trx, trainingRecorded.draft({ site: sites[0] ?? null, source, subject: personId }, trainingRecordedData(row)));
      return toTrainingRecord(row, this.deps.clock());
    });
  }

  /**
   * Records many at once, all or nothing: one transaction, one `training.recorded` event per
   * record. Records identical to one already stored are skipped, so a batch can be sent again.
   */
  recordMany(items: readonly TrainingBatchItem[], options: TrainingBatchOptions): Promise<TrainingBatchResult> {
    return recordTrainingBatch(this.deps, items, options);
  }

  /** Removes a record entered in error; the journal keeps both the entry and its removal. */
  async remove(recordId: string, source: string): Promise<void> {
    await transact(this.deps, async (trx, record) => {
      const row = await trx.selectFrom('training_records').selectAll().where('id', '=', recordId).executeTakeFirst();
      if (!row) throw peopleError('people.training_not_found', `No training record ${recordId}`, { recordId });
      await trx.deleteFrom('training_records').where('id', '=', recordId).execute();
      const sites = await sitesOfPerson(trx, row.person_id);
      await record(
        trx,
        trainingRemoved.draft(
          { site: sites[0] ?? null, source, subject: row.person_id },
          { recordId, competency: row.competency as Competency },
        ),
      );
    });
  }

  /** Competencies the person holds at `at` (completed and not yet expired). */
  async currentCompetencies(personId: string, at: Date = this.deps.clock()): Promise<Competency[]> {
    const instant = at.toISOString();
    const rows = await this.deps.db
      .selectFrom('training_records')
      .select('competency')
      .distinct()
      .where('person_id', '=', personId)
      .where('completed_at', '<=', instant)
      .where('expires_at', '>', instant)
      .orderBy('competency')
      .execute();
    return rows.map((r) => r.competency).filter(isCompetency);
  }
}

/**
 * Training records in bulk, all or nothing: every record of the batch is checked first (person,
 * competency, dates, repeats within the batch, the caller's sites) and if any fails, nothing is
 * written and each failure is reported by its position. Otherwise the records and their
 * `training.recorded` events are written in one transaction. A record identical to one already
 * stored (same person, competency and dates) is skipped and reported, so a batch can be re-sent.
 */
import type { EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { transact, type PeopleDeps, type SiteScope } from './context.js';
import { peopleError } from './errors.js';
import { trainingRecorded } from './events.js';
import { insertAll } from './import/write.js';
import { toInstant, toTrainingRecord } from './model.js';
import { loadMemberships } from './person-store.js';
import type { TrainingBatchResult, TrainingCreate } from './schemas.js';
import type { TrainingRecordsTable } from './tables.js';
import { trainingFault, trainingRecordedData, trainingRow } from './training-record.js';

export type { TrainingBatchResult } from './schemas.js';

export interface TrainingBatchItem extends TrainingCreate {
  personId: string;
}

export interface TrainingBatchOptions {
  source: string;
  /** Sites whose persons the caller may manage; a person on none of them fails the batch. */
  scope: SiteScope;
}

export type TrainingItemCode =
  | 'training.person_not_found'
  | 'training.unknown_competency'
  | 'training.dates_invalid'
  | 'training.duplicate'
  | 'training.site_not_permitted';

export interface TrainingItemError {
  /** 0-based position of the record in the batch. */
  index: number;
  personId: string;
  code: TrainingItemCode;
  message: string;
}

/** Person ids per lookup statement: well under either database's bound-variable limit. */
const LOOKUP_CHUNK = 1000;

const FAULT_CODES = {
  'people.unknown_competency': 'training.unknown_competency',
  'people.training_dates_invalid': 'training.dates_invalid',
} as const;

/** What makes two records the same record. */
function identity(personId: string, competency: string, completedAt: string, expiresAt: string): string {
  return JSON.stringify([personId, competency, completedAt, expiresAt]);
}

export async function recordTrainingBatch(
  deps: PeopleDeps,
  items: readonly TrainingBatchItem[],
  options: TrainingBatchOptions,
): Promise<TrainingBatchResult> {
  const personIds = [...new Set(items.map((item) => item.personId))];
  return transact(deps, async (trx, record) => {
    const existing = await existingPersons(trx, personIds);
    const { sites } = await loadMemberships(trx, [...existing]);
    const stored = await storedRecords(trx, [...existing]);

    const errors: TrainingItemError[] = [];
    const fail = (index: number, personId: string, code: TrainingItemCode, message: string) =>
      errors.push({ index, personId, code, message });
    const seen = new Map<string, number>();
    const rows: TrainingRecordsTable[] = [];
    const alreadyRecorded: number[] = [];
    const now = deps.clock();
    for (const [index, item] of items.entries()) {
      const { personId } = item;
      if (!existing.has(personId)) {
        fail(index, personId, 'training.person_not_found', `No person ${personId}`);
        continue;
      }
      const personSites = sites.get(personId) ?? [];
      const scope = options.scope;
      if (scope !== 'all' && personSites.length > 0 && !personSites.some((site) => scope.includes(site))) {
        fail(index, personId, 'training.site_not_permitted', `You may not manage people on site ${personSites.join(', ')}`);
        continue;
      }
      const fault = trainingFault(item);
      if (fault) {
        fail(index, personId, FAULT_CODES[fault.code], fault.message);
        continue;
      }
      const key = identity(personId, item.competency, toInstant(item.completedAt), toInstant(item.expiresAt));
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        fail(index, personId, 'training.duplicate', `The same record is at position ${earlier}`);
        continue;
      }
      seen.set(key, index);
      if (stored.has(key)) alreadyRecorded.push(index);
      else rows.push(trainingRow(personId, item, options.source, now));
    }
    if (errors.length > 0) {
      throw peopleError(
        'people.training_batch_rejected',
        `${errors.length} of ${items.length} training records cannot be recorded; nothing was recorded`,
        { errors },
      );
    }

    await insertAll(rows, (chunk) => trx.insertInto('training_records').values(chunk).execute());
    const drafts: EventDraft[] = rows.map((row) =>
      trainingRecorded.draft(
        { site: sites.get(row.person_id)?.[0] ?? null, source: options.source, subject: row.person_id },
        trainingRecordedData(row),
      ),
    );
    if (drafts.length > 0) await record(trx, drafts);
    return { recorded: rows.map((row) => toTrainingRecord(row, now)), alreadyRecorded };
  });
}

async function existingPersons(trx: Transaction<Database>, personIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < personIds.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom('persons')
      .select('id')
      .where('id', 'in', personIds.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Identities of the records the persons already have. */
async function storedRecords(trx: Transaction<Database>, personIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < personIds.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom('training_records')
      .select(['person_id', 'competency', 'completed_at', 'expires_at'])
      .where('person_id', 'in', personIds.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.add(identity(row.person_id, row.competency, row.completed_at, row.expires_at));
  }
  return found;
}

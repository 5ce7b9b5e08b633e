/** What makes a training record storable, its row and its journal data: shared by the single and the batch route. */
import { newId } from '@vigil/core';
import { toInstant } from './model.js';
import type { TrainingCreate } from './schemas.js';
import type { TrainingRecordsTable } from './tables.js';
import { isCompetency, type Competency } from './vocabulary.js';

/** Why a record cannot be stored (an unknown competency, or dates the wrong way round); null when it can. */
export function trainingFault(
  input: TrainingCreate,
): { code: 'people.unknown_competency' | 'people.training_dates_invalid'; message: string; details: Record<string, unknown> } | null {
  if (!isCompetency(input.competency)) {
    return {
      code: 'people.unknown_competency',
      message: `Unknown competency ${String(input.competency)}`,
      details: { competency: input.competency },
    };
  }
  const completedAt = toInstant(input.completedAt);
  const expiresAt = toInstant(input.expiresAt);
  if (expiresAt <= completedAt) {
    return {
      code: 'people.training_dates_invalid',
      message: 'The record expires before it was completed',
      details: { completedAt, expiresAt },
    };
  }
  return null;
}

/** The stored row of a record that passed `trainingFault`. */
export function trainingRow(personId: string, input: TrainingCreate, source: string, now: Date): TrainingRecordsTable {
  return {
    id: newId(),
    person_id: personId,
    competency: input.competency,
    completed_at: toInstant(input.completedAt),
    expires_at: toInstant(input.expiresAt),
    recorded_by: source,
    created_at: now.toISOString(),
  };
}

export function trainingRecordedData(row: TrainingRecordsTable) {
  return { recordId: row.id, competency: row.competency as Competency, completedAt: row.completed_at, expiresAt: row.expires_at };
}

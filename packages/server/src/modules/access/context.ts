/** What every part of the access module is built from, passed in from the composition root. */
import type { VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';

export interface AccessDeps {
  readonly db: Kysely<Database>;
  /** Appends events inside the caller's transaction (`Journal.record`). */
  readonly record: RecordEvents;
  readonly clock: () => Date;
  /** Fans out events after their transaction committed (the intake's `publishCommitted`). */
  readonly publish: (events: readonly VigilEvent[]) => void;
}

export type Executor = Kysely<Database> | Transaction<Database>;

/** Marks a site's policy changed, in the writer's transaction, so the next snapshot check recompiles. */
export async function bumpRevision(trx: Executor, siteId: string): Promise<void> {
  const updated = await trx
    .updateTable('access_policy_revisions')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await trx
      .insertInto('access_policy_revisions')
      .values({ site_id: siteId, revision: 1 })
      .onConflict((oc) => oc.column('site_id').doUpdateSet((eb) => ({ revision: eb('access_policy_revisions.revision', '+', 1) })))
      .execute();
  }
}

export { isUniqueViolation } from '../../storage/constraint-errors.js';

export function instantOf(date: Date): string {
  return date.toISOString();
}

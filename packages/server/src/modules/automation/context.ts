/** What automation's services share: storage, the journal port, fan-out, the clock, the logger. */
import type { EventDraft, VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import { kernelError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
export { isUniqueViolation } from '../../storage/constraint-errors.js';
import { commitWithEvents, type RecordEvents } from '../audit/index.js';

export interface AutomationContext {
  readonly db: Kysely<Database>;
  readonly record: RecordEvents;
  /** Fans out events journaled in a transaction of ours, after it committed. */
  readonly publish: (events: readonly VigilEvent[]) => void;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Runs a change and journals its events in one transaction, then fans the events out. */
/** Runs a change and journals its events in one transaction, then fans them out (see the audit module). */
export const commit: <T>(
  ctx: AutomationContext,
  work: (trx: Transaction<Database>) => Promise<{ result: T; events: EventDraft[] }>,
) => Promise<T> = commitWithEvents;

/** Journals facts that change no table of ours (a rule fault, a delivery receipt). */
export function recordFacts(ctx: AutomationContext, events: EventDraft[]): Promise<void> {
  return commit(ctx, () => Promise.resolve({ result: undefined, events }));
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Keyset pages over UUIDv7 ids (creation order); the cursor is opaque base64url. */
export function pageCursor(list: string, lastId: string): string {
  return Buffer.from(JSON.stringify({ l: list, k: lastId }), 'utf8').toString('base64url');
}

export function afterCursor(list: string, cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const { l, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { l?: unknown; k?: unknown };
    if (l === list && typeof k === 'string') return k;
  } catch {
    // reported below
  }
  throw kernelError('page.invalid_cursor', `The cursor does not belong to the ${list} list`, { list });
}

/** What the facility's parts share: storage, the journal port, the clock, and the change helpers. */
import type { VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { RecordEvents } from '../audit/index.js';
import type { Database } from '../../storage/schema.js';
import { facilityError } from './errors.js';
import type { FacilityRepository } from './repository.js';
import type { SanitiseLimits } from './svg-sanitiser.js';
import { uniqueViolation } from '../../storage/constraint-errors.js';

export interface FacilityContext {
  readonly db: Kysely<Database>;
  readonly repo: FacilityRepository;
  readonly record: RecordEvents;
  readonly clock: () => Date;
  readonly planLimits: SanitiseLimits;
  /**
   * Fans out what a change journaled once its transaction committed (the intake's
   * `publishCommitted`), so rules and the automation's view of the facility hear of it.
   */
  readonly publish?: (events: readonly VigilEvent[]) => void;
  /** The events each open transaction has journaled so far (`record` adds to it). */
  readonly journaled?: WeakMap<Transaction<Database>, VigilEvent[]>;
}

/**
 * Runs a change and its journal entry in one transaction. A unique index that fires anyway (a
 * concurrent writer got there between our check and our write) becomes the same conflict the
 * check would have reported.
 */
export async function transact<T>(ctx: FacilityContext, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const recorded: VigilEvent[] = [];
  let result: T;
  try {
    result = await ctx.db.transaction().execute((trx) => {
      ctx.journaled?.set(trx, recorded);
      return work(trx);
    });
  } catch (e) {
    throw uniqueViolationAsConflict(e) ?? e;
  }
  ctx.publish?.(recorded);
  return result;
}

function uniqueViolationAsConflict(e: unknown) {
  const what = uniqueViolation(e)?.description;
  if (what === undefined) return undefined;
  // Only this module's tables; anything else (the journal's own indexes) is not ours to explain.
  if (!/\b(?:sites|buildings|floors|zones|doors|devices)[._]/.test(what)) return undefined;
  if (/reader/.test(what)) return facilityError('facility.reader_in_use', 'The reader already reads for another door', {});
  if (/lock_output|position_input|rex_input|door_position_input|request_to_exit_input/.test(what)) {
    return facilityError('facility.controller_point_in_use', 'That controller point is already wired to another door', {});
  }
  if (/devices/.test(what)) return facilityError('facility.device_already_registered', 'The device is already registered', {});
  return facilityError('facility.name_taken', 'The name (or floor level) is already taken', {});
}

/** The fields among `keys` whose values differ, before and after; empty when nothing changed. */
export function changes<T extends object, K extends keyof T & string>(
  before: T,
  after: T,
  keys: readonly K[],
): { before: Partial<Pick<T, K>>; after: Partial<Pick<T, K>>; changed: boolean } {
  const was: Partial<Pick<T, K>> = {};
  const now: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    was[key] = before[key];
    now[key] = after[key];
  }
  return { before: was, after: now, changed: Object.keys(now).length > 0 };
}

/** Drops keys whose value is `undefined` (absent in a patch means "leave as is"). */
export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function describeUsage(usage: Record<string, number>): string {
  return Object.entries(usage)
    .map(([table, n]) => `${n} ${n === 1 ? table.replace(/s$/, '') : table}`)
    .join(', ');
}

export function assertUnused(usage: Record<string, number>, what: string): void {
  if (Object.keys(usage).length > 0) {
    throw facilityError('facility.in_use', `${what} is still referred to by ${describeUsage(usage)}`, { usedBy: usage });
  }
}

/**
 * What became of a journal transaction whose COMMIT got no answer (the connection dropped while
 * it was under way: a database failover or restart, a terminated backend). The database may have
 * applied it or not; refusing the events would invite a duplicate when the sender retries, and
 * acknowledging them could lose them. So the intake asks: the transaction stored every event the
 * append returned, or none of those it added (it is atomic), so "are they all in the journal?"
 * answers it. Events the append found already stored (a re-sent id) are in the journal either way,
 * which keeps the answer right for them too.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';
import { intakeError } from './errors.js';

const CHUNK = 1000;

export interface OutcomeCheck {
  db: Kysely<Database>;
  /** Gives up (undefined) once this returns true; until then a failed check is retried. */
  givenUp: () => boolean;
  /** First pause between checks; doubled up to 2 s. */
  retryMs?: number;
}

type Identified = readonly { readonly id: string }[];

/** How long a commit whose answer was lost is asked about before `intake.outcome_unknown` (default). */
export const OUTCOME_TIMEOUT_MS = 30_000;

export interface JournalTransactionOptions<T> {
  /** The journal events the transaction appended (or found already stored), from its result. */
  readonly written: (result: T) => Identified;
  /** Default OUTCOME_TIMEOUT_MS. */
  readonly timeoutMs?: number | undefined;
  /** The commit's answer was lost but the commit took effect (for a warning). */
  readonly recovered?: (error: unknown, result: T) => void;
}

/**
 * Runs a transaction that appends to the journal and settles a lost COMMIT answer: resolves with
 * the body's result when the transaction took effect (answered or not), throws the transaction's
 * error when it did not, and `intake.outcome_unknown` naming the events when the database would
 * not say within the timeout. Everything else the body wrote shares the journal rows' fate.
 */
export async function journalTransaction<T>(
  db: Kysely<Database>,
  body: (trx: Transaction<Database>) => Promise<T>,
  options: JournalTransactionOptions<T>,
): Promise<T> {
  let result: { value: T } | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const value = await body(trx);
      result = { value };
      return value;
    });
  } catch (e) {
    // Failed before COMMIT was sent: nothing of it is stored.
    if (!result) throw e;
    const written = options.written(result.value);
    const deadline = Date.now() + (options.timeoutMs ?? OUTCOME_TIMEOUT_MS);
    const committed = await committedAfterAll(written, { db, givenUp: () => Date.now() >= deadline });
    if (committed === true) {
      options.recovered?.(e, result.value);
      return result.value;
    }
    if (committed === false) throw e;
    throw outcomeUnknown(written.map((event) => event.id));
  }
}

export function outcomeUnknown(eventIds: readonly string[]) {
  return intakeError(
    'intake.outcome_unknown',
    'The journal did not answer whether these events were stored; resubmit them with these ids',
    { eventIds: [...eventIds] },
  );
}

/** True when the events are in the journal, false when they are not, undefined when the database never answered. */
export async function committedAfterAll(events: Identified, check: OutcomeCheck): Promise<boolean | undefined> {
  let pause = check.retryMs ?? 50;
  for (;;) {
    try {
      return await allStored(check.db, events);
    } catch {
      if (check.givenUp()) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(2000, pause * 2);
    }
  }
}

async function allStored(db: Kysely<Database>, events: Identified): Promise<boolean> {
  for (let i = 0; i < events.length; i += CHUNK) {
    const ids = [...new Set(events.slice(i, i + CHUNK).map((e) => e.id))];
    const found = await db.selectFrom('journal_events').select('id').where('id', 'in', ids).execute();
    if (found.length < ids.length) return false;
  }
  return true;
}

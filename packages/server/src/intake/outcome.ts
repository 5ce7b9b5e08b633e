/**
 * What became of a journal transaction whose COMMIT got no answer (the connection dropped while
 * it was under way: a database failover or restart, a terminated backend). The database may have
 * applied it or not; refusing the events would invite a duplicate when the sender retries, and
 * acknowledging them could lose them. So the intake asks: the transaction stored every event the
 * append returned, or none of those it added (it is atomic), so "are they all in the journal?"
 * answers it. Events the append found already stored (a re-sent id) are in the journal either way,
 * which keeps the answer right for them too.
 */
import type { VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

const CHUNK = 1000;

export interface OutcomeCheck {
  db: Kysely<Database>;
  /** Gives up (undefined) once this returns true; until then a failed check is retried. */
  givenUp: () => boolean;
  /** First pause between checks; doubled up to 2 s. */
  retryMs?: number;
}

/** True when the events are in the journal, false when they are not, undefined when the database never answered. */
export async function committedAfterAll(events: readonly VigilEvent[], check: OutcomeCheck): Promise<boolean | undefined> {
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

async function allStored(db: Kysely<Database>, events: readonly VigilEvent[]): Promise<boolean> {
  for (let i = 0; i < events.length; i += CHUNK) {
    const ids = [...new Set(events.slice(i, i + CHUNK).map((e) => e.id))];
    const found = await db.selectFrom('journal_events').select('id').where('id', 'in', ids).execute();
    if (found.length < ids.length) return false;
  }
  return true;
}

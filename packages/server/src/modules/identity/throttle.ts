/**
 * Limits password and TOTP guessing per client address, shared by every server node through the
 * database. The count is a sliding-window estimate (the previous minute's attempts weighted by how
 * much of it still overlaps the last 60 seconds, plus this minute's), which avoids the double burst
 * a fixed window allows at its edge.
 *
 * An attempt is counted before the password is checked, so parallel requests cannot all slip in
 * under the limit; a successful one is refunded, so staff signing in at shift change from one NAT
 * address are limited only by their mistakes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { identityError } from './errors.js';

const WINDOW_MS = 60_000;

export class LoginThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
    private readonly perMinute: number,
  ) {}

  /** Counts one attempt from `address`, or throws `auth.rate_limited` (counting nothing). */
  async consume(address: string): Promise<void> {
    const now = this.clock().getTime();
    const windowStart = now - (now % WINDOW_MS);
    const retryAfter = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_throttle')
        .values({ address, window_start: new Date(windowStart).toISOString(), attempts: 0, previous_attempts: 0 })
        .onConflict((oc) => oc.column('address').doNothing())
        .execute();
      // Row lock first (an UPDATE on both dialects) so concurrent attempts from one address queue.
      const row = await trx
        .updateTable('login_throttle')
        .set((eb) => ({ attempts: eb.ref('attempts') }))
        .where('address', '=', address)
        .returning(['window_start', 'attempts', 'previous_attempts'])
        .executeTakeFirstOrThrow();
      const storedStart = Date.parse(row.window_start);
      let attempts = row.attempts;
      let previous = row.previous_attempts;
      if (storedStart !== windowStart) {
        previous = storedStart === windowStart - WINDOW_MS ? attempts : 0;
        attempts = 0;
      }
      const overlap = 1 - (now - windowStart) / WINDOW_MS;
      const estimate = previous * overlap + attempts;
      if (estimate + 1 > this.perMinute) return this.secondsUntilAllowed(now, windowStart, attempts);
      await trx
        .updateTable('login_throttle')
        .set({ window_start: new Date(windowStart).toISOString(), attempts: attempts + 1, previous_attempts: previous })
        .where('address', '=', address)
        .execute();
      return null;
    });
    if (retryAfter !== null) {
      throw identityError('auth.rate_limited', `Too many sign-in attempts from this address; retry in ${retryAfter} s`, {
        retryAfterSeconds: retryAfter,
      });
    }
  }

  /** Gives back the attempt of a request that turned out right. */
  async refund(address: string): Promise<void> {
    await this.db
      .updateTable('login_throttle')
      .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
      .where('address', '=', address)
      .where('attempts', '>', 0)
      .execute();
  }

  /** When this minute's attempts, carried into the next window and decaying, fall below the limit. */
  private secondsUntilAllowed(now: number, windowStart: number, attempts: number): number {
    const toNextWindow = windowStart + WINDOW_MS - now;
    const decay = attempts <= this.perMinute - 1 ? 0 : WINDOW_MS * (1 - (this.perMinute - 1) / attempts);
    return Math.max(1, Math.ceil((toNextWindow + decay) / 1000));
  }
}

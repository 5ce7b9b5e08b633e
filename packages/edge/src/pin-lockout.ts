/**
 * PIN guessing defence: a found or stolen card must not let its finder try PINs until one opens.
 * After `attempts` wrong PINs for one credential within `windowMs`, that credential's PIN attempts
 * are refused at every door of this controller for `lockoutMs`, without the PIN being asked for or
 * checked. A right PIN clears the count.
 *
 * The counts are in memory only: a restart forgets fewer than `attempts` wrong PINs, which buys a
 * guesser at most that many more tries per restart (and a restart is journaled). A lockout itself
 * is kept in the agent's store and restored at start, so pulling the power is no way to lift it.
 */
export interface PinLockoutPolicy {
  readonly attempts: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export interface WrongPin {
  /** Wrong PINs counted in the window, this one included. */
  readonly failures: number;
  /** Set when this wrong PIN locked the credential out: until when (epoch ms). */
  readonly lockedUntil: number | null;
}

/** Above this many credentials with counted failures, counts older than the window are dropped. */
const PRUNE_ABOVE = 1000;

export class PinLockout {
  private readonly failures = new Map<string, number[]>();
  private readonly lockouts: Map<string, number>;

  constructor(
    readonly policy: PinLockoutPolicy,
    /** Lockouts restored from the store: credential id → until (epoch ms). */
    restored: ReadonlyMap<string, number> = new Map(),
  ) {
    this.lockouts = new Map(restored);
  }

  /** Until when the credential's PIN attempts are refused (epoch ms), or null when they are not. */
  lockedUntil(credentialId: string, now: number): number | null {
    const until = this.lockouts.get(credentialId);
    if (until === undefined) return null;
    if (now < until) return until;
    this.lockouts.delete(credentialId);
    return null;
  }

  /** Counts a wrong PIN; the caller records the lockout it may start (see `lockedUntil` of the result). */
  wrong(credentialId: string, now: number): WrongPin {
    const recent = (this.failures.get(credentialId) ?? []).filter((at) => now - at < this.policy.windowMs);
    recent.push(now);
    if (recent.length >= this.policy.attempts) {
      this.failures.delete(credentialId);
      const until = now + this.policy.lockoutMs;
      this.lockouts.set(credentialId, until);
      return { failures: recent.length, lockedUntil: until };
    }
    this.failures.set(credentialId, recent);
    if (this.failures.size > PRUNE_ABOVE) this.prune(now);
    return { failures: recent.length, lockedUntil: null };
  }

  /**
   * Ends the credential's lockout before its time (an operator's request): returns until when it
   * would have run, or null when there was none. The wrong-PIN count starts again as well.
   */
  lift(credentialId: string, now: number): number | null {
    const until = this.lockedUntil(credentialId, now);
    this.lockouts.delete(credentialId);
    this.failures.delete(credentialId);
    return until;
  }

  /** A right PIN: the count starts again. */
  right(credentialId: string): void {
    this.failures.delete(credentialId);
  }

  private prune(now: number): void {
    for (const [credentialId, times] of this.failures) {
      if (now - times[times.length - 1]! >= this.policy.windowMs) this.failures.delete(credentialId);
    }
  }
}

/**
 * One door's state machine: locked → released for the strike time (a grant, an exit request, an
 * operator) → open → held-open alarm after its limit → closed and relocked. A door that opens
 * while nothing released it is forced open. A door can also be held unlocked by its mode
 * (unlocked, an open schedule, fire egress); then it may stand open without alarm.
 *
 * The lock follows one rule: released while held unlocked or within a momentary release, engaged
 * otherwise. A momentary release ends at its timer or when the door closes again, whichever is
 * first, and is sent to hardware as a timed release so the hardware relocks on its own too.
 */
import type { Clock } from '@vigil/osdp';
import type { DoorPositionInput, LockOutput } from './io/types.js';

export type DoorAlarm = 'forced_open' | 'held_open' | null;
export type ReleaseCause = 'grant' | 'exit_request' | 'operator' | 'mode' | 'emergency';

/** What the door reports; the agent turns each into a durable event. */
export interface DoorFacts {
  opened(door: DoorController, cause: ReleaseCause): void;
  closed(door: DoorController, openMs: number, alarm: DoorAlarm): void;
  forcedOpen(door: DoorController): void;
  heldOpen(door: DoorController, limitMs: number): void;
  lockFault(door: DoorController, error: unknown): void;
  /** A lock command reached the hardware (clears a fault). */
  lockWritten(door: DoorController): void;
}

export interface DoorHardware {
  readonly lock: LockOutput;
  readonly position: DoorPositionInput | null;
}

export class DoorController {
  private momentary: { cause: ReleaseCause; until: number; serial: number } | null = null;
  private releases = 0;
  private momentaryTimer: unknown = null;
  private heldUnlocked: ReleaseCause | null = null;
  private openedAt: number | null = null;
  private heldTimer: unknown = null;
  private currentAlarm: DoorAlarm = null;
  private lockWrites: Promise<void> = Promise.resolve();
  private writesInFlight = 0;
  private lastOutput: string | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    readonly id: string,
    private readonly hardware: DoorHardware,
    private readonly heldOpenMs: number,
    private readonly clock: Clock,
    private readonly facts: DoorFacts,
  ) {
    this.unsubscribe = hardware.position?.onChange((open) => this.positionChanged(open)) ?? (() => undefined);
    if (hardware.position?.open) this.openedAt = clock.now();
  }

  get open(): boolean | null {
    return this.hardware.position ? this.openedAt !== null : null;
  }

  get locked(): boolean {
    return this.heldUnlocked === null && this.momentary === null;
  }

  get alarm(): DoorAlarm {
    return this.currentAlarm;
  }

  /** Resolves once every lock command issued so far reached the hardware. */
  settled(): Promise<void> {
    return this.lockWrites;
  }

  /** Releases the lock for `ms` (grant, exit request, operator unlock). */
  release(ms: number, cause: ReleaseCause): void {
    this.clearMomentaryTimer();
    const until = this.clock.now() + ms;
    // Each release is sent anew, restarting the hardware's own timer from this grant.
    this.momentary = { cause, until, serial: ++this.releases };
    this.momentaryTimer = this.clock.setTimeout(() => this.endMomentary(), ms);
    this.applyLock();
  }

  /** Ends a momentary release at once (operator lock); a mode that holds the door unlocked stays. */
  relock(): void {
    this.endMomentary();
  }

  /** Held unlocked by a mode (cause `mode` or `emergency`), or back to card access (null). */
  setHeldUnlocked(cause: ReleaseCause | null): void {
    if (this.heldUnlocked === cause) return;
    const wasHeld = this.heldUnlocked !== null;
    this.heldUnlocked = cause;
    if (cause !== null) this.clearHeldTimer();
    else if (wasHeld && this.openedAt !== null && this.currentAlarm === null) this.startHeldTimer();
    this.applyLock();
  }

  /** Sends the lock state again (at start, and after the lock's bus came back). */
  resend(): void {
    this.lastOutput = null;
    this.applyLock();
  }

  dispose(): void {
    this.unsubscribe();
    this.clearMomentaryTimer();
    this.clearHeldTimer();
  }

  private positionChanged(open: boolean): void {
    if (open && this.openedAt === null) {
      this.openedAt = this.clock.now();
      const cause = this.heldUnlocked ?? this.momentary?.cause ?? null;
      if (cause === null) {
        this.currentAlarm = 'forced_open';
        this.facts.forcedOpen(this);
        return;
      }
      this.facts.opened(this, cause);
      if (this.heldUnlocked === null) this.startHeldTimer();
    } else if (!open && this.openedAt !== null) {
      const openMs = Math.max(0, this.clock.now() - this.openedAt);
      const alarm = this.currentAlarm;
      this.openedAt = null;
      this.currentAlarm = null;
      this.clearHeldTimer();
      this.facts.closed(this, openMs, alarm);
      // Relock on close: the release was for one passage.
      if (this.momentary) this.endMomentary();
    }
  }

  private startHeldTimer(): void {
    this.clearHeldTimer();
    this.heldTimer = this.clock.setTimeout(() => {
      this.heldTimer = null;
      if (this.openedAt === null || this.heldUnlocked !== null || this.currentAlarm !== null) return;
      this.currentAlarm = 'held_open';
      this.facts.heldOpen(this, this.heldOpenMs);
    }, this.heldOpenMs);
  }

  private endMomentary(): void {
    this.clearMomentaryTimer();
    if (!this.momentary) return;
    this.momentary = null;
    this.applyLock();
  }

  private applyLock(): void {
    const lock = this.hardware.lock;
    let output: string;
    let write: () => Promise<void>;
    if (this.heldUnlocked !== null) {
      output = 'held';
      write = () => lock.release(null);
    } else if (this.momentary) {
      const forMs = Math.max(1, this.momentary.until - this.clock.now());
      output = `release:${this.momentary.serial}`;
      write = () => lock.release(forMs);
    } else {
      output = 'engaged';
      write = () => lock.engage();
    }
    if (output === this.lastOutput) return;
    this.lastOutput = output;
    const run = () =>
      write()
        .then(() => this.facts.lockWritten(this))
        .catch((error: unknown) => {
          // The next change must be sent again, whatever the hardware state now is.
          this.lastOutput = null;
          this.facts.lockFault(this, error);
        })
        .finally(() => this.writesInFlight--);
    // Issued at once when the lock is idle, so it goes out ahead of the reader feedback that
    // follows a grant; queued behind a write still in flight, so writes never overtake each other.
    this.lockWrites = this.writesInFlight++ === 0 ? run() : this.lockWrites.then(run);
  }

  private clearMomentaryTimer(): void {
    if (this.momentaryTimer !== null) this.clock.clearTimeout(this.momentaryTimer);
    this.momentaryTimer = null;
  }

  private clearHeldTimer(): void {
    if (this.heldTimer !== null) this.clock.clearTimeout(this.heldTimer);
    this.heldTimer = null;
  }
}

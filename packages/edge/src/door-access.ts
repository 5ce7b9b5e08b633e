/**
 * Passage through one door: a card read (and, where the door or zone asks for it, a PIN from the
 * keypad) or an exit request becomes a local decision, the decision is recorded durably, and only
 * then is the lock released and the reader told. Exit is never refused, even without a snapshot
 * or when the buffer cannot be written; entry is refused when the decision cannot be recorded.
 *
 * A typed PIN is checked against the holder's scrypt hash from the snapshot on the thread pool
 * (tens of milliseconds), and only its verdict goes into the decision: a card read never waits
 * for a hash, and the event loop keeps answering other readers while one is computed.
 *
 * Wrong PINs are counted per credential across the controller's doors (pin-lockout.ts): the one
 * that reaches the limit is recorded with an `access.pin_locked_out` event and the lockout itself,
 * in the same commit; until it ends, the card is refused (`access.pin_locked_out`) without a prompt.
 * A lockout refuses only a decision that asks for the PIN, itself a refusal that changed no state;
 * a PIN typed for a card locked out meanwhile is not used at all. No grant is ever turned into a
 * refusal afterwards: `decide` records a grant's passage (anti-passback, occupancy, escorts) as it
 * grants, and would leave a person counted through a door that stayed shut.
 */
import { decisionSignals, tryDecodeWiegand, verifyPin, type AccessDecision, type AccessRequest, type EventDraft } from '@vigil/core';
import { toHex, type Clock } from '@vigil/osdp';
import type { DoorConfig } from './config.js';
import type { DoorController } from './door.js';
import { accessDenied, accessGranted, pinLockedOut } from './events.js';
import type { ReaderFeedback } from './feedback.js';
import type { LatencyWindow } from './latency.js';
import { PinEntry } from './pin-entry.js';
import type { PinLockout } from './pin-lockout.js';
import type { PolicyRuntime } from './policy.js';
import type { EventRecorder } from './recorder.js';

export interface DoorAccessContext {
  readonly policy: PolicyRuntime;
  readonly recorder: EventRecorder;
  readonly feedback: ReaderFeedback;
  readonly clock: Clock;
  readonly latency: LatencyWindow;
  readonly pinTimeoutMs: number;
  readonly pinMaxDigits: number;
  /** Wrong-PIN counts and lockouts, shared by every door of the controller. */
  readonly pinLockout: PinLockout;
  /** The buffer could not be written (true) or could again (false). */
  readonly bufferFault: (failed: boolean, error?: unknown) => void;
}

type Direction = 'entry' | 'exit';

/** A PIN lockout the refusal is about: running (the card refused without a prompt) or started by this wrong PIN. */
interface LockoutNote {
  readonly until: number;
  /** Wrong PINs that started it; absent when the lockout was already running. */
  readonly failures?: number;
}

/** A snapshot swapped while a PIN was being checked is looked at again this many times before giving up. */
const PIN_CHECK_ATTEMPTS = 3;

export class DoorAccess {
  private readonly pinEntries = new Map<string, PinEntry>();
  /** PIN checks under way, so stopping waits for their decisions to be recorded. */
  private readonly pinChecks = new Set<Promise<void>>();

  constructor(
    private readonly ctx: DoorAccessContext,
    readonly config: DoorConfig,
    readonly door: DoorController,
  ) {}

  directionOf(reader: string): Direction | null {
    if (reader === this.config.entryReader) return 'entry';
    if (reader === this.config.exitReader) return 'exit';
    return null;
  }

  /** A card at one of this door's readers; `receivedAt` (performance.now()) is when the read reached the agent. */
  card(reader: string, bitCount: number, data: Uint8Array, receivedAt: number): void {
    const direction = this.directionOf(reader);
    if (!direction) return;
    this.pinEntries.get(reader)?.cancel();
    const request: AccessRequest = { doorId: this.config.id, kind: 'card', direction, card: { bitCount, hex: toHex(data) } };
    const decision = this.decide(request);
    // A refusal that waits for a PIN changed no state, so a running lockout can still refuse it.
    if (decision && asksForPin(decision)) {
      const until = this.lockedUntil(decision.credentialId);
      if (until === null) this.askForPin(reader, request);
      else this.conclude(reader, request, decision, ['card'], receivedAt, { until });
      return;
    }
    this.conclude(reader, request, decision, ['card'], receivedAt);
  }

  keypad(reader: string, keys: string): void {
    this.pinEntries.get(reader)?.keys(keys);
  }

  /** The request-to-exit button or sensor: always granted, the lock released for the strike time. */
  exitRequest(): void {
    const request: AccessRequest = { doorId: this.config.id, kind: 'exit_request' };
    this.conclude(null, request, this.decide(request), [], performance.now());
  }

  cancelPinEntries(): void {
    for (const entry of this.pinEntries.values()) entry.cancel();
  }

  /** Resolves once every PIN check under way has been decided and recorded. */
  async settled(): Promise<void> {
    await Promise.all([...this.pinChecks]);
  }

  private askForPin(reader: string, request: AccessRequest): void {
    this.ctx.feedback.promptPin(reader, this.ctx.pinTimeoutMs / 1000);
    const entry = new PinEntry({
      timeoutMs: this.ctx.pinTimeoutMs,
      maxDigits: this.ctx.pinMaxDigits,
      clock: this.ctx.clock,
      done: (pin) => {
        if (this.pinEntries.get(reader) === entry) this.pinEntries.delete(reader);
        // Without a PIN the first decision stands (second factor required); with one, decide again on its verdict.
        if (pin === null) this.conclude(reader, request, this.decide(request), ['card'], performance.now());
        else this.checkPinThenConclude(reader, request, pin);
      },
    });
    this.pinEntries.set(reader, entry);
  }

  private checkPinThenConclude(reader: string, request: AccessRequest, pin: string): void {
    const check = this.pinMatches(request, pin)
      .catch(() => false)
      .then((pinMatch) => {
        // Timed from the verdict: the agent's latency window measures decisions, not hashing.
        const receivedAt = performance.now();
        // Locked out at another door while this PIN was being hashed: its verdict no longer counts,
        // and the request is decided as though no PIN had been typed. Where that decision still
        // waits for the PIN, the lockout refuses it; otherwise (the door unlocked meanwhile, the
        // card refused for its own reason, an exit) it stands, uncounted. Looked up before deciding,
        // as a grant records its passage when it is decided.
        const until = request.card ? this.lockedUntil(this.ctx.policy.credentialIdFor(request.card)) : null;
        if (until !== null) {
          const withoutPin = this.decide(request);
          const lockout = withoutPin && asksForPin(withoutPin) ? { until } : undefined;
          return this.conclude(reader, request, withoutPin, ['card'], receivedAt, lockout);
        }
        const withVerdict: AccessRequest = { ...request, pinMatch };
        const decision = this.decide(withVerdict);
        const credentialId = decision?.credentialId;
        if (credentialId && decision?.reason === 'access.pin_incorrect') {
          const wrong = this.ctx.pinLockout.wrong(credentialId, this.ctx.clock.now());
          const lockout = wrong.lockedUntil === null ? undefined : { until: wrong.lockedUntil, failures: wrong.failures };
          return this.conclude(reader, withVerdict, decision, ['card', 'pin'], receivedAt, lockout);
        }
        if (credentialId && pinMatch) this.ctx.pinLockout.right(credentialId);
        this.conclude(reader, withVerdict, decision, ['card', 'pin'], receivedAt);
      })
      .finally(() => this.pinChecks.delete(check));
    this.pinChecks.add(check);
  }

  /**
   * Checks the PIN against the holder's hash. A new snapshot may arrive while the hash is being
   * computed; the verdict is kept only if the holder's hash is still the same afterwards.
   */
  private async pinMatches(request: AccessRequest, pin: string): Promise<boolean> {
    const card = request.card;
    if (!card) return false;
    for (let attempt = 0; attempt < PIN_CHECK_ATTEMPTS; attempt++) {
      const hash = this.ctx.policy.pinHashFor(card);
      // No PIN to check against: the decision says why (not enrolled, unknown card).
      if (hash === null) return false;
      const match = await verifyPin(pin, hash);
      if (this.ctx.policy.pinHashFor(card) === hash) return match;
    }
    return false;
  }

  private lockedUntil(credentialId: string | null): number | null {
    return credentialId ? this.ctx.pinLockout.lockedUntil(credentialId, this.ctx.clock.now()) : null;
  }

  private decide(request: AccessRequest): AccessDecision | null {
    try {
      return this.ctx.policy.decide(request, this.ctx.clock.now());
    } catch {
      // A decision that throws is a fault in the snapshot or the engine: exit stays free (below),
      // entry is refused.
      return null;
    }
  }

  private conclude(
    reader: string | null,
    request: AccessRequest,
    decision: AccessDecision | null,
    factors: ('card' | 'pin')[],
    receivedAt: number,
    lockout?: LockoutNote,
  ): void {
    const exit = request.kind === 'exit_request' || request.direction === 'exit';
    // A running lockout refuses whatever the decision said; one this PIN started leaves its refusal as it is.
    const lockedOut = lockout !== undefined && lockout.failures === undefined;
    const granted = lockout ? false : decision ? decision.granted : exit;
    const direction = exit ? 'exit' : 'entry';
    const envelope = this.ctx.recorder.envelope({
      subject: decision?.personId ?? null,
      zone: decision?.zoneId ?? this.ctx.policy.zoneOf(this.config.id, direction),
      door: this.config.id,
    });
    const draft = (granted ? accessGranted : accessDenied).draft(envelope, {
      reason: lockedOut ? 'access.pin_locked_out' : (decision?.reason ?? (exit ? 'access.free_egress' : 'access.no_snapshot')),
      rule: lockedOut ? 'pin_lockout' : (decision?.rule ?? (exit ? 'egress' : 'door')),
      request: request.kind,
      direction,
      reader,
      credentialId: decision?.credentialId ?? null,
      accessGroupId: decision?.accessGroupId ?? null,
      scheduleId: decision?.scheduleId ?? null,
      detail: lockedOut ? `PIN attempts locked out until ${new Date(lockout.until).toISOString()}` : (decision?.detail ?? null),
      signals: decision ? decisionSignals(decision) : [],
      factors,
      unknownCard: decision?.unknownCard ? describeUnknownCard(decision) : null,
      snapshotVersion: this.ctx.policy.version,
    });
    const drafts: EventDraft[] = [draft];
    const started =
      lockout?.failures !== undefined && decision?.credentialId ? { credentialId: decision.credentialId, until: lockout.until } : null;
    if (started) drafts.push(this.lockoutDraft(envelope, reader, started.credentialId, started.until));
    let recorded = true;
    try {
      const personIds = [decision?.personId ?? null];
      if (decision?.reason === 'access.granted_two_person') personIds.push(decision.detail);
      this.ctx.recorder.record(drafts, {
        delta: this.ctx.policy.delta(this.config.id, personIds),
        ...(started ? { pinLockout: started } : {}),
      });
      this.ctx.bufferFault(false);
    } catch (error) {
      recorded = false;
      this.ctx.bufferFault(true, error);
    }
    if (granted && (recorded || exit)) {
      this.door.release(this.ctx.policy.releaseMs(this.config.id) ?? this.config.unlockSeconds * 1000, exit ? 'exit_request' : 'grant');
      this.ctx.latency.add(performance.now() - receivedAt);
      if (reader) this.ctx.feedback.granted(reader);
    } else if (reader && lockout) {
      this.ctx.feedback.lockedOut(reader);
    } else if (reader) {
      this.ctx.feedback.denied(reader);
    }
  }

  private lockoutDraft(envelope: ReturnType<EventRecorder['envelope']>, reader: string | null, credentialId: string, until: number) {
    const { attempts, windowMs, lockoutMs } = this.ctx.pinLockout.policy;
    return pinLockedOut.draft(envelope, {
      credentialId,
      reader,
      attempts,
      windowSeconds: windowMs / 1000,
      lockoutSeconds: lockoutMs / 1000,
      until: new Date(until).toISOString(),
    });
  }
}

/**
 * A refusal that waits for the PIN: the one decision a PIN lockout refuses in its own name. It is
 * a refusal, so it changed no state; no exit and no grant is one.
 */
function asksForPin(decision: AccessDecision): boolean {
  return decision.reason === 'access.second_factor_required' && /PIN/.test(decision.detail ?? '');
}

function describeUnknownCard(decision: AccessDecision) {
  const unknown = decision.unknownCard!;
  let facilityCode: number | null = null;
  let cardNumberMasked: string | null = null;
  if (unknown.format && unknown.hex) {
    const decoded = tryDecodeWiegand(unknown.hex, unknown.bitCount);
    if (decoded.ok) {
      facilityCode = decoded.card.facilityCode;
      cardNumberMasked = `…${String(decoded.card.cardNumber).slice(-2)}`;
    }
  }
  return { bitCount: unknown.bitCount, format: unknown.format, facilityCode, cardNumberMasked };
}

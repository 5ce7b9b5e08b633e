/**
 * An operator lifting a credential's PIN lockout before it runs out (the holder called the desk,
 * the card is back in the right hands). The command is carried out once and its outcome recorded
 * with the lift itself, in one commit, before the lockout is dropped from memory: a lift the
 * buffer could not record is not made, and a re-delivery tries again. A late command is reported
 * expired and not carried out: it was meant for the lockout the operator saw, not for one a
 * guesser may have started since.
 */
import { defineEvent } from '@vigil/core';
import type { Clock } from '@vigil/osdp';
import Type from 'typebox';
import type { PinLockout } from './pin-lockout.js';
import type { PinLockoutLiftCommand } from './protocol.js';
import type { EventRecorder } from './recorder.js';
import type { AgentStore } from './store.js';

const closed = { additionalProperties: false } as const;

export const pinLockoutLiftExecuted = defineEvent(
  'access.pin_lockout_lift_executed',
  'A door controller carried out an operator’s request to lift a credential’s PIN lockout: `lifted` (the card’s PIN is asked for again), `not_locked_out` (this controller held no lockout for it), or `expired` (the request arrived too late and was not carried out)',
  Type.Object(
    {
      commandId: Type.String({ format: 'uuid' }),
      credentialId: Type.String({ minLength: 1, maxLength: 128 }),
      requestedBy: Type.String({ minLength: 1, maxLength: 128 }),
      outcome: Type.Union([Type.Literal('lifted'), Type.Literal('not_locked_out'), Type.Literal('expired')]),
      /** When the lockout this controller held would have ended; null when it held none. */
      until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    },
    closed,
  ),
);

export interface PinLockoutLiftsContext {
  readonly recorder: EventRecorder;
  readonly store: AgentStore;
  readonly clock: Clock;
  /** The controller's lockouts, shared with every door. */
  readonly pinLockout: PinLockout;
  /** The buffer could not be written (true) or could again (false). */
  readonly bufferFault: (failed: boolean, error?: unknown) => void;
}

export class PinLockoutLifts {
  constructor(private readonly ctx: PinLockoutLiftsContext) {}

  execute(command: PinLockoutLiftCommand): void {
    const { store, clock, recorder, pinLockout } = this.ctx;
    if (store.hasExecuted(command.id)) return;
    const now = clock.now();
    const until = pinLockout.lockedUntil(command.credentialId, now);
    const outcome = Date.parse(command.expiresAt) < now ? 'expired' : until === null ? 'not_locked_out' : 'lifted';
    const envelope = recorder.envelope({ subject: command.personId, correlationId: command.id });
    const draft = pinLockoutLiftExecuted.draft(envelope, {
      commandId: command.id,
      credentialId: command.credentialId,
      requestedBy: command.requestedBy,
      outcome,
      until: until === null ? null : new Date(until).toISOString(),
    });
    try {
      recorder.record([draft], { commandId: command.id, ...(outcome === 'lifted' ? { pinLockoutLifted: command.credentialId } : {}) });
      this.ctx.bufferFault(false);
    } catch (error) {
      // Raised, not thrown: nothing above a command waits for it. The lockout stays in force and
      // the command unmarked, so a re-delivery carries it out and reports it.
      this.ctx.bufferFault(true, error);
      return;
    }
    if (outcome === 'lifted') pinLockout.lift(command.credentialId, now);
  }
}

/**
 * Door modes from the server and from the clock: the durable controls (fire egress, lockdown,
 * operator mode overrides) the server re-sends until applied, one-off operator commands (unlock,
 * lock; output commands and PIN lockout lifts are handed on), and the periodic check that holds doors unlocked while their mode or schedule says so.
 *
 * Fire egress beats lockdown: the decision engine puts fire egress first, and here an egress door
 * under fire egress is held unlocked whatever else is in force. Exit is never blocked in any mode.
 */
import { setDoorMode, setFireEgress, setLockdown, type EventDraft } from '@vigil/core';
import type { Clock } from '@vigil/osdp';
import type { DoorAccess } from './door-access.js';
import type { ReleaseCause } from './door.js';
import { doorCommandExecuted, doorLocked, doorModeChanged, doorUnlocked } from './events.js';
import type { PolicyRuntime } from './policy.js';
import type { Controls, DoorCommand } from './protocol.js';
import type { AuxOutputs } from './outputs.js';
import type { PinLockoutLifts } from './pin-lockout-lifts.js';
import type { EventRecorder } from './recorder.js';
import type { AgentStore, StateDelta } from './store.js';

const CONTROLS_KEY = 'controls';
const NO_CONTROLS: Controls = { version: 0, fireEgress: null, lockdown: null, overrides: [] };

export interface DoorModesContext {
  readonly policy: PolicyRuntime;
  readonly recorder: EventRecorder;
  readonly store: AgentStore;
  readonly clock: Clock;
  readonly doors: ReadonlyMap<string, DoorAccess>;
  /** Auxiliary outputs (elevator hold); output commands are carried out there. */
  readonly outputs?: AuxOutputs;
  /** PIN lockouts an operator lifts; lift commands are carried out there. */
  readonly pinLockoutLifts?: PinLockoutLifts;
  /** An output command that failed outside its own reporting (the buffer unreadable), logged. */
  readonly fault?: (message: string, error: unknown) => void;
}

export class DoorModes {
  private controls: Controls;
  private readonly held = new Map<string, ReleaseCause | null>();

  constructor(private readonly ctx: DoorModesContext) {
    const stored = ctx.store.getMeta(CONTROLS_KEY);
    this.controls = stored ? (JSON.parse(stored.toString('utf8')) as Controls) : NO_CONTROLS;
  }

  get version(): number {
    return this.controls.version;
  }

  /** Applies the server's controls when they are new; `force` re-applies them onto a new snapshot. */
  apply(controls: Controls, force = false): void {
    if (!force && controls.version === this.controls.version) return;
    const { policy, recorder } = this.ctx;
    const state = policy.state;
    const drafts: EventDraft[] = [];
    const delta: { id: string; state: NonNullable<StateDelta['doors']>[number]['state'] }[] = [];
    if (state) {
      const before = new Map([...this.ctx.doors.keys()].map((id) => [id, policy.modeOf(id)]));
      state.fireEgress.fill(0);
      state.lockdown.fill(0);
      state.modeOverride.fill(-1);
      // Ids this snapshot does not know (a door or zone removed since) match nothing; the known
      // doors in scope are set all the same.
      if (controls.fireEgress) setFireEgress(state, controls.fireEgress, true);
      if (controls.lockdown) setLockdown(state, controls.lockdown, true);
      for (const { doorId, mode } of controls.overrides) setDoorMode(state, doorId, mode);
      for (const [doorId, previous] of before) {
        const mode = policy.modeOf(doorId);
        if (mode === null) continue;
        delta.push(...(policy.delta(doorId, []).doors ?? []));
        if (mode === previous || previous === null) continue;
        const override = controls.overrides.find((o) => o.doorId === doorId)?.mode ?? null;
        const lockdown = state.lockdown[state.snapshot.doorIndex.get(doorId)!] === 1;
        const fireEgress = state.fireEgress[state.snapshot.doorIndex.get(doorId)!] === 1;
        drafts.push(doorModeChanged.draft(recorder.envelope({ door: doorId }), { mode, previous, override, lockdown, fireEgress }));
      }
    }
    recorder.record(drafts, { delta: { doors: delta }, meta: { [CONTROLS_KEY]: Buffer.from(JSON.stringify(controls)) } });
    this.controls = controls;
    if (state) this.refresh();
  }

  /** Re-applies the stored controls after a snapshot change (new doors, new indices). */
  reapply(): void {
    this.apply(this.controls, true);
  }

  /** Holds each door unlocked or not according to its mode and schedule now; records changes. */
  refresh(): void {
    const { policy, recorder, clock } = this.ctx;
    const now = clock.now();
    for (const [doorId, access] of this.ctx.doors) {
      const mode = policy.modeOf(doorId);
      let cause: ReleaseCause | null = null;
      if (mode === 'fire_egress') cause = access.config.egress ? 'emergency' : null;
      else if (policy.freeAccess(doorId, now)) cause = 'mode';
      const previous = this.held.get(doorId) ?? null;
      if (this.held.has(doorId) && previous === cause) continue;
      const first = !this.held.has(doorId);
      this.held.set(doorId, cause);
      access.door.setHeldUnlocked(cause);
      if (first && cause === null) continue;
      const envelope = recorder.envelope({ door: doorId });
      const draft =
        cause !== null
          ? doorUnlocked.draft(envelope, { cause, untilMs: null, commandId: null })
          : doorLocked.draft(envelope, { cause: previous ?? 'mode', commandId: null });
      this.recordQuietly([draft]);
    }
  }

  /** Carries out an operator command once; an expired one is reported and not carried out. */
  execute(command: DoorCommand): void {
    if (command.command === 'output') {
      // Recorded by the outputs themselves once the hardware took the write (or refused it).
      this.ctx.outputs?.execute(command).catch((error: unknown) => this.ctx.fault?.('output command not carried out', error));
      return;
    }
    if (command.command === 'lift_pin_lockout') {
      this.ctx.pinLockoutLifts?.execute(command);
      return;
    }
    const { store, recorder, clock } = this.ctx;
    if (store.hasExecuted(command.id)) return;
    const access = this.ctx.doors.get(command.doorId);
    const outcome = !access ? 'unknown_door' : Date.parse(command.expiresAt) < clock.now() ? 'expired' : 'executed';
    const envelope = recorder.envelope({ door: command.doorId, correlationId: command.id });
    const drafts: EventDraft[] = [doorCommandExecuted.draft(envelope, { commandId: command.id, command: command.command, outcome })];
    const forMs = (command.seconds ?? access?.config.unlockSeconds ?? 5) * 1000;
    if (outcome === 'executed') {
      drafts.push(
        command.command === 'unlock'
          ? doorUnlocked.draft(envelope, { cause: 'operator', untilMs: forMs, commandId: command.id })
          : doorLocked.draft(envelope, { cause: 'operator', commandId: command.id }),
      );
    }
    recorder.record(drafts, { commandId: command.id });
    if (outcome !== 'executed' || !access) return;
    if (command.command === 'unlock') access.door.release(forMs, 'operator');
    else access.door.relock();
  }

  private recordQuietly(drafts: EventDraft[]): void {
    try {
      this.ctx.recorder.record(drafts);
    } catch {
      // The door follows its mode even when the buffer cannot record that it did.
    }
  }
}

/**
 * Commands a plan's doors and records how long each took. Doors are commanded in parallel, each
 * with a timeout; a door that fails is retried (for a fire plan until it confirms or the plan is
 * cleared) without holding up the others. A door a stronger plan holds is recorded as `held` and
 * left alone. Clearing restores each door to the mode of the strongest plan still holding it, or
 * to the mode it had before the first plan took it.
 *
 * Fire egress is never blocked: a door fire egress holds free — a live fire plan, or fire egress
 * switched on for the site, which door control refuses to lock — is not locked down, nor returned
 * to a mode that locks it on clearing; it is recorded as `held` and journaled as skipped.
 */
import type { DoorMode } from '@vigil/core';
import { recordFacts, type AutomationContext } from '../context.js';
import { planDoorFailed, planDoorSecured, planDoorSkipped } from '../events.js';
import type { DoorCommands, DoorFact } from '../ports.js';
import type { EmergencyDoorActionsTable } from '../tables.js';
import { isFireEgressRefusal } from './doors.js';
import type { DoorState, LiveActivation, LiveActivations } from './live.js';
import { PRECEDENCE } from './model.js';
import type { ResilientWriter } from './writer.js';

export interface CommanderOptions {
  /** How long a door has to confirm a command. */
  timeoutMs: number;
  /** Delay between attempts on a door that failed. */
  retryMs: number;
  /** Attempts per door for plans other than fire (fire retries until cleared). */
  maxAttempts: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class DoorCommander {
  private readonly running = new Map<string, Promise<void>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AutomationContext,
    private readonly doors: DoorCommands,
    private readonly live: LiveActivations,
    private readonly writer: ResilientWriter,
    private readonly options: CommanderOptions,
  ) {}

  /** Commands every door of the activation; the returned promise settles when each door settled. */
  secure(a: LiveActivation, doors: readonly DoorFact[]): Promise<void> {
    const run = Promise.all(doors.map((door) => this.secureDoor(a, door))).then(() => undefined);
    this.running.set(a.id, run);
    return run.finally(() => this.running.delete(a.id));
  }

  /** Resolves when the activation's first round of commands (with retries) settled (tests, reports). */
  async settled(activationId: string): Promise<void> {
    await this.running.get(activationId);
  }

  private async secureDoor(a: LiveActivation, door: DoorFact): Promise<void> {
    const holder = a.drill ? undefined : this.live.holder(door.id, a.id);
    const state: DoorState = {
      doorId: door.id,
      doorName: door.name,
      priorMode: holder?.doors.get(door.id)?.priorMode ?? null,
      status: 'commanded',
      commandedAt: null,
      confirmedAt: null,
      attempts: 0,
      error: null,
    };
    a.doors.set(door.id, state);
    if (holder && PRECEDENCE[holder.kind] > PRECEDENCE[a.kind]) {
      state.status = 'held';
      await this.persist(a, state);
      if (holder.kind === 'fire') await this.skipped(a, door.id, a.mode, 'start', 'fire_plan');
      return;
    }
    const reason = `${a.drill ? 'Drill: ' : ''}${a.planName}`;
    for (;;) {
      if (a.stopped) return;
      state.attempts++;
      state.commandedAt ??= this.ctx.clock();
      void this.persist(a, state);
      try {
        const receipt = await this.doors.setMode(door.id, a.mode, reason, `plan:${a.id}`, {
          simulate: a.drill,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        if (!holder && state.priorMode === null) state.priorMode = receipt.priorMode;
        state.status = a.drill ? 'simulated' : 'secured';
        state.confirmedAt = receipt.confirmedAt;
        state.error = null;
        await this.persist(a, state);
        const seconds = Math.max(0, (receipt.confirmedAt.getTime() - a.startedAt.getTime()) / 1000);
        await this.journal(a, () => [
          planDoorSecured.draft(
            { site: a.siteId, door: door.id, source: `plan:${a.id}`, correlationId: a.id },
            { activationId: a.id, doorId: door.id, mode: a.mode, seconds, drill: a.drill },
          ),
        ]);
        return;
      } catch (e) {
        state.error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
        if (isFireEgressRefusal(e)) {
          state.status = 'held';
          await this.persist(a, state);
          await this.skipped(a, door.id, a.mode, 'start', 'fire_egress');
          return;
        }
        state.status = 'failed';
        await this.persist(a, state);
        const final = a.kind !== 'fire' && state.attempts >= this.options.maxAttempts;
        if (state.attempts === 1 || final) {
          const error = state.error;
          const attempts = state.attempts;
          await this.journal(a, () => [
            planDoorFailed.draft(
              { site: a.siteId, door: door.id, source: `plan:${a.id}`, correlationId: a.id },
              { activationId: a.id, doorId: door.id, mode: a.mode, error, attempts },
            ),
          ]);
        }
        if (final || a.drill) return;
        await sleep(this.options.retryMs);
      }
    }
  }

  /** Puts the activation's doors back; `rows` are its recorded doors. */
  async restore(a: LiveActivation, rows: readonly EmergencyDoorActionsTable[]): Promise<void> {
    await Promise.all(
      rows.map(async (row) => {
        if (row.status === 'held') return;
        const holder = a.drill ? undefined : this.live.holder(row.door_id, a.id);
        const prior = (row.prior_mode ?? 'scheduled') as DoorMode;
        const mode: DoorMode = holder ? holder.mode : prior;
        if (holder) {
          // The next plan takes the door over, with the door's original mode as its base.
          const taken = holder.doors.get(row.door_id);
          if (taken) {
            taken.priorMode ??= row.prior_mode as DoorMode | null;
            if (taken.status === 'held') taken.status = 'commanded';
          }
        }
        const restoredAt = this.ctx.clock();
        let confirmed: Date | null = null;
        let error: string | null = null;
        let heldFree = false;
        try {
          const receipt = await this.doors.setMode(
            row.door_id,
            mode,
            `${a.drill ? 'Drill cleared' : 'Cleared'}: ${a.planName}`,
            `plan:${a.id}`,
            {
              simulate: a.drill,
              signal: AbortSignal.timeout(this.options.timeoutMs),
            },
          );
          confirmed = receipt.confirmedAt;
        } catch (e) {
          error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
          heldFree = isFireEgressRefusal(e);
          if (!heldFree) this.ctx.logger.error({ err: e, door: row.door_id, activation: a.id }, 'door did not confirm its restored mode');
        }
        if (heldFree) await this.skipped(a, row.door_id, mode, 'clear', 'fire_egress');
        if (holder) {
          const taken = holder.doors.get(row.door_id);
          if (taken && (confirmed || heldFree)) {
            taken.status = confirmed ? 'secured' : 'held';
            taken.commandedAt ??= restoredAt;
            taken.confirmedAt = confirmed;
            if (heldFree) taken.error = error;
            await this.persist(holder, taken);
          }
        }
        await this.writer.write(`restore ${a.id} ${row.door_id}`, async () => {
          await this.ctx.db
            .updateTable('emergency_door_actions')
            .set({
              restored_at: restoredAt.toISOString(),
              restore_confirmed_at: confirmed?.toISOString() ?? null,
              // Held free by fire egress, the door was not returned to that mode.
              restored_mode: heldFree ? null : mode,
              ...(error ? { error } : {}),
            })
            .where('activation_id', '=', a.id)
            .where('door_id', '=', row.door_id)
            .execute();
        });
      }),
    );
  }

  /** The door states as rows (also what `restore` uses when the database could not be read). */
  rowsOf(a: LiveActivation): EmergencyDoorActionsTable[] {
    return [...a.doors.values()].map((s) => this.row(a, s));
  }

  private row(a: LiveActivation, s: DoorState): EmergencyDoorActionsTable {
    return {
      activation_id: a.id,
      door_id: s.doorId,
      door_name: s.doorName,
      prior_mode: s.priorMode,
      target_mode: a.mode,
      status: s.status,
      commanded_at: s.commandedAt?.toISOString() ?? null,
      confirmed_at: s.confirmedAt?.toISOString() ?? null,
      attempts: s.attempts,
      error: s.error,
      restored_at: null,
      restore_confirmed_at: null,
      restored_mode: null,
    };
  }

  /** Writes the door's state; writes of one door are chained so a later state never lands first. */
  private persist(a: LiveActivation, s: DoorState): Promise<void> {
    const row = this.row(a, s);
    const { activation_id: _a, door_id: _d, restored_at: _r, restore_confirmed_at: _c, restored_mode: _m, ...update } = row;
    const key = `${a.id}:${s.doorId}`;
    const next = (this.writes.get(key) ?? Promise.resolve()).then(() =>
      this.writer.write(`door ${key}`, async () => {
        await this.ctx.db
          .insertInto('emergency_door_actions')
          .values(row)
          .onConflict((oc) => oc.columns(['activation_id', 'door_id']).doUpdateSet(update))
          .execute();
      }),
    );
    this.writes.set(key, next);
    void next.finally(() => {
      if (this.writes.get(key) === next) this.writes.delete(key);
    });
    return next;
  }

  /** Journals a door the plan left alone because fire egress holds it free. */
  private skipped(a: LiveActivation, doorId: string, mode: DoorMode, phase: 'start' | 'clear', heldBy: 'fire_plan' | 'fire_egress') {
    return this.journal(a, () => [
      planDoorSkipped.draft(
        { site: a.siteId, door: doorId, source: `plan:${a.id}`, correlationId: a.id },
        { activationId: a.id, doorId, mode, phase, heldBy },
      ),
    ]);
  }

  private journal(a: LiveActivation, drafts: () => Parameters<typeof recordFacts>[1]): Promise<void> {
    return this.writer.write(`journal ${a.id}`, () => recordFacts(this.ctx, drafts()));
  }
}

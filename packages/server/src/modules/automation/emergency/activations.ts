/**
 * Starting, confirming, cancelling and clearing emergency plans. One live activation per plan
 * (a second start is refused with `automation.plan_already_active`, or — from a rule or a button —
 * answered with the live one). A fire plan commands its doors from memory before anything is
 * written, so no database fault, rule or lockdown can hold it back; its record follows through the
 * resilient writer. Drills run the same path with door commands simulated.
 */
import type { VigilEvent } from '@vigil/core';
import { commit, isUniqueViolation, type AutomationContext } from '../context.js';
import { automationError } from '../errors.js';
import { planCancelled, planCleared, planRequested, planStarted } from '../events.js';
import type { DoorFact, FacilityFacts } from '../ports.js';
import type { EmergencyActivationsTable } from '../tables.js';
import type { DoorCommander } from './commands.js';
import { doorsOfPlan } from './doors.js';
import type { PlanEffects } from './effects.js';
import type { LiveActivations } from './live.js';
import type { Activation, Plan } from './model.js';
import type { PlanService } from './plans.js';
import { info, liveOf, newRow, rebuild, rowOf, toActivation, type StartRequest } from './records.js';
import type { ResilientWriter } from './writer.js';

export { toActivation, type StartRequest } from './records.js';

export class ActivationService {
  private readonly restoring = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AutomationContext,
    private readonly plans: PlanService,
    private readonly facts: FacilityFacts,
    private readonly live: LiveActivations,
    private readonly commander: DoorCommander,
    private readonly writer: ResilientWriter,
    private readonly effects: PlanEffects,
  ) {}

  async start(request: StartRequest): Promise<Activation> {
    const plan = await this.plans.get(request.planId);
    const running = this.live.ofPlan(plan.id);
    if (running) return this.repeated(request, running.id);
    const doors = doorsOfPlan(plan, this.facts);
    if (plan.kind === 'fire' && !request.drill) return this.startFire(plan, doors, request);
    const now = this.ctx.clock().toISOString();
    const pending = plan.requiresConfirmation && request.trigger === 'operator' && !request.drill;
    const row = newRow(plan, request, now, pending ? 'pending_confirmation' : 'active');
    const activation = info(row, plan, doors);
    try {
      await commit(this.ctx, async (trx) => {
        await trx.insertInto('emergency_activations').values(row).execute();
        const envelope = { site: plan.siteId, source: request.actor, correlationId: row.id };
        const reason = request.reason ?? null;
        return {
          result: undefined,
          events: [
            pending
              ? planRequested.draft(envelope, { activation, reason })
              : planStarted.draft(envelope, { activation, confirmedBy: null, reason }),
          ],
        };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await this.liveRow(plan.id);
      return this.repeated(request, winner?.id ?? 'unknown');
    }
    if (!pending) this.activate(row, plan, doors);
    return toActivation(row);
  }

  /** Rules start plans idempotently: a plan already running is simply running. */
  startByRule(planId: string, by: { ruleId: string; event: VigilEvent }): Promise<Activation> {
    return this.start({
      planId,
      actor: `rule:${by.ruleId}`,
      trigger: 'rule',
      triggerEventId: by.event.id,
      drill: false,
      reason: `Rule on ${by.event.type}`,
    });
  }

  /** Bus handler: a physical button that starts plans was pressed. */
  readonly onButton = async (event: VigilEvent): Promise<void> => {
    for (const plan of this.plans.byButton(event.type, event.source, event.site)) {
      try {
        await this.start({
          planId: plan.id,
          actor: event.source,
          trigger: 'button',
          triggerEventId: event.id,
          drill: false,
          reason: `Button ${event.source}`,
        });
      } catch (e) {
        this.ctx.logger.error({ err: e, plan: plan.id, event: event.id }, 'a button could not start its plan');
      }
    }
  };

  async confirm(actor: string, id: string): Promise<Activation> {
    const row = await this.require(id);
    if (row.state !== 'pending_confirmation')
      throw automationError('automation.activation_not_pending', `Activation ${id} is ${row.state}`, { state: row.state });
    if (row.requested_by === actor) {
      throw automationError('automation.confirmation_same_operator', 'A second operator must confirm this plan', { requestedBy: actor });
    }
    const plan = await this.plans.get(row.plan_id);
    const doors = doorsOfPlan(plan, this.facts);
    const started: EmergencyActivationsTable = { ...row, state: 'active', confirmed_by: actor, started_at: this.ctx.clock().toISOString() };
    await commit(this.ctx, async (trx) => {
      const done = await trx
        .updateTable('emergency_activations')
        .set({ state: 'active', confirmed_by: actor, started_at: started.started_at })
        .where('id', '=', id)
        .where('state', '=', 'pending_confirmation')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1)
        throw automationError('automation.activation_not_pending', `Activation ${id} changed meanwhile`);
      return {
        result: undefined,
        events: [
          planStarted.draft(
            { site: row.site_id, source: actor, correlationId: id },
            { activation: info(row, plan, doors), confirmedBy: actor, reason: row.reason },
          ),
        ],
      };
    });
    this.activate(started, plan, doors);
    return toActivation(started);
  }

  async cancel(actor: string, id: string): Promise<Activation> {
    const row = await this.require(id);
    if (row.state !== 'pending_confirmation')
      throw automationError('automation.activation_not_pending', `Activation ${id} is ${row.state}`, { state: row.state });
    const plan = await this.plans.get(row.plan_id);
    const cancelled: EmergencyActivationsTable = {
      ...row,
      state: 'cancelled',
      live_key: null,
      cleared_by: actor,
      cleared_at: this.ctx.clock().toISOString(),
    };
    await commit(this.ctx, async (trx) => {
      const done = await trx
        .updateTable('emergency_activations')
        .set(cancelled)
        .where('id', '=', id)
        .where('state', '=', 'pending_confirmation')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1)
        throw automationError('automation.activation_not_pending', `Activation ${id} changed meanwhile`);
      return {
        result: undefined,
        events: [planCancelled.draft({ site: row.site_id, source: actor, correlationId: id }, { activation: info(row, plan, []) })],
      };
    });
    return toActivation(cancelled);
  }

  /** Clears an active plan and restores its doors; works from memory when the database is down. */
  async clear(actor: string, id: string, reason: string | null): Promise<Activation> {
    let row: EmergencyActivationsTable | undefined;
    let readable = true;
    try {
      row = await this.ctx.db.selectFrom('emergency_activations').selectAll().where('id', '=', id).executeTakeFirst();
    } catch (e) {
      readable = false;
      this.ctx.logger.error({ err: e, activation: id }, 'clearing from memory: the activation could not be read');
    }
    const known = this.live.get(id);
    if (!row && !known) throw automationError('automation.activation_not_found', `No activation ${id}`, { activation: id });
    if (row && row.state !== 'active')
      throw automationError('automation.activation_not_active', `Activation ${id} is ${row.state}`, { state: row.state });
    const plan = await this.plans.get(row?.plan_id ?? known!.planId);
    const now = this.ctx.clock().toISOString();
    const base = row ?? rowOf(known!, plan);
    const cleared: EmergencyActivationsTable = {
      ...base,
      state: 'cleared',
      live_key: null,
      cleared_by: actor,
      cleared_at: now,
      reason: reason ?? base.reason,
    };
    const record = () =>
      commit(this.ctx, async (trx) => {
        const done = await trx
          .updateTable('emergency_activations')
          .set({ state: 'cleared', live_key: null, cleared_by: actor, cleared_at: now })
          .where('id', '=', id)
          .where('state', '=', 'active')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw automationError('automation.activation_not_active', `Activation ${id} was cleared meanwhile`);
        const activation = info(base, plan, known?.doorIds.map((d) => ({ id: d })) ?? []);
        return {
          result: undefined,
          events: [planCleared.draft({ site: base.site_id, source: actor, correlationId: id }, { activation, reason })],
        };
      });
    if (readable) await record();
    else void this.writer.write(`clear ${id}`, record);
    const active = this.live.remove(id) ?? rebuild(base, plan);
    let rows = this.commander.rowsOf(active);
    if (readable) rows = await this.ctx.db.selectFrom('emergency_door_actions').selectAll().where('activation_id', '=', id).execute();
    const restoring = this.commander.restore(active, rows).finally(() => this.restoring.delete(id));
    this.restoring.set(id, restoring);
    void this.effects.outputs(active, plan, false);
    void this.effects.tell(active, plan, 'cleared');
    return toActivation(cleared);
  }

  /** Bus handler: plans started or cleared on any node, so every node knows which doors fire holds. */
  readonly onEvent = (event: VigilEvent): void => {
    const activation = (
      event.data as { activation?: { id: string; planId: string; planName: string; kind: string; drill: boolean; doorIds: string[] } }
    ).activation;
    if (!activation) return;
    if (event.type === 'emergency.plan_started' && !this.live.get(activation.id)) {
      const plan = this.plans.cached(activation.planId);
      if (!plan) return;
      this.live.add({ ...liveOf(activation.id, plan, activation.drill, new Date(event.at)), doorIds: activation.doorIds });
    } else if (event.type === 'emergency.plan_cleared') this.live.remove(activation.id);
  };

  /** Resolves when the doors of a start (first round) or clear have settled (tests, reports). */
  async settled(id: string): Promise<void> {
    await this.commander.settled(id);
    await this.restoring.get(id);
  }

  private async startFire(plan: Plan, doors: DoorFact[], request: StartRequest): Promise<Activation> {
    const now = this.ctx.clock();
    const row = newRow(plan, request, now.toISOString(), 'active');
    const active = { ...liveOf(row.id, plan, false, now), doorIds: doors.map((d) => d.id) };
    this.live.add(active);
    void this.commander.secure(active, doors);
    void this.effects.outputs(active, plan, true);
    const record = () =>
      commit(this.ctx, async (trx) => {
        await trx.insertInto('emergency_activations').values(row).execute();
        const started = planStarted.draft(
          { site: plan.siteId, source: request.actor, correlationId: row.id, at: now },
          { activation: info(row, plan, doors), confirmedBy: null, reason: request.reason ?? null },
        );
        return { result: undefined, events: [started] };
      });
    try {
      await record();
    } catch (e) {
      if (!isUniqueViolation(e)) {
        this.ctx.logger.error({ err: e, activation: row.id }, 'fire plan started; its record waits for the database');
        void this.writer.write(`start ${row.id}`, record);
        void this.effects.tell(active, plan, 'started');
        return toActivation(row);
      }
      // Another node started it first: its activation stands (the doors got the same command).
      this.live.remove(row.id);
      const winner = await this.liveRow(plan.id);
      if (winner)
        this.live.add({
          ...liveOf(winner.id, plan, false, new Date(winner.started_at ?? winner.requested_at)),
          doorIds: active.doorIds,
        });
      return this.repeated(request, winner?.id ?? 'unknown');
    }
    void this.effects.tell(active, plan, 'started');
    return toActivation(row);
  }

  private activate(row: EmergencyActivationsTable, plan: Plan, doors: DoorFact[]): void {
    const active = {
      ...liveOf(row.id, plan, row.drill === 1, new Date(row.started_at ?? row.requested_at)),
      doorIds: doors.map((d) => d.id),
    };
    this.live.add(active);
    void this.commander.secure(active, doors);
    void this.effects.outputs(active, plan, true);
    void this.effects.tell(active, plan, 'started');
  }

  private async repeated(request: StartRequest, activationId: string): Promise<Activation> {
    if (request.trigger === 'operator') {
      throw automationError('automation.plan_already_active', `The plan is already started (activation ${activationId})`, { activationId });
    }
    try {
      return toActivation(await this.require(activationId));
    } catch (e) {
      // The database is down while a fire plan runs: answer from memory.
      const known = this.live.get(activationId);
      if (!known) throw e;
      return toActivation(rowOf(known, await this.plans.get(known.planId)));
    }
  }

  private liveRow(planId: string): Promise<EmergencyActivationsTable | undefined> {
    return this.ctx.db.selectFrom('emergency_activations').selectAll().where('live_key', '=', planId).executeTakeFirst();
  }

  private async require(id: string): Promise<EmergencyActivationsTable> {
    const row = await this.ctx.db.selectFrom('emergency_activations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.activation_not_found', `No activation ${id}`, { activation: id });
    return row;
  }
}

/**
 * Emergency plans: which doors a fire, lockdown, Code Pink or shelter-in-place covers, which
 * outputs it holds, whom it tells, which buttons start it. Kept in memory as well (reloaded on
 * every `emergency.plan_defined`, from any node) so that starting a plan — a fire plan above all —
 * needs no database read.
 */
import { newId } from '@vigil/core';
import { commit, type AutomationContext } from '../context.js';
import { automationError } from '../errors.js';
import { planDefined, planRemoved } from '../events.js';
import type { EmergencyPlansTable } from '../tables.js';
import type { Plan, PlanInput } from './model.js';

function toPlan(row: EmergencyPlansTable): Plan {
  const scope = JSON.parse(row.scope) as Partial<Plan['scope']>;
  const doors = JSON.parse(row.doors) as Partial<Plan['doors']>;
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    kind: row.kind,
    scope: { buildingIds: scope.buildingIds ?? [], zoneIds: scope.zoneIds ?? [], zoneTypes: scope.zoneTypes ?? [] },
    doors: {
      selection: doors.selection ?? (row.kind === 'fire' ? 'all' : 'perimeter'),
      include: doors.include ?? [],
      exclude: doors.exclude ?? [],
    },
    outputs: JSON.parse(row.outputs) as Plan['outputs'],
    notify: JSON.parse(row.notify) as string[],
    buttons: JSON.parse(row.buttons) as Plan['buttons'],
    requiresConfirmation: row.requires_confirmation === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PlanService {
  private cache = new Map<string, Plan>();

  constructor(
    private readonly ctx: AutomationContext,
    private readonly channelSite: (id: string) => Promise<string | null | undefined>,
    /** The site of a named output; a plan may drive only its own site's outputs. */
    private readonly outputSite: (id: string) => Promise<string | undefined>,
  ) {}

  async load(): Promise<void> {
    const rows = await this.ctx.db.selectFrom('emergency_plans').selectAll().where('removed_at', 'is', null).execute();
    this.cache = new Map(rows.map((r) => [r.id, toPlan(r)]));
  }

  /** Bus handler: another node (or this one) defined or removed a plan. */
  readonly onEvent = async (event: { data: unknown }): Promise<void> => {
    const id = (event.data as { plan?: { id?: string } }).plan?.id;
    if (!id) return;
    const row = await this.ctx.db.selectFrom('emergency_plans').selectAll().where('id', '=', id).executeTakeFirst();
    if (row && !row.removed_at) this.cache.set(id, toPlan(row));
    else this.cache.delete(id);
  };

  async save(actor: string, input: PlanInput, id?: string): Promise<Plan> {
    if (input.kind === 'fire' && input.requiresConfirmation) {
      throw automationError('automation.plan_invalid', 'A fire plan cannot wait for a second operator', { field: 'requiresConfirmation' });
    }
    for (const channel of input.notify ?? []) {
      const site = await this.channelSite(channel);
      if (site === undefined || (site !== null && site !== input.siteId)) {
        throw automationError('automation.plan_invalid', `Channel ${channel} does not exist on the plan’s site`, { channel });
      }
    }
    for (const { outputId } of input.outputs ?? []) {
      if ((await this.outputSite(outputId)) !== input.siteId) {
        throw automationError('automation.plan_invalid', `Output ${outputId} does not exist on the plan’s site`, { output: outputId });
      }
    }
    const plan = await commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      const current = id
        ? await trx.selectFrom('emergency_plans').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst()
        : undefined;
      if (id && !current) throw automationError('automation.plan_not_found', `No plan ${id}`, { plan: id });
      if (current && (current.site_id !== input.siteId || current.kind !== input.kind)) {
        throw automationError('automation.plan_invalid', 'A plan’s site and kind cannot change; define a new plan', { field: 'kind' });
      }
      const row: EmergencyPlansTable = {
        id: current?.id ?? newId(),
        site_id: input.siteId,
        name: input.name,
        kind: input.kind,
        scope: JSON.stringify(input.scope ?? {}),
        doors: JSON.stringify(input.doors ?? {}),
        outputs: JSON.stringify(input.outputs ?? []),
        notify: JSON.stringify(input.notify ?? []),
        buttons: JSON.stringify(input.buttons ?? []),
        requires_confirmation: input.requiresConfirmation ? 1 : 0,
        version: (current?.version ?? 0) + 1,
        created_at: current?.created_at ?? now,
        updated_at: now,
        updated_by: actor,
      };
      if (current) await trx.updateTable('emergency_plans').set(row).where('id', '=', row.id).execute();
      else await trx.insertInto('emergency_plans').values(row).execute();
      const plan = toPlan(row);
      return {
        result: plan,
        events: [
          planDefined.draft(
            { site: row.site_id, source: actor },
            { plan: { id: plan.id, name: plan.name, kind: plan.kind, version: plan.version, definition: input } },
          ),
        ],
      };
    });
    this.cache.set(plan.id, plan);
    return plan;
  }

  /**
   * From memory; falls back to the database for a plan this node has not heard of yet. A removed
   * plan is still answered (its past activations and reports need it) but never cached, so no
   * button starts it; `requireLive` is for starting.
   */
  async get(id: string): Promise<Plan> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = await this.ctx.db.selectFrom('emergency_plans').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.plan_not_found', `No plan ${id}`, { plan: id });
    const plan = toPlan(row);
    if (!row.removed_at) this.cache.set(id, plan);
    return plan;
  }

  /** Like `get`, but a removed plan is `automation.plan_not_found`: what may be started or changed. */
  async requireLive(id: string): Promise<Plan> {
    const plan = await this.get(id);
    if (this.cache.has(id)) return plan;
    const row = await this.ctx.db.selectFrom('emergency_plans').select('removed_at').where('id', '=', id).executeTakeFirst();
    if (row?.removed_at) throw automationError('automation.plan_not_found', `Plan ${id} was deleted`, { plan: id });
    return plan;
  }

  /**
   * Removes a plan: refused while it is started or waiting for confirmation
   * (`automation.plan_active`) and while a rule starts it (`automation.plan_in_use`). The row stays,
   * marked removed, because past activations and their reports name it.
   */
  async remove(actor: string, id: string): Promise<void> {
    await commit(this.ctx, async (trx) => {
      const row = await trx
        .selectFrom('emergency_plans')
        .selectAll()
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (!row) throw automationError('automation.plan_not_found', `No plan ${id}`, { plan: id });
      const live = await trx.selectFrom('emergency_activations').select('id').where('live_key', '=', id).executeTakeFirst();
      if (live) {
        throw automationError('automation.plan_active', `${row.name} is active; clear it before deleting the plan`, {
          plan: id,
          activationId: live.id,
        });
      }
      // A rule names the plan by id inside its stored document (`startPlan: { plan }`).
      const rules = await trx.selectFrom('automation_rules').select(['id', 'name']).where('document', 'like', `%${id}%`).execute();
      if (rules.length > 0) {
        throw automationError('automation.plan_in_use', `Rules start ${row.name}: ${rules.map((r) => r.name).join(', ')}`, {
          plan: id,
          rules: rules.map((r) => ({ id: r.id, name: r.name })),
        });
      }
      const now = this.ctx.clock().toISOString();
      await trx.updateTable('emergency_plans').set({ removed_at: now, updated_at: now, updated_by: actor }).where('id', '=', id).execute();
      return {
        result: undefined,
        events: [
          planRemoved.draft({ site: row.site_id, source: actor }, { plan: { id, name: row.name, kind: row.kind, version: row.version } }),
        ],
      };
    });
    this.cache.delete(id);
  }

  cached(id: string): Plan | undefined {
    return this.cache.get(id);
  }

  async list(sites: 'all' | readonly string[]): Promise<Plan[]> {
    if (sites !== 'all' && sites.length === 0) return [];
    let query = this.ctx.db.selectFrom('emergency_plans').selectAll().where('removed_at', 'is', null);
    if (sites !== 'all') query = query.where('site_id', 'in', [...sites]);
    return (await query.orderBy('id').execute()).map(toPlan);
  }

  /** Plans a button press starts: the event's type and reporting device match one of the plan's buttons. */
  byButton(type: string, source: string, site: string | null): Plan[] {
    return [...this.cache.values()].filter(
      (p) => (site === null || p.siteId === site) && p.buttons.some((b) => b.event === type && b.source === source),
    );
  }

  /** The site of a live plan (undefined for a removed one, so no new rule can name it). */
  async siteOf(id: string): Promise<string | undefined> {
    return (
      this.cache.get(id)?.siteId ??
      (
        await this.ctx.db
          .selectFrom('emergency_plans')
          .select('site_id')
          .where('id', '=', id)
          .where('removed_at', 'is', null)
          .executeTakeFirst()
      )?.site_id
    );
  }
}

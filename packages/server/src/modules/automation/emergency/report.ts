/**
 * Reading activations: one, a page of them, and the drill/incident report — plan started → door
 * secured, in seconds, per door, with median, 95th percentile and slowest.
 */
import { afterCursor, pageCursor, type AutomationContext, type Page } from '../context.js';
import { automationError } from '../errors.js';
import type { EmergencyDoorActionsTable } from '../tables.js';
import { toActivation } from './activations.js';
import type { Activation, DoorTiming, Report } from './model.js';
import type { PlanService } from './plans.js';

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function timing(row: EmergencyDoorActionsTable, startedAt: string | null): DoorTiming {
  const seconds = row.confirmed_at && startedAt ? Math.max(0, (Date.parse(row.confirmed_at) - Date.parse(startedAt)) / 1000) : null;
  return {
    doorId: row.door_id,
    doorName: row.door_name,
    targetMode: row.target_mode,
    priorMode: row.prior_mode,
    status: row.status as DoorTiming['status'],
    commandedAt: row.commanded_at,
    confirmedAt: row.confirmed_at,
    secondsToSecure: seconds,
    attempts: row.attempts,
    error: row.error,
    restoredAt: row.restored_at,
    restoreConfirmedAt: row.restore_confirmed_at,
    restoredMode: row.restored_mode,
  };
}

export class ActivationReports {
  constructor(
    private readonly ctx: AutomationContext,
    private readonly plans: PlanService,
  ) {}

  async get(id: string): Promise<Activation> {
    const row = await this.ctx.db.selectFrom('emergency_activations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.activation_not_found', `No activation ${id}`, { activation: id });
    return toActivation(row);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return (await this.ctx.db.selectFrom('emergency_activations').select('site_id').where('id', '=', id).executeTakeFirst())?.site_id;
  }

  async list(options: {
    sites: 'all' | readonly string[];
    live?: boolean | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<Activation>> {
    if (options.sites !== 'all' && options.sites.length === 0) return { items: [], nextCursor: null };
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    let query = this.ctx.db.selectFrom('emergency_activations').selectAll();
    if (options.sites !== 'all') query = query.where('site_id', 'in', [...options.sites]);
    if (options.live === true) query = query.where('live_key', 'is not', null);
    if (options.live === false) query = query.where('live_key', 'is', null);
    const after = afterCursor('activations', options.cursor);
    if (after) query = query.where('id', '<', after);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toActivation), nextCursor: rows.length > limit && last ? pageCursor('activations', last.id) : null };
  }

  async report(id: string): Promise<Report> {
    const activation = await this.get(id);
    const plan = await this.plans.get(activation.planId);
    const rows = await this.ctx.db.selectFrom('emergency_door_actions').selectAll().where('activation_id', '=', id).execute();
    const doors = rows
      .map((r) => timing(r, activation.startedAt))
      .sort((a, b) => a.doorName.localeCompare(b.doorName) || a.doorId.localeCompare(b.doorId));
    const seconds = doors.flatMap((d) => (d.secondsToSecure === null ? [] : [d.secondsToSecure])).sort((a, b) => a - b);
    const count = (status: DoorTiming['status']) => doors.filter((d) => d.status === status).length;
    return {
      activation,
      planName: plan.name,
      doors,
      summary: {
        doors: doors.length,
        secured: count('secured') + count('simulated'),
        failed: count('failed'),
        pending: count('commanded'),
        held: count('held'),
        medianSeconds: quantile(seconds, 0.5),
        p95Seconds: quantile(seconds, 0.95),
        maxSeconds: seconds.length > 0 ? seconds[seconds.length - 1]! : null,
      },
    };
  }
}

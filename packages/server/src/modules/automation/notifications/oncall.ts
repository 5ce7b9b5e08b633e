/**
 * On-call schedules (a rotation of members in fixed-length shifts) and escalation chains (steps
 * of "after N seconds, notify the on-call member / the next one / a channel"). Implements the
 * alarms module's escalation port: step k of the chain covering the alarm's site and priority.
 */
import { newId } from '@vigil/core';
import type { AlarmSummary, EscalationPort } from '../../alarms/index.js';
import { commit, type AutomationContext } from '../context.js';
import { automationError } from '../errors.js';
import { oncallChanged } from '../events.js';
import type { EscalationChainsTable, OncallSchedulesTable } from '../tables.js';
import type { DeliveryQueue } from './deliveries.js';
import type { Chain, ChainInput, Schedule, ScheduleInput } from './model.js';

type Member = { name: string; email?: string };
type Step = ChainInput['steps'][number];

/** The member on call at `at`, or `offset` places after them in the rotation. */
export function memberAt(schedule: Pick<ScheduleInput, 'members' | 'startsAt' | 'shiftHours'>, at: Date, offset = 0): Member | null {
  const n = schedule.members.length;
  if (n === 0) return null;
  const shift = Math.floor((at.getTime() - Date.parse(schedule.startsAt)) / (schedule.shiftHours * 3_600_000));
  const index = (((shift + offset) % n) + n) % n;
  return schedule.members[index] ?? null;
}

function toSchedule(row: OncallSchedulesTable, now: Date): Schedule {
  const input = {
    siteId: row.site_id,
    name: row.name,
    members: JSON.parse(row.members) as Member[],
    startsAt: row.starts_at,
    shiftHours: row.shift_hours,
  };
  return { id: row.id, ...input, updatedAt: row.updated_at, onCallNow: memberAt(input, now) };
}

function toChain(row: EscalationChainsTable): Chain {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    minPriority: row.min_priority,
    maxPriority: row.max_priority,
    steps: JSON.parse(row.steps) as Step[],
    updatedAt: row.updated_at,
  };
}

export class OnCallService implements EscalationPort {
  constructor(
    private readonly ctx: AutomationContext,
    private readonly deliveries: DeliveryQueue,
  ) {}

  saveSchedule(actor: string, input: ScheduleInput, id?: string): Promise<Schedule> {
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock();
      const row: OncallSchedulesTable = {
        id: id ?? newId(),
        site_id: input.siteId,
        name: input.name,
        members: JSON.stringify(input.members),
        starts_at: new Date(input.startsAt).toISOString(),
        shift_hours: input.shiftHours,
        updated_at: now.toISOString(),
        updated_by: actor,
      };
      if (id) {
        const done = await trx.updateTable('oncall_schedules').set(row).where('id', '=', id).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw automationError('automation.schedule_not_found', `No schedule ${id}`, { schedule: id });
      } else await trx.insertInto('oncall_schedules').values(row).execute();
      const schedule = toSchedule(row, now);
      return {
        result: schedule,
        events: [
          oncallChanged.draft({ site: input.siteId, source: actor }, { what: 'schedule', id: row.id, name: row.name, definition: input }),
        ],
      };
    });
  }

  async saveChain(actor: string, input: ChainInput, id?: string): Promise<Chain> {
    if (input.minPriority > input.maxPriority) throw automationError('automation.chain_invalid', 'minPriority is above maxPriority');
    for (const step of input.steps) {
      const target = step.target;
      const table = 'oncall' in target ? 'oncall_schedules' : 'notification_channels';
      const ref = 'oncall' in target ? target.oncall : target.channel;
      const found = await this.ctx.db.selectFrom(table).select('site_id').where('id', '=', ref).executeTakeFirst();
      if (!found || (found.site_id !== null && found.site_id !== input.siteId)) {
        throw automationError('automation.chain_invalid', `Step target ${ref} does not exist on the chain’s site`, { target: ref });
      }
    }
    return commit(this.ctx, async (trx) => {
      const row: EscalationChainsTable = {
        id: id ?? newId(),
        site_id: input.siteId,
        name: input.name,
        min_priority: input.minPriority,
        max_priority: input.maxPriority,
        steps: JSON.stringify(input.steps),
        updated_at: this.ctx.clock().toISOString(),
        updated_by: actor,
      };
      if (id) {
        const done = await trx.updateTable('escalation_chains').set(row).where('id', '=', id).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw automationError('automation.chain_not_found', `No chain ${id}`, { chain: id });
      } else await trx.insertInto('escalation_chains').values(row).execute();
      return {
        result: toChain(row),
        events: [
          oncallChanged.draft({ site: input.siteId, source: actor }, { what: 'chain', id: row.id, name: row.name, definition: input }),
        ],
      };
    });
  }

  async schedules(sites: 'all' | readonly string[]): Promise<Schedule[]> {
    if (sites !== 'all' && sites.length === 0) return [];
    let query = this.ctx.db.selectFrom('oncall_schedules').selectAll();
    if (sites !== 'all') query = query.where('site_id', 'in', [...sites]);
    const now = this.ctx.clock();
    return (await query.orderBy('id').execute()).map((r) => toSchedule(r, now));
  }

  async chains(sites: 'all' | readonly string[]): Promise<Chain[]> {
    if (sites !== 'all' && sites.length === 0) return [];
    let query = this.ctx.db.selectFrom('escalation_chains').selectAll();
    if (sites !== 'all') query = query.where('site_id', 'in', [...sites]);
    return (await query.orderBy('id').execute()).map(toChain);
  }

  async siteOfSchedule(id: string): Promise<string | undefined> {
    return (await this.ctx.db.selectFrom('oncall_schedules').select('site_id').where('id', '=', id).executeTakeFirst())?.site_id;
  }

  async siteOfChain(id: string): Promise<string | undefined> {
    return (await this.ctx.db.selectFrom('escalation_chains').select('site_id').where('id', '=', id).executeTakeFirst())?.site_id;
  }

  async firstStepAfter(alarm: AlarmSummary): Promise<number | null> {
    const chain = await this.chainFor(alarm);
    return chain?.steps[0]?.afterSeconds ?? null;
  }

  async escalate(alarm: AlarmSummary, step: number): Promise<{ notified: string[]; nextAfterSeconds: number | null }> {
    const chain = await this.chainFor(alarm);
    const current = chain?.steps[step];
    if (!chain || !current) return { notified: [], nextAfterSeconds: null };
    const next = chain.steps[step + 1]?.afterSeconds ?? null;
    const subject = `P${alarm.priority} alarm unacknowledged: ${alarm.title}`;
    const payload = { alarm, escalation: { chain: chain.name, step } };
    const dedupeKey = `escalation:${alarm.id}:${step}`;
    const target = current.target;
    if ('channel' in target) {
      await this.deliveries.enqueue({ channelId: target.channel, siteId: alarm.siteId, dedupeKey, subject, payload });
      return { notified: [`channel:${target.channel}`], nextAfterSeconds: next };
    }
    const schedule = await this.ctx.db.selectFrom('oncall_schedules').selectAll().where('id', '=', target.oncall).executeTakeFirst();
    const member = schedule ? memberAt(toSchedule(schedule, this.ctx.clock()), this.ctx.clock(), target.offset ?? 0) : null;
    if (!member) return { notified: [], nextAfterSeconds: next };
    if (member.email) await this.deliveries.enqueue({ recipients: [member.email], siteId: alarm.siteId, dedupeKey, subject, payload });
    return { notified: [`${member.name} (${schedule!.name})`], nextAfterSeconds: next };
  }

  /** The narrowest chain of the alarm's site covering its priority. */
  private async chainFor(alarm: AlarmSummary): Promise<Chain | undefined> {
    if (!alarm.siteId) return undefined;
    const rows = await this.ctx.db
      .selectFrom('escalation_chains')
      .selectAll()
      .where('site_id', '=', alarm.siteId)
      .where('min_priority', '<=', alarm.priority)
      .where('max_priority', '>=', alarm.priority)
      .execute();
    rows.sort((a, b) => a.max_priority - a.min_priority - (b.max_priority - b.min_priority) || a.id.localeCompare(b.id));
    return rows[0] ? toChain(rows[0]) : undefined;
  }
}

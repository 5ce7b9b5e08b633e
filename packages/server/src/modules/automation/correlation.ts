/**
 * Alarm correlation: alarms of the listed types on one site (and in one zone, when scoped so)
 * within a window make one incident — door forced + motion + glass break in a zone within 60 s is
 * a break-in. Evaluated on every `alarm.raised` against the stored alarms, so every node reaches
 * the same answer; the alarms module keeps the grouping single when nodes race.
 */
import { newId, type VigilEvent } from '@vigil/core';
import Type, { type Static } from 'typebox';
import type { AlarmSummary, GroupAlarms } from '../alarms/index.js';
import { commit, type AutomationContext } from './context.js';
import { automationError } from './errors.js';
import { correlationChanged, correlationRemoved } from './events.js';
import type { AutomationCorrelationsTable } from './tables.js';

const closed = { additionalProperties: false } as const;
const AlarmType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });

export const CorrelationInputSchema = Type.Object(
  {
    siteId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null: every site.' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    incidentKind: AlarmType,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    priority: Type.Integer({ minimum: 1, maximum: 5 }),
    alarmTypes: Type.Array(AlarmType, { minItems: 2, maxItems: 20 }),
    minTypes: Type.Integer({ minimum: 2, maximum: 20, description: 'How many distinct types of the list make an incident.' }),
    windowSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    scope: Type.Enum(['zone', 'site']),
    enabled: Type.Boolean(),
  },
  closed,
);
export type CorrelationInput = Static<typeof CorrelationInputSchema>;
export const CorrelationSchema = Type.Object(
  { id: Type.String(), ...CorrelationInputSchema.properties, updatedAt: Type.String({ format: 'date-time' }) },
  closed,
);
export type Correlation = Static<typeof CorrelationSchema>;

export interface CorrelationAlarms {
  recent(filter: { siteId: string | null; zoneId: string | null; types: readonly string[]; since: string }): Promise<AlarmSummary[]>;
  group(input: GroupAlarms): Promise<unknown>;
}

function toCorrelation(row: AutomationCorrelationsTable): Correlation {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    incidentKind: row.incident_kind,
    title: row.title,
    priority: row.priority,
    alarmTypes: JSON.parse(row.alarm_types) as string[],
    minTypes: row.min_types,
    windowSeconds: row.window_seconds,
    scope: row.scope,
    enabled: row.enabled === 1,
    updatedAt: row.updated_at,
  };
}

export class CorrelationService {
  private correlations: Correlation[] = [];

  constructor(
    private readonly ctx: AutomationContext,
    private readonly alarms: CorrelationAlarms,
  ) {}

  async load(): Promise<void> {
    this.correlations = (await this.ctx.db.selectFrom('automation_correlations').selectAll().orderBy('id').execute()).map(toCorrelation);
  }

  list(sites: 'all' | readonly string[]): Correlation[] {
    return this.correlations.filter((c) => sites === 'all' || c.siteId === null || sites.includes(c.siteId));
  }

  async siteOf(id: string): Promise<string | null | undefined> {
    const row = await this.ctx.db.selectFrom('automation_correlations').select('site_id').where('id', '=', id).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  async save(actor: string, input: CorrelationInput, id?: string): Promise<Correlation> {
    if (input.minTypes > new Set(input.alarmTypes).size) {
      throw automationError('automation.rule_invalid', 'minTypes is larger than the number of distinct alarm types', {
        errors: [{ path: '/minTypes', message: 'too large' }],
      });
    }
    const correlation = await commit(this.ctx, async (trx) => {
      const row: AutomationCorrelationsTable = {
        id: id ?? newId(),
        site_id: input.siteId,
        name: input.name,
        incident_kind: input.incidentKind,
        title: input.title,
        priority: input.priority,
        alarm_types: JSON.stringify(input.alarmTypes),
        min_types: input.minTypes,
        window_seconds: input.windowSeconds,
        scope: input.scope,
        enabled: input.enabled ? 1 : 0,
        updated_at: this.ctx.clock().toISOString(),
        updated_by: actor,
      };
      if (id) {
        const done = await trx.updateTable('automation_correlations').set(row).where('id', '=', id).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw automationError('automation.correlation_not_found', `No correlation ${id}`, { correlation: id });
      } else await trx.insertInto('automation_correlations').values(row).execute();
      const result = toCorrelation(row);
      return { result, events: [correlationChanged.draft({ site: input.siteId, source: actor }, { correlation: result })] };
    });
    await this.load();
    return correlation;
  }

  /** Deletes a correlation; incidents it already grouped are the alarms module's and stay. */
  async remove(actor: string, id: string): Promise<void> {
    await commit(this.ctx, async (trx) => {
      const row = await trx.selectFrom('automation_correlations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw automationError('automation.correlation_not_found', `No correlation ${id}`, { correlation: id });
      await trx.deleteFrom('automation_correlations').where('id', '=', id).execute();
      return {
        result: undefined,
        events: [
          correlationRemoved.draft({ site: row.site_id, source: actor }, { correlation: { id, name: row.name, siteId: row.site_id } }),
        ],
      };
    });
    await this.load();
  }

  /** Bus handler for `alarm.raised` (and a correlation changed or removed on any node, to reload). */
  readonly onEvent = async (event: VigilEvent): Promise<void> => {
    if (event.type === 'automation.correlation_changed' || event.type === 'automation.correlation_removed') return this.load();
    const alarm = (event.data as { alarm?: AlarmSummary }).alarm;
    if (!alarm) return;
    for (const c of this.correlations) {
      if (!c.enabled || !c.alarmTypes.includes(alarm.type)) continue;
      if (c.siteId !== null && c.siteId !== alarm.siteId) continue;
      if (c.scope === 'zone' && alarm.zoneId === null) continue;
      try {
        await this.correlate(c, alarm);
      } catch (e) {
        this.ctx.logger.error({ err: e, correlation: c.id, alarm: alarm.id }, 'alarm correlation failed');
      }
    }
  };

  private async correlate(c: Correlation, alarm: AlarmSummary): Promise<void> {
    const since = new Date(Date.parse(alarm.raisedAt) - c.windowSeconds * 1000).toISOString();
    const recent = await this.alarms.recent({
      siteId: alarm.siteId,
      zoneId: c.scope === 'zone' ? alarm.zoneId : null,
      types: c.alarmTypes,
      since,
    });
    if (new Set(recent.map((a) => a.type)).size < c.minTypes) return;
    await this.alarms.group({
      siteId: alarm.siteId,
      zoneId: c.scope === 'zone' ? alarm.zoneId : null,
      kind: c.incidentKind,
      title: c.title,
      priority: c.priority,
      alarmIds: recent.map((a) => a.id),
      windowStart: since,
      rule: c.name,
      source: `correlation:${c.id}`,
    });
  }
}

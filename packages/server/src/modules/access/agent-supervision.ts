/**
 * Supervision of door controller agents: an active agent not heard from (no signed heartbeat) for
 * longer than the supervision interval is declared offline with an `edge.agent_offline` event, and
 * its next heartbeat declares it back with `edge.agent_online`; alarms and automation rules take
 * them like any event. As for MQTT devices (adapters/mqtt/supervision.ts), silence is counted from
 * the last sighting or from when this node started supervising, whichever is later, so a server
 * coming back up does not declare offline the agents that could not reach it while it was down.
 *
 * Unlike MQTT messages, which each node of a group sees only its share of, every heartbeat lands
 * in the shared database (`edge_agents.last_seen_at`): the nodes need no sighting exchange. The
 * declaration is a compare-and-set on the agent's row (`offline_since`, set only while
 * `last_seen_at` is still the one judged silent), recorded in the same transaction as its event,
 * so however many nodes find the agent silent, one declares it, and a heartbeat racing the check
 * either lands first (nothing is declared) or sees the declaration and ends it.
 */
import type { EventDraft } from '@vigil/core';
import { defineEvent } from '@vigil/core';
import type { Transaction } from 'kysely';
import Type from 'typebox';
import type { Database } from '../../storage/schema.js';
import type { AccessDeps } from './context.js';

const closed = { additionalProperties: false } as const;
const Instant = Type.String({ format: 'date-time' });
const AgentFields = { agentId: Type.String({ minLength: 1 }), name: Type.String({ maxLength: 200 }) };

export const edgeAgentOffline = defineEvent(
  'edge.agent_offline',
  'A door controller agent was not heard from for longer than its supervision interval (raised once until it is heard again); its doors go on deciding locally, but nothing they do reaches the server',
  Type.Object(
    {
      ...AgentFields,
      /** Null when the agent was never heard from since it was registered. */
      lastSeenAt: Type.Union([Instant, Type.Null()]),
      supervisionSeconds: Type.Integer({ minimum: 1 }),
    },
    closed,
  ),
);
export const edgeAgentOnline = defineEvent(
  'edge.agent_online',
  'A door controller agent declared offline was heard from again',
  Type.Object({ ...AgentFields, offlineSince: Instant }, closed),
);

export interface AgentSupervisionOptions {
  /** Silence after which an agent is declared offline. */
  readonly supervisionSeconds: number;
  /** How often to look (default a quarter of the interval, 1–30 s); 0: only when `check` is called. */
  readonly checkEveryMs?: number;
  readonly onError?: (error: unknown) => void;
}

interface AgentRow {
  readonly id: string;
  readonly site_id: string;
  readonly name: string;
  readonly key_id: string;
  readonly created_at: string;
  readonly last_seen_at: string | null;
}

function envelope(row: Pick<AgentRow, 'site_id' | 'key_id'>, at: Date) {
  return { at, site: row.site_id, source: `edge:${row.key_id}` };
}

export class AgentSupervision {
  /** When this node started supervising: silence is not counted from before it. */
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<number> | undefined;

  constructor(
    private readonly deps: AccessDeps,
    private readonly options: AgentSupervisionOptions,
  ) {
    this.startedAt = deps.clock().getTime();
  }

  get supervisionSeconds(): number {
    return this.options.supervisionSeconds;
  }

  start(): void {
    const every = this.options.checkEveryMs ?? Math.min(30_000, Math.max(1000, (this.options.supervisionSeconds * 1000) / 4));
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => this.options.onError?.(error));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checking?.catch(() => undefined);
  }

  /** Declares the silent agents offline; resolves to how many this node declared. */
  check(): Promise<number> {
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /**
   * Inside the heartbeat's transaction, after `last_seen_at` was written (which holds the row):
   * ends a declared silence, returning the events to publish once it commits.
   */
  async heard(trx: Transaction<Database>, agentId: string, at: Date) {
    const row = await trx
      .selectFrom('edge_agents')
      .select(['site_id', 'name', 'key_id', 'offline_since'])
      .where('id', '=', agentId)
      .executeTakeFirst();
    if (!row?.offline_since) return [];
    await trx.updateTable('edge_agents').set({ offline_since: null }).where('id', '=', agentId).execute();
    return this.deps.record(trx, edgeAgentOnline.draft(envelope(row, at), { agentId, name: row.name, offlineSince: row.offline_since }));
  }

  private async checkOnce(): Promise<number> {
    const now = this.deps.clock();
    const limitMs = this.options.supervisionSeconds * 1000;
    const rows = await this.deps.db
      .selectFrom('edge_agents')
      .select(['id', 'site_id', 'name', 'key_id', 'created_at', 'last_seen_at'])
      .where('status', '=', 'active')
      .where('offline_since', 'is', null)
      .execute();
    let declared = 0;
    for (const row of rows) {
      const quietSince = Math.max(Date.parse(row.last_seen_at ?? row.created_at), this.startedAt);
      if (now.getTime() - quietSince <= limitMs) continue;
      if (await this.declareOffline(row, now)) declared++;
    }
    return declared;
  }

  private async declareOffline(row: AgentRow, now: Date): Promise<boolean> {
    const { db, record, publish } = this.deps;
    const draft: EventDraft = edgeAgentOffline.draft(envelope(row, now), {
      agentId: row.id,
      name: row.name,
      lastSeenAt: row.last_seen_at,
      supervisionSeconds: Math.round(this.options.supervisionSeconds),
    });
    const events = await db.transaction().execute(async (trx) => {
      const silent = trx
        .updateTable('edge_agents')
        .set({ offline_since: now.toISOString() })
        .where('id', '=', row.id)
        .where('status', '=', 'active')
        .where('offline_since', 'is', null);
      // Only while the silence judged is still the current one: a heartbeat since, or another node's declaration, wins.
      const result = await (
        row.last_seen_at === null ? silent.where('last_seen_at', 'is', null) : silent.where('last_seen_at', '=', row.last_seen_at)
      ).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? record(trx, draft) : [];
    });
    publish(events);
    return events.length > 0;
  }
}

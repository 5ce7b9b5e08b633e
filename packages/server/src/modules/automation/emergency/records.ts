/** Activation rows, their API form, and the in-memory activation built from them. */
import { newId } from '@vigil/core';
import type { EmergencyActivationsTable } from '../tables.js';
import type { LiveActivation } from './live.js';
import { PLAN_MODE, type Activation, type Plan } from './model.js';

export interface StartRequest {
  readonly planId: string;
  readonly actor: string;
  readonly trigger: 'operator' | 'rule' | 'button';
  readonly triggerEventId?: string | null | undefined;
  readonly drill: boolean;
  readonly reason?: string | null | undefined;
}

export function toActivation(row: EmergencyActivationsTable): Activation {
  return {
    id: row.id,
    planId: row.plan_id,
    siteId: row.site_id,
    kind: row.kind,
    drill: row.drill === 1,
    state: row.state,
    trigger: row.trigger,
    triggerEventId: row.trigger_event_id,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    confirmedBy: row.confirmed_by,
    startedAt: row.started_at,
    clearedBy: row.cleared_by,
    clearedAt: row.cleared_at,
    reason: row.reason,
  };
}

export function newRow(
  plan: Plan,
  request: StartRequest,
  now: string,
  state: 'active' | 'pending_confirmation',
): EmergencyActivationsTable {
  return {
    id: newId(),
    plan_id: plan.id,
    site_id: plan.siteId,
    kind: plan.kind,
    drill: request.drill ? 1 : 0,
    state,
    live_key: plan.id,
    trigger: request.trigger,
    trigger_event_id: request.triggerEventId ?? null,
    requested_by: request.actor,
    requested_at: now,
    confirmed_by: null,
    started_at: state === 'active' ? now : null,
    cleared_by: null,
    cleared_at: null,
    reason: request.reason ?? null,
  };
}

export function liveOf(id: string, plan: Plan, drill: boolean, startedAt: Date): LiveActivation & { doorIds: string[] } {
  return {
    id,
    planId: plan.id,
    planName: plan.name,
    siteId: plan.siteId,
    kind: plan.kind,
    drill,
    mode: PLAN_MODE[plan.kind],
    startedAt,
    doorIds: [],
    doors: new Map(),
    stopped: false,
  };
}

/** The in-memory activation of a row this node did not start (to restore its doors on clearing). */
export function rebuild(row: EmergencyActivationsTable, plan: Plan): LiveActivation {
  return liveOf(row.id, plan, row.drill === 1, new Date(row.started_at ?? row.requested_at));
}

/** The row of an activation known only in memory (its record is still waiting for the database). */
export function rowOf(a: LiveActivation, plan: Plan): EmergencyActivationsTable {
  return {
    ...newRow(
      plan,
      { planId: plan.id, actor: 'system:emergency', trigger: 'operator', drill: a.drill },
      a.startedAt.toISOString(),
      'active',
    ),
    id: a.id,
  };
}

/** The activation as events carry it. */
export function info(row: EmergencyActivationsTable, plan: Plan, doors: readonly { id: string }[]) {
  return {
    id: row.id,
    planId: plan.id,
    planName: plan.name,
    kind: plan.kind,
    drill: row.drill === 1,
    trigger: row.trigger,
    triggerEventId: row.trigger_event_id,
    doorIds: doors.map((d) => d.id),
  };
}

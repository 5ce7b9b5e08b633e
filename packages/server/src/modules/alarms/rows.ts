/** Row ↔ model mapping for the alarms module's tables. */
import type { Alarm, AlarmStep, AlarmSummary, Incident, Procedure, Shelf } from './model.js';
import type { AlarmProceduresTable, AlarmShelvesTable, AlarmStepsTable, AlarmsTable, IncidentsTable } from './tables.js';

export function toSummary(row: AlarmsTable): AlarmSummary {
  return {
    id: row.id,
    siteId: row.site_id,
    type: row.type,
    priority: row.priority,
    state: row.state,
    title: row.title,
    zoneId: row.zone_id,
    doorId: row.door_id,
    device: row.device,
    ruleId: row.rule_id,
    triggerEventId: row.trigger_event_id,
    raisedAt: row.raised_at,
    raisedBy: row.raised_by,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    assignedTo: row.assigned_to,
    assignedAt: row.assigned_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
    falseAlarm: row.false_alarm === 1,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    shelfId: row.shelf_id,
    escalationLevel: row.escalation_level,
    nextEscalationAt: row.escalate_at,
    incidentId: row.incident_id,
  };
}

export function toStep(row: AlarmStepsTable): AlarmStep {
  return {
    position: row.position,
    text: row.text,
    required: row.required === 1,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    note: row.note,
  };
}

export function toAlarm(row: AlarmsTable, steps: readonly AlarmStepsTable[]): Alarm {
  return { ...toSummary(row), procedure: [...steps].sort((a, b) => a.position - b.position).map(toStep) };
}

export function toProcedure(row: AlarmProceduresTable): Procedure {
  return {
    id: row.id,
    siteId: row.site_key === '*' ? null : row.site_key,
    alarmType: row.alarm_type,
    name: row.name,
    steps: JSON.parse(row.steps) as Procedure['steps'],
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function toShelf(row: AlarmShelvesTable): Shelf {
  return {
    id: row.id,
    siteId: row.site_id,
    alarmType: row.alarm_type,
    sourceKey: row.source_key,
    reason: row.reason,
    shelvedBy: row.shelved_by,
    shelvedAt: row.shelved_at,
    expiresAt: row.expires_at,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
  };
}

export function toIncident(row: IncidentsTable, alarmIds: readonly string[]): Incident {
  return {
    id: row.id,
    siteId: row.site_id,
    zoneId: row.zone_id,
    kind: row.kind,
    title: row.title,
    priority: row.priority,
    state: row.state,
    openedAt: row.opened_at,
    lastAlarmAt: row.last_alarm_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    closeNote: row.close_note,
    alarmIds: [...alarmIds],
  };
}

/** What a shelf keys on: the device if the alarm has one, else its door, else its zone. */
export function sourceKeyOf(alarm: Pick<AlarmsTable, 'device' | 'door_id' | 'zone_id'>): string {
  if (alarm.device) return alarm.device.startsWith('device:') ? alarm.device : `device:${alarm.device}`;
  if (alarm.door_id) return `door:${alarm.door_id}`;
  if (alarm.zone_id) return `zone:${alarm.zone_id}`;
  return '*';
}

/**
 * Facts of the alarm workflow. Each carries the alarm as it stands after the fact, so the live
 * stream and other nodes need no read-back to show it.
 */
import { defineEvent, Type } from '@vigil/core';
import { AlarmSummarySchema, IncidentSchema, ProcedureSchema, ShelfSchema } from './model.js';

const closed = { additionalProperties: false } as const;
const WithAlarm = Type.Object({ alarm: AlarmSummarySchema }, closed);
const Note = Type.String({ maxLength: 4000 });

export const alarmRaised = defineEvent('alarm.raised', 'An alarm was raised (by a rule or an operator).', WithAlarm);
export const alarmAcknowledged = defineEvent('alarm.acknowledged', 'An operator acknowledged an alarm; its escalation stopped.', WithAlarm);
export const alarmAssigned = defineEvent(
  'alarm.assigned',
  'An alarm was assigned to someone to respond.',
  Type.Object({ alarm: AlarmSummarySchema, assignee: Type.String({ maxLength: 200 }) }, closed),
);
export const alarmResolved = defineEvent(
  'alarm.resolved',
  'An alarm was resolved, with the resolution note and whether it was a false alarm.',
  Type.Object({ alarm: AlarmSummarySchema, note: Type.Union([Note, Type.Null()]), falseAlarm: Type.Boolean() }, closed),
);
export const alarmClosed = defineEvent('alarm.closed', 'A resolved alarm was closed.', WithAlarm);
export const alarmFalseMarked = defineEvent(
  'alarm.false_alarm_marked',
  'A resolved alarm was (un)marked as a false alarm after review.',
  Type.Object({ alarm: AlarmSummarySchema, falseAlarm: Type.Boolean() }, closed),
);
export const alarmStepCompleted = defineEvent(
  'alarm.step_completed',
  'A step of the alarm’s procedure was completed.',
  Type.Object(
    { alarm: AlarmSummarySchema, position: Type.Integer({ minimum: 1 }), text: Type.String(), note: Type.Union([Note, Type.Null()]) },
    closed,
  ),
);
export const alarmEscalated = defineEvent(
  'alarm.escalated',
  'An unacknowledged alarm escalated to the next step of its on-call chain.',
  Type.Object({ alarm: AlarmSummarySchema, step: Type.Integer({ minimum: 0 }), notified: Type.Array(Type.String()) }, closed),
);
export const alarmShelved = defineEvent(
  'alarm.shelved',
  'Alarms of one type from one source were shelved (suppressed) with a reason until an expiry.',
  Type.Object({ shelf: ShelfSchema, alarmIds: Type.Array(Type.String()) }, closed),
);
export const alarmUnshelved = defineEvent(
  'alarm.unshelved',
  'A shelf ended (expired or released early); the alarms it suppressed are back in the queue.',
  Type.Object({ shelf: ShelfSchema, alarmIds: Type.Array(Type.String()), expired: Type.Boolean() }, closed),
);
export const procedureDefined = defineEvent(
  'alarm.procedure_defined',
  'The procedure (SOP checklist) for an alarm type was defined or changed.',
  Type.Object({ procedure: ProcedureSchema }, closed),
);
export const incidentOpened = defineEvent(
  'incident.opened',
  'Correlated alarms were grouped into an incident.',
  Type.Object({ incident: IncidentSchema, rule: Type.String({ maxLength: 200 }) }, closed),
);
export const incidentAlarmAdded = defineEvent(
  'incident.alarm_added',
  'Another correlated alarm joined an open incident.',
  Type.Object({ incident: IncidentSchema, alarmId: Type.String() }, closed),
);
export const incidentClosed = defineEvent('incident.closed', 'An incident was closed.', Type.Object({ incident: IncidentSchema }, closed));

export const alarmEvents = [
  alarmRaised,
  alarmAcknowledged,
  alarmAssigned,
  alarmResolved,
  alarmClosed,
  alarmFalseMarked,
  alarmStepCompleted,
  alarmEscalated,
  alarmShelved,
  alarmUnshelved,
  procedureDefined,
  incidentOpened,
  incidentAlarmAdded,
  incidentClosed,
];

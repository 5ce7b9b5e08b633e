/**
 * Alarms as the rest of Vigil sees them. One TypeBox schema per shape gives the TypeScript type,
 * the event data and the API responses.
 */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ALARM_STATES = ['new', 'acknowledged', 'assigned', 'resolved', 'closed'] as const;
export const AlarmStateSchema = Type.Enum(ALARM_STATES);
export const AlarmTypeSchema = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,63}$',
  description: 'What kind of alarm (`door_forced`, `panic`, `glass_break`); selects its procedure.',
});
export const PrioritySchema = Type.Integer({ minimum: 1, maximum: 5, description: '1 is the most urgent.' });

export const AlarmSummarySchema = Type.Object(
  {
    id: Type.String(),
    siteId: Nullable(Type.String()),
    type: AlarmTypeSchema,
    priority: PrioritySchema,
    state: AlarmStateSchema,
    title: Type.String(),
    zoneId: Nullable(Type.String()),
    doorId: Nullable(Type.String()),
    device: Type.Union([Type.String(), Type.Null()], { description: 'The reporting device of the triggering event.' }),
    ruleId: Nullable(Type.String()),
    triggerEventId: Nullable(Type.String()),
    raisedAt: Instant,
    raisedBy: Type.String(),
    acknowledgedAt: Nullable(Instant),
    acknowledgedBy: Nullable(Type.String()),
    assignedTo: Nullable(Type.String()),
    assignedAt: Nullable(Instant),
    resolvedAt: Nullable(Instant),
    resolvedBy: Nullable(Type.String()),
    resolutionNote: Nullable(Type.String()),
    falseAlarm: Type.Boolean(),
    closedAt: Nullable(Instant),
    closedBy: Nullable(Type.String()),
    shelfId: Type.Union([Type.String(), Type.Null()], { description: 'Set while a shelf suppresses the alarm.' }),
    escalationLevel: Type.Integer({ minimum: 0, description: 'Escalation steps already taken.' }),
    nextEscalationAt: Nullable(Instant),
    incidentId: Nullable(Type.String()),
  },
  closed,
);
export type AlarmSummary = Static<typeof AlarmSummarySchema>;

export const AlarmStepSchema = Type.Object(
  {
    position: Type.Integer({ minimum: 1 }),
    text: Type.String(),
    required: Type.Boolean(),
    completedAt: Nullable(Instant),
    completedBy: Nullable(Type.String()),
    note: Nullable(Type.String()),
  },
  closed,
);
export type AlarmStep = Static<typeof AlarmStepSchema>;

export const AlarmSchema = Type.Object(
  {
    ...AlarmSummarySchema.properties,
    procedure: Type.Array(AlarmStepSchema, { description: 'The SOP checklist, each step timestamped.' }),
  },
  closed,
);
export type Alarm = Static<typeof AlarmSchema>;

export const ProcedureStepInputSchema = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 500 }), required: Type.Boolean({ default: true }) },
  closed,
);
export const ProcedureInputSchema = Type.Object(
  {
    siteId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The site this procedure applies to; null: every site without its own.',
    }),
    alarmType: AlarmTypeSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    steps: Type.Array(ProcedureStepInputSchema, { minItems: 1, maxItems: 50 }),
  },
  closed,
);
export type ProcedureInput = Static<typeof ProcedureInputSchema>;

export const ProcedureSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Nullable(Type.String()),
    alarmType: AlarmTypeSchema,
    name: Type.String(),
    steps: Type.Array(Type.Object({ text: Type.String(), required: Type.Boolean() }, closed)),
    version: Type.Integer({ minimum: 1 }),
    updatedAt: Instant,
    updatedBy: Type.String(),
  },
  closed,
);
export type Procedure = Static<typeof ProcedureSchema>;

export const ShelfSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Nullable(Type.String()),
    alarmType: AlarmTypeSchema,
    sourceKey: Type.String({ description: 'What is shelved: `device:…`, `door:…`, `zone:…`, or `*`.' }),
    reason: Type.String(),
    shelvedBy: Type.String(),
    shelvedAt: Instant,
    expiresAt: Instant,
    releasedAt: Nullable(Instant),
    releasedBy: Nullable(Type.String()),
  },
  closed,
);
export type Shelf = Static<typeof ShelfSchema>;

export const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Nullable(Type.String()),
    zoneId: Nullable(Type.String()),
    kind: Type.String(),
    title: Type.String(),
    priority: PrioritySchema,
    state: Type.Enum(['open', 'closed']),
    openedAt: Instant,
    lastAlarmAt: Instant,
    closedAt: Nullable(Instant),
    closedBy: Nullable(Type.String()),
    closeNote: Nullable(Type.String()),
    alarmIds: Type.Array(Type.String()),
  },
  closed,
);
export type Incident = Static<typeof IncidentSchema>;

export const FalseAlarmRateSchema = Type.Object(
  {
    device: Type.String(),
    siteId: Nullable(Type.String()),
    alarms: Type.Integer({ description: 'Alarms from the device in the period that were resolved.' }),
    falseAlarms: Type.Integer(),
    rate: Type.Number({ minimum: 0, maximum: 1, description: 'falseAlarms ÷ alarms.' }),
  },
  closed,
);
export type FalseAlarmRate = Static<typeof FalseAlarmRateSchema>;

/** What raises an alarm: a rule (with its trigger) or an operator. */
export interface RaiseAlarm {
  readonly siteId: string | null;
  readonly type: string;
  readonly priority: number;
  readonly title: string;
  readonly zoneId?: string | null;
  readonly doorId?: string | null;
  readonly device?: string | null;
  readonly ruleId?: string | null;
  readonly triggerEventId?: string | null;
  /** Raising the same key again returns the existing alarm. */
  readonly dedupeKey: string;
  /** Who raised it: `rule:<id>` or the operator's actor string. */
  readonly source: string;
  /** Carried onto the `alarm.raised` event (the rule chain it belongs to, for loop protection). */
  readonly correlationId?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** The escalation chain, implemented by notifications (on-call schedules) and wired at the root. */
export interface EscalationPort {
  /** Seconds after raising at which step 0 is due; null: no chain covers this alarm. */
  firstStepAfter(alarm: AlarmSummary): Promise<number | null>;
  /** Runs step `step` of the alarm's chain: who was notified, and seconds until the next step (null: last). */
  escalate(alarm: AlarmSummary, step: number): Promise<{ notified: string[]; nextAfterSeconds: number | null }>;
}

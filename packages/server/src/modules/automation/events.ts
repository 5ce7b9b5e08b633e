/** Facts the automation module records: rule changes, rule faults, plan activations, notifications. */
import { defineEvent, Type } from '@vigil/core';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ maxLength: 64 });

const RuleRecord = Type.Object(
  {
    id: Id,
    name: Type.String(),
    siteId: Type.Union([Id, Type.Null()]),
    enabled: Type.Boolean(),
    version: Type.Integer({ minimum: 1 }),
    /** The rule document as stored (so the journal alone shows what each version did). */
    document: Type.Unknown(),
    sha256: Type.String(),
  },
  closed,
);

export const ruleCreated = defineEvent(
  'automation.rule_created',
  'An automation rule was created.',
  Type.Object({ rule: RuleRecord }, closed),
);
export const ruleChanged = defineEvent(
  'automation.rule_changed',
  'An automation rule was changed, enabled or disabled (a new version).',
  Type.Object({ rule: RuleRecord, change: Type.Enum(['changed', 'enabled', 'disabled']) }, closed),
);
export const ruleDeleted = defineEvent(
  'automation.rule_deleted',
  'An automation rule was deleted (its versions are kept).',
  Type.Object({ ruleId: Id, name: Type.String(), version: Type.Integer() }, closed),
);
export const ruleActionFailed = defineEvent(
  'automation.action_failed',
  'An action of a rule that fired could not be carried out; the other actions still ran.',
  Type.Object(
    {
      ruleId: Id,
      ruleName: Type.String(),
      action: Type.String(),
      triggerEventId: Id,
      error: Type.String({ maxLength: 500 }),
      code: Type.Union([Type.String(), Type.Null()]),
    },
    closed,
  ),
);
export const ruleLoopStopped = defineEvent(
  'automation.loop_stopped',
  'Rules kept triggering each other from one original event; the chain was stopped.',
  Type.Object({ ruleId: Id, ruleName: Type.String(), chainId: Id, firings: Type.Integer() }, closed),
);
export const correlationChanged = defineEvent(
  'automation.correlation_changed',
  'An alarm correlation (which alarms make an incident) was defined or changed.',
  Type.Object({ correlation: Type.Unknown() }, closed),
);
export const correlationRemoved = defineEvent(
  'automation.correlation_removed',
  'An alarm correlation was deleted; incidents it grouped stay as they are.',
  Type.Object({ correlation: Type.Object({ id: Id, name: Type.String(), siteId: Type.Union([Id, Type.Null()]) }, closed) }, closed),
);

const PlanRecord = Type.Object(
  { id: Id, name: Type.String(), kind: Type.String(), version: Type.Integer(), definition: Type.Unknown() },
  closed,
);
export const planDefined = defineEvent(
  'emergency.plan_defined',
  'An emergency plan was defined or changed.',
  Type.Object({ plan: PlanRecord }, closed),
);
export const planRemoved = defineEvent(
  'emergency.plan_removed',
  'An emergency plan was deleted: it can no longer be started; its past activations and reports remain.',
  Type.Object({ plan: Type.Object({ id: Id, name: Type.String(), kind: Type.String(), version: Type.Integer() }, closed) }, closed),
);

const Activation = Type.Object(
  {
    id: Id,
    planId: Id,
    planName: Type.String(),
    kind: Type.String(),
    drill: Type.Boolean(),
    trigger: Type.String(),
    triggerEventId: Type.Union([Id, Type.Null()]),
    doorIds: Type.Array(Id, { description: 'The doors the plan covers (other nodes keep fire-held doors from this).' }),
  },
  closed,
);
export const planRequested = defineEvent(
  'emergency.plan_requested',
  'An operator started a plan that needs a second operator’s confirmation.',
  Type.Object({ activation: Activation, reason: Type.Union([Type.String(), Type.Null()]) }, closed),
);
export const planStarted = defineEvent(
  'emergency.plan_started',
  'An emergency plan (or its drill) started; its doors are being commanded.',
  Type.Object(
    { activation: Activation, confirmedBy: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) },
    closed,
  ),
);
export const planDoorSecured = defineEvent(
  'emergency.door_secured',
  'A door confirmed the mode a plan put it in (or its drill simulated it), with the seconds it took.',
  Type.Object({ activationId: Id, doorId: Id, mode: Type.String(), seconds: Type.Number({ minimum: 0 }), drill: Type.Boolean() }, closed),
);
export const planDoorFailed = defineEvent(
  'emergency.door_failed',
  'A door did not confirm the mode a plan commanded; the plan keeps retrying it while active.',
  Type.Object(
    { activationId: Id, doorId: Id, mode: Type.String(), error: Type.String({ maxLength: 500 }), attempts: Type.Integer() },
    closed,
  ),
);
export const planDoorSkipped = defineEvent(
  'emergency.door_skipped',
  'A plan left a door alone because fire egress holds it free (a live fire plan, or fire egress switched on for the site): the door was not locked down, or not returned to a mode that locks it when the plan cleared.',
  Type.Object(
    {
      activationId: Id,
      doorId: Id,
      mode: Type.String({ description: 'The mode the plan would have put the door in.' }),
      phase: Type.Enum(['start', 'clear']),
      heldBy: Type.Enum(['fire_plan', 'fire_egress']),
    },
    closed,
  ),
);
export const planOutputDriven = defineEvent(
  'emergency.output_driven',
  'A plan switched an auxiliary output on (start) or off (clear), or its drill simulated it; with the seconds its controller took to confirm.',
  Type.Object(
    {
      activationId: Id,
      outputId: Id,
      label: Type.String(),
      active: Type.Boolean(),
      drill: Type.Boolean(),
      commandedAt: Type.String({ format: 'date-time' }),
      confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      seconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
      error: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
    },
    closed,
  ),
);
export const planCleared = defineEvent(
  'emergency.plan_cleared',
  'An emergency plan was cleared; its doors are restored to their prior state.',
  Type.Object({ activation: Activation, reason: Type.Union([Type.String(), Type.Null()]) }, closed),
);
export const planCancelled = defineEvent(
  'emergency.plan_cancelled',
  'A plan waiting for confirmation was cancelled (or expired) before it started.',
  Type.Object({ activation: Activation }, closed),
);

export const notificationDelivered = defineEvent(
  'notification.delivered',
  'A notification (webhook or e-mail) was delivered; the receipt of the delivery.',
  Type.Object(
    {
      deliveryId: Id,
      channelId: Type.Union([Id, Type.Null()]),
      kind: Type.String(),
      attempts: Type.Integer(),
      status: Type.Union([Type.Integer(), Type.Null()]),
      subject: Type.String(),
    },
    closed,
  ),
);
export const notificationFailed = defineEvent(
  'notification.failed',
  'A notification could not be delivered after every retry.',
  Type.Object(
    {
      deliveryId: Id,
      channelId: Type.Union([Id, Type.Null()]),
      kind: Type.String(),
      attempts: Type.Integer(),
      error: Type.String({ maxLength: 500 }),
      subject: Type.String(),
    },
    closed,
  ),
);
export const channelChanged = defineEvent(
  'notification.channel_changed',
  'A notification channel was created or changed (its secret is never recorded).',
  Type.Object({ channelId: Id, name: Type.String(), kind: Type.String(), enabled: Type.Boolean(), target: Type.String() }, closed),
);
export const oncallChanged = defineEvent(
  'notification.oncall_changed',
  'An on-call schedule or escalation chain was defined or changed.',
  Type.Object({ what: Type.Enum(['schedule', 'chain']), id: Id, name: Type.String(), definition: Type.Unknown() }, closed),
);

export const automationEvents = [
  ruleCreated,
  ruleChanged,
  ruleDeleted,
  ruleActionFailed,
  ruleLoopStopped,
  correlationChanged,
  correlationRemoved,
  planDefined,
  planRemoved,
  planRequested,
  planStarted,
  planDoorSecured,
  planDoorFailed,
  planDoorSkipped,
  planCleared,
  planCancelled,
  planOutputDriven,
  notificationDelivered,
  notificationFailed,
  channelChanged,
  oncallChanged,
];

/** Event types each kind of action can lead to (the rule loop check follows these). */
export const EMITTED_BY_ACTION = {
  raiseAlarm: ['alarm.raised', 'incident.opened', 'incident.alarm_added'],
  startPlan: [
    'emergency.plan_requested',
    'emergency.plan_started',
    'emergency.door_secured',
    'emergency.door_failed',
    'emergency.door_skipped',
    'emergency.output_driven',
  ],
  notify: ['notification.delivered', 'notification.failed'],
} as const;

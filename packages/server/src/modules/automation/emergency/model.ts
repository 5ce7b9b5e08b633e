/** Emergency plans, their activations and the per-door timing report, as the API shows them. */
import type { DoorMode } from '@vigil/core';
import Type, { type Static } from 'typebox';
import type { PlanKind } from '../tables.js';

const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const PLAN_KINDS = ['fire', 'lockdown', 'code_pink', 'shelter_in_place'] as const;

/** What each kind of plan does to its doors. Fire frees egress; the others lock against entry (exit stays possible). */
export const PLAN_MODE: Record<PlanKind, DoorMode> = {
  fire: 'fire_egress',
  lockdown: 'lockdown',
  code_pink: 'lockdown',
  shelter_in_place: 'lockdown',
};

/** Which plan wins a door held by several: fire over everything. */
export const PRECEDENCE: Record<PlanKind, number> = { fire: 4, lockdown: 3, code_pink: 2, shelter_in_place: 1 };

export const PlanInputSchema = Type.Object(
  {
    siteId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(PLAN_KINDS),
    scope: Type.Optional(
      Type.Object(
        {
          buildingIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
          zoneIds: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
          zoneTypes: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
        },
        { ...closed, description: 'Buildings, zones or zone types the plan covers; empty: the whole site.' },
      ),
    ),
    doors: Type.Optional(
      Type.Object(
        {
          selection: Type.Optional(
            Type.Enum(['all', 'perimeter'], {
              description: '`all` doors touching the scope, or only its `perimeter` (default: all for fire, perimeter otherwise).',
            }),
          ),
          include: Type.Optional(Type.Array(Uuid, { maxItems: 500, description: 'More doors (stairwells, chosen interior doors).' })),
          exclude: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
        },
        closed,
      ),
    ),
    outputs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            outputId: Type.String({ ...Uuid, description: 'A named auxiliary output of the site (`/api/sites/{siteId}/outputs`).' }),
            label: Type.String({ maxLength: 100 }),
          },
          closed,
        ),
        {
          maxItems: 50,
          description:
            'Auxiliary outputs switched on while the plan runs and off when it clears (elevator hold). A drill only simulates them, with the same timings recorded.',
        },
      ),
    ),
    notify: Type.Optional(Type.Array(Uuid, { maxItems: 20, description: 'Notification channels told when the plan starts and clears.' })),
    buttons: Type.Optional(
      Type.Array(Type.Object({ event: Type.String({ maxLength: 100 }), source: Type.String({ maxLength: 200 }) }, closed), {
        maxItems: 50,
        description: 'Physical buttons (event type and reporting device) that start the plan.',
      }),
    ),
    requiresConfirmation: Type.Optional(
      Type.Boolean({ description: 'An operator’s start waits for a second operator (never for fire plans).' }),
    ),
  },
  closed,
);
export type PlanInput = Static<typeof PlanInputSchema>;

export const PlanSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Type.String(),
    name: Type.String(),
    kind: Type.Enum(PLAN_KINDS),
    scope: Type.Object(
      { buildingIds: Type.Array(Type.String()), zoneIds: Type.Array(Type.String()), zoneTypes: Type.Array(Type.String()) },
      closed,
    ),
    doors: Type.Object(
      { selection: Type.Enum(['all', 'perimeter']), include: Type.Array(Type.String()), exclude: Type.Array(Type.String()) },
      closed,
    ),
    outputs: Type.Array(Type.Object({ outputId: Type.String(), label: Type.String() }, closed)),
    notify: Type.Array(Type.String()),
    buttons: Type.Array(Type.Object({ event: Type.String(), source: Type.String() }, closed)),
    requiresConfirmation: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Plan = Static<typeof PlanSchema>;

export const DoorTimingSchema = Type.Object(
  {
    doorId: Type.String(),
    doorName: Type.String(),
    targetMode: Type.String(),
    priorMode: Nullable(Type.String()),
    status: Type.Enum(['commanded', 'secured', 'failed', 'held', 'simulated']),
    commandedAt: Nullable(Instant),
    confirmedAt: Nullable(Instant),
    secondsToSecure: Type.Union([Type.Number(), Type.Null()], { description: 'Plan started → door confirmed.' }),
    attempts: Type.Integer(),
    error: Nullable(Type.String()),
    restoredAt: Nullable(Instant),
    restoreConfirmedAt: Nullable(Instant),
    restoredMode: Nullable(Type.String()),
  },
  closed,
);
export type DoorTiming = Static<typeof DoorTimingSchema>;

export const ActivationSchema = Type.Object(
  {
    id: Type.String(),
    planId: Type.String(),
    siteId: Type.String(),
    kind: Type.Enum(PLAN_KINDS),
    drill: Type.Boolean(),
    state: Type.Enum(['pending_confirmation', 'active', 'cleared', 'cancelled']),
    trigger: Type.Enum(['operator', 'rule', 'button']),
    triggerEventId: Nullable(Type.String()),
    requestedBy: Type.String(),
    requestedAt: Instant,
    confirmedBy: Nullable(Type.String()),
    startedAt: Nullable(Instant),
    clearedBy: Nullable(Type.String()),
    clearedAt: Nullable(Instant),
    reason: Nullable(Type.String()),
  },
  closed,
);
export type Activation = Static<typeof ActivationSchema>;

export const ReportSchema = Type.Object(
  {
    activation: ActivationSchema,
    planName: Type.String(),
    doors: Type.Array(DoorTimingSchema),
    summary: Type.Object(
      {
        doors: Type.Integer(),
        secured: Type.Integer(),
        failed: Type.Integer(),
        pending: Type.Integer(),
        held: Type.Integer(),
        medianSeconds: Nullable(Type.Number()),
        p95Seconds: Nullable(Type.Number()),
        maxSeconds: Nullable(Type.Number()),
      },
      closed,
    ),
  },
  { ...closed, description: 'Plan started → door secured, per door, with the totals.' },
);
export type Report = Static<typeof ReportSchema>;

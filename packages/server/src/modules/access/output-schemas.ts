/** Auxiliary outputs as the API shows them: the named record, commands to it, and their requests. */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });

export const OUTPUT_ACTIONS = ['on', 'off', 'pulse'] as const;
export type OutputAction = (typeof OUTPUT_ACTIONS)[number];

export const OutputSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    name: Type.String(),
    reader: Type.Union([Type.String(), Type.Null()]),
    point: Type.Integer(),
    createdAt: Instant,
  },
  closed,
);
export type OutputRecord = Static<typeof OutputSchema>;

export const OutputCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, description: 'What it does, as operators say it (“Elevator hold, Tower B”).' }),
    reader: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'The OSDP reader whose output this is, by the name the site’s agent configuration gives it. Absent: a point of the controller’s own I/O.',
      }),
    ),
    point: Type.Integer({ minimum: 0, maximum: 255, description: 'The reader’s output number, or the controller I/O point.' }),
  },
  closed,
);
export type OutputCreate = Static<typeof OutputCreateSchema>;

export const OutputCommandRequestSchema = Type.Object(
  {
    action: Type.Enum(OUTPUT_ACTIONS, { description: '`on` and `off` until told otherwise; `pulse` on for `pulseMs`.' }),
    pulseMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000, description: 'Required with `pulse`.' })),
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why: recorded in the journal with the action.' }),
  },
  closed,
);
export type OutputCommandRequest = Static<typeof OutputCommandRequestSchema>;

export const OutputCommandSchema = Type.Object(
  {
    id: Id,
    outputId: Id,
    action: Type.Enum(OUTPUT_ACTIONS),
    pulseMs: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.Enum(['pending', 'executed', 'expired', 'unknown_output', 'failed']),
    requestedAt: Instant,
    expiresAt: Instant,
    completedAt: Type.Union([Instant, Type.Null()]),
  },
  closed,
);
export type OutputCommandRecord = Static<typeof OutputCommandSchema>;

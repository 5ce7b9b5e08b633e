/** PIN lockout lifts as the API shows them: the operator's request and what each controller made of it. */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });

export const PIN_LOCKOUT_LIFT_OUTCOMES = ['pending', 'lifted', 'not_locked_out', 'expired'] as const;
export type PinLockoutLiftOutcome = (typeof PIN_LOCKOUT_LIFT_OUTCOMES)[number];

export const PinLockoutLiftRequestSchema = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why: recorded in the journal with the request.' }) },
  closed,
);
export type PinLockoutLiftRequest = Static<typeof PinLockoutLiftRequestSchema>;

export const PinLockoutLiftSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    credentialId: Id,
    personId: Id,
    status: Type.Enum(PIN_LOCKOUT_LIFT_OUTCOMES, {
      description:
        '`pending` while a controller may still report; then `expired` when one never carried the request out in time (it may still refuse the card: lift again), else `lifted` when any controller lifted a lockout, else `not_locked_out` when every controller reported it held none.',
    }),
    requestedAt: Instant,
    expiresAt: Instant,
    agents: Type.Array(
      Type.Object(
        {
          agentId: Id,
          status: Type.Enum(PIN_LOCKOUT_LIFT_OUTCOMES),
          completedAt: Type.Union([Instant, Type.Null()]),
        },
        closed,
      ),
      { description: 'Each active agent of the site when the lift was asked for: each controller keeps its own lockouts.' },
    ),
  },
  closed,
);
export type PinLockoutLiftRecord = Static<typeof PinLockoutLiftSchema>;

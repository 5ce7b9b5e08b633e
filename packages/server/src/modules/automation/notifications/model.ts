/** Notification channels, deliveries, on-call schedules and escalation chains as the API shows them. */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Email = Type.String({ format: 'email', maxLength: 254 });

export const ChannelInputSchema = Type.Object(
  {
    siteId: Type.Union([Uuid, Type.Null()], { description: 'The site the channel serves; null: every site.' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(['webhook', 'email']),
    url: Type.Optional(Type.String({ maxLength: 2000, description: 'Webhook: the http(s) URL notifications are POSTed to.' })),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 200, description: 'Webhook: the HMAC key; omitted, one is generated and returned once.' }),
    ),
    recipients: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 50, description: 'E-mail: the addresses.' })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  closed,
);
export type ChannelInput = Static<typeof ChannelInputSchema>;

export const ChannelSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    kind: Type.Enum(['webhook', 'email']),
    url: Type.Union([Type.String(), Type.Null()]),
    recipients: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Channel = Static<typeof ChannelSchema>;

export const DeliverySchema = Type.Object(
  {
    id: Type.String(),
    channelId: Type.Union([Type.String(), Type.Null()]),
    kind: Type.Enum(['webhook', 'email']),
    siteId: Type.Union([Type.String(), Type.Null()]),
    subject: Type.String(),
    state: Type.Enum(['pending', 'sending', 'delivered', 'failed']),
    attempts: Type.Integer(),
    nextAttemptAt: Instant,
    lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last webhook attempt.' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    deliveredAt: Type.Union([Instant, Type.Null()]),
    createdAt: Instant,
  },
  { ...closed, description: 'A delivery receipt: every attempt counted, the outcome recorded.' },
);
export type Delivery = Static<typeof DeliverySchema>;

export const MemberSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), email: Type.Optional(Email) }, closed);
export const ScheduleInputSchema = Type.Object(
  {
    siteId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Array(MemberSchema, { minItems: 1, maxItems: 100, description: 'In rotation order.' }),
    startsAt: Type.String({ format: 'date-time', description: 'When member 0’s first shift begins.' }),
    shiftHours: Type.Integer({ minimum: 1, maximum: 24 * 14 }),
  },
  closed,
);
export type ScheduleInput = Static<typeof ScheduleInputSchema>;
export const ScheduleSchema = Type.Object(
  { id: Type.String(), ...ScheduleInputSchema.properties, updatedAt: Instant, onCallNow: Type.Union([MemberSchema, Type.Null()]) },
  closed,
);
export type Schedule = Static<typeof ScheduleSchema>;

export const ChainTargetSchema = Type.Union([
  Type.Object(
    { oncall: Uuid, offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: '0: on call now, 1: next in rotation…' })) },
    closed,
  ),
  Type.Object({ channel: Uuid }, closed),
]);
export const ChainInputSchema = Type.Object(
  {
    siteId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    minPriority: Type.Integer({ minimum: 1, maximum: 5 }),
    maxPriority: Type.Integer({ minimum: 1, maximum: 5 }),
    steps: Type.Array(
      Type.Object(
        {
          afterSeconds: Type.Integer({
            minimum: 0,
            maximum: 86_400,
            description: 'Seconds after the previous step (the first: after the alarm was raised).',
          }),
          target: ChainTargetSchema,
        },
        closed,
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  closed,
);
export type ChainInput = Static<typeof ChainInputSchema>;
export const ChainSchema = Type.Object({ id: Type.String(), ...ChainInputSchema.properties, updatedAt: Instant }, closed);
export type Chain = Static<typeof ChainSchema>;

/** Seals secrets at rest (the server's AES-GCM secret box), bound to a context string. */
export interface SecretSealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** The access module's records and inputs as TypeBox schemas (the API answers exactly these). */
import { DoorModeSchema, DoorScopeSchema, HealthReportSchema } from '@vigil/edge';
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const Reason = Type.String({ minLength: 3, maxLength: 500, description: 'Why: recorded in the journal with the action.' });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description: 'HH:MM wall-clock time at the site.' });
const Weekday = Type.Union([
  Type.Literal('sun'),
  Type.Literal('mon'),
  Type.Literal('tue'),
  Type.Literal('wed'),
  Type.Literal('thu'),
  Type.Literal('fri'),
  Type.Literal('sat'),
]);

export const TimeRangeSchema = Type.Object({ start: Clock, end: Clock }, closed);
export const IntervalSchema = Type.Object(
  { days: Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true }), start: Clock, end: Clock },
  { ...closed, description: 'Active from `start` to `end` on each of `days`; an `end` at or before `start` runs past midnight.' },
);
export const HolidayTreatmentSchema = Type.Union(
  [Type.Literal('exclude'), Type.Literal('include'), Type.Array(TimeRangeSchema, { maxItems: 8 })],
  {
    description: '`exclude`: inactive that day; `include`: as on that weekday; ranges: these hours instead.',
  },
);
const HolidayType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' });

export const ScheduleSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    name: Name,
    intervals: Type.Array(IntervalSchema),
    holidays: Type.Record(Type.String(), HolidayTreatmentSchema),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Schedule = Static<typeof ScheduleSchema>;
export const ScheduleCreateSchema = Type.Object(
  {
    siteId: Id,
    name: Name,
    intervals: Type.Array(IntervalSchema, { maxItems: 64 }),
    holidays: Type.Optional(Type.Record(HolidayType, HolidayTreatmentSchema)),
  },
  closed,
);
export type ScheduleCreate = Static<typeof ScheduleCreateSchema>;
export const SchedulePatchSchema = Type.Object(
  {
    name: Type.Optional(Name),
    intervals: Type.Optional(Type.Array(IntervalSchema, { maxItems: 64 })),
    holidays: Type.Optional(Type.Record(HolidayType, HolidayTreatmentSchema)),
  },
  closed,
);
export type SchedulePatch = Static<typeof SchedulePatchSchema>;

export const HolidaySchema = Type.Object(
  { id: Id, siteId: Id, date: Type.String({ format: 'date' }), type: HolidayType, name: Name, createdAt: Instant },
  closed,
);
export type Holiday = Static<typeof HolidaySchema>;
export const HolidayCreateSchema = Type.Object({ date: Type.String({ format: 'date' }), type: HolidayType, name: Name }, closed);
export type HolidayCreate = Static<typeof HolidayCreateSchema>;

const GroupDoor = Type.Object({ doorId: Id, scheduleId: Id }, closed);
export const AccessGroupSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    name: Name,
    description: Type.Union([Type.String(), Type.Null()]),
    doors: Type.Array(GroupDoor),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type AccessGroup = Static<typeof AccessGroupSchema>;
export const AccessGroupCreateSchema = Type.Object(
  {
    siteId: Id,
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    doors: Type.Array(GroupDoor, {
      maxItems: 5000,
      description: 'Doors of the same site, each with the schedule in which the group may pass.',
    }),
  },
  closed,
);
export type AccessGroupCreate = Static<typeof AccessGroupCreateSchema>;
export const AccessGroupPatchSchema = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    doors: Type.Optional(AccessGroupCreateSchema.properties.doors),
  },
  closed,
);
export type AccessGroupPatch = Static<typeof AccessGroupPatchSchema>;

/** How many persons one membership request may name: a large hospital's staff in a few requests. */
export const MAX_MEMBERS_PER_REQUEST = 5000;
export const GroupMembersRequestSchema = Type.Object(
  { personIds: Type.Array(Id, { minItems: 1, maxItems: MAX_MEMBERS_PER_REQUEST, uniqueItems: true }) },
  closed,
);
export type GroupMembersRequest = Static<typeof GroupMembersRequestSchema>;
export const GroupMembersChangeSchema = Type.Object(
  {
    groupId: Id,
    changed: Type.Array(Id, { description: 'The persons whose membership this request changed.' }),
    unchanged: Type.Integer({ description: 'Persons named that were already in (adding) or already out (removing).' }),
  },
  closed,
);
export type GroupMembersChange = Static<typeof GroupMembersChangeSchema>;

export const PRIVILEGES = ['lockdown_override', 'first_person_in', 'escort', 'escort_required'] as const;
export type Privilege = (typeof PRIVILEGES)[number];
const PrivilegeSchema = Type.Union(
  [Type.Literal('lockdown_override'), Type.Literal('first_person_in'), Type.Literal('escort'), Type.Literal('escort_required')],
  {
    description: '`escort_required`: a visitor who may pass only right after an escort.',
  },
);
export const PersonAccessSchema = Type.Object({ personId: Id, groupIds: Type.Array(Id), privileges: Type.Array(PrivilegeSchema) }, closed);
export type PersonAccess = Static<typeof PersonAccessSchema>;
export const PersonAccessUpdateSchema = Type.Object(
  { groupIds: Type.Array(Id, { maxItems: 500, uniqueItems: true }), privileges: Type.Array(PrivilegeSchema, { uniqueItems: true }) },
  closed,
);
export type PersonAccessUpdate = Static<typeof PersonAccessUpdateSchema>;

export const DoorAccessModeSchema = Type.Object(
  {
    doorId: Id,
    siteId: Id,
    mode: DoorModeSchema,
    scheduleId: Type.Union([Id, Type.Null()]),
    updatedAt: Type.Union([Instant, Type.Null()]),
  },
  closed,
);
export type DoorAccessMode = Static<typeof DoorAccessModeSchema>;
export const DoorAccessModeUpdateSchema = Type.Object(
  { mode: DoorModeSchema, scheduleId: Type.Optional(Type.Union([Id, Type.Null()])) },
  closed,
);
export type DoorAccessModeUpdate = Static<typeof DoorAccessModeUpdateSchema>;

export const EdgeAgentSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    name: Name,
    keyId: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
    createdAt: Instant,
    revokedAt: Type.Union([Instant, Type.Null()]),
    lastSeenAt: Type.Union([Instant, Type.Null()]),
    offlineSince: Type.Union([Instant, Type.Null()], {
      description: 'Set while the agent is declared offline (not heard from for longer than its supervision interval): since when.',
    }),
    snapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
    controllerSerial: Type.Union([Type.String(), Type.Null()], {
      description:
        'The controller whose facility wiring the agent runs (the serial it last fetched wiring for); door commands for that controller’s doors go to this agent. Null: it runs only doors of its own configuration file.',
    }),
    health: Type.Union([HealthReportSchema, Type.Null()]),
  },
  closed,
);
export type EdgeAgent = Static<typeof EdgeAgentSchema>;
export const EdgeAgentRegisterSchema = Type.Object(
  {
    siteId: Id,
    name: Name,
    publicKey: Type.String({
      minLength: 40,
      maxLength: 1000,
      description: 'The agent’s Ed25519 public key, SPKI PEM (`vigil-edge --print-key`).',
    }),
  },
  closed,
);
export type EdgeAgentRegister = Static<typeof EdgeAgentRegisterSchema>;
export const EdgeAgentRegisteredSchema = Type.Object(
  {
    agent: EdgeAgentSchema,
    snapshotPublicKey: Type.String({ description: 'PEM of the key snapshots are signed with: the agent’s `server.snapshotPublicKey`.' }),
  },
  closed,
);

export const SnapshotStatusSchema = Type.Object(
  {
    siteId: Id,
    version: Type.Union([Type.Integer(), Type.Null()], { description: 'The version agents of the site load; null: nothing compiled yet.' }),
    compiledAt: Type.Union([Instant, Type.Null()]),
    compileError: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), at: Instant }, closed), Type.Null()], {
      description: 'Why the current policy did not compile (agents keep the version above).',
    }),
  },
  closed,
);

export const DoorOverrideSchema = Type.Object(
  { mode: DoorModeSchema, reason: Type.String(), setBy: Type.String(), setAt: Instant },
  closed,
);
export const DoorStateSchema = Type.Object(
  {
    doorId: Id,
    siteId: Id,
    open: Type.Union([Type.Boolean(), Type.Null()], { description: 'Null without a door-position switch.' }),
    locked: Type.Boolean(),
    mode: Type.String(),
    alarm: Type.Union([Type.Literal('forced_open'), Type.Literal('held_open'), Type.Null()]),
    reportedAt: Type.Union([Instant, Type.Null()], { description: 'When the door controller last reported it; null: never.' }),
    agentId: Type.Union([Id, Type.Null()]),
    override: Type.Union([DoorOverrideSchema, Type.Null()]),
  },
  closed,
);
export type DoorState = Static<typeof DoorStateSchema>;

export const DoorCommandSchema = Type.Object(
  {
    id: Id,
    doorId: Id,
    command: Type.Union([Type.Literal('unlock'), Type.Literal('lock')]),
    seconds: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.Union([Type.Literal('pending'), Type.Literal('executed'), Type.Literal('expired'), Type.Literal('unknown_door')]),
    requestedAt: Instant,
    expiresAt: Instant,
  },
  closed,
);
export type DoorCommandRecord = Static<typeof DoorCommandSchema>;
export const UnlockRequestSchema = Type.Object(
  { seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Default: the door’s unlock time.' })), reason: Reason },
  closed,
);
export const LockRequestSchema = Type.Object({ reason: Reason }, closed);
export const ModeOverrideRequestSchema = Type.Object(
  { mode: Type.Union([DoorModeSchema, Type.Null()], { description: 'Null returns the door to its configured mode.' }), reason: Reason },
  closed,
);
export const EmergencyRequestSchema = Type.Object(
  {
    active: Type.Boolean(),
    scope: Type.Optional(DoorScopeSchema),
    reason: Reason,
  },
  { ...closed, description: 'Without `scope` the whole site.' },
);
export type DoorScope = Static<typeof DoorScopeSchema>;
export const SiteControlsSchema = Type.Object(
  {
    siteId: Id,
    version: Type.Integer(),
    fireEgress: Type.Union([DoorScopeSchema, Type.Null()]),
    lockdown: Type.Union([DoorScopeSchema, Type.Null()]),
    overrides: Type.Array(Type.Object({ doorId: Id, mode: DoorModeSchema }, closed)),
  },
  closed,
);
export type SiteControls = Static<typeof SiteControlsSchema>;

/**
 * The facility's things as the rest of Vigil sees them. One TypeBox schema per shape gives the
 * TypeScript type, the event data schemas and the API response schemas.
 */
import Type, { type Static } from 'typebox';
import { SECURITY_LEVEL_NAMES, ZONE_TYPE_NAMES } from './zone-types.js';

const Id = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const closed = { additionalProperties: false } as const;

export const SiteSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone schedules on this site are evaluated in.' }),
    address: Nullable(Type.String()),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Site = Static<typeof SiteSchema>;

export const BuildingSchema = Type.Object({ id: Id, siteId: Id, name: Type.String(), createdAt: Instant, updatedAt: Instant }, closed);
export type Building = Static<typeof BuildingSchema>;

export const ViewBoxSchema = Type.Object(
  { minX: Type.Number(), minY: Type.Number(), width: Type.Number(), height: Type.Number() },
  { ...closed, description: 'The plan’s drawing area; door positions are in these units.' },
);

export const FloorPlanSummarySchema = Type.Object(
  { sha256: Type.String(), viewBox: ViewBoxSchema, uploadedAt: Instant },
  { ...closed, description: 'The sanitised floor plan on file (fetch the SVG itself from the plan endpoint).' },
);
export type FloorPlanSummary = Static<typeof FloorPlanSummarySchema>;

export const FloorSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    buildingId: Id,
    name: Type.String(),
    level: Type.Integer({ description: 'Storey: 0 ground, negative below ground.' }),
    plan: Nullable(FloorPlanSummarySchema),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Floor = Static<typeof FloorSchema>;

export const ZoneTypeSchema = Type.Enum(ZONE_TYPE_NAMES, { description: 'What the space is (see `GET /api/zone-types`).' });

export const SecurityLevelNameSchema = Type.Enum(SECURITY_LEVEL_NAMES);

export const ZoneSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    buildingId: Nullable(Id),
    floorId: Nullable(Id),
    name: Type.String(),
    type: ZoneTypeSchema,
    securityLevel: Type.Integer({ minimum: 1, maximum: 5 }),
    securityLevelName: SecurityLevelNameSchema,
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Zone = Static<typeof ZoneSchema>;

/** Most corners one zone outline may have: enough for any room traced by hand, small enough to draw live. */
export const MAX_OUTLINE_POINTS = 200;

export const OutlinePointSchema = Type.Object({ x: Type.Number(), y: Type.Number() }, closed);

export const ZoneOutlineSchema = Type.Object(
  {
    zoneId: Id,
    floorId: Id,
    points: Type.Array(OutlinePointSchema, {
      minItems: 3,
      maxItems: MAX_OUTLINE_POINTS,
      description: 'The polygon’s corners in order, in the floor plan’s viewBox units; the last joins the first.',
    }),
    updatedAt: Instant,
  },
  { ...closed, description: 'Where a zone lies on one floor’s plan.' },
);
export type ZoneOutline = Static<typeof ZoneOutlineSchema>;

export const LockFailModeSchema = Type.Enum(['fail_safe', 'fail_secure'], {
  description: '`fail_safe` unlocks when power is lost (maglocks on egress routes); `fail_secure` stays locked (strikes on stores).',
});
export type LockFailMode = Static<typeof LockFailModeSchema>;

export const PositionSchema = Type.Object(
  { x: Type.Number(), y: Type.Number() },
  { ...closed, description: 'Position on the floor plan, in viewBox units.' },
);

export const DoorSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    buildingId: Nullable(Id),
    floorId: Nullable(Id),
    name: Type.String(),
    entryReaderId: Type.Union([Id, Type.Null()], { description: 'Reader badged to pass from `fromZoneId` into `toZoneId`.' }),
    exitReaderId: Type.Union([Id, Type.Null()], { description: 'Reader badged to pass back (null: free or request-to-exit egress).' }),
    controllerId: Type.Union([Id, Type.Null()], { description: 'Controller or edge agent the lock and inputs are wired to.' }),
    lockOutput: Type.Union([Type.Integer(), Type.Null()], { description: 'Controller output driving the lock.' }),
    doorPositionInput: Type.Union([Type.Integer(), Type.Null()], { description: 'Controller input of the door-position switch.' }),
    requestToExitInput: Type.Union([Type.Integer(), Type.Null()], { description: 'Controller input of the request-to-exit device.' }),
    osdpBus: Type.Union([Type.String(), Type.Null()], { description: 'Name of the controller’s OSDP bus the door’s readers are on.' }),
    entryReaderAddress: Type.Union([Type.Integer(), Type.Null()], { description: 'OSDP address of the entry reader on that bus.' }),
    exitReaderAddress: Type.Union([Type.Integer(), Type.Null()], { description: 'OSDP address of the exit reader on that bus.' }),
    lockFailMode: LockFailModeSchema,
    egress: Type.Boolean({ description: 'A fire-egress door: never locked against exit.' }),
    unlockSeconds: Type.Integer({ description: 'How long the strike releases on a grant.' }),
    heldOpenSeconds: Type.Integer({ description: 'How long the door may stand open before it counts as held open.' }),
    fromZoneId: Type.Union([Id, Type.Null()], { description: 'Zone on the entry side (null: outside).' }),
    toZoneId: Type.Union([Id, Type.Null()], { description: 'Zone the door leads into (null: outside).' }),
    position: Nullable(PositionSchema),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Door = Static<typeof DoorSchema>;

export const DEVICE_KINDS = [
  'reader',
  'controller',
  'edge_agent',
  'lock',
  'sensor',
  'camera',
  'intercom',
  'panic_button',
  'io_module',
  'rtls_gateway',
  'nvr',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DeviceKindSchema = Type.Enum(DEVICE_KINDS);

export const DEVICE_HEALTH = ['unknown', 'online', 'degraded', 'offline'] as const;
export type DeviceHealth = (typeof DEVICE_HEALTH)[number];
export const DeviceHealthSchema = Type.Enum(DEVICE_HEALTH);

/** At or below this a battery is flagged low: weeks of life left on typical door and panic sensors. */
export const LOW_BATTERY_PERCENT = 20;

export const BatterySchema = Type.Object(
  {
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    reportedAt: Instant,
    low: Type.Boolean({ description: `At or below ${LOW_BATTERY_PERCENT} %: replace the battery.` }),
  },
  { ...closed, description: 'The battery the device last reported (null: it never reported one).' },
);
export type Battery = Static<typeof BatterySchema>;

export const DeviceSchema = Type.Object(
  {
    id: Id,
    stableId: Type.String({ description: '`serial:<serial>` or `mac:<mac>`; how the device identifies itself, never changes.' }),
    serialNumber: Nullable(Type.String()),
    macAddress: Nullable(Type.String()),
    siteId: Id,
    kind: DeviceKindSchema,
    name: Type.String(),
    ipAddress: Nullable(Type.String()),
    manufacturer: Nullable(Type.String()),
    model: Nullable(Type.String()),
    firmwareVersion: Nullable(Type.String()),
    health: DeviceHealthSchema,
    healthReason: Nullable(Type.String()),
    healthChangedAt: Nullable(Instant),
    lastSeenAt: Nullable(Instant),
    battery: Nullable(BatterySchema),
    createdAt: Instant,
    updatedAt: Instant,
  },
  closed,
);
export type Device = Static<typeof DeviceSchema>;

/** A page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface ListOptions {
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** Sites the caller may see: `'all'` or a list (an empty list sees nothing). */
  readonly sites: 'all' | readonly string[];
  /** Only this site. */
  readonly siteId?: string | undefined;
}

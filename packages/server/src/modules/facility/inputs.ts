/**
 * What callers send to create or change facility items. The service validates every input
 * against these schemas itself (the API validates them too, but the seed, the CLI and imports
 * call the service directly), then applies the domain rules.
 */
import { VigilError } from '@vigil/core';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  DeviceKindSchema,
  LockFailModeSchema,
  PositionSchema,
  SecurityLevelNameSchema,
  ZoneOutlineSchema,
  ZoneTypeSchema,
} from './model.js';

const Id = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OptionalNullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const closed = { additionalProperties: false } as const;

const SecurityLevelInput = Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), SecurityLevelNameSchema], {
  description: '1 (public) to 5 (critical), or the level name. Defaults to the zone type’s level.',
});
const Point = Type.Integer({ minimum: 0, maximum: 255, description: 'Output or input number on the door’s controller.' });
const OsdpBus = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: 'Name of an OSDP bus of the door’s controller (as the controller’s configuration names it), e.g. `main`.',
});
const OsdpAddress = Type.Integer({ minimum: 0, maximum: 126, description: 'OSDP address of the reader on the door’s bus.' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. `America/Chicago`.' });

export const SiteCreateSchema = Type.Object({ name: Name, timeZone: TimeZone, address: Type.Optional(Text(500)) }, closed);
export type SiteCreate = Static<typeof SiteCreateSchema>;
export const SitePatchSchema = Type.Object(
  { name: Type.Optional(Name), timeZone: Type.Optional(TimeZone), address: OptionalNullable(Text(500)) },
  closed,
);
export type SitePatch = Static<typeof SitePatchSchema>;

export const BuildingCreateSchema = Type.Object({ siteId: Id, name: Name }, closed);
export type BuildingCreate = Static<typeof BuildingCreateSchema>;
export const BuildingPatchSchema = Type.Object({ name: Type.Optional(Name) }, closed);
export type BuildingPatch = Static<typeof BuildingPatchSchema>;

const Level = Type.Integer({ minimum: -20, maximum: 200 });
export const FloorCreateSchema = Type.Object({ buildingId: Id, name: Name, level: Level }, closed);
export type FloorCreate = Static<typeof FloorCreateSchema>;
export const FloorPatchSchema = Type.Object({ name: Type.Optional(Name), level: Type.Optional(Level) }, closed);
export type FloorPatch = Static<typeof FloorPatchSchema>;

export const ZoneCreateSchema = Type.Object(
  {
    siteId: Id,
    buildingId: OptionalNullable(Id),
    floorId: OptionalNullable(Id),
    name: Name,
    type: ZoneTypeSchema,
    securityLevel: Type.Optional(SecurityLevelInput),
  },
  closed,
);
export type ZoneCreate = Static<typeof ZoneCreateSchema>;
export const ZonePatchSchema = Type.Object(
  {
    buildingId: OptionalNullable(Id),
    floorId: OptionalNullable(Id),
    name: Type.Optional(Name),
    type: Type.Optional(ZoneTypeSchema),
    securityLevel: Type.Optional(SecurityLevelInput),
  },
  closed,
);
export type ZonePatch = Static<typeof ZonePatchSchema>;

const doorFields = {
  buildingId: OptionalNullable(Id),
  floorId: OptionalNullable(Id),
  entryReaderId: OptionalNullable(Id),
  exitReaderId: OptionalNullable(Id),
  controllerId: OptionalNullable(Id),
  lockOutput: OptionalNullable(Point),
  doorPositionInput: OptionalNullable(Point),
  requestToExitInput: OptionalNullable(Point),
  osdpBus: OptionalNullable(OsdpBus),
  entryReaderAddress: OptionalNullable(OsdpAddress),
  exitReaderAddress: OptionalNullable(OsdpAddress),
  lockFailMode: Type.Optional(LockFailModeSchema),
  egress: Type.Optional(Type.Boolean()),
  unlockSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
  heldOpenSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  fromZoneId: OptionalNullable(Id),
  toZoneId: OptionalNullable(Id),
  position: OptionalNullable(PositionSchema),
};
export const DoorCreateSchema = Type.Object({ siteId: Id, name: Name, ...doorFields }, closed);
export type DoorCreate = Static<typeof DoorCreateSchema>;
export const DoorPatchSchema = Type.Object({ name: Type.Optional(Name), ...doorFields }, closed);
export type DoorPatch = Static<typeof DoorPatchSchema>;

const deviceAttributes = {
  ipAddress: OptionalNullable(Text(45)),
  manufacturer: OptionalNullable(Text(120)),
  model: OptionalNullable(Text(120)),
  firmwareVersion: OptionalNullable(Text(64)),
};
export const DeviceRegisterSchema = Type.Object(
  {
    siteId: Id,
    kind: DeviceKindSchema,
    name: Name,
    serialNumber: Type.Optional(Text(80)),
    macAddress: Type.Optional(Text(32)),
    ...deviceAttributes,
  },
  closed,
);
export type DeviceRegister = Static<typeof DeviceRegisterSchema>;
/** Serial, MAC and kind are what the device is, so they cannot change; site, name and IP can. */
export const DevicePatchSchema = Type.Object({ siteId: Type.Optional(Id), name: Type.Optional(Name), ...deviceAttributes }, closed);
export type DevicePatch = Static<typeof DevicePatchSchema>;

export const HeartbeatSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('online'), Type.Literal('degraded'), Type.Literal('offline')]),
    reason: Type.Optional(Text(500)),
    ipAddress: Type.Optional(Text(45)),
    firmwareVersion: Type.Optional(Text(64)),
    battery: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'Battery level in percent, when the device reports one.' }),
    ),
  },
  closed,
);
export const ZoneOutlineInputSchema = Type.Object({ points: ZoneOutlineSchema.properties.points }, closed);
export type ZoneOutlineInput = Static<typeof ZoneOutlineInputSchema>;

/** A device (or the edge agent it hangs off) reporting in. `at` defaults to now. */
export type Heartbeat = Static<typeof HeartbeatSchema> & { at?: Date };

/** How a device is looked up: Vigil's id, or what it reports about itself. */
export type DeviceRef = { id: string } | { serialNumber: string } | { macAddress: string };

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Throws `validation.failed` listing each failing path. */
export function assertInput<T extends TSchema>(schema: T, value: unknown): asserts value is Static<T> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  if (validator.Check(value)) return;
  const errors = [...validator.Errors(value)].slice(0, 20).map((e) => ({ path: e.instancePath || '/', message: e.message }));
  throw new VigilError('validation.failed', 'invalid', `Input is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, {
    errors,
  });
}

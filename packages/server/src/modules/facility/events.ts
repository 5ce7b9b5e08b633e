/**
 * Facts the facility module records. A `*.changed` event carries only the fields that changed,
 * with their values before and after, so the journal alone answers "who moved this reader, and
 * from where".
 */
import { defineEvent } from '@vigil/core';
import Type, { type TObject, type TProperties } from 'typebox';
import {
  BuildingSchema,
  DeviceHealthSchema,
  DeviceSchema,
  DoorSchema,
  FloorSchema,
  SiteSchema,
  ViewBoxSchema,
  ZoneOutlineSchema,
  ZoneSchema,
} from './model.js';

const Id = Type.String({ format: 'uuid' });
const closed = { additionalProperties: false } as const;

function changeOf<P extends TProperties, K extends keyof P & string>(schema: TObject<P>, keys: readonly K[]) {
  const fields = Type.Partial(Type.Pick(schema, [...keys]), closed);
  return Type.Object({ id: Id, before: fields, after: fields }, closed);
}

const Removal = Type.Object({ id: Id, name: Type.String() }, closed);

export const SITE_MUTABLE = ['name', 'timeZone', 'address'] as const;
export const BUILDING_MUTABLE = ['name'] as const;
export const FLOOR_MUTABLE = ['name', 'level'] as const;
export const ZONE_MUTABLE = ['buildingId', 'floorId', 'name', 'type', 'securityLevel', 'securityLevelName'] as const;
export const DOOR_MUTABLE = [
  'buildingId',
  'floorId',
  'name',
  'entryReaderId',
  'exitReaderId',
  'controllerId',
  'lockOutput',
  'osdpBus',
  'entryReaderAddress',
  'exitReaderAddress',
  'doorPositionInput',
  'requestToExitInput',
  'lockFailMode',
  'egress',
  'unlockSeconds',
  'heldOpenSeconds',
  'fromZoneId',
  'toZoneId',
  'position',
] as const;
export const DEVICE_MUTABLE = ['siteId', 'name', 'ipAddress', 'manufacturer', 'model', 'firmwareVersion'] as const;

export const siteCreated = defineEvent('site.created', 'A site was created', Type.Object({ site: SiteSchema }, closed));
export const siteChanged = defineEvent('site.changed', 'A site’s name, time zone or address changed', changeOf(SiteSchema, SITE_MUTABLE));
export const siteRemoved = defineEvent('site.removed', 'An empty site was removed', Removal);

export const buildingCreated = defineEvent(
  'building.created',
  'A building was added to a site',
  Type.Object({ building: BuildingSchema }, closed),
);
export const buildingChanged = defineEvent('building.changed', 'A building was renamed', changeOf(BuildingSchema, BUILDING_MUTABLE));
export const buildingRemoved = defineEvent('building.removed', 'An empty building was removed', Removal);

export const floorCreated = defineEvent('floor.created', 'A floor was added to a building', Type.Object({ floor: FloorSchema }, closed));
export const floorChanged = defineEvent('floor.changed', 'A floor was renamed or renumbered', changeOf(FloorSchema, FLOOR_MUTABLE));
export const floorRemoved = defineEvent('floor.removed', 'A floor nothing referred to was removed', Removal);

export const floorPlanUploaded = defineEvent(
  'floor_plan.uploaded',
  'A sanitised floor plan was stored for a floor (replacing any previous one)',
  Type.Object(
    {
      floorId: Id,
      sha256: Type.String(),
      bytes: Type.Integer(),
      viewBox: ViewBoxSchema,
      previousSha256: Type.Union([Type.String(), Type.Null()]),
      removed: Type.Array(Type.String(), { description: 'Harmless content the sanitiser dropped (comments, editor metadata).' }),
    },
    closed,
  ),
);
export const floorPlanRemoved = defineEvent(
  'floor_plan.removed',
  'A floor’s plan was removed',
  Type.Object({ floorId: Id, sha256: Type.String() }, closed),
);

export const zoneCreated = defineEvent('zone.created', 'A zone was defined', Type.Object({ zone: ZoneSchema }, closed));
export const zoneChanged = defineEvent(
  'zone.changed',
  'A zone’s name, type, security level or location changed',
  changeOf(ZoneSchema, ZONE_MUTABLE),
);
export const zoneRemoved = defineEvent('zone.removed', 'A zone no door referred to was removed', Removal);
export const zoneOutlineDrawn = defineEvent(
  'zone.outline_drawn',
  'A zone’s outline on a floor plan was drawn or redrawn',
  Type.Object({ outline: ZoneOutlineSchema }, closed),
);
export const zoneOutlineRemoved = defineEvent(
  'zone.outline_removed',
  'A zone’s outline was taken off a floor plan',
  Type.Object({ zoneId: Id, floorId: Id }, closed),
);

export const doorCreated = defineEvent('door.created', 'A door was configured', Type.Object({ door: DoorSchema }, closed));
export const doorChanged = defineEvent('door.changed', 'A door’s configuration changed', changeOf(DoorSchema, DOOR_MUTABLE));
export const doorRemoved = defineEvent('door.removed', 'A door was removed from the configuration', Removal);

export const deviceRegistered = defineEvent(
  'device.registered',
  'A device was registered under its serial number or MAC address',
  Type.Object({ device: DeviceSchema }, closed),
);
export const deviceChanged = defineEvent(
  'device.changed',
  'A device’s site, name, IP address or other attribute changed (its identity did not)',
  Type.Object({ ...changeOf(DeviceSchema, DEVICE_MUTABLE).properties, stableId: Type.String() }, closed),
);
export const deviceHealthChanged = defineEvent(
  'device.health_changed',
  'A device went online, offline or degraded',
  Type.Object(
    {
      id: Id,
      stableId: Type.String(),
      from: DeviceHealthSchema,
      to: DeviceHealthSchema,
      reason: Type.Union([Type.String(), Type.Null()]),
      lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    },
    closed,
  ),
);
export const deviceRemoved = defineEvent(
  'device.removed',
  'A device was removed from the registry',
  Type.Object({ id: Id, name: Type.String(), stableId: Type.String() }, closed),
);

/** Every facility event, for the composition root's EventCatalogue. */
export const facilityEvents = [
  siteCreated,
  siteChanged,
  siteRemoved,
  buildingCreated,
  buildingChanged,
  buildingRemoved,
  floorCreated,
  floorChanged,
  floorRemoved,
  floorPlanUploaded,
  floorPlanRemoved,
  zoneCreated,
  zoneChanged,
  zoneRemoved,
  zoneOutlineDrawn,
  zoneOutlineRemoved,
  doorCreated,
  doorChanged,
  doorRemoved,
  deviceRegistered,
  deviceChanged,
  deviceHealthChanged,
  deviceRemoved,
] as const;

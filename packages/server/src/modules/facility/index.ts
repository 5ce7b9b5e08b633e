export { FacilityService, type FacilityServiceOptions } from './service.js';
export { facilityErrors, facilityError } from './errors.js';
export { facilityEvents } from './events.js';
export * from './events.js';
export {
  SiteSchema,
  BuildingSchema,
  FloorSchema,
  ZoneSchema,
  ZoneOutlineSchema,
  MAX_OUTLINE_POINTS,
  DoorSchema,
  DeviceSchema,
  BatterySchema,
  LOW_BATTERY_PERCENT,
  DeviceKindSchema,
  DeviceHealthSchema,
  ZoneTypeSchema,
  DEVICE_KINDS,
  DEVICE_HEALTH,
  type Site,
  type Building,
  type Floor,
  type Zone,
  type ZoneOutline,
  type Door,
  type Device,
  type DeviceKind,
  type DeviceHealth,
  type LockFailMode,
  type Page,
  type ListOptions,
} from './model.js';
export * from './inputs.js';
export { DeviceSightings } from './sightings.js';
export { ZONE_TYPES, ZONE_TYPE_NAMES, SECURITY_LEVELS, type ZoneType, type SecurityLevel } from './zone-types.js';
export { sanitiseFloorPlan, DEFAULT_PLAN_LIMITS, type SanitisedPlan, type SanitiseLimits } from './svg-sanitiser.js';
export { seedSampleFacility, type SampleFacility } from './seed.js';
export type { FacilityTables } from './tables.js';

/** Maps between stored rows (snake_case, 0/1 flags, flat columns) and the module's shapes. */
import { batteryOf } from './battery.js';
import type { Building, Device, DeviceHealth, DeviceKind, Door, Floor, LockFailMode, Site, Zone } from './model.js';
import type { BuildingsTable, DevicesTable, DoorsTable, FloorsTable, SitesTable, ZonesTable } from './tables.js';
import { securityLevelName, type ZoneType } from './zone-types.js';

export function siteFromRow(row: SitesTable): Site {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    address: row.address,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function siteToRow(site: Site): SitesTable {
  return {
    id: site.id,
    name: site.name,
    time_zone: site.timeZone,
    address: site.address,
    created_at: site.createdAt,
    updated_at: site.updatedAt,
  };
}

export function buildingFromRow(row: BuildingsTable): Building {
  return { id: row.id, siteId: row.site_id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function buildingToRow(building: Building): BuildingsTable {
  return {
    id: building.id,
    site_id: building.siteId,
    name: building.name,
    created_at: building.createdAt,
    updated_at: building.updatedAt,
  };
}

/** Floor rows without the SVG text: lists and lookups never need the (possibly large) plan. */
export type FloorRow = Omit<FloorsTable, 'plan_svg'>;

export const FLOOR_COLUMNS = [
  'id',
  'site_id',
  'building_id',
  'name',
  'level',
  'plan_sha256',
  'plan_min_x',
  'plan_min_y',
  'plan_width',
  'plan_height',
  'plan_uploaded_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof FloorRow)[];

export function floorFromRow(row: FloorRow): Floor {
  const hasPlan =
    row.plan_sha256 !== null &&
    row.plan_uploaded_at !== null &&
    row.plan_min_x !== null &&
    row.plan_min_y !== null &&
    row.plan_width !== null &&
    row.plan_height !== null;
  return {
    id: row.id,
    siteId: row.site_id,
    buildingId: row.building_id,
    name: row.name,
    level: row.level,
    plan: hasPlan
      ? {
          sha256: row.plan_sha256 as string,
          viewBox: {
            minX: Number(row.plan_min_x),
            minY: Number(row.plan_min_y),
            width: Number(row.plan_width),
            height: Number(row.plan_height),
          },
          uploadedAt: row.plan_uploaded_at as string,
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The floor's own columns (the plan columns are written only by plan upload and removal). */
export function floorToRow(floor: Floor): Omit<FloorRow, `plan_${string}`> {
  return {
    id: floor.id,
    site_id: floor.siteId,
    building_id: floor.buildingId,
    name: floor.name,
    level: floor.level,
    created_at: floor.createdAt,
    updated_at: floor.updatedAt,
  };
}

export function zoneFromRow(row: ZonesTable): Zone {
  return {
    id: row.id,
    siteId: row.site_id,
    buildingId: row.building_id,
    floorId: row.floor_id,
    name: row.name,
    type: row.type as ZoneType,
    securityLevel: row.security_level,
    securityLevelName: securityLevelName(row.security_level),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function zoneToRow(zone: Zone): ZonesTable {
  return {
    id: zone.id,
    site_id: zone.siteId,
    building_id: zone.buildingId,
    floor_id: zone.floorId,
    name: zone.name,
    type: zone.type,
    security_level: zone.securityLevel,
    created_at: zone.createdAt,
    updated_at: zone.updatedAt,
  };
}

export function doorFromRow(row: DoorsTable): Door {
  return {
    id: row.id,
    siteId: row.site_id,
    buildingId: row.building_id,
    floorId: row.floor_id,
    name: row.name,
    entryReaderId: row.entry_reader_id,
    exitReaderId: row.exit_reader_id,
    controllerId: row.controller_id,
    lockOutput: row.lock_output,
    doorPositionInput: row.door_position_input,
    requestToExitInput: row.request_to_exit_input,
    osdpBus: row.osdp_bus,
    entryReaderAddress: row.entry_reader_address,
    exitReaderAddress: row.exit_reader_address,
    lockFailMode: row.lock_fail_mode as LockFailMode,
    egress: row.egress === 1,
    unlockSeconds: row.unlock_seconds,
    heldOpenSeconds: row.held_open_seconds,
    fromZoneId: row.from_zone_id,
    toZoneId: row.to_zone_id,
    position: row.position_x !== null && row.position_y !== null ? { x: Number(row.position_x), y: Number(row.position_y) } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function doorToRow(door: Door): DoorsTable {
  return {
    id: door.id,
    site_id: door.siteId,
    building_id: door.buildingId,
    floor_id: door.floorId,
    name: door.name,
    entry_reader_id: door.entryReaderId,
    exit_reader_id: door.exitReaderId,
    controller_id: door.controllerId,
    lock_output: door.lockOutput,
    door_position_input: door.doorPositionInput,
    request_to_exit_input: door.requestToExitInput,
    osdp_bus: door.osdpBus,
    entry_reader_address: door.entryReaderAddress,
    exit_reader_address: door.exitReaderAddress,
    lock_fail_mode: door.lockFailMode,
    egress: door.egress ? 1 : 0,
    unlock_seconds: door.unlockSeconds,
    held_open_seconds: door.heldOpenSeconds,
    from_zone_id: door.fromZoneId,
    to_zone_id: door.toZoneId,
    position_x: door.position?.x ?? null,
    position_y: door.position?.y ?? null,
    created_at: door.createdAt,
    updated_at: door.updatedAt,
  };
}

export function deviceFromRow(row: DevicesTable): Device {
  return {
    id: row.id,
    stableId: row.stable_id,
    serialNumber: row.serial_number,
    macAddress: row.mac_address,
    siteId: row.site_id,
    kind: row.kind as DeviceKind,
    name: row.name,
    ipAddress: row.ip_address,
    manufacturer: row.manufacturer,
    model: row.model,
    firmwareVersion: row.firmware_version,
    health: row.health as DeviceHealth,
    healthReason: row.health_reason,
    healthChangedAt: row.health_changed_at,
    lastSeenAt: row.last_seen_at,
    battery: batteryOf(row.battery_percent, row.battery_reported_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function deviceToRow(device: Device): DevicesTable {
  return {
    id: device.id,
    stable_id: device.stableId,
    serial_number: device.serialNumber,
    mac_address: device.macAddress,
    site_id: device.siteId,
    kind: device.kind,
    name: device.name,
    ip_address: device.ipAddress,
    manufacturer: device.manufacturer,
    model: device.model,
    firmware_version: device.firmwareVersion,
    health: device.health,
    health_reason: device.healthReason,
    health_changed_at: device.healthChangedAt,
    last_seen_at: device.lastSeenAt,
    battery_percent: device.battery?.percent ?? null,
    battery_reported_at: device.battery?.reportedAt ?? null,
    created_at: device.createdAt,
    updated_at: device.updatedAt,
  };
}

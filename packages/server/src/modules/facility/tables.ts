/** Tables owned by the facility module. Instants are ISO-8601 UTC text, flags 0/1 (see storage/database.ts). */
export interface SitesTable {
  id: string;
  name: string;
  /** IANA time zone the site's schedules are evaluated in. */
  time_zone: string;
  address: string | null;
  created_at: string;
  updated_at: string;
}

export interface BuildingsTable {
  id: string;
  site_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface FloorsTable {
  id: string;
  /** Denormalised from the building so site-scoped lists need no join; kept equal by the service. */
  site_id: string;
  building_id: string;
  name: string;
  /** Storey number (0 ground, negative below ground); unique within the building, orders floors. */
  level: number;
  /** The sanitised floor plan (never the uploaded bytes). */
  plan_svg: string | null;
  plan_sha256: string | null;
  plan_min_x: number | null;
  plan_min_y: number | null;
  plan_width: number | null;
  plan_height: number | null;
  plan_uploaded_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ZonesTable {
  id: string;
  site_id: string;
  building_id: string | null;
  floor_id: string | null;
  name: string;
  type: string;
  security_level: number;
  created_at: string;
  updated_at: string;
}

export interface DoorsTable {
  id: string;
  site_id: string;
  building_id: string | null;
  floor_id: string | null;
  name: string;
  entry_reader_id: string | null;
  exit_reader_id: string | null;
  controller_id: string | null;
  lock_output: number | null;
  door_position_input: number | null;
  request_to_exit_input: number | null;
  /** Name of the controller's OSDP bus the door's readers are on. */
  osdp_bus: string | null;
  entry_reader_address: number | null;
  exit_reader_address: number | null;
  /** 'fail_safe' (unlocks without power) or 'fail_secure' (stays locked without power). */
  lock_fail_mode: string;
  /** 0/1: a fire-egress door. */
  egress: number;
  unlock_seconds: number;
  held_open_seconds: number;
  from_zone_id: string | null;
  to_zone_id: string | null;
  position_x: number | null;
  position_y: number | null;
  created_at: string;
  updated_at: string;
}

export interface ZoneOutlinesTable {
  zone_id: string;
  floor_id: string;
  site_id: string;
  /** JSON array of `[x, y]` in the floor plan's viewBox units. */
  points: string;
  updated_at: string;
}

export interface DevicesTable {
  id: string;
  /** `serial:<serial>` or `mac:<mac>`: what the device reports about itself; never changes. */
  stable_id: string;
  serial_number: string | null;
  mac_address: string | null;
  site_id: string;
  kind: string;
  name: string;
  ip_address: string | null;
  manufacturer: string | null;
  model: string | null;
  firmware_version: string | null;
  health: string;
  health_reason: string | null;
  health_changed_at: string | null;
  last_seen_at: string | null;
  /** Percent, as the device last reported it (null: never reported one). */
  battery_percent: number | null;
  battery_reported_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface FacilityTables {
  sites: SitesTable;
  buildings: BuildingsTable;
  floors: FloorsTable;
  zones: ZonesTable;
  zone_outlines: ZoneOutlinesTable;
  doors: DoorsTable;
  devices: DevicesTable;
}

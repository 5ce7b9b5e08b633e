/**
 * The shapes the administration screens read from the API (docs/openapi.json), written out once
 * so every screen agrees on them. Only the fields the console uses are typed. Facility shapes the
 * operations screens also read come from their module and are extended here where the editor needs more.
 */
import type { Building, Door as OpsDoor, Floor, Zone as OpsZone } from '../facility.ts';

export type { Building, Floor };

export interface SiteRecord {
  id: string;
  name: string;
  timeZone: string;
  address: string | null;
}

/** A floor's uploaded plan: its digest, drawing area and upload time. */
export type FloorPlanInfo = NonNullable<Floor['plan']>;

export const ZONE_TYPES = [
  'public',
  'clinical',
  'ed',
  'icu',
  'or',
  'behavioural_health',
  'maternity',
  'nicu',
  'pharmacy',
  'pharmacy_vault',
  'data_centre',
  'mri_zone_1',
  'mri_zone_2',
  'mri_zone_3',
  'mri_zone_4',
] as const;
export type ZoneType = (typeof ZONE_TYPES)[number];

export interface ZoneTypeInfo {
  type: ZoneType;
  label: string;
  description: string;
  defaultSecurityLevel: number;
  defaultSecurityLevelName: string;
}

export interface Zone extends Omit<OpsZone, 'type'> {
  type: ZoneType;
}

/** A door with the wiring and readers the facility editor sets (the operations view reads fewer fields). */
export interface Door extends OpsDoor {
  entryReaderId: string | null;
  exitReaderId: string | null;
  controllerId: string | null;
  lockOutput: number | null;
  doorPositionInput: number | null;
  requestToExitInput: number | null;
  /** The controller's OSDP bus the door's readers are on. */
  osdpBus: string | null;
  /** OSDP addresses (0–126) of the entry and exit readers on that bus. */
  entryReaderAddress: number | null;
  exitReaderAddress: number | null;
}

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
export type DeviceHealth = 'unknown' | 'online' | 'degraded' | 'offline';

export interface Device {
  id: string;
  stableId: string;
  serialNumber: string | null;
  macAddress: string | null;
  siteId: string;
  kind: DeviceKind;
  name: string;
  ipAddress: string | null;
  manufacturer: string | null;
  model: string | null;
  firmwareVersion: string | null;
  health: DeviceHealth;
  healthReason: string | null;
  healthChangedAt: string | null;
  lastSeenAt: string | null;
  /** The battery the device last reported; `low` is the server's low-battery threshold. */
  battery: { percent: number; reportedAt: string; low: boolean } | null;
}

export const PERSON_KINDS = ['staff', 'contractor', 'visitor', 'patient', 'infant'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
export type PersonStatus = 'active' | 'suspended' | 'terminated';

export interface Person {
  id: string;
  kind: PersonKind;
  employeeId: string | null;
  givenName: string;
  familyName: string;
  departmentId: string | null;
  jobRoleIds: string[];
  sites: string[];
  status: PersonStatus;
  statusReason: string | null;
  statusChangedAt: string;
  validFrom: string | null;
  validUntil: string | null;
}

export interface NamedItem {
  id: string;
  name: string;
  description: string | null;
}

export type CredentialStatus = 'active' | 'suspended' | 'lost' | 'stolen' | 'revoked';

export interface Credential {
  id: string;
  personId: string;
  type: 'card' | 'pin' | 'mobile' | 'biometric';
  status: CredentialStatus;
  statusReason: string | null;
  statusChangedAt: string;
  validFrom: string | null;
  validUntil: string | null;
  card: { format: string; facilityCode: number; cardNumberMasked: string } | null;
  mobile: { platform: 'ios' | 'android'; enrolmentId: string } | null;
  biometric: { vendor: string; templateRef: string } | null;
  issuedBy: string;
}

export const COMPETENCIES = ['mri_safety', 'controlled_substances', 'infant_security', 'bloodborne_pathogens', 'fire_safety'] as const;
export type Competency = (typeof COMPETENCIES)[number];

export interface TrainingRecord {
  id: string;
  personId: string;
  competency: Competency;
  completedAt: string;
  expiresAt: string;
  current: boolean;
  recordedBy: string;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleInterval {
  days: Weekday[];
  start: string;
  end: string;
}

/** What a schedule does on a holiday of a type: nothing, as a normal weekday, or these hours. */
export type HolidayBehaviour = 'exclude' | 'include' | { start: string; end: string }[];

export interface AccessSchedule {
  id: string;
  siteId: string;
  name: string;
  intervals: ScheduleInterval[];
  holidays: Record<string, HolidayBehaviour>;
}

export interface Holiday {
  id: string;
  siteId: string;
  date: string;
  type: string;
  name: string;
}

export interface AccessGroup {
  id: string;
  siteId: string;
  name: string;
  description: string | null;
  doors: { doorId: string; scheduleId: string }[];
}

export const PRIVILEGES = ['lockdown_override', 'first_person_in', 'escort', 'escort_required'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export interface PersonAccess {
  personId: string;
  groupIds: string[];
  privileges: Privilege[];
}

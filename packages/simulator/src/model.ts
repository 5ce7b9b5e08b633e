/**
 * The virtual hospital as data. The generator (`hospital/`) makes a `HospitalModel` from a preset
 * and a seed, with stable keys instead of server ids, so the same preset and seed always give the
 * same hospital. Provisioning loads it into a running Vigil through the public API and returns a
 * `ProvisionedHospital` mapping every key to the id Vigil gave it. The live part (`live/`: readers,
 * door I/O, sensors, people flows, scenarios) works from both.
 */

export type PresetName = 'clinic' | 'community' | 'academic';

/** Zone types as Vigil's facility module names them (GET /api/zone-types). */
export type ZoneType =
  | 'public'
  | 'clinical'
  | 'icu'
  | 'maternity'
  | 'nicu'
  | 'pharmacy'
  | 'pharmacy_vault'
  | 'or'
  | 'mri_zone_1'
  | 'mri_zone_2'
  | 'mri_zone_3'
  | 'mri_zone_4'
  | 'data_centre'
  | 'behavioural_health'
  | 'ed';

export type WiegandFormatId = 'H10301' | 'H10306' | 'H10304' | 'C1000-35' | 'C1000-48';

export interface SiteModel {
  key: string;
  name: string;
  timeZone: string; // IANA
  holidays: { date: string; name: string }[]; // date: YYYY-MM-DD in the site's zone
}

export interface BuildingModel {
  key: string;
  name: string;
}

export interface FloorModel {
  key: string;
  building: string; // BuildingModel.key
  name: string;
  level: number;
  /** Sanitiser-clean SVG (no scripts, no external references), viewBox in plan units. */
  planSvg: string;
  width: number;
  height: number;
}

export interface ZoneModel {
  key: string;
  floor: string; // FloorModel.key
  name: string;
  type: ZoneType;
  /** Rectangle on the floor plan, in plan units. */
  area: { x: number; y: number; width: number; height: number };
}

export interface DoorModel {
  key: string;
  floor: string;
  name: string;
  /** Zone entered through the entry reader; `from` is the side the exit reader/REX is on (null: outside). */
  into: string; // ZoneModel.key
  from: string | null;
  position: { x: number; y: number };
  hasExitReader: boolean;
  hasRequestToExit: boolean;
  egress: boolean; // on an exit route: freed by fire egress
  stairwell: boolean;
  perimeter: boolean; // building perimeter (lockdown, Code Pink)
  failSafe: boolean;
  unlockSeconds: number;
  heldOpenSeconds: number;
}

export interface DepartmentModel {
  key: string;
  name: string;
}

export interface JobRoleModel {
  key: string;
  name: string;
}

export interface ScheduleModel {
  key: string;
  name: string;
  /** Weekly intervals in the site's time zone; days 0 = Sunday … 6 = Saturday; times HH:MM. */
  intervals: { days: number[]; start: string; end: string }[];
  /** Whether the site's holidays suspend this schedule. */
  observesHolidays: boolean;
}

export interface AccessGroupModel {
  key: string;
  name: string;
  schedule: string; // ScheduleModel.key
  doors: string[]; // DoorModel.key
}

export interface CardModel {
  format: WiegandFormatId;
  facilityCode: number;
  cardNumber: number;
}

export interface PersonModel {
  key: string;
  kind: 'staff' | 'contractor' | 'visitor' | 'patient' | 'infant';
  givenName: string;
  familyName: string;
  employeeId: string | null;
  department: string | null; // DepartmentModel.key
  jobRoles: string[]; // JobRoleModel.key
  accessGroups: string[]; // AccessGroupModel.key
  training: { competency: string; expiresOn: string }[]; // competency as GET /api/people/competencies names it
  cards: CardModel[];
  /** Where this person usually works; people flows walk them there and back. */
  homeZone: string | null; // ZoneModel.key
  shift: 'day' | 'night' | 'office' | null; // day 07–19, night 19–07, office 08–17 weekdays
}

export interface HospitalModel {
  preset: PresetName;
  seed: number;
  site: SiteModel;
  buildings: BuildingModel[];
  floors: FloorModel[];
  zones: ZoneModel[];
  doors: DoorModel[];
  departments: DepartmentModel[];
  jobRoles: JobRoleModel[];
  schedules: ScheduleModel[];
  accessGroups: AccessGroupModel[];
  persons: PersonModel[];
}

/** What provisioning returns: the model plus the id Vigil gave every keyed thing. */
export interface ProvisionedHospital {
  model: HospitalModel;
  baseUrl: string;
  /** The `vgl_` API token provisioning ran with (a token cannot issue tokens, so it is the caller's own). */
  apiToken: string;
  siteId: string;
  ids: {
    buildings: Record<string, string>;
    floors: Record<string, string>;
    zones: Record<string, string>;
    doors: Record<string, string>;
    departments: Record<string, string>;
    jobRoles: Record<string, string>;
    schedules: Record<string, string>;
    accessGroups: Record<string, string>;
    persons: Record<string, string>;
  };
}

/**
 * Access groups as a hospital's security team sets them up: one per department and building for
 * the department's own areas, and groups by role for what only some may enter (the pharmacy vault,
 * MRI zones III and IV, the data centre), plus groups for security, facilities, environmental
 * services, contractors, vendors and visitors, each on the schedule that group works.
 */
import type { AccessGroupModel, DoorModel, ZoneModel, ZoneType } from '../model.js';
import type { ScheduleKey } from './calendar.js';
import type { Facility, ZoneInfo } from './facility.js';
import { DEPARTMENTS, SITE_WIDE_SHARE, type DepartmentKey } from './workforce-catalogue.js';

/** Zone types no department group opens: only the role groups below do. */
const ROLE_ONLY_TYPES: ReadonlySet<ZoneType> = new Set(['pharmacy_vault', 'mri_zone_3', 'mri_zone_4', 'data_centre']);

/** Departments whose staff work office hours, so their group does too. */
const OFFICE_DEPARTMENTS: ReadonlySet<DepartmentKey> = new Set(['administration', 'outpatient', 'research', 'it']);

export const ROLE_GROUPS = {
  allStaff: 'all-staff',
  pharmacyVault: 'pharmacy-vault',
  mriRestricted: 'mri-restricted',
  dataCentre: 'data-centre',
  security: 'security-all-doors',
  facilities: 'facilities',
  evsDay: 'evs-day',
  evsNight: 'evs-night',
  contractors: 'contractors',
  vendors: 'vendor-deliveries',
  visitors: 'visitors',
} as const;

export interface AccessPlan {
  readonly groups: AccessGroupModel[];
  /** The department group for a department in a building, or null when it opens no door. */
  departmentGroup(department: DepartmentKey, building: string): string | null;
  /** Buildings that have a group for the department. */
  buildingsWith(department: DepartmentKey): string[];
  /** Whether the hospital has this group (a clinic has no loading dock, so no vendor group). */
  has(group: string): boolean;
}

export function planAccessGroups(facility: Facility, buildingNames: ReadonlyMap<string, string>): AccessPlan {
  const zoneOf = new Map<string, ZoneModel>(facility.zones.map((z) => [z.key, z]));
  const info = (zone: string): ZoneInfo => facility.zoneInfo.get(zone)!;
  const type = (zone: string): ZoneType => zoneOf.get(zone)!.type;
  const doorsWhere = (test: (door: DoorModel, into: ZoneInfo, type: ZoneType) => boolean) =>
    facility.doors.filter((d) => test(d, info(d.into), type(d.into))).map((d) => d.key);

  const groups: AccessGroupModel[] = [];
  const add = (key: string, name: string, schedule: ScheduleKey, doors: string[]) => {
    if (doors.length > 0) groups.push({ key, name, schedule, doors });
  };

  // One pass over the doors, keyed by the department and building of the zone each door leads into.
  const departmentDoors = new Map<string, string[]>();
  for (const door of facility.doors) {
    const into = info(door.into);
    if (into.department === null || ROLE_ONLY_TYPES.has(type(door.into))) continue;
    const key = `${into.department}:${into.building}`;
    const list = departmentDoors.get(key);
    if (list) list.push(door.key);
    else departmentDoors.set(key, [door.key]);
  }
  const byDepartment = new Map<string, string>();
  for (const department of Object.keys(DEPARTMENTS) as DepartmentKey[]) {
    if (SITE_WIDE_SHARE[department] !== undefined) continue;
    for (const [building, buildingName] of buildingNames) {
      const doors = departmentDoors.get(`${department}:${building}`);
      if (!doors) continue;
      const key = `dept-${department}-${building}`;
      add(
        key,
        buildingNames.size > 1 ? `${DEPARTMENTS[department]} – ${buildingName}` : DEPARTMENTS[department],
        OFFICE_DEPARTMENTS.has(department) ? 'business_hours' : 'always',
        doors,
      );
      byDepartment.set(`${department}:${building}`, key);
    }
  }

  const corridorDoors = doorsWhere((_d, into) => into.unit === 'corridor');
  const unitDoors = (...units: ZoneInfo['unit'][]) => doorsWhere((_d, into) => units.includes(into.unit));
  const cleaned = [...corridorDoors, ...unitDoors('ward', 'clinic', 'offices', 'imaging')];
  // Re-entry from the stairwells and the entrances open for every member of staff.
  add(ROLE_GROUPS.allStaff, 'All Staff – Entrances and Stairwells', 'always', corridorDoors);
  add(
    ROLE_GROUPS.pharmacyVault,
    'Pharmacy Vault – Pharmacists',
    'always',
    doorsWhere((_d, _i, t) => t === 'pharmacy_vault'),
  );
  add(
    ROLE_GROUPS.mriRestricted,
    'MRI Zones III and IV – MR Personnel',
    'always',
    doorsWhere((_d, _i, t) => t === 'mri_zone_3' || t === 'mri_zone_4'),
  );
  add(
    ROLE_GROUPS.dataCentre,
    'Data Centre – Infrastructure',
    'always',
    doorsWhere((_d, _i, t) => t === 'data_centre'),
  );
  add(
    ROLE_GROUPS.security,
    'Security – All Doors',
    'always',
    facility.doors.map((d) => d.key),
  );
  add(ROLE_GROUPS.facilities, 'Facilities – Plant, Docks and Stairwells', 'always', [
    ...corridorDoors,
    ...unitDoors('plant', 'dock', 'stair'),
  ]);
  add(ROLE_GROUPS.evsDay, 'Environmental Services – Day', 'day_shift', cleaned);
  add(ROLE_GROUPS.evsNight, 'Environmental Services – Night', 'night_shift', cleaned);
  add(ROLE_GROUPS.contractors, 'Contractors – Plant Areas', 'contractor_hours', [...corridorDoors, ...unitDoors('plant', 'dock')]);
  add(ROLE_GROUPS.vendors, 'Vendors – Deliveries', 'deliveries', unitDoors('dock'));
  const visitorDoors = doorsWhere(
    (d, into) =>
      (into.unit === 'corridor' && d.name.endsWith('Main Entrance')) ||
      (into.unit === 'ward' && d.from !== null && info(d.from).unit === 'corridor'),
  );
  add(ROLE_GROUPS.visitors, 'Visitors – Visiting Hours', 'visiting_hours', visitorDoors);

  const present = new Set(groups.map((g) => g.key));
  return {
    groups,
    departmentGroup: (department, building) => byDepartment.get(`${department}:${building}`) ?? null,
    buildingsWith: (department) => [...buildingNames.keys()].filter((b) => byDepartment.has(`${department}:${b}`)),
    has: (group) => present.has(group),
  };
}

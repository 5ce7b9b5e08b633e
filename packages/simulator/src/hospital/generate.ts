/**
 * `generateHospital({ preset, seed })`: the whole hospital as data, the same for the same preset
 * and seed. Nothing here reads the clock or `Math.random`; every draw comes from the seeded
 * generator, one stream per concern.
 */
import type { DepartmentModel, HospitalModel, JobRoleModel, PresetName, ScheduleModel } from '../model.js';
import { planAccessGroups } from './access.js';
import { SCHEDULES, usHolidays } from './calendar.js';
import { CardIssuer } from './cards.js';
import { generateFacility } from './facility.js';
import { HOSPITAL_KINDS, PLACE_ENDS, PLACE_STARTS, TIME_ZONES } from './names.js';
import { generatePeople } from './people.js';
import { assertPreset, assertSeed } from './presets.js';
import { Random } from './random.js';
import { DEPARTMENTS, JOB_ROLES, type DepartmentKey, type JobRoleKey } from './workforce-catalogue.js';

export interface HospitalRequest {
  readonly preset: PresetName;
  readonly seed: number;
}

/**
 * Throws `simulator.unknown_preset` or `simulator.invalid_seed` (a whole number 0…2³²−1) for
 * input that makes no sense; input typed loosely (from a command line) is checked the same way.
 */
export function generateHospital(request: HospitalRequest): HospitalModel {
  const preset = assertPreset((request as { preset: unknown }).preset);
  const seed = assertSeed((request as { seed: unknown }).seed);
  const random = Random.seeded(seed);

  const naming = random.fork('site');
  const place = `${naming.pick(PLACE_STARTS)}${naming.pick(PLACE_ENDS)}`;
  const siteName = `${place} ${naming.pick(HOSPITAL_KINDS[preset])}`;
  const site = {
    key: `${preset}-${seed}`,
    name: siteName,
    timeZone: naming.pick(TIME_ZONES),
    holidays: usHolidays(),
  };

  const facility = generateFacility(preset, random.fork('facility'));
  const access = planAccessGroups(facility, new Map(facility.buildings.map((b) => [b.key, b.name])));
  const cards = new CardIssuer(random.fork('cards'));
  // Employee numbers carry the hospital's initials, so two hospitals in one Vigil rarely collide.
  const initials = siteName
    .split(' ')
    .map((word) => word.charAt(0))
    .join('')
    .toUpperCase();
  const persons = generatePeople(preset, facility, access, cards, random.fork('people'), initials);

  const usedSchedules = new Set(access.groups.map((g) => g.schedule));
  const schedules: ScheduleModel[] = Object.values(SCHEDULES).filter((s) => usedSchedules.has(s.key));
  const usedDepartments = new Set(persons.flatMap((p) => (p.department ? [p.department] : [])));
  const usedRoles = new Set(persons.flatMap((p) => p.jobRoles));
  const departments: DepartmentModel[] = (Object.keys(DEPARTMENTS) as DepartmentKey[])
    .filter((key) => usedDepartments.has(key))
    .map((key) => ({ key, name: DEPARTMENTS[key] }));
  const jobRoles: JobRoleModel[] = (Object.keys(JOB_ROLES) as JobRoleKey[])
    .filter((key) => usedRoles.has(key))
    .map((key) => ({ key, name: JOB_ROLES[key].name }));

  return {
    preset,
    seed,
    site,
    buildings: facility.buildings,
    floors: facility.floors,
    zones: facility.zones,
    doors: facility.doors,
    departments,
    jobRoles,
    schedules,
    accessGroups: access.groups,
    persons,
  };
}

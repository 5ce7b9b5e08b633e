/**
 * The people of the hospital: staff hired into the units in proportion to what each unit needs,
 * the site-wide teams (security, facilities, environmental services), contractors and vendors,
 * badged visitors, and the patients and infants that tags follow. Each gets a role, a shift, a
 * place of work, access groups, training records and badges as their role calls for.
 */
import type { PersonModel, PresetName } from '../model.js';
import { ROLE_GROUPS, type AccessPlan } from './access.js';
import type { CardIssuer } from './cards.js';
import type { Facility, StaffSlot } from './facility.js';
import { FAMILY_NAMES, GIVEN_NAMES } from './names.js';
import { PRESETS } from './presets.js';
import type { Random } from './random.js';
import {
  INFANT_SECURITY_DEPARTMENTS,
  JOB_ROLES,
  ROLE_MIX,
  SITE_WIDE_SHARE,
  type Competency,
  type DepartmentKey,
  type JobRoleKey,
} from './workforce-catalogue.js';

/** Training dates count from this day, not from the clock, so a seed always gives the same records. */
export const TRAINING_EPOCH = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
/** Share of training records already expired: the badges that a competency gate should refuse. */
const EXPIRED_TRAINING = 0.04;
/** Share of staff carrying a second badge, in the legacy format, during the card migration. */
const SECOND_CARD = 0.06;
/** Share of ward nurses who float to a second building. */
const FLOAT_NURSES = 0.15;

interface Context {
  readonly random: Random;
  readonly cards: CardIssuer;
  readonly access: AccessPlan;
  readonly facility: Facility;
  readonly workplaces: (unit: string) => StaffSlot[];
  readonly employeePrefix: string;
  nextEmployee: number;
}

export function generatePeople(
  preset: PresetName,
  facility: Facility,
  access: AccessPlan,
  cards: CardIssuer,
  random: Random,
  employeePrefix: string,
): PersonModel[] {
  const ctx: Context = {
    random,
    cards,
    access,
    facility,
    workplaces: workplacesOf(facility),
    employeePrefix,
    nextEmployee: random.int(100_000, 800_000),
  };
  const target = PRESETS[preset].staff;
  const persons: PersonModel[] = [];
  const staff = (slot: StaffSlot, department: DepartmentKey) => persons.push(hire(ctx, persons.length + 1, slot, department));

  const siteWide = Object.entries(SITE_WIDE_SHARE) as [DepartmentKey, number][];
  const unitStaff = target - siteWide.reduce((n, [, share]) => n + Math.round(share * target), 0);
  const slots = facility.staffSlots.filter((s) => s.weight > 0);
  for (const [slot, count] of apportion(slots, unitStaff)) for (let i = 0; i < count; i++) staff(slot, slot.department);
  for (const [department, share] of siteWide) {
    const homes = siteWideHomes(ctx, department);
    for (let i = 0; i < Math.round(share * target); i++) staff(random.pick(homes), department);
  }

  const others = (kind: PersonModel['kind'], count: number, make: (key: string) => PersonModel) => {
    for (let i = 1; i <= count; i++) persons.push(make(`${kind}-${i}`));
  };
  others('contractor', Math.max(3, Math.round(target * 0.02)), (key) => contractor(ctx, key));
  others('visitor', Math.max(5, Math.round(target * 0.03)), (key) => visitor(ctx, key));
  const dependants = [
    ['patient', ctx.workplaces('behavioural'), 6, 14],
    ['infant', ctx.workplaces('maternity'), 4, 10],
  ] as const;
  for (const [kind, homes, min, max] of dependants) {
    let n = 0;
    for (const home of homes) {
      const count = random.int(min, max);
      for (let i = 0; i < count; i++) persons.push(dependant(ctx, `${kind}-${++n}`, kind, home.zone));
    }
  }
  return persons;
}

/** Splits `total` over the slots by weight, rounding so the parts add up exactly (largest remainder). */
function apportion(slots: readonly StaffSlot[], total: number): [StaffSlot, number][] {
  const weight = slots.reduce((n, s) => n + s.weight, 0);
  const parts = slots.map((slot) => ({ slot, exact: (slot.weight * total) / weight }));
  const counts = parts.map((p) => Math.floor(p.exact));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = parts.map((p, i) => ({ i, rest: p.exact - counts[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return parts.map((p, i) => [p.slot, counts[i]!]);
}

/** The zones where each kind of unit's staff work (a ward itself, not its medication room). */
function workplacesOf(facility: Facility): (unit: string) => StaffSlot[] {
  const byUnit = new Map<string, StaffSlot[]>();
  for (const slot of facility.staffSlots) {
    const unit = facility.zoneInfo.get(slot.zone)!.unit;
    const list = byUnit.get(unit);
    if (list) list.push(slot);
    else byUnit.set(unit, [slot]);
  }
  return (unit) => byUnit.get(unit) ?? [];
}

/** Where the site-wide teams are based: security in its office, facilities in the plant, cleaners on the wards. */
function siteWideHomes(ctx: Context, department: DepartmentKey): StaffSlot[] {
  const { facility } = ctx;
  const homes = ctx.workplaces(department === 'security' ? 'security' : department === 'facilities' ? 'plant' : 'ward');
  if (homes.length > 0) return homes.map((slot) => ({ ...slot, department }));
  // A clinic has no plant room: its facilities staff work from the ground-floor lobby.
  const lobby = facility.zones.find((z) => facility.zoneInfo.get(z.key)!.unit === 'corridor')!;
  return [{ zone: lobby.key, building: facility.zoneInfo.get(lobby.key)!.building, department, weight: 1 }];
}

function name(random: Random): { givenName: string; familyName: string } {
  return { givenName: random.pick(GIVEN_NAMES), familyName: random.pick(FAMILY_NAMES) };
}

function hire(ctx: Context, n: number, slot: StaffSlot, department: DepartmentKey): PersonModel {
  const { random, access } = ctx;
  const role = random.weighted(ROLE_MIX[department], ([, weight]) => weight)[0];
  const definition = JOB_ROLES[role];
  let home: StaffSlot = slot;
  if (role === 'it_support_analyst') {
    // Desk staff of IT sit in the office buildings, not in the data centre.
    const offices = ctx.workplaces('offices');
    if (offices.length > 0) home = random.pick(offices);
  }
  const shift: PersonModel['shift'] =
    definition.shift === 'office' ? 'office' : definition.shift === 'day' || random.chance(0.55) ? 'day' : 'night';
  const groups = new Set<string>([ROLE_GROUPS.allStaff]);
  const own = access.departmentGroup(home.department, home.building);
  if (own) groups.add(own);
  for (const group of roleGroups(role, shift)) if (access.has(group)) groups.add(group);
  if (role === 'registered_nurse' && department === 'nursing' && random.chance(FLOAT_NURSES)) {
    const elsewhere = access.buildingsWith('nursing').filter((b) => b !== home.building);
    if (elsewhere.length > 0) groups.add(access.departmentGroup('nursing', random.pick(elsewhere))!);
  }
  const competencies = new Set<Competency>(definition.competencies);
  if (INFANT_SECURITY_DEPARTMENTS.has(department)) competencies.add('infant_security');
  const cards = [ctx.cards.issue(random.chance(0.6) ? ctx.cards.current : ctx.cards.legacy)];
  if (random.chance(SECOND_CARD))
    cards.push(ctx.cards.issue(cards[0]!.format === ctx.cards.current ? ctx.cards.legacy : ctx.cards.current));
  return {
    key: `staff-${n}`,
    kind: 'staff',
    ...name(random),
    employeeId: `${ctx.employeePrefix}${ctx.nextEmployee++}`,
    department,
    jobRoles: [role],
    accessGroups: [...groups],
    training: [...competencies].map((competency) => ({ competency, expiresOn: trainingExpiry(random) })),
    cards,
    homeZone: home.zone,
    shift,
  };
}

/** Groups a role adds to its department's: what only that role may enter, or a site-wide team's doors. */
const ROLE_ACCESS: Readonly<Partial<Record<JobRoleKey, string>>> = {
  pharmacist: ROLE_GROUPS.pharmacyVault,
  mri_technologist: ROLE_GROUPS.mriRestricted,
  radiologist: ROLE_GROUPS.mriRestricted,
  infrastructure_engineer: ROLE_GROUPS.dataCentre,
  security_officer: ROLE_GROUPS.security,
  security_supervisor: ROLE_GROUPS.security,
  facilities_technician: ROLE_GROUPS.facilities,
  facilities_manager: ROLE_GROUPS.facilities,
};

function roleGroups(role: JobRoleKey, shift: PersonModel['shift']): string[] {
  // Cleaners' doors open on their own shift's schedule.
  if (role === 'evs_aide' || role === 'evs_supervisor') return [shift === 'night' ? ROLE_GROUPS.evsNight : ROLE_GROUPS.evsDay];
  const group = ROLE_ACCESS[role];
  return group ? [group] : [];
}

function trainingExpiry(random: Random): string {
  const days = random.chance(EXPIRED_TRAINING) ? -random.int(30, 365) : random.int(400, 1460);
  return new Date(TRAINING_EPOCH + days * DAY_MS).toISOString().slice(0, 10);
}

function contractor(ctx: Context, key: string): PersonModel {
  const { random, access } = ctx;
  const vendor = random.chance(0.3) && access.has(ROLE_GROUPS.vendors);
  const sites = [...ctx.workplaces('plant'), ...ctx.workplaces('dock')];
  return {
    key,
    kind: 'contractor',
    ...name(random),
    employeeId: `${ctx.employeePrefix}-C${ctx.nextEmployee++}`,
    department: null,
    jobRoles: [],
    accessGroups: [vendor ? ROLE_GROUPS.vendors : ROLE_GROUPS.contractors].filter((g) => access.has(g)),
    training: vendor ? [] : [{ competency: 'fire_safety', expiresOn: trainingExpiry(random) }],
    cards: [ctx.cards.issue('H10301')],
    homeZone: sites.length > 0 ? random.pick(sites).zone : null,
    shift: 'office',
  };
}

function visitor(ctx: Context, key: string): PersonModel {
  const { random } = ctx;
  const wards = ctx.workplaces('ward');
  return {
    key,
    kind: 'visitor',
    ...name(random),
    employeeId: null,
    department: null,
    jobRoles: [],
    accessGroups: [ROLE_GROUPS.visitors].filter((g) => ctx.access.has(g)),
    training: [],
    cards: [ctx.cards.issue('H10301')],
    homeZone: wards.length > 0 ? random.pick(wards).zone : null,
    shift: null,
  };
}

/** Patients of the behavioural health units and infants on maternity: tagged, never badged. */
function dependant(ctx: Context, key: string, kind: 'patient' | 'infant', zone: string): PersonModel {
  const { familyName, givenName } = name(ctx.random);
  return {
    key,
    kind,
    givenName: kind === 'infant' ? (ctx.random.chance(0.5) ? 'Baby Girl' : 'Baby Boy') : givenName,
    familyName,
    employeeId: null,
    department: null,
    jobRoles: [],
    accessGroups: [],
    training: [],
    cards: [],
    homeZone: zone,
    shift: null,
  };
}

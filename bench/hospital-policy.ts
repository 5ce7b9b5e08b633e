/**
 * The access policy of generated hospitals (packages/simulator), one site each, as the server's
 * policy source would hand it to the compiler: zone security levels from the zone-type catalogue,
 * competency gates and the two-person rule by zone type. On top of that, the rules a security team
 * switches on in particular places, each where a hospital would use it: hard anti-passback on the
 * data centres, soft on the operating suites, an occupancy limit on the MRI magnet rooms, an
 * interlock on each behavioural health sally port, card-and-PIN at the vaults and data centres,
 * main entrances unlocked in visiting hours, clinics opened by the first person in. Some staff are
 * suspended or terminated and some badges lost, stolen or revoked, as in any live directory.
 */
import type {
  AccessGroupInput,
  AccessPolicyInput,
  CredentialInput,
  DoorInput,
  PersonInput,
  PersonPrivilege,
  ScheduleInput,
  SiteInput,
  ZoneInput,
} from '@vigil/core';
import { ZONE_TYPES } from '../packages/server/src/modules/facility/index.js';
import type { HospitalModel, PersonModel } from '../packages/simulator/src/index.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** As the server's policy source gates zones (packages/server/src/modules/access/policy-source.ts). */
const COMPETENCIES_BY_ZONE_TYPE: Readonly<Record<string, readonly string[]>> = {
  mri_zone_3: ['mri_safety'],
  mri_zone_4: ['mri_safety'],
  pharmacy: ['controlled_substances'],
  pharmacy_vault: ['controlled_substances'],
  maternity: ['infant_security'],
  nicu: ['infant_security'],
};

/** The server's default: only critical zones (level 5: vaults, MRI magnet rooms) ask for a second factor. */
export const SECOND_FACTOR_LEVEL = 5;

/** Which share of persons and badges are in each state; `index` spreads them evenly. */
const personStatus = (index: number): PersonInput['status'] =>
  index % 100 === 7 ? 'suspended' : index % 100 === 8 ? 'terminated' : 'active';
const CARD_STATES = ['suspended', 'lost', 'stolen', 'revoked'] as const;
const cardStatus = (index: number): CredentialInput['status'] => CARD_STATES[(index % 100) - 1] ?? 'active';

function privilegesOf(person: PersonModel): PersonPrivilege[] {
  if (person.jobRoles.some((r) => r.startsWith('security_'))) return ['escort', 'lockdown_override'];
  if (person.jobRoles.includes('nurse_manager')) return ['first_person_in', 'escort'];
  return [];
}

/** `pinHash(n)`: a stored PIN hash for the n-th person, given to a fifth of the staff. */
export function hospitalPolicy(models: readonly HospitalModel[], pinHash: (n: number) => string): AccessPolicyInput {
  const sites: SiteInput[] = [];
  const schedules: ScheduleInput[] = [];
  const zones: ZoneInput[] = [];
  const doors: DoorInput[] = [];
  const accessGroups: AccessGroupInput[] = [];
  const persons: PersonInput[] = [];
  const credentials: CredentialInput[] = [];
  let personIndex = 0;
  let cardIndex = 0;
  for (const m of models) {
    const site = m.site.key;
    const id = (key: string) => `${site}:${key}`;
    sites.push({
      id: site,
      timeZone: m.site.timeZone,
      holidays: m.site.holidays.map((h) => ({ date: h.date, type: 'public', name: h.name })),
    });
    schedules.push(
      ...m.schedules.map((s): ScheduleInput => ({
        id: id(s.key),
        intervals: s.intervals.map((i) => ({ days: i.days.map((d) => WEEKDAYS[d]!), start: i.start, end: i.end })),
        ...(s.observesHolidays ? { holidays: { public: 'exclude' as const } } : {}),
      })),
    );
    const zoneType = new Map(m.zones.map((z) => [z.key, z.type]));
    const hasSchedule = new Set(m.schedules.map((s) => s.key));
    zones.push(
      ...m.zones.map((z): ZoneInput => {
        const competencies = COMPETENCIES_BY_ZONE_TYPE[z.type];
        return {
          id: id(z.key),
          siteId: site,
          securityLevel: ZONE_TYPES[z.type].defaultSecurityLevel,
          ...(competencies ? { requiredCompetencies: competencies } : {}),
          ...(z.type === 'pharmacy_vault' ? { twoPersonRule: true } : {}),
          ...(z.type === 'data_centre' ? { antiPassback: { mode: 'hard' as const, forgiveAfterMinutes: 120 } } : {}),
          ...(z.type === 'or' ? { antiPassback: { mode: 'soft' as const } } : {}),
          ...(z.type === 'mri_zone_4' ? { occupancyLimit: 4 } : {}),
        };
      }),
    );
    doors.push(
      ...m.doors.map((d): DoorInput => {
        const into = zoneType.get(d.into)!;
        const sallyPort = into === 'behavioural_health' ? /^(.*) (Outer|Inner) Door$/.exec(d.name) : null;
        const mode: DoorInput['mode'] =
          into === 'pharmacy_vault' || into === 'data_centre'
            ? 'card_and_pin'
            : d.perimeter && d.name.endsWith('Main Entrance') && hasSchedule.has('visiting_hours')
              ? 'scheduled'
              : / Clinic Entrance$/.test(d.name) && hasSchedule.has('business_hours')
                ? 'first_person_in'
                : 'card_only';
        return {
          id: id(d.key),
          siteId: site,
          fromZoneId: d.from === null ? null : id(d.from),
          toZoneId: id(d.into),
          mode,
          scheduleId: mode === 'scheduled' ? id('visiting_hours') : mode === 'first_person_in' ? id('business_hours') : null,
          interlockGroup: sallyPort ? id(sallyPort[1]!) : null,
          releaseSeconds: d.unlockSeconds,
        };
      }),
    );
    for (const g of m.accessGroups) {
      accessGroups.push({ id: id(g.key), doors: g.doors.map((d) => ({ doorId: id(d), scheduleId: id(g.schedule) })) });
    }
    for (const p of m.persons) {
      const n = personIndex++;
      persons.push({
        id: id(p.key),
        kind: p.kind === 'infant' ? 'other' : p.kind,
        status: personStatus(n),
        accessGroupIds: p.accessGroups.map(id),
        privileges: privilegesOf(p),
        escortRequired: p.kind === 'visitor',
        competencies: p.training.map((t) => ({ type: t.competency, validUntil: `${t.expiresOn}T00:00:00Z` })),
        pin: p.kind === 'staff' && n % 5 === 0 ? { id: `${id(p.key)}:pin`, hash: pinHash(n) } : null,
      });
      p.cards.forEach((card, c) =>
        credentials.push({ id: `${id(p.key)}:card${c}`, personId: id(p.key), card, status: cardStatus(cardIndex++) }),
      );
    }
  }
  return {
    version: 1,
    sites,
    zones,
    doors,
    persons,
    credentials,
    accessGroups,
    schedules,
    options: { secondFactorLevel: SECOND_FACTOR_LEVEL },
  };
}

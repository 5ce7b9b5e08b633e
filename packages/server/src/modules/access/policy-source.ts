/**
 * Reads one site's access policy as the decision engine's compile input. This is the access
 * module's read model over the facility module (sites, zones, doors) and the people module
 * (persons, card credentials, training) next to its own tables; it only reads theirs, in one
 * place, because a snapshot of 100k persons cannot be assembled through paged service calls.
 *
 * Mapping decisions:
 * - a door without a configured mode runs `card_only`; its strike time is the door's unlock time;
 * - zone security levels are the facility's 1..5; a second factor is required from
 *   `secondFactorLevel` (default 5, critical) up;
 * - competency gates and the two-person rule follow the zone type (MRI III/IV: MRI safety,
 *   pharmacy and vault: controlled substances, maternity and NICU: infant security, vault: two persons);
 * - the persons of a site are those who belong to it or hold one of its access groups, with
 *   their card credentials and their active PIN: its scrypt hash exactly as the people module
 *   stored it (the clear PIN is never kept), which the door controller checks a typed PIN against.
 */
import type {
  AccessGroupInput,
  AccessPolicyInput,
  CredentialInput,
  DoorInput,
  DoorMode,
  HolidayTreatment,
  PersonInput,
  PinInput,
  PersonPrivilege,
  ScheduleInput,
  WiegandFormatId,
  ZoneInput,
} from '@vigil/core';
import type { Executor } from './context.js';

export interface PolicySourceOptions {
  /** Facility security level from which zones require a second factor. */
  readonly secondFactorLevel: number;
}

const COMPETENCIES_BY_ZONE_TYPE: Readonly<Record<string, readonly string[]>> = {
  mri_zone_3: ['mri_safety'],
  mri_zone_4: ['mri_safety'],
  pharmacy: ['controlled_substances'],
  pharmacy_vault: ['controlled_substances'],
  maternity: ['infant_security'],
  nicu: ['infant_security'],
};
const TWO_PERSON_ZONE_TYPES = new Set(['pharmacy_vault']);
const PERSON_KINDS: Readonly<Record<string, PersonInput['kind']>> = {
  staff: 'staff',
  contractor: 'contractor',
  visitor: 'visitor',
  patient: 'patient',
};

export type SitePolicy = Omit<AccessPolicyInput, 'version'>;

/** The site's policy, or null when the site does not exist. Lists are in id order, so equal policies serialise equally. */
export async function readSitePolicy(db: Executor, siteId: string, options: PolicySourceOptions): Promise<SitePolicy | null> {
  const site = await db.selectFrom('sites').select(['id', 'time_zone']).where('id', '=', siteId).executeTakeFirst();
  if (!site) return null;
  const holidays = await db
    .selectFrom('access_holidays')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('date')
    .orderBy('type')
    .execute();
  const zones = await db.selectFrom('zones').select(['id', 'type', 'security_level']).where('site_id', '=', siteId).orderBy('id').execute();
  const doors = await db
    .selectFrom('doors')
    .leftJoin('access_door_modes', 'access_door_modes.door_id', 'doors.id')
    .select([
      'doors.id',
      'doors.from_zone_id',
      'doors.to_zone_id',
      'doors.unlock_seconds',
      'access_door_modes.mode',
      'access_door_modes.schedule_id',
    ])
    .where('doors.site_id', '=', siteId)
    .orderBy('doors.id')
    .execute();
  const schedules = await db.selectFrom('access_schedules').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
  const groups = await db.selectFrom('access_groups').select('id').where('site_id', '=', siteId).orderBy('id').execute();
  const grants = await db
    .selectFrom('access_group_doors')
    .innerJoin('access_groups', 'access_groups.id', 'access_group_doors.group_id')
    .select(['access_group_doors.group_id', 'access_group_doors.door_id', 'access_group_doors.schedule_id'])
    .where('access_groups.site_id', '=', siteId)
    .orderBy('access_group_doors.group_id')
    .orderBy('access_group_doors.door_id')
    .execute();

  const siteGroupIds = db.selectFrom('access_groups').select('id').where('site_id', '=', siteId);
  const personIds = db
    .selectFrom('access_group_members')
    .select('person_id')
    .where('group_id', 'in', siteGroupIds)
    .union(db.selectFrom('person_sites').select('person_id').where('site_id', '=', siteId));
  const persons = await db.selectFrom('persons').selectAll().where('id', 'in', personIds).orderBy('id').execute();
  const cards = await db
    .selectFrom('person_credentials')
    .selectAll()
    .where('type', '=', 'card')
    .where('person_id', 'in', personIds)
    .orderBy('id')
    .execute();
  const pins = await db
    .selectFrom('person_credentials')
    .select(['id', 'person_id', 'pin_hash', 'valid_from', 'valid_until'])
    .where('type', '=', 'pin')
    .where('status', '=', 'active')
    .where('pin_hash', 'is not', null)
    .$narrowType<{ pin_hash: string }>()
    .where('person_id', 'in', personIds)
    .orderBy('person_id')
    .orderBy('id')
    .execute();
  const members = await db
    .selectFrom('access_group_members')
    .select(['person_id', 'group_id'])
    .where('group_id', 'in', siteGroupIds)
    .orderBy('person_id')
    .orderBy('group_id')
    .execute();
  const privileges = await db
    .selectFrom('access_person_privileges')
    .selectAll()
    .where('person_id', 'in', personIds)
    .orderBy('person_id')
    .orderBy('privilege')
    .execute();
  const training = await db
    .selectFrom('training_records')
    .select(['person_id', 'competency', 'completed_at', 'expires_at'])
    .where('person_id', 'in', personIds)
    .orderBy('person_id')
    .orderBy('id')
    .execute();

  const groupsOf = groupBy(
    members,
    (m) => m.person_id,
    (m) => m.group_id,
  );
  const privilegesOf = groupBy(
    privileges,
    (p) => p.person_id,
    (p) => p.privilege,
  );
  const trainingOf = groupBy(
    training,
    (t) => t.person_id,
    (t) => ({ type: t.competency, validFrom: t.completed_at, validUntil: t.expires_at }),
  );
  // Issuing a PIN revokes the previous one; should two be active all the same, the newest (ids are
  // time-ordered UUIDv7) is the one that counts.
  const pinOf = new Map<string, PinInput>();
  for (const pin of pins) {
    pinOf.set(pin.person_id, { id: pin.id, hash: pin.pin_hash, validFrom: pin.valid_from, validUntil: pin.valid_until });
  }
  // A door removed from the facility may still be named by a group until the group is edited.
  const doorIds = new Set(doors.map((d) => d.id));
  const doorsOf = groupBy(
    grants.filter((g) => doorIds.has(g.door_id)),
    (g) => g.group_id,
    (g) => ({ doorId: g.door_id, scheduleId: g.schedule_id }),
  );

  return {
    sites: [
      {
        id: site.id,
        timeZone: site.time_zone,
        holidays: holidays.map((h) => ({ date: h.date, type: h.type, name: h.name })),
      },
    ],
    zones: zones.map((zone): ZoneInput => {
      const competencies = COMPETENCIES_BY_ZONE_TYPE[zone.type];
      return {
        id: zone.id,
        siteId,
        securityLevel: zone.security_level,
        ...(competencies ? { requiredCompetencies: competencies } : {}),
        ...(TWO_PERSON_ZONE_TYPES.has(zone.type) ? { twoPersonRule: true } : {}),
      };
    }),
    doors: doors.map((door): DoorInput => ({
      id: door.id,
      siteId,
      fromZoneId: door.from_zone_id,
      toZoneId: door.to_zone_id,
      mode: (door.mode ?? 'card_only') as DoorMode,
      scheduleId: door.schedule_id ?? null,
      releaseSeconds: door.unlock_seconds,
    })),
    persons: persons.map((person): PersonInput => {
      const held = privilegesOf.get(person.id) ?? [];
      return {
        id: person.id,
        kind: PERSON_KINDS[person.kind] ?? 'other',
        status: person.status as PersonInput['status'],
        validFrom: person.valid_from,
        validUntil: person.valid_until,
        accessGroupIds: groupsOf.get(person.id) ?? [],
        privileges: held.filter((p): p is PersonPrivilege => p !== 'escort_required'),
        escortRequired: held.includes('escort_required'),
        competencies: trainingOf.get(person.id) ?? [],
        pin: pinOf.get(person.id) ?? null,
      };
    }),
    credentials: cards.flatMap((card): CredentialInput[] =>
      card.card_format === null || card.facility_code === null || card.card_number === null
        ? []
        : [
            {
              id: card.id,
              personId: card.person_id,
              card: { format: card.card_format as WiegandFormatId, facilityCode: card.facility_code, cardNumber: card.card_number },
              status: card.status as CredentialInput['status'],
              validFrom: card.valid_from,
              validUntil: card.valid_until,
              issuedAt: card.created_at,
            },
          ],
    ),
    accessGroups: groups.map((group): AccessGroupInput => ({ id: group.id, doors: doorsOf.get(group.id) ?? [] })),
    schedules: schedules.map((s): ScheduleInput => ({
      id: s.id,
      intervals: JSON.parse(s.intervals) as ScheduleInput['intervals'],
      holidays: JSON.parse(s.holidays) as Record<string, HolidayTreatment>,
    })),
    options: { secondFactorLevel: options.secondFactorLevel },
  };
}

function groupBy<T, V>(rows: readonly T[], key: (row: T) => string, value: (row: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(value(row));
    else out.set(key(row), [value(row)]);
  }
  return out;
}

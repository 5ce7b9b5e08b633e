/**
 * Compiles plain policy input into the index-addressed snapshot tables. Every reference is
 * resolved here, once, so that a decision never meets a dangling id; a policy that does not hang
 * together is refused with the code of its first fault.
 */
import { compileCalendar, compileSchedule } from '../schedule/schedule.js';
import { compileTimeZone, defaultZoneHorizon } from '../schedule/timezone.js';
import { canonicalWiegandHex, encodeWiegandBits, wiegandBitsValue } from '../wiegand/codec.js';
import { findWiegandFormat } from '../wiegand/formats.js';
import { accessError } from './errors.js';
import { buildLookups } from './lookups.js';
import type { AccessPolicyInput, CredentialInput, PersonInput, PinInput, ZoneInput } from './model.js';
import { parsePinHash } from './pin.js';
import {
  APB_HARD,
  APB_NONE,
  APB_SOFT,
  CREDENTIAL_STATUSES,
  DOOR_MODES,
  FACTOR_BIOMETRIC,
  FACTOR_PIN,
  MODE_FIRST_PERSON_IN,
  MODE_SCHEDULED,
  NEEDS_ESCORT,
  PERSON_STATUSES,
  PRIVILEGE_ESCORT,
  PRIVILEGE_FIRST_PERSON_IN,
  PRIVILEGE_LOCKDOWN_OVERRIDE,
  SNAPSHOT_FORMAT_VERSION,
  type AccessSnapshot,
  type CredentialTables,
  type DoorTables,
  type GroupTables,
  type PersonTables,
  type PinTables,
  type SnapshotTables,
  type ZoneTables,
} from './snapshot.js';

export interface CompileOptions {
  /** The compile instant; the time-zone tables cover the year before it to the end of the year after. */
  readonly now: Date;
}

function indexById(items: readonly { readonly id: string }[], kind: string): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (index.has(item.id)) throw accessError('access.duplicate_id', `Two ${kind} have the id ${item.id}`, { kind, id: item.id });
    index.set(item.id, i);
  });
  return index;
}

/** Where a reference was made, as `[record kind, record id]`; only turned into text for an error. */
type Origin = readonly [string, string];

function resolve(index: ReadonlyMap<string, number>, id: string, kind: string, origin: Origin): number {
  const found = index.get(id);
  if (found === undefined) {
    const from = `${origin[0]} ${origin[1]}`;
    throw accessError('access.unknown_reference', `${from} refers to unknown ${kind} ${id}`, { kind, id, from });
  }
  return found;
}

function resolveOptional(index: ReadonlyMap<string, number>, id: string | null | undefined, kind: string, origin: Origin): number {
  return id === null || id === undefined ? -1 : resolve(index, id, kind, origin);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/;

function instant(value: string | null | undefined, fallback: number, origin: Origin, field: string): number {
  if (value === null || value === undefined) return fallback;
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    const where = `${origin[0]} ${origin[1]} ${field}`;
    throw accessError('access.invalid_instant', `${where} is not an ISO-8601 instant`, { field: where });
  }
  return ms;
}

export function compileSnapshot(input: AccessPolicyInput, options: CompileOptions): AccessSnapshot {
  if (!Number.isSafeInteger(input.version) || input.version < 1) {
    throw accessError('access.invalid_policy', 'The policy version must be a positive whole number');
  }
  const siteIndex = indexById(input.sites, 'sites');
  const zoneIndex = indexById(input.zones, 'zones');
  const doorIndex = indexById(input.doors, 'doors');
  const personIndex = indexById(input.persons, 'persons');
  const groupIndex = indexById(input.accessGroups, 'access groups');
  const scheduleIndex = indexById(input.schedules, 'schedules');
  indexById(input.credentials, 'credentials');

  const holidayTypes = [...new Set(input.sites.flatMap((s) => s.holidays.map((h) => h.type)))];
  const competencyTypes = [...new Set(input.zones.flatMap((z) => z.requiredCompetencies ?? []))];
  const horizon = defaultZoneHorizon(options.now);
  const calendars = input.sites.map((site) => compileCalendar(compileTimeZone(site.timeZone, horizon), site.holidays, holidayTypes));
  const schedules = input.schedules.map((s) => compileSchedule(s, holidayTypes));

  const pins = compilePins(input.persons);

  const interlockGroupIds = [...new Set(input.doors.flatMap((d) => (d.interlockGroup ? [d.interlockGroup] : [])))];
  const opts = input.options ?? {};
  const tables: SnapshotTables = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    version: input.version,
    compiledAt: options.now.getTime(),
    secondFactorLevel: opts.secondFactorLevel ?? 3,
    twoPersonWindowMs: (opts.twoPersonWindowSeconds ?? 5) * 1000,
    escortWindowMs: (opts.escortWindowSeconds ?? 5) * 1000,
    holidayTypes,
    competencyTypes,
    siteIds: input.sites.map((s) => s.id),
    calendars,
    scheduleIds: input.schedules.map((s) => s.id),
    schedules,
    interlockGroupIds,
    zones: compileZones(input.zones, siteIndex, competencyTypes),
    doors: compileDoors(input, siteIndex, zoneIndex, scheduleIndex, interlockGroupIds),
    persons: compilePersons(input.persons, groupIndex, competencyTypes, pins.ofPerson),
    credentials: compileCredentials(input.credentials, personIndex),
    pins: pins.tables,
    groups: compileGroups(input, doorIndex, scheduleIndex),
  };
  return buildLookups(tables);
}

function offsets<T>(lists: readonly (readonly T[])[]): Int32Array {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (start[i + 1] = start[i]! + list.length));
  return start;
}

function compileZones(zones: readonly ZoneInput[], siteIndex: ReadonlyMap<string, number>, competencyTypes: readonly string[]): ZoneTables {
  const n = zones.length;
  const t: ZoneTables = {
    ids: zones.map((z) => z.id),
    site: new Int32Array(n),
    securityLevel: new Int32Array(n),
    secondFactor: new Uint8Array(n),
    antiPassback: new Uint8Array(n),
    passbackForgiveMs: new Float64Array(n),
    occupancyLimit: new Int32Array(n).fill(-1),
    twoPerson: new Uint8Array(n),
    competencyStart: offsets(zones.map((z) => z.requiredCompetencies ?? [])),
    competencies: Int32Array.from(zones.flatMap((z) => (z.requiredCompetencies ?? []).map((c) => competencyTypes.indexOf(c)))),
  };
  zones.forEach((zone, i) => {
    t.site[i] = resolve(siteIndex, zone.siteId, 'site', ['zone', zone.id]);
    t.securityLevel[i] = zone.securityLevel;
    const factor = zone.secondFactor ?? 'pin_or_biometric';
    t.secondFactor[i] = (factor === 'biometric' ? 0 : FACTOR_PIN) | (factor === 'pin' ? 0 : FACTOR_BIOMETRIC);
    const apb = zone.antiPassback?.mode ?? 'none';
    t.antiPassback[i] = apb === 'hard' ? APB_HARD : apb === 'soft' ? APB_SOFT : APB_NONE;
    t.passbackForgiveMs[i] = (zone.antiPassback?.forgiveAfterMinutes ?? 0) * 60_000;
    if (zone.occupancyLimit !== undefined) t.occupancyLimit[i] = zone.occupancyLimit;
    t.twoPerson[i] = zone.twoPersonRule ? 1 : 0;
  });
  return t;
}

function compileDoors(
  input: AccessPolicyInput,
  siteIndex: ReadonlyMap<string, number>,
  zoneIndex: ReadonlyMap<string, number>,
  scheduleIndex: ReadonlyMap<string, number>,
  interlockGroupIds: readonly string[],
): DoorTables {
  const doors = input.doors;
  const n = doors.length;
  const interlockMembers = interlockGroupIds.map((g) => doors.flatMap((d, i) => (d.interlockGroup === g ? [i] : [])));
  const t: DoorTables = {
    ids: doors.map((d) => d.id),
    site: new Int32Array(n),
    fromZone: new Int32Array(n),
    toZone: new Int32Array(n),
    mode: new Uint8Array(n),
    schedule: new Int32Array(n),
    interlock: new Int32Array(n),
    releaseMs: new Float64Array(n),
    interlockStart: offsets(interlockMembers),
    interlockDoors: Int32Array.from(interlockMembers.flat()),
  };
  doors.forEach((door, i) => {
    const from: Origin = ['door', door.id];
    t.site[i] = resolve(siteIndex, door.siteId, 'site', from);
    t.fromZone[i] = resolveOptional(zoneIndex, door.fromZoneId, 'zone', from);
    t.toZone[i] = resolveOptional(zoneIndex, door.toZoneId, 'zone', from);
    const mode = DOOR_MODES.indexOf(door.mode);
    if (mode < 0) throw accessError('access.invalid_policy', `Door ${door.id} has unknown mode ${String(door.mode)}`, { door: door.id });
    t.mode[i] = mode;
    t.schedule[i] = resolveOptional(scheduleIndex, door.scheduleId, 'schedule', from);
    if ((mode === MODE_SCHEDULED || mode === MODE_FIRST_PERSON_IN) && t.schedule[i] === -1) {
      throw accessError('access.invalid_policy', `Door ${door.id} is in mode ${door.mode} but has no schedule`, { door: door.id });
    }
    t.interlock[i] = door.interlockGroup ? interlockGroupIds.indexOf(door.interlockGroup) : -1;
    t.releaseMs[i] = (door.releaseSeconds ?? 5) * 1000;
  });
  return t;
}

const PRIVILEGE_BITS = {
  lockdown_override: PRIVILEGE_LOCKDOWN_OVERRIDE,
  first_person_in: PRIVILEGE_FIRST_PERSON_IN,
  escort: PRIVILEGE_ESCORT,
};

function compilePersons(
  persons: readonly PersonInput[],
  groupIndex: ReadonlyMap<string, number>,
  competencyTypes: readonly string[],
  pinOfPerson: Int32Array,
): PersonTables {
  const n = persons.length;
  // Only competencies some zone requires matter at a door; the rest are left out of the snapshot.
  const relevant = persons.map((p) => (p.competencies ?? []).filter((c) => competencyTypes.includes(c.type)));
  const records = relevant.flat();
  const t: PersonTables = {
    ids: persons.map((p) => p.id),
    status: new Uint8Array(n),
    validFrom: new Float64Array(n),
    validUntil: new Float64Array(n),
    flags: new Uint8Array(n),
    groupStart: offsets(persons.map((p) => p.accessGroupIds)),
    groups: new Int32Array(persons.reduce((sum, p) => sum + p.accessGroupIds.length, 0)),
    competencyStart: offsets(relevant),
    competencyType: Int32Array.from(records.map((c) => competencyTypes.indexOf(c.type))),
    competencyFrom: Float64Array.from(records.map((c) => instant(c.validFrom, -Infinity, ['competency', c.type], 'validFrom'))),
    competencyUntil: Float64Array.from(records.map((c) => instant(c.validUntil, Infinity, ['competency', c.type], 'validUntil'))),
    pin: pinOfPerson,
  };
  let g = 0;
  persons.forEach((person, i) => {
    const status = PERSON_STATUSES.indexOf(person.status);
    if (status < 0) throw accessError('access.invalid_policy', `Person ${person.id} has unknown status`, { person: person.id });
    t.status[i] = status;
    const origin: Origin = ['person', person.id];
    t.validFrom[i] = instant(person.validFrom, -Infinity, origin, 'validFrom');
    t.validUntil[i] = instant(person.validUntil, Infinity, origin, 'validUntil');
    let flags = person.escortRequired ? NEEDS_ESCORT : 0;
    for (const privilege of person.privileges ?? []) flags |= PRIVILEGE_BITS[privilege];
    t.flags[i] = flags;
    for (const groupId of person.accessGroupIds) t.groups[g++] = resolve(groupIndex, groupId, 'access group', origin);
  });
  return t;
}

/** The persons' PINs, and for each person the index of theirs (-1: none). */
function compilePins(persons: readonly PersonInput[]): { tables: PinTables; ofPerson: Int32Array } {
  const ofPerson = new Int32Array(persons.length).fill(-1);
  const pins: PinInput[] = [];
  persons.forEach((person, i) => {
    const pin = person.pin;
    if (!pin) return;
    // The hash is carried as stored; one the controller could not check would refuse every entry.
    if (!parsePinHash(pin.hash)) throw accessError('access.invalid_policy', `PIN ${pin.id} is not a scrypt PIN hash`, { pin: pin.id });
    ofPerson[i] = pins.push(pin) - 1;
  });
  const tables: PinTables = {
    ids: pins.map((p) => p.id),
    validFrom: Float64Array.from(pins.map((p) => instant(p.validFrom, -Infinity, ['PIN', p.id], 'validFrom'))),
    validUntil: Float64Array.from(pins.map((p) => instant(p.validUntil, Infinity, ['PIN', p.id], 'validUntil'))),
    hashes: pins.map((p) => p.hash),
  };
  return { tables, ofPerson };
}

function compileCredentials(credentials: readonly CredentialInput[], personIndex: ReadonlyMap<string, number>): CredentialTables {
  const n = credentials.length;
  const t: CredentialTables = {
    ids: credentials.map((c) => c.id),
    person: new Int32Array(n),
    status: new Uint8Array(n),
    validFrom: new Float64Array(n),
    validUntil: new Float64Array(n),
    bitCount: new Uint16Array(n),
    bits: new Float64Array(n),
    wideCards: [],
    issuedAt: new Float64Array(n),
  };
  const wideCards: [number, string][] = [];
  credentials.forEach((credential, i) => {
    const from: Origin = ['credential', credential.id];
    t.person[i] = resolve(personIndex, credential.personId, 'person', from);
    const status = CREDENTIAL_STATUSES.indexOf(credential.status);
    if (status < 0)
      throw accessError('access.invalid_policy', `Credential ${credential.id} has unknown status`, { credential: credential.id });
    t.status[i] = status;
    t.validFrom[i] = instant(credential.validFrom, -Infinity, from, 'validFrom');
    t.validUntil[i] = instant(credential.validUntil, Infinity, from, 'validUntil');
    t.issuedAt[i] = instant(credential.issuedAt, Number.NaN, from, 'issuedAt');
    const card = credential.card;
    if ('format' in card) {
      t.bits[i] = encodeWiegandBits(card.format, card);
      t.bitCount[i] = findWiegandFormat(card.format)!.bitLength;
    } else {
      t.bitCount[i] = card.bitCount;
      if (card.bitCount <= 53) t.bits[i] = wiegandBitsValue(card.hex, card.bitCount);
      else {
        t.bits[i] = Number.NaN;
        wideCards.push([i, canonicalWiegandHex(card.hex, card.bitCount)]);
      }
    }
  });
  return { ...t, wideCards };
}

function compileGroups(
  input: AccessPolicyInput,
  doorIndex: ReadonlyMap<string, number>,
  scheduleIndex: ReadonlyMap<string, number>,
): GroupTables {
  const grants = input.accessGroups.map((group) =>
    group.doors
      .map((grant) => ({
        door: resolve(doorIndex, grant.doorId, 'door', ['access group', group.id]),
        schedule: resolve(scheduleIndex, grant.scheduleId, 'schedule', ['access group', group.id]),
      }))
      .sort((a, b) => a.door - b.door || a.schedule - b.schedule),
  );
  return {
    ids: input.accessGroups.map((g) => g.id),
    doorStart: offsets(grants),
    doors: Int32Array.from(grants.flatMap((list) => list.map((g) => g.door))),
    schedules: Int32Array.from(grants.flatMap((list) => list.map((g) => g.schedule))),
  };
}

// The decision reads an interleaved layout built on load (card slots, door records, per-door grant
// lists, a memoised local clock). These tests hold it to the plain policy: over generated policies
// and many requests, decide must name the same credential, person, group and schedule as a direct
// reading of the input, in whatever order the requests arrive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LocalClock,
  compileCalendar,
  compileSchedule,
  localDayMinute,
  scheduleActiveAt,
  scheduleActiveOn,
  type ScheduleInput,
} from '../schedule/schedule.js';
import { compileTimeZone, defaultZoneHorizon } from '../schedule/timezone.js';
import { encodeWiegand } from '../wiegand/codec.js';
import { compileSnapshot } from './compile.js';
import { decide, type AccessRequest } from './decide.js';
import type { AccessPolicyInput, CredentialInput, CredentialStatus, PersonInput, PersonStatus } from './model.js';
import { credentialIdFor, lookupCard } from './requests.js';
import { createState } from './state.js';

const COMPILED_AT = Date.parse('2025-06-02T09:00:00Z');
const YEAR_MS = 365 * 86_400_000;

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
const SCHEDULES: ScheduleInput[] = [
  { id: 'always', intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }] },
  { id: 'days', intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00' }], holidays: { public: 'exclude' } },
  { id: 'nights', intervals: [{ days: ['mon', 'wed', 'fri', 'sun'], start: '22:30', end: '06:15' }] },
  {
    id: 'weekend',
    intervals: [{ days: ['sat', 'sun'], start: '09:00', end: '17:00' }],
    holidays: { public: [{ start: '10:00', end: '12:00' }] },
  },
];
const PERSON_STATUSES: PersonStatus[] = ['active', 'active', 'active', 'active', 'suspended', 'terminated'];
const CARD_STATUSES: CredentialStatus[] = ['active', 'active', 'active', 'active', 'active', 'suspended', 'lost', 'stolen', 'revoked'];

function generatedPolicy(seed: number): AccessPolicyInput {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const instantNear = () => new Date(COMPILED_AT + (rnd() - 0.5) * YEAR_MS).toISOString();
  const sites = ZONES.map((timeZone, i) => ({ id: `site-${i}`, timeZone, holidays: [{ date: '2025-12-25', type: 'public' }] }));
  const doors = Array.from({ length: 60 }, (_, i) => ({
    id: `door-${i}`,
    siteId: pick(sites).id,
    fromZoneId: null,
    toZoneId: null,
    mode: 'card_only' as const,
  }));
  // Long and short door lists, a door granted twice in one group under different schedules.
  const accessGroups = Array.from({ length: 25 }, (_, g) => ({
    id: `group-${g}`,
    doors: Array.from({ length: g === 0 ? 50 : 1 + Math.floor(rnd() * 12) }, () => ({
      doorId: pick(doors).id,
      scheduleId: pick(SCHEDULES).id,
    })),
  }));
  const persons: PersonInput[] = Array.from({ length: 150 }, (_, p) => ({
    id: `person-${p}`,
    kind: 'staff',
    status: pick(PERSON_STATUSES),
    ...(rnd() < 0.15 ? { validFrom: instantNear() } : {}),
    ...(rnd() < 0.15 ? { validUntil: instantNear() } : {}),
    accessGroupIds: Array.from({ length: Math.floor(rnd() * 5) }, () => pick(accessGroups).id),
  }));
  const credentials: CredentialInput[] = Array.from({ length: 220 }, (_, c) => ({
    id: `card-${c}`,
    personId: pick(persons).id,
    card:
      c % 10 === 9
        ? { bitCount: 64, hex: (0x10000000 + c).toString(16).padStart(16, '0') }
        : { format: 'H10301' as const, facilityCode: 7, cardNumber: 100 + c },
    status: pick(CARD_STATUSES),
    ...(rnd() < 0.1 ? { validFrom: instantNear() } : {}),
    ...(rnd() < 0.1 ? { validUntil: instantNear() } : {}),
  }));
  return { version: 1, sites, zones: [], doors, persons, credentials, accessGroups, schedules: SCHEDULES };
}

interface Expected {
  reason: string;
  credentialId: string | null;
  personId: string | null;
  accessGroupId: string | null;
  scheduleId: string | null;
}

/** What the policy says of a card at a card-only door, read straight from the input. */
function expected(
  policy: AccessPolicyInput,
  request: AccessRequest,
  now: number,
  active: (scheduleId: string, siteId: string) => boolean,
): Expected {
  const credential = policy.credentials.find((c) => {
    const bits = 'format' in c.card ? encodeWiegand(c.card.format, c.card) : c.card;
    return bits.bitCount === request.card!.bitCount && bits.hex === request.card!.hex;
  });
  const none = { credentialId: null, personId: null, accessGroupId: null, scheduleId: null };
  if (!credential) return { reason: 'access.unknown_card', ...none };
  const ids = { credentialId: credential.id, personId: credential.personId, accessGroupId: null, scheduleId: null };
  const before = (iso: string | null | undefined) => iso !== undefined && iso !== null && now < Date.parse(iso);
  const after = (iso: string | null | undefined) => iso !== undefined && iso !== null && now >= Date.parse(iso);
  if (credential.status !== 'active') return { reason: `access.credential_${credential.status}`, ...ids };
  if (before(credential.validFrom)) return { reason: 'access.credential_not_yet_valid', ...ids };
  if (after(credential.validUntil)) return { reason: 'access.credential_expired', ...ids };
  const person = policy.persons.find((p) => p.id === credential.personId)!;
  if (person.status !== 'active') return { reason: `access.person_${person.status}`, ...ids };
  if (before(person.validFrom)) return { reason: 'access.person_not_yet_valid', ...ids };
  if (after(person.validUntil)) return { reason: 'access.person_expired', ...ids };
  const door = policy.doors.find((d) => d.id === request.doorId)!;
  const scheduleOrder = (id: string) => policy.schedules.findIndex((s) => s.id === id);
  // The person's groups in their order; within a group, that door's grants in schedule order;
  // the first grant in schedule wins, otherwise the last one seen names the refusal.
  let outside: Expected | null = null;
  for (const groupId of person.accessGroupIds) {
    const grants = policy.accessGroups
      .find((g) => g.id === groupId)!
      .doors.filter((d) => d.doorId === door.id)
      .sort((a, b) => scheduleOrder(a.scheduleId) - scheduleOrder(b.scheduleId));
    for (const grant of grants) {
      const named = { ...ids, accessGroupId: groupId, scheduleId: grant.scheduleId };
      if (active(grant.scheduleId, door.siteId)) return { reason: 'access.granted', ...named };
      outside = { reason: 'access.outside_schedule', ...named };
    }
  }
  return outside ?? { reason: 'access.no_access', ...ids };
}

describe('decision layout', () => {
  for (const seed of [1, 2, 3]) {
    it(`decides generated policy ${seed} as the plain input reads, in any request order`, () => {
      const policy = generatedPolicy(seed);
      const snapshot = compileSnapshot(policy, { now: new Date(COMPILED_AT) });
      const state = createState(snapshot);
      const rnd = random(seed * 7919);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
      let now = COMPILED_AT;
      for (let i = 0; i < 3000; i++) {
        // Runs of requests a few seconds apart (the clock memo's case), jumps back and forth
        // across the year (its refills), and instants around the end of a minute.
        const r = rnd();
        now =
          r < 0.7 ? now + Math.floor(rnd() * 5000) : r < 0.9 ? COMPILED_AT + (rnd() - 0.5) * YEAR_MS : Math.ceil(now / 60_000) * 60_000 - 1;
        const credential = pick(policy.credentials);
        const encoded = 'format' in credential.card ? encodeWiegand(credential.card.format, credential.card) : credential.card;
        const unknown = rnd() < 0.05;
        const card = { bitCount: encoded.bitCount, hex: unknown ? 'ff'.repeat(Math.ceil(encoded.bitCount / 8)) : encoded.hex };
        const request: AccessRequest = { doorId: pick(policy.doors).id, kind: 'card', card };
        const active = (scheduleId: string, siteId: string) =>
          scheduleActiveAt(
            snapshot.schedules[snapshot.scheduleIds.indexOf(scheduleId)]!,
            snapshot.calendars[snapshot.siteIds.indexOf(siteId)]!,
            now,
          );
        const decision = decide(snapshot, request, now, state);
        const actual = {
          reason: decision.reason,
          credentialId: decision.credentialId,
          personId: decision.personId,
          accessGroupId: decision.accessGroupId,
          scheduleId: decision.scheduleId,
        };
        assert.deepEqual(actual, expected(policy, request, now, active), `request ${i} at ${new Date(now).toISOString()}`);
        assert.equal(decision.granted, decision.reason === 'access.granted');
      }
    });
  }

  it('finds every credential by its card, narrow or wide, and nothing for other bits', () => {
    const policy = generatedPolicy(4);
    const snapshot = compileSnapshot(policy, { now: new Date(COMPILED_AT) });
    policy.credentials.forEach((credential, i) => {
      if ('format' in credential.card) {
        const encoded = encodeWiegand(credential.card.format, credential.card);
        assert.equal(lookupCard(snapshot, { bitCount: encoded.bitCount, bits: encoded.bits }), i);
        assert.equal(lookupCard(snapshot, { bitCount: encoded.bitCount, hex: encoded.hex }), i);
        assert.equal(credentialIdFor(snapshot, { bitCount: encoded.bitCount, hex: encoded.hex }), credential.id);
      } else assert.equal(lookupCard(snapshot, credential.card), i);
    });
    assert.equal(lookupCard(snapshot, { bitCount: 26, bits: 1 }), -1);
    assert.equal(credentialIdFor(snapshot, { bitCount: 26, bits: 1 }), null);
    assert.equal(lookupCard(snapshot, { bitCount: 64, hex: 'ffffffffffffffff' }), -1);
  });

  it('serialises a decision as the same plain object, fields in the same order', () => {
    const policy = generatedPolicy(5);
    const snapshot = compileSnapshot(policy, { now: new Date(COMPILED_AT) });
    const credential = policy.credentials.find((c) => 'format' in c.card)!;
    const encoded = 'format' in credential.card ? encodeWiegand(credential.card.format, credential.card) : null;
    const decision = decide(
      snapshot,
      { doorId: 'door-0', kind: 'card', card: { bitCount: 26, bits: encoded!.bits } },
      COMPILED_AT,
      createState(snapshot),
    );
    const plain = {
      granted: decision.granted,
      reason: decision.reason,
      rule: decision.rule,
      at: decision.at,
      doorId: decision.doorId,
      zoneId: decision.zoneId,
      credentialId: decision.credentialId,
      personId: decision.personId,
      accessGroupId: decision.accessGroupId,
      scheduleId: decision.scheduleId,
      detail: decision.detail,
      signals: decision.signals,
      unknownCard: decision.unknownCard,
    };
    assert.equal(JSON.stringify(decision), JSON.stringify(plain));
    assert.equal(decision.credentialId, credential.id);
    assert.equal(decision.personId, credential.personId);
  });
});

describe('local clock', () => {
  it('gives the day and minute of localDayMinute and the schedule verdicts of scheduleActiveAt, in any order', () => {
    const now = new Date(COMPILED_AT);
    const holidayTypes = ['public'];
    const schedules = SCHEDULES.map((s) => compileSchedule(s, holidayTypes));
    for (const zone of ZONES) {
      const calendar = compileCalendar(
        compileTimeZone(zone, defaultZoneHorizon(now)),
        [{ date: '2025-12-25', type: 'public' }],
        holidayTypes,
      );
      const clock = new LocalClock(calendar);
      const rnd = random(zone.length);
      const expectedAt = { day: 0, minute: 0 };
      let t = COMPILED_AT;
      // Every offset change of the zone in the horizon, approached second by second, plus random
      // instants, some beyond the horizon (where the runtime's tz database answers).
      const probes: number[] = [];
      for (const start of calendar.zone.starts.slice(1)) for (let d = -90_000; d <= 90_000; d += 997) probes.push(start + d);
      for (let i = 0; i < 4000; i++) {
        const r = rnd();
        t =
          r < 0.6
            ? t + Math.floor(rnd() * 20_000)
            : r < 0.95
              ? COMPILED_AT + (rnd() - 0.5) * 2 * YEAR_MS
              : COMPILED_AT + 4 * YEAR_MS * rnd();
        probes.push(t);
      }
      for (const at of probes) {
        clock.at(at);
        localDayMinute(calendar, at, expectedAt);
        assert.deepEqual([clock.day, clock.minute], [expectedAt.day, expectedAt.minute], `${zone} ${new Date(at).toISOString()}`);
        for (const schedule of schedules) assert.equal(scheduleActiveOn(schedule, clock), scheduleActiveAt(schedule, calendar, at));
      }
    }
  });
});

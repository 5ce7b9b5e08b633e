/**
 * A small hospital policy for the access tests: one site in Europe/London, one door per rule, and
 * people chosen so each test exercises exactly one rule.
 */
import { generateKeyPairSync } from 'node:crypto';
import { encodeWiegand } from '../wiegand/codec.js';
import { compileSnapshot } from './compile.js';
import { decide, type AccessRequest } from './decide.js';
import type { AccessDecision } from './decision.js';
import type { AccessPolicyInput, CredentialInput, DoorInput, PersonInput } from './model.js';
import { hashPin, pinHashFor, verifyPin } from './pin.js';
import type { AccessSnapshot } from './snapshot.js';
import { createState, type AccessState } from './state.js';

/** Monday 2 June 2025, 10:00 in London (BST). */
export const MONDAY_10AM = Date.parse('2025-06-02T09:00:00Z');
export const MONDAY_11PM = Date.parse('2025-06-02T22:00:00Z');
/** The PINs of the test people, kept (as everywhere) only as their scrypt hashes in the policy. */
export const PINS = { alice: '1234', bob: '5678' } as const;
const PIN_HASHES = { alice: await hashPin(PINS.alice), bob: await hashPin(PINS.bob) };

const CARD_NUMBERS = {
  alice: 1,
  bob: 2,
  carol: 3,
  dan: 4,
  erin: 5,
  frank: 6,
  guard: 7,
  vic: 8,
  lost: 9,
  stolen: 10,
  suspended: 11,
  future: 12,
  expired: 13,
  revoked: 14,
  mira: 15,
} as const;
export type TestCard = keyof typeof CARD_NUMBERS;

export function card(name: TestCard): { bitCount: number; bits: number } {
  const encoded = encodeWiegand('H10301', { facilityCode: 42, cardNumber: CARD_NUMBERS[name] });
  return { bitCount: encoded.bitCount, bits: encoded.bits };
}

const door = (id: string, toZoneId: string | null, mode: DoorInput['mode'] = 'card_only', extra: Partial<DoorInput> = {}): DoorInput => ({
  id,
  siteId: 'st-marys',
  fromZoneId: 'lobby',
  toZoneId,
  mode,
  ...extra,
});

const doors: DoorInput[] = [
  { ...door('main-entrance', 'lobby'), fromZoneId: null },
  door('office', 'lobby', 'scheduled', { scheduleId: 'office-hours' }),
  door('plant-room', 'lobby', 'locked'),
  door('cafe', 'lobby', 'unlocked'),
  door('records', 'lobby', 'card_and_pin'),
  door('clinic', 'lobby', 'first_person_in', { scheduleId: 'office-hours' }),
  door('theatre', 'theatre'),
  door('day-ward', 'day-ward'),
  door('icu', 'icu'),
  door('genomics', 'genomics'),
  door('vault', 'vault'),
  door('mri', 'mri-zone-4'),
  door('quiet-room', 'quiet-room'),
  door('sally-outer', 'sally', 'card_only', { interlockGroup: 'sally-port-1' }),
  door('sally-inner', 'sally', 'card_only', { interlockGroup: 'sally-port-1' }),
];

const person = (id: string, extra: Partial<PersonInput> = {}): PersonInput => ({
  id,
  kind: 'staff',
  status: 'active',
  accessGroupIds: ['all-doors'],
  ...extra,
});

const persons: PersonInput[] = [
  person('alice', {
    pin: { id: 'pin-alice', hash: PIN_HASHES.alice },
    privileges: ['escort', 'first_person_in'],
    competencies: [{ type: 'mri-safety', validUntil: '2026-01-01T00:00:00Z' }, { type: 'controlled-substances' }],
  }),
  person('bob', { pin: { id: 'pin-bob', hash: PIN_HASHES.bob }, competencies: [{ type: 'controlled-substances' }] }),
  person('carol', { accessGroupIds: ['office-staff'] }),
  person('dan', { status: 'suspended' }),
  person('erin', { status: 'terminated' }),
  person('frank', { validUntil: '2025-05-31T00:00:00Z' }),
  person('guard', { privileges: ['lockdown_override'] }),
  person('vic', { kind: 'visitor', escortRequired: true, accessGroupIds: [] }),
  person('mira', { competencies: [{ type: 'mri-safety', validUntil: '2025-01-01T00:00:00Z' }] }),
];

const credential = (name: TestCard, personId: string, extra: Partial<CredentialInput> = {}): CredentialInput => ({
  id: `card-${name}`,
  personId,
  card: { format: 'H10301', facilityCode: 42, cardNumber: CARD_NUMBERS[name] },
  status: 'active',
  ...extra,
});

export function testPolicy(version = 1): AccessPolicyInput {
  return {
    version,
    sites: [{ id: 'st-marys', timeZone: 'Europe/London', holidays: [{ date: '2025-12-25', type: 'public', name: 'Christmas Day' }] }],
    zones: [
      { id: 'lobby', siteId: 'st-marys', securityLevel: 0 },
      { id: 'theatre', siteId: 'st-marys', securityLevel: 1, antiPassback: { mode: 'hard', forgiveAfterMinutes: 60 } },
      { id: 'day-ward', siteId: 'st-marys', securityLevel: 1, antiPassback: { mode: 'soft' } },
      { id: 'icu', siteId: 'st-marys', securityLevel: 3 },
      { id: 'genomics', siteId: 'st-marys', securityLevel: 4, secondFactor: 'biometric' },
      { id: 'vault', siteId: 'st-marys', securityLevel: 2, twoPersonRule: true, requiredCompetencies: ['controlled-substances'] },
      { id: 'mri-zone-4', siteId: 'st-marys', securityLevel: 2, requiredCompetencies: ['mri-safety'] },
      { id: 'quiet-room', siteId: 'st-marys', securityLevel: 0, occupancyLimit: 2 },
      { id: 'sally', siteId: 'st-marys', securityLevel: 2 },
    ],
    doors,
    persons,
    credentials: [
      credential('alice', 'alice'),
      credential('bob', 'bob'),
      credential('carol', 'carol'),
      credential('dan', 'dan'),
      credential('erin', 'erin'),
      credential('frank', 'frank'),
      credential('guard', 'guard'),
      credential('vic', 'vic'),
      credential('mira', 'mira'),
      credential('lost', 'alice', { status: 'lost' }),
      credential('stolen', 'bob', { status: 'stolen' }),
      credential('suspended', 'bob', { status: 'suspended' }),
      credential('revoked', 'bob', { status: 'revoked' }),
      credential('future', 'bob', { validFrom: '2025-07-01T00:00:00Z' }),
      credential('expired', 'bob', { validUntil: '2025-06-01T00:00:00Z' }),
      { id: 'card-wide', personId: 'bob', card: { bitCount: 40, hex: '0102030405' }, status: 'active' },
    ],
    accessGroups: [
      { id: 'all-doors', doors: doors.map((d) => ({ doorId: d.id, scheduleId: 'always' })) },
      { id: 'office-staff', doors: [{ doorId: 'main-entrance', scheduleId: 'office-hours' }] },
    ],
    schedules: [
      { id: 'always', intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }] },
      {
        id: 'office-hours',
        intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00' }],
        holidays: { public: 'exclude' },
      },
    ],
  };
}

export function testSnapshot(version = 1): AccessSnapshot {
  return compileSnapshot(testPolicy(version), { now: new Date(MONDAY_10AM) });
}

export const signingKeys = () => generateKeyPairSync('ed25519');

/** A snapshot, its state and a terse way to ask for decisions against them. */
export function harness(): { snapshot: AccessSnapshot; state: AccessState; ask: (request: AccessRequest, at?: number) => AccessDecision } {
  const snapshot = testSnapshot();
  const state = createState(snapshot);
  return { snapshot, state, ask: (request, at = MONDAY_10AM) => decide(snapshot, request, at, state) };
}

export function badge(doorId: string, name: TestCard, extra: Partial<AccessRequest> = {}): AccessRequest {
  return { doorId, kind: 'card', card: card(name), ...extra };
}

/** A badge followed by a PIN on the keypad, checked against the holder's hash as a controller does before deciding. */
export async function badgeWithPin(snapshot: AccessSnapshot, doorId: string, name: TestCard, pin: string): Promise<AccessRequest> {
  const request = badge(doorId, name);
  const hash = pinHashFor(snapshot, request.card!);
  return { ...request, pinMatch: hash !== null && (await verifyPin(pin, hash)) };
}

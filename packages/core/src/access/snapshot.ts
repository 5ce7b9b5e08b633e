/**
 * The compiled access snapshot: the policy turned into index-addressed typed arrays (one array per
 * attribute, one slot per record), so a decision reads a few numbers instead of walking objects.
 * Variable-length lists (a person's groups, a group's doors) are stored as offsets into one flat
 * array. `SnapshotTables` is what is serialised and signed; `AccessSnapshot` adds the lookups a
 * controller rebuilds on load, where the fields one decision reads sit together (see lookups.ts).
 */
import type { CompiledCalendar, CompiledSchedule, LocalClock } from '../schedule/schedule.js';
import type { CredentialStatus, DoorMode, PersonStatus } from './model.js';

/** 2: PINs as their scrypt hashes per person (1 carried keyed verifiers per credential). */
export const SNAPSHOT_FORMAT_VERSION = 2;

export const DOOR_MODES: readonly DoorMode[] = [
  'scheduled',
  'locked',
  'unlocked',
  'card_only',
  'card_and_pin',
  'first_person_in',
  'lockdown',
  'fire_egress',
];
export const MODE_SCHEDULED = 0;
export const MODE_LOCKED = 1;
export const MODE_UNLOCKED = 2;
export const MODE_CARD_ONLY = 3;
export const MODE_CARD_AND_PIN = 4;
export const MODE_FIRST_PERSON_IN = 5;
export const MODE_LOCKDOWN = 6;
export const MODE_FIRE_EGRESS = 7;

export const PERSON_STATUSES: readonly PersonStatus[] = ['active', 'suspended', 'terminated'];
export const CREDENTIAL_STATUSES: readonly CredentialStatus[] = ['active', 'suspended', 'lost', 'stolen', 'revoked'];

export const PRIVILEGE_LOCKDOWN_OVERRIDE = 1;
export const PRIVILEGE_FIRST_PERSON_IN = 2;
export const PRIVILEGE_ESCORT = 4;
export const NEEDS_ESCORT = 8;

export const FACTOR_PIN = 1;
export const FACTOR_BIOMETRIC = 2;

export const APB_NONE = 0;
export const APB_SOFT = 1;
export const APB_HARD = 2;

export interface ZoneTables {
  readonly ids: readonly string[];
  readonly site: Int32Array;
  readonly securityLevel: Int32Array;
  /** FACTOR_* bits accepted when the level requires a second factor. */
  readonly secondFactor: Uint8Array;
  readonly antiPassback: Uint8Array;
  /** 0: a recorded location never expires. */
  readonly passbackForgiveMs: Float64Array;
  /** -1: no limit. */
  readonly occupancyLimit: Int32Array;
  readonly twoPerson: Uint8Array;
  readonly competencyStart: Int32Array;
  readonly competencies: Int32Array;
}

export interface DoorTables {
  readonly ids: readonly string[];
  readonly site: Int32Array;
  /** -1: outside any zone. */
  readonly fromZone: Int32Array;
  readonly toZone: Int32Array;
  readonly mode: Uint8Array;
  /** -1: none. */
  readonly schedule: Int32Array;
  /** -1: not interlocked. */
  readonly interlock: Int32Array;
  readonly releaseMs: Float64Array;
  /** Doors of each interlock group: `interlockDoors[interlockStart[g] .. interlockStart[g + 1])`. */
  readonly interlockStart: Int32Array;
  readonly interlockDoors: Int32Array;
}

export interface PersonTables {
  readonly ids: readonly string[];
  readonly status: Uint8Array;
  readonly validFrom: Float64Array;
  readonly validUntil: Float64Array;
  /** PRIVILEGE_* and NEEDS_ESCORT bits. */
  readonly flags: Uint8Array;
  readonly groupStart: Int32Array;
  readonly groups: Int32Array;
  readonly competencyStart: Int32Array;
  readonly competencyType: Int32Array;
  readonly competencyFrom: Float64Array;
  readonly competencyUntil: Float64Array;
  /** Index into `pins`, -1 when the person has no PIN. */
  readonly pin: Int32Array;
}

/**
 * PINs, one per person who has one. The snapshot is signed, not encrypted: it carries each PIN as
 * the slow salted hash the people module stored, never the digits nor anything faster to search.
 */
export interface PinTables {
  /** The PIN credentials' ids. */
  readonly ids: readonly string[];
  readonly validFrom: Float64Array;
  readonly validUntil: Float64Array;
  /** `scrypt$N$r$p$salt$hash`, as issued. */
  readonly hashes: readonly string[];
}

export interface CredentialTables {
  readonly ids: readonly string[];
  readonly person: Int32Array;
  readonly status: Uint8Array;
  readonly validFrom: Float64Array;
  readonly validUntil: Float64Array;
  readonly bitCount: Uint16Array;
  /** The card bits as a number (first bit most significant); NaN when wider than 53 bits. */
  readonly bits: Float64Array;
  /** Left-aligned hex of cards wider than 53 bits, by credential index. */
  readonly wideCards: readonly (readonly [number, string])[];
  /** Issue instant (NaN when unknown), for use-it-or-lose-it. */
  readonly issuedAt: Float64Array;
}

export interface GroupTables {
  readonly ids: readonly string[];
  /** Each group's grants sorted by door: `doors[doorStart[g] .. doorStart[g + 1])`, schedule alongside. */
  readonly doorStart: Int32Array;
  readonly doors: Int32Array;
  readonly schedules: Int32Array;
}

export interface SnapshotTables {
  readonly formatVersion: number;
  readonly version: number;
  readonly compiledAt: number;
  readonly secondFactorLevel: number;
  readonly twoPersonWindowMs: number;
  readonly escortWindowMs: number;
  readonly holidayTypes: readonly string[];
  readonly competencyTypes: readonly string[];
  readonly siteIds: readonly string[];
  readonly calendars: readonly CompiledCalendar[];
  readonly scheduleIds: readonly string[];
  readonly schedules: readonly CompiledSchedule[];
  readonly interlockGroupIds: readonly string[];
  readonly zones: ZoneTables;
  readonly doors: DoorTables;
  readonly persons: PersonTables;
  readonly credentials: CredentialTables;
  readonly pins: PinTables;
  readonly groups: GroupTables;
}

/**
 * Open-addressing hash table from (card bits, bit count) to the credential, with what a decision
 * needs of the credential and its holder in the same 32-byte slot, so finding a card and checking
 * both records is one cache line. Slot `i`: `f64[4i]` the card bits; then, as `i32[CARD_SLOT * i + CARD_*]`,
 * the fields below. A credential of -1 marks a free slot.
 */
export interface CardTable {
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly mask: number;
}
/** Int32 elements per slot. */
export const CARD_SLOT = 8;
export const CARD_CREDENTIAL = 2;
export const CARD_PERSON = 3;
/** The credential's status index (plus RECORD_BOUNDED when it has a validity window) | bit count << 8. */
export const CARD_CREDENTIAL_STATE = 4;
/** The person's status index (plus RECORD_BOUNDED) | PRIVILEGE_* flags << 8 | group count << 16. */
export const CARD_PERSON_STATE = 5;
/**
 * The person's groups: up to CARD_INLINE_GROUPS of them here, in order (most people have one or
 * two); with more, where they start in `persons.groups`.
 */
export const CARD_GROUPS = 6;
export const CARD_INLINE_GROUPS = 2;
export const RECORD_BOUNDED = 16;
/** A group count too large for the slot: read it from `persons.groupStart`. */
export const GROUP_COUNT_OVERFLOW = 0x7fff;

/**
 * Per door, the fields a decision reads, interleaved: `doorRecords[DOOR_STRIDE * d + DOOR_*]`,
 * one cache line a door. The door's grants are `doorRecords[grantStart .. grantEnd)`, pairs
 * (group, schedule) sorted by group then schedule, the order `findGrant` must meet them in: inline
 * at `DOOR_GRANTS` when up to `DOOR_INLINE_GRANTS` (most doors), else after all the records.
 */
export const DOOR_STRIDE = 16;
export const DOOR_SITE = 0;
export const DOOR_TO_ZONE = 1;
export const DOOR_FROM_ZONE = 2;
export const DOOR_MODE = 3;
export const DOOR_SCHEDULE = 4;
export const DOOR_INTERLOCK = 5;
export const DOOR_GRANT_START = 6;
export const DOOR_GRANT_END = 7;
export const DOOR_GRANTS = 8;
export const DOOR_INLINE_GRANTS = 4;

export interface AccessSnapshot extends SnapshotTables {
  readonly doorIndex: ReadonlyMap<string, number>;
  readonly cardTable: CardTable;
  /** Card table slot by `${bitCount}:${hex}` for cards wider than 53 bits. */
  readonly wideCardIndex: ReadonlyMap<string, number>;
  readonly doorRecords: Int32Array;
  /** Local time at each site (by calendar), memoised per minute. */
  readonly clocks: readonly LocalClock[];
}

/**
 * The compiled access snapshot: the policy turned into index-addressed typed arrays (one array per
 * attribute, one slot per record), so a decision reads a few numbers instead of walking objects.
 * Variable-length lists (a person's groups, a group's doors) are stored as offsets into one flat
 * array. `SnapshotTables` is what is serialised and signed; `AccessSnapshot` adds the lookup maps
 * a controller rebuilds on load.
 */
import type { CompiledCalendar, CompiledSchedule } from '../schedule/schedule.js';
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

/** Open-addressing hash table from (card bits, bit count) to credential index; -1 marks a free slot. */
export interface CardTable {
  readonly keys: Float64Array;
  readonly counts: Uint16Array;
  readonly values: Int32Array;
  readonly mask: number;
}

export interface AccessSnapshot extends SnapshotTables {
  readonly doorIndex: ReadonlyMap<string, number>;
  readonly cardTable: CardTable;
  /** Credential index by `${bitCount}:${hex}` for cards wider than 53 bits. */
  readonly wideCardIndex: ReadonlyMap<string, number>;
}

/**
 * The plain input the snapshot compiler takes: what the server's tables say about sites, zones,
 * doors, people, credentials, access groups, schedules and holidays. Instants are ISO-8601 UTC
 * text (the storage convention); local dates are YYYY-MM-DD at the site.
 */
import type { HolidayInput, ScheduleInput } from '../schedule/schedule.js';
import type { WiegandFormatId } from '../wiegand/formats.js';

export interface SiteInput {
  readonly id: string;
  /** IANA zone, e.g. Europe/London. */
  readonly timeZone: string;
  readonly holidays: readonly HolidayInput[];
}

export type AntiPassbackMode = 'none' | 'soft' | 'hard';
export type SecondFactorKind = 'pin' | 'biometric' | 'pin_or_biometric';

export interface ZoneInput {
  readonly id: string;
  readonly siteId: string;
  /** Higher is more sensitive; at or above the policy's `secondFactorLevel` a second factor is required. */
  readonly securityLevel: number;
  /** Which second factor the zone accepts when its level requires one (default `pin_or_biometric`). */
  readonly secondFactor?: SecondFactorKind;
  readonly antiPassback?: {
    readonly mode: AntiPassbackMode;
    /** A recorded location older than this no longer counts (timed forgiveness); absent = never expires. */
    readonly forgiveAfterMinutes?: number;
  };
  /** Entry is refused once this many people are recorded inside. */
  readonly occupancyLimit?: number;
  /** Entry needs two different valid credentials presented within the policy's two-person window. */
  readonly twoPersonRule?: boolean;
  /** Competency types every entrant must hold a current record of (e.g. `mri-safety`). */
  readonly requiredCompetencies?: readonly string[];
}

/**
 * `scheduled`: unlocked while the door's schedule is active, card access otherwise.
 * `first_person_in`: within the door's schedule it stays locked (card access) until a person with the
 * `first_person_in` privilege is granted, then unlocked until the schedule ends.
 * `lockdown`: only holders of `lockdown_override`. `fire_egress`: free exit, card rules for entry.
 * Exit (request-to-exit and exit-side reads) is granted in every mode.
 */
export type DoorMode = 'scheduled' | 'locked' | 'unlocked' | 'card_only' | 'card_and_pin' | 'first_person_in' | 'lockdown' | 'fire_egress';

export interface DoorInput {
  readonly id: string;
  readonly siteId: string;
  /** Zone on the entry reader's side (null: outside any managed zone). */
  readonly fromZoneId: string | null;
  /** Zone the door leads into on entry (null: outside any managed zone). */
  readonly toZoneId: string | null;
  readonly mode: DoorMode;
  /** Required by `scheduled` and `first_person_in`. */
  readonly scheduleId?: string | null;
  /** Doors sharing an interlock group (a sally port) may not be released or open at the same time. */
  readonly interlockGroup?: string | null;
  /** How long a grant keeps the door released when no door-closed signal arrives (default 5 s). */
  readonly releaseSeconds?: number;
}

export type PersonStatus = 'active' | 'suspended' | 'terminated';
export type PersonPrivilege = 'lockdown_override' | 'first_person_in' | 'escort';

export interface CompetencyRecord {
  readonly type: string;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
}

export interface PersonInput {
  readonly id: string;
  readonly kind: 'staff' | 'contractor' | 'visitor' | 'patient' | 'other';
  readonly status: PersonStatus;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
  readonly accessGroupIds: readonly string[];
  readonly privileges?: readonly PersonPrivilege[];
  /** A visitor who may pass a door only right after an escort. */
  readonly escortRequired?: boolean;
  readonly competencies?: readonly CompetencyRecord[];
  /** The person's PIN, checked with any of their cards where a door or zone asks for one. */
  readonly pin?: PinInput | null;
}

/** A PIN as the people module keeps it: never the digits, only their salted scrypt hash. */
export interface PinInput {
  /** The PIN credential's id. */
  readonly id: string;
  /** `scrypt$N$r$p$salt$hash`, exactly as stored when the PIN was issued (see `hashPin`). */
  readonly hash: string;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
}

export type CredentialStatus = 'active' | 'suspended' | 'lost' | 'stolen' | 'revoked';

/** A card known by format and numbers, or by its raw bits when its format is not in the catalogue. */
export type CardData =
  | { readonly format: WiegandFormatId; readonly facilityCode: number; readonly cardNumber: number }
  | { readonly bitCount: number; readonly hex: string };

export interface CredentialInput {
  readonly id: string;
  readonly personId: string;
  readonly card: CardData;
  readonly status: CredentialStatus;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
  /** When the credential was issued; use-it-or-lose-it counts from here for a card never used. */
  readonly issuedAt?: string | null;
}

export interface AccessGroupInput {
  readonly id: string;
  readonly name?: string;
  /** Door ids, each with the schedule in which the group may pass it. */
  readonly doors: readonly { readonly doorId: string; readonly scheduleId: string }[];
}

export interface AccessPolicyOptions {
  /** Zones at or above this security level require a second factor (default 3). */
  readonly secondFactorLevel?: number;
  /** Window for the second credential of the two-person rule (default 5 s). */
  readonly twoPersonWindowSeconds?: number;
  /** Window in which a visitor must follow an escort through a door (default 5 s). */
  readonly escortWindowSeconds?: number;
}

export interface AccessPolicyInput {
  /** Monotonic policy version; a controller refuses a snapshot older than the one it runs. */
  readonly version: number;
  readonly sites: readonly SiteInput[];
  readonly zones: readonly ZoneInput[];
  readonly doors: readonly DoorInput[];
  readonly persons: readonly PersonInput[];
  readonly credentials: readonly CredentialInput[];
  readonly accessGroups: readonly AccessGroupInput[];
  readonly schedules: readonly ScheduleInput[];
  readonly options?: AccessPolicyOptions;
}

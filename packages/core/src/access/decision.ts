/**
 * What a decision says: grant or deny, a stable reason code, the rule that decided, the records
 * involved, and signals for the alarm side (a visitor astray, a passback, a lost card presented).
 * `explainDecision` turns it into the sentence an operator or auditor reads.
 */

export type DecisionRule =
  | 'door'
  | 'egress'
  | 'door_mode'
  | 'credential'
  | 'person'
  | 'lockdown'
  | 'access_group'
  | 'escort'
  | 'second_factor'
  | 'competency'
  | 'interlock'
  | 'occupancy'
  | 'anti_passback'
  | 'two_person';

export type DecisionReason =
  | 'access.granted'
  | 'access.granted_escorted'
  | 'access.granted_two_person'
  | 'access.free_egress'
  | 'access.door_unlocked'
  | 'access.lockdown_override'
  | 'access.unknown_door'
  | 'access.unknown_card'
  | 'access.door_locked'
  | 'access.lockdown'
  | 'access.credential_suspended'
  | 'access.credential_lost'
  | 'access.credential_stolen'
  | 'access.credential_revoked'
  | 'access.credential_not_yet_valid'
  | 'access.credential_expired'
  | 'access.person_suspended'
  | 'access.person_terminated'
  | 'access.person_not_yet_valid'
  | 'access.person_expired'
  | 'access.no_access'
  | 'access.outside_schedule'
  | 'access.escort_required'
  | 'access.second_factor_required'
  | 'access.pin_not_enrolled'
  | 'access.pin_incorrect'
  | 'access.biometric_mismatch'
  | 'access.competency_missing'
  | 'access.interlock_busy'
  | 'access.occupancy_full'
  | 'access.passback_violation'
  | 'access.awaiting_second_person';

/** A visitor who needs an escort badged with none in the window. */
export const SIGNAL_VISITOR_ASTRAY = 1;
/** A passback was seen (and allowed, in a soft zone or on exit). */
export const SIGNAL_PASSBACK = 2;
/** A card reported lost or stolen was presented. */
export const SIGNAL_LOST_OR_STOLEN_CARD = 4;
/** A first-person-in door was unlocked by this grant. */
export const SIGNAL_FIRST_IN_UNLOCKED = 8;

export type DecisionSignal = 'visitor_astray' | 'passback' | 'lost_or_stolen_card' | 'first_person_in_unlocked';

export interface UnknownCard {
  readonly bitCount: number;
  /** Left-aligned hex of the raw bits. */
  readonly hex: string;
  /** The catalogue format whose parity the bits pass, or null. */
  readonly format: string | null;
}

export interface AccessDecision {
  readonly granted: boolean;
  readonly reason: DecisionReason;
  readonly rule: DecisionRule;
  readonly at: number;
  readonly doorId: string | null;
  readonly zoneId: string | null;
  readonly credentialId: string | null;
  readonly personId: string | null;
  readonly accessGroupId: string | null;
  readonly scheduleId: string | null;
  /** Extra fact for the explanation: the missing competency, the door holding an interlock. */
  readonly detail: string | null;
  /** SIGNAL_* bits. */
  readonly signals: number;
  readonly unknownCard: UnknownCard | null;
}

export function decisionSignals(decision: AccessDecision): DecisionSignal[] {
  const out: DecisionSignal[] = [];
  if (decision.signals & SIGNAL_VISITOR_ASTRAY) out.push('visitor_astray');
  if (decision.signals & SIGNAL_PASSBACK) out.push('passback');
  if (decision.signals & SIGNAL_LOST_OR_STOLEN_CARD) out.push('lost_or_stolen_card');
  if (decision.signals & SIGNAL_FIRST_IN_UNLOCKED) out.push('first_person_in_unlocked');
  return out;
}

const REASONS: Record<DecisionReason, (d: AccessDecision) => string> = {
  'access.granted': (d) => `access group ${d.accessGroupId} allows door ${d.doorId} while schedule ${d.scheduleId} is active`,
  'access.granted_escorted': (d) => `the visitor followed escort ${d.detail} within the escort window`,
  'access.granted_two_person': (d) => `a second valid credential (person ${d.detail}) was presented within the two-person window`,
  'access.free_egress': () => 'exit is always free: no mode locks a door against egress',
  'access.door_unlocked': (d) => `door ${d.doorId} is unlocked in its current mode`,
  'access.lockdown_override': (d) => `person ${d.personId} holds the lockdown override privilege`,
  'access.unknown_door': (d) => `no door ${d.detail} is in the snapshot`,
  'access.unknown_card': (d) =>
    `the ${d.unknownCard?.bitCount}-bit card matches no credential${d.unknownCard?.format ? ` (reads as ${d.unknownCard.format})` : ''}`,
  'access.door_locked': (d) => `door ${d.doorId} is locked against entry`,
  'access.lockdown': (d) => `door ${d.doorId} is in lockdown and the person lacks the override privilege`,
  'access.credential_suspended': (d) => `credential ${d.credentialId} is suspended`,
  'access.credential_lost': (d) => `credential ${d.credentialId} is reported lost`,
  'access.credential_stolen': (d) => `credential ${d.credentialId} is reported stolen`,
  'access.credential_revoked': (d) => `credential ${d.credentialId} is revoked`,
  'access.credential_not_yet_valid': (d) => `credential ${d.credentialId} is not valid yet`,
  'access.credential_expired': (d) => `credential ${d.credentialId} has expired`,
  'access.person_suspended': (d) => `person ${d.personId} is suspended`,
  'access.person_terminated': (d) => `person ${d.personId} is terminated`,
  'access.person_not_yet_valid': (d) => `person ${d.personId} is not valid yet`,
  'access.person_expired': (d) => `the validity of person ${d.personId} has ended`,
  'access.no_access': (d) => `none of the access groups of person ${d.personId} includes door ${d.doorId}`,
  'access.outside_schedule': (d) => `access group ${d.accessGroupId} allows door ${d.doorId} only while schedule ${d.scheduleId} is active`,
  'access.escort_required': (d) => `visitor ${d.personId} needs an escort at door ${d.doorId} and none badged within the window`,
  'access.second_factor_required': (d) => `door ${d.doorId} requires a second factor (${d.detail}) and none was given`,
  'access.pin_not_enrolled': (d) => `person ${d.personId} has no valid PIN and door ${d.doorId} requires one`,
  'access.pin_incorrect': () => 'the PIN entered does not match',
  'access.biometric_mismatch': () => 'the reader reported that the biometric did not match',
  'access.competency_missing': (d) => `zone ${d.zoneId} requires a current ${d.detail} record`,
  'access.interlock_busy': (d) => `door ${d.detail} of the same interlock is open or released`,
  'access.occupancy_full': (d) => `zone ${d.zoneId} is at its occupancy limit`,
  'access.passback_violation': (d) => `person ${d.personId} is already recorded inside zone ${d.zoneId}`,
  'access.awaiting_second_person': (d) => `zone ${d.zoneId} needs a second valid credential within the two-person window`,
};

export function explainDecision(decision: AccessDecision): string {
  const verdict = decision.granted ? 'Granted' : 'Denied';
  const signals = decisionSignals(decision);
  const suffix = signals.length > 0 ? ` Signals: ${signals.join(', ')}.` : '';
  return `${verdict} by rule ${decision.rule}: ${REASONS[decision.reason](decision)}.${suffix}`;
}

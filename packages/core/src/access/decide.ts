/**
 * The access decision: arithmetic over the snapshot tables plus the explicit state; no I/O, no
 * time-zone database inside the compiled horizon, no allocation beyond the decision itself.
 *
 * Order of evaluation, and why:
 * 1. Exit is decided first and always granted: life safety outranks every mode and rule.
 * 2. Door modes that open the door to everyone (unlocked, scheduled open, first-person-in opened)
 *    grant next, then modes that shut it (locked) deny, before any per-person rule.
 * 3. Credential, then person state; then lockdown, where only the override privilege passes.
 * 4. The right to this door now: access group and schedule, or an escort for a visitor.
 * 5. Second factor, competencies; then the stateful rules (interlock, occupancy, anti-passback,
 *    two-person) last, so a refused request leaves no trace in the state (save the first badge
 *    of a two-person pair, which is what that rule waits on).
 */
import { scheduleActiveOn } from '../schedule/schedule.js';
import {
  SIGNAL_FIRST_IN_UNLOCKED,
  SIGNAL_LOST_OR_STOLEN_CARD,
  SIGNAL_PASSBACK,
  SIGNAL_VISITOR_ASTRAY,
  type AccessDecision,
  type DecisionReason,
  type DecisionRule,
} from './decision.js';
import { Decision } from './decision-record.js';
import { factorLabel, secondFactorVerdict } from './factors.js';
import { lookupCardSlot, type AccessRequest, type CardRead } from './requests.js';
import {
  APB_HARD,
  APB_NONE,
  CARD_CREDENTIAL,
  CARD_CREDENTIAL_STATE,
  CARD_GROUPS,
  CARD_INLINE_GROUPS,
  CARD_PERSON,
  CARD_PERSON_STATE,
  CARD_SLOT,
  DOOR_FROM_ZONE,
  DOOR_INTERLOCK,
  DOOR_MODE,
  DOOR_SCHEDULE,
  DOOR_SITE,
  DOOR_STRIDE,
  DOOR_TO_ZONE,
  MODE_FIRE_EGRESS,
  MODE_FIRST_PERSON_IN,
  MODE_LOCKDOWN,
  MODE_LOCKED,
  MODE_SCHEDULED,
  MODE_UNLOCKED,
  NEEDS_ESCORT,
  PRIVILEGE_ESCORT,
  PRIVILEGE_FIRST_PERSON_IN,
  PRIVILEGE_LOCKDOWN_OVERRIDE,
  type AccessSnapshot,
} from './snapshot.js';
import { assertStateFor, type AccessState } from './state.js';
import { credentialVerdict, findGrant, missingCompetency, personVerdict, scheduleWindowEnd } from './rules.js';

export type { AccessRequest, CardRead } from './requests.js';

/** Builds a decision from indices (-1: none); one shape for every decision keeps call sites monomorphic. */
function verdict(
  s: AccessSnapshot,
  granted: boolean,
  reason: DecisionReason,
  rule: DecisionRule,
  now: number,
  door: number,
  zone: number,
  credential: number,
  person: number,
  group: number,
  schedule: number,
  detail: string | null,
  signals: number,
  unknownRead: CardRead | null,
): AccessDecision {
  return new Decision(s, granted, reason, rule, now, door, zone, credential, person, group, schedule, detail, signals, unknownRead);
}

/**
 * Decides one request at `now` (UTC ms). Grants update `state` (where the person now is, zone
 * counts, door release, escorts, first-person-in); refusals leave it untouched except for the
 * first badge of a two-person pair.
 */
export function decide(s: AccessSnapshot, request: AccessRequest, now: number, state: AccessState): AccessDecision {
  assertStateFor(s, state);
  const door = s.doorIndex.get(request.doorId);
  if (door === undefined) return verdict(s, false, 'access.unknown_door', 'door', now, -1, -1, -1, -1, -1, -1, request.doorId, 0, null);
  const record = s.doorRecords;
  const base = door * DOOR_STRIDE;
  const toZone = record[base + DOOR_TO_ZONE]!;
  const card = request.card;
  // The card's slot holds the credential and what the decision reads of its holder (lookups.ts).
  const slot = card ? lookupCardSlot(s, card) : -1;
  const cards = s.cardTable.i32;
  const at = slot * CARD_SLOT;
  const credential = slot >= 0 ? cards[at + CARD_CREDENTIAL]! : -1;
  const person = slot >= 0 ? cards[at + CARD_PERSON]! : -1;
  const credentialState = slot >= 0 ? cards[at + CARD_CREDENTIAL_STATE]! & 0xff : 0;
  const personState = slot >= 0 ? cards[at + CARD_PERSON_STATE]! : 0;
  const credentialStatus = credentialState & 0xf;
  let signals = credentialStatus === 2 || credentialStatus === 3 ? SIGNAL_LOST_OR_STOLEN_CARD : 0;

  // 1. Egress: never refused, in any mode.
  if (request.kind === 'exit_request' || request.direction === 'exit') {
    if (person >= 0 && toZone >= 0 && s.zones.antiPassback[toZone] !== APB_NONE) {
      const recorded = state.personZone[person]!;
      if (recorded >= 0 && recorded !== toZone && !passbackForgiven(s, state, person, toZone, now)) signals |= SIGNAL_PASSBACK;
    }
    commitPassage(s, state, door, person, now, false);
    const unknown = credential < 0 ? (card ?? null) : null;
    return verdict(s, true, 'access.free_egress', 'egress', now, door, toZone, credential, person, -1, -1, null, signals, unknown);
  }

  // 2. Door mode: fire egress, then lockdown, then an operator override, then the configured mode.
  const mode = state.fireEgress[door]
    ? MODE_FIRE_EGRESS
    : state.lockdown[door]
      ? MODE_LOCKDOWN
      : state.modeOverride[door]! >= 0
        ? state.modeOverride[door]!
        : record[base + DOOR_MODE]!;
  const site = record[base + DOOR_SITE]!;
  const clock = s.clocks[site]!.at(now);
  const doorSchedule = record[base + DOOR_SCHEDULE]!;
  const doorScheduleActive =
    (mode === MODE_SCHEDULED || mode === MODE_FIRST_PERSON_IN) && doorSchedule >= 0 && scheduleActiveOn(s.schedules[doorSchedule]!, clock);
  if (mode === MODE_UNLOCKED || (doorScheduleActive && (mode === MODE_SCHEDULED || state.firstInUntil[door]! > now))) {
    if (person >= 0) commitPassage(s, state, door, person, now, true);
    const unknown = credential < 0 ? (card ?? null) : null;
    return verdict(s, true, 'access.door_unlocked', 'door_mode', now, door, toZone, credential, person, -1, -1, null, signals, unknown);
  }
  if (mode === MODE_LOCKED)
    return verdict(s, false, 'access.door_locked', 'door_mode', now, door, toZone, credential, person, -1, -1, null, signals, null);
  if (credential < 0)
    return verdict(s, false, 'access.unknown_card', 'credential', now, door, toZone, -1, -1, -1, -1, null, signals, card ?? null);

  // 3. Credential and person state; lockdown. Active and unbounded (state 0) is the common case;
  // anything else reads the full records.
  const open = now < Infinity;
  const credentialReason = credentialState === 0 && open ? null : credentialVerdict(s, credential, now);
  if (credentialReason !== null)
    return verdict(s, false, credentialReason, 'credential', now, door, toZone, credential, person, -1, -1, null, signals, null);
  const personReason = (personState & 0xff) === 0 && open ? null : personVerdict(s, person, now);
  if (personReason !== null)
    return verdict(s, false, personReason, 'person', now, door, toZone, credential, person, -1, -1, null, signals, null);
  const flags = (personState >>> 8) & 0xff;
  if (mode === MODE_LOCKDOWN) {
    if ((flags & PRIVILEGE_LOCKDOWN_OVERRIDE) === 0)
      return verdict(s, false, 'access.lockdown', 'lockdown', now, door, toZone, credential, person, -1, -1, null, signals, null);
    commitPassage(s, state, door, person, now, true);
    return verdict(s, true, 'access.lockdown_override', 'lockdown', now, door, toZone, credential, person, -1, -1, null, signals, null);
  }

  // 4. The right to pass this door now: an access group in schedule, or an escort for a visitor.
  let group = -1;
  let schedule = -1;
  let escort = -1;
  if (flags & NEEDS_ESCORT) {
    // The escort vouches for the visitor: a visitor needs no access group of their own, only an
    // escort granted at this door moments before.
    escort = state.escortPerson[door]!;
    if (escort < 0 || escort === person || now - state.escortAt[door]! > s.escortWindowMs) {
      const astray = signals | SIGNAL_VISITOR_ASTRAY;
      return verdict(s, false, 'access.escort_required', 'escort', now, door, toZone, credential, person, -1, -1, null, astray, null);
    }
  } else {
    const groupCount = personState >>> 16;
    const inline = groupCount <= CARD_INLINE_GROUPS;
    const groupFrom = inline ? at + CARD_GROUPS : cards[at + CARD_GROUPS]!;
    const groupTo = inline ? groupFrom + groupCount : s.persons.groupStart[person + 1]!;
    const grant = findGrant(s, inline ? cards : s.persons.groups, groupFrom, groupTo, door, clock);
    if (grant === -1)
      return verdict(s, false, 'access.no_access', 'access_group', now, door, toZone, credential, person, -1, -1, null, signals, null);
    const position = grant >= 0 ? grant : -grant - 2;
    group = record[position]!;
    schedule = record[position + 1]!;
    if (grant < 0) {
      const reason = 'access.outside_schedule';
      return verdict(s, false, reason, 'access_group', now, door, toZone, credential, person, group, schedule, null, signals, null);
    }
  }

  // 5. Second factor and competencies.
  const factorReason = secondFactorVerdict(s, request, mode, toZone, person, now);
  if (factorReason !== null) {
    const label = factorLabel(s, mode, toZone);
    return verdict(s, false, factorReason, 'second_factor', now, door, toZone, credential, person, group, schedule, label, signals, null);
  }
  if (toZone >= 0) {
    const missing = missingCompetency(s, toZone, person, now);
    if (missing >= 0) {
      const competency = s.competencyTypes[missing] ?? null;
      const reason = 'access.competency_missing';
      return verdict(s, false, reason, 'competency', now, door, toZone, credential, person, group, schedule, competency, signals, null);
    }
  }

  // 6. Stateful rules.
  const interlock = record[base + DOOR_INTERLOCK]!;
  if (interlock >= 0) {
    const doors = s.doors;
    for (let k = doors.interlockStart[interlock]!; k < doors.interlockStart[interlock + 1]!; k++) {
      const other = doors.interlockDoors[k]!;
      if (other !== door && (state.doorOpen[other] === 1 || state.releasedUntil[other]! > now)) {
        const holding = doors.ids[other] ?? null;
        const reason = 'access.interlock_busy';
        return verdict(s, false, reason, 'interlock', now, door, toZone, credential, person, group, schedule, holding, signals, null);
      }
    }
  }
  if (toZone >= 0) {
    const limit = s.zones.occupancyLimit[toZone]!;
    if (limit >= 0 && state.occupancy[toZone]! >= limit) {
      const reason = 'access.occupancy_full';
      return verdict(s, false, reason, 'occupancy', now, door, toZone, credential, person, group, schedule, null, signals, null);
    }
    const apb = s.zones.antiPassback[toZone]!;
    if (apb !== APB_NONE && state.personZone[person] === toZone && !passbackForgiven(s, state, person, toZone, now)) {
      if (apb === APB_HARD) {
        const reason = 'access.passback_violation';
        return verdict(s, false, reason, 'anti_passback', now, door, toZone, credential, person, group, schedule, null, signals, null);
      }
      signals |= SIGNAL_PASSBACK;
    }
  }
  let reason: DecisionReason = escort >= 0 ? 'access.granted_escorted' : 'access.granted';
  let rule: DecisionRule = escort >= 0 ? 'escort' : 'access_group';
  let detail = escort >= 0 ? (s.persons.ids[escort] ?? null) : null;
  if (toZone >= 0 && s.zones.twoPerson[toZone] === 1) {
    const first = state.pendingPerson[door]!;
    if (first < 0 || first === person || now - state.pendingAt[door]! > s.twoPersonWindowMs) {
      state.pendingPerson[door] = person;
      state.pendingAt[door] = now;
      const awaiting = 'access.awaiting_second_person';
      return verdict(s, false, awaiting, 'two_person', now, door, toZone, credential, person, group, schedule, null, signals, null);
    }
    state.pendingPerson[door] = -1;
    commitPassage(s, state, door, first, now, true);
    reason = 'access.granted_two_person';
    rule = 'two_person';
    detail = s.persons.ids[first] ?? null;
  }

  // Granted: record the passage and what it opens for others.
  commitPassage(s, state, door, person, now, true);
  if (flags & PRIVILEGE_ESCORT) {
    state.escortPerson[door] = person;
    state.escortAt[door] = now;
  }
  if (mode === MODE_FIRST_PERSON_IN && doorScheduleActive && flags & PRIVILEGE_FIRST_PERSON_IN) {
    state.firstInUntil[door] = scheduleWindowEnd(s.schedules[doorSchedule]!, s.calendars[site]!, now);
    signals |= SIGNAL_FIRST_IN_UNLOCKED;
  }
  return verdict(s, true, reason, rule, now, door, toZone, credential, person, group, schedule, detail, signals, null);
}

function passbackForgiven(s: AccessSnapshot, state: AccessState, person: number, zone: number, now: number): boolean {
  const forgiveMs = s.zones.passbackForgiveMs[zone]!;
  return forgiveMs > 0 && now - state.personZoneAt[person]! >= forgiveMs;
}

/** Moves a person through a door: location, zone counts, interlock release. */
function commitPassage(s: AccessSnapshot, state: AccessState, door: number, person: number, now: number, entering: boolean): void {
  const base = door * DOOR_STRIDE;
  const toZone = s.doorRecords[base + DOOR_TO_ZONE]!;
  const fromZone = s.doorRecords[base + DOOR_FROM_ZONE]!;
  const into = entering ? toZone : fromZone;
  const outOf = entering ? fromZone : toZone;
  if (into >= 0) state.occupancy[into]!++;
  if (outOf >= 0 && state.occupancy[outOf]! > 0) state.occupancy[outOf]!--;
  if (person >= 0) {
    state.personZone[person] = into;
    state.personZoneAt[person] = now;
  }
  if (s.doorRecords[base + DOOR_INTERLOCK]! >= 0) state.releasedUntil[door] = now + s.doors.releaseMs[door]!;
}

/** The per-record checks of a decision, each a few typed-array reads. */
import { scheduleActiveAt, scheduleActiveOn, type CompiledCalendar, type CompiledSchedule, type LocalClock } from '../schedule/schedule.js';
import type { DecisionReason } from './decision.js';
import { DOOR_GRANT_END, DOOR_GRANT_START, DOOR_STRIDE, type AccessSnapshot } from './snapshot.js';

const CREDENTIAL_REASONS: readonly (DecisionReason | null)[] = [
  null,
  'access.credential_suspended',
  'access.credential_lost',
  'access.credential_stolen',
  'access.credential_revoked',
];
const PERSON_REASONS: readonly (DecisionReason | null)[] = [null, 'access.person_suspended', 'access.person_terminated'];

export function credentialVerdict(s: AccessSnapshot, credential: number, now: number): DecisionReason | null {
  const c = s.credentials;
  const status = CREDENTIAL_REASONS[c.status[credential]!] ?? null;
  if (status !== null) return status;
  if (now < c.validFrom[credential]!) return 'access.credential_not_yet_valid';
  if (now >= c.validUntil[credential]!) return 'access.credential_expired';
  return null;
}

export function personVerdict(s: AccessSnapshot, person: number, now: number): DecisionReason | null {
  const p = s.persons;
  const status = PERSON_REASONS[p.status[person]!] ?? null;
  if (status !== null) return status;
  if (now < p.validFrom[person]!) return 'access.person_not_yet_valid';
  if (now >= p.validUntil[person]!) return 'access.person_expired';
  return null;
}

/** Door grant lists of up to this many grants are scanned; longer ones are binary searched. */
const LINEAR_GRANTS = 16;

/**
 * Searches the person's groups (`groups[groupFrom .. groupTo)`), in their order, for a grant of the door whose schedule is active.
 * Returns the grant's position in `doorRecords` (its group there, its schedule after it);
 * `-position - 2` when the door is granted only outside its schedules (the last such grant seen);
 * -1 when no group of the person grants the door at all.
 */
export function findGrant(
  s: AccessSnapshot,
  groups: Int32Array,
  groupFrom: number,
  groupTo: number,
  door: number,
  clock: LocalClock,
): number {
  const grants = s.doorRecords;
  const base = door * DOOR_STRIDE;
  const start = grants[base + DOOR_GRANT_START]!;
  const end = grants[base + DOOR_GRANT_END]!;
  let inactive = -1;
  if (start === end) return inactive;
  for (let k = groupFrom; k < groupTo; k++) {
    const group = groups[k]!;
    let lo = start;
    if (end - start > 2 * LINEAR_GRANTS) {
      let hi = end;
      while (lo < hi) {
        const mid = lo + (((hi - lo) >>> 2) << 1);
        if (grants[mid]! < group) lo = mid + 2;
        else hi = mid;
      }
    }
    for (let i = lo; i < end; i += 2) {
      const other = grants[i]!;
      if (other < group) continue;
      if (other > group) break;
      if (scheduleActiveOn(s.schedules[grants[i + 1]!]!, clock)) return i;
      inactive = -i - 2;
    }
  }
  return inactive;
}

/** The first competency type the zone requires that the person holds no current record of, or -1. */
export function missingCompetency(s: AccessSnapshot, zone: number, person: number, now: number): number {
  const z = s.zones;
  const p = s.persons;
  for (let r = z.competencyStart[zone]!; r < z.competencyStart[zone + 1]!; r++) {
    const type = z.competencies[r]!;
    let held = false;
    for (let c = p.competencyStart[person]!; c < p.competencyStart[person + 1]! && !held; c++) {
      held = p.competencyType[c] === type && p.competencyFrom[c]! <= now && now < p.competencyUntil[c]!;
    }
    if (!held) return type;
  }
  return -1;
}

const WEEK_MS = 7 * 86_400_000;

/** When the schedule, active at `now`, next becomes inactive (minute resolution, at most a week ahead). */
export function scheduleWindowEnd(schedule: CompiledSchedule, calendar: CompiledCalendar, now: number): number {
  const start = Math.floor(now / 60_000) * 60_000;
  for (let t = start + 60_000; t <= start + WEEK_MS; t += 60_000) {
    if (!scheduleActiveAt(schedule, calendar, t)) return t;
  }
  return start + WEEK_MS;
}

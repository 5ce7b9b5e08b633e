/** The per-record checks of a decision, each a few typed-array reads. */
import { scheduleActiveAt, scheduleActiveLocal, type CompiledCalendar, type CompiledSchedule } from '../schedule/schedule.js';
import type { DecisionReason } from './decision.js';
import type { AccessSnapshot } from './snapshot.js';

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

/**
 * Searches the person's groups for a grant of `door` whose schedule is active. Returns its
 * position in the group tables; `-position - 2` when the door is granted only outside its
 * schedules (the last such grant seen); -1 when no group grants the door at all.
 */
export function findGrant(
  s: AccessSnapshot,
  person: number,
  door: number,
  calendar: CompiledCalendar,
  day: number,
  minute: number,
): number {
  const { groupStart, groups } = s.persons;
  const { doorStart, doors, schedules } = s.groups;
  let inactive = -1;
  for (let k = groupStart[person]!; k < groupStart[person + 1]!; k++) {
    const group = groups[k]!;
    let lo = doorStart[group]!;
    let hi = doorStart[group + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (doors[mid]! < door) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < doorStart[group + 1]! && doors[i] === door; i++) {
      if (scheduleActiveLocal(s.schedules[schedules[i]!]!, calendar, day, minute)) return i;
      inactive = -i - 2;
    }
  }
  return inactive;
}

/** The group owning a position of the group door tables. */
export function grantGroup(s: AccessSnapshot, position: number): number {
  const starts = s.groups.doorStart;
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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

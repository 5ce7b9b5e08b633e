/**
 * A site's IANA time zone compiled into a table of UTC offset changes, so that turning an instant
 * into local wall-clock time at decision time is a short binary search and an addition. The table
 * is computed once with Intl.DateTimeFormat (the runtime's tz database) for a bounded horizon and
 * travels inside the snapshot, so a door controller evaluates schedules with exactly the rules the
 * server compiled, whatever tz database the controller itself carries.
 */
import { scheduleError } from './errors.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface ZoneTable {
  readonly zone: string;
  /** UTC ms from which the table is valid (inclusive). */
  readonly from: number;
  /** UTC ms until which the table is valid (exclusive). */
  readonly to: number;
  /** UTC ms at which each offset starts; `starts[0] === from`, strictly increasing. */
  readonly starts: readonly number[];
  /** Offset from UTC in ms (local = utc + offset) in force from the matching `starts` entry. */
  readonly offsets: readonly number[];
}

export interface ZoneHorizon {
  readonly from: Date;
  readonly to: Date;
}

/** The default horizon: 1 January of the previous year to 1 January two years on (three years). */
export function defaultZoneHorizon(now: Date): ZoneHorizon {
  const year = now.getUTCFullYear();
  return { from: new Date(Date.UTC(year - 1, 0, 1)), to: new Date(Date.UTC(year + 2, 0, 1)) };
}

// No zone has changed offset twice within six hours, so sampling at that step finds every change.
const SCAN_STEP_MS = 6 * HOUR_MS;

export function compileTimeZone(zone: string, horizon: ZoneHorizon): ZoneTable {
  const from = horizon.from.getTime();
  const to = horizon.to.getTime();
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) {
    throw scheduleError('schedule.invalid_horizon', 'The time-zone horizon must be a non-empty range of valid dates', { zone });
  }
  const offsetAt = intlOffset(zone);
  const starts = [from];
  const offsets = [offsetAt(from)];
  let previous = from;
  let previousOffset = offsets[0]!;
  for (let t = Math.min(from + SCAN_STEP_MS, to); ; t = Math.min(t + SCAN_STEP_MS, to)) {
    const offset = offsetAt(t);
    if (offset !== previousOffset) {
      // Narrow to the second at which the new offset begins (tz rules are whole seconds).
      let lo = Math.floor(previous / 1000);
      let hi = Math.ceil(t / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid * 1000) === previousOffset) lo = mid;
        else hi = mid;
      }
      starts.push(hi * 1000);
      previousOffset = offsetAt(hi * 1000);
      offsets.push(previousOffset);
    }
    previous = t;
    if (t >= to) break;
  }
  return { zone, from, to, starts, offsets };
}

/** The UTC offset in ms at `utcMs`; outside the table's horizon it falls back to the runtime tz database. */
export function zoneOffset(table: ZoneTable, utcMs: number): number {
  if (utcMs < table.from || utcMs >= table.to) return intlOffset(table.zone)(utcMs);
  return table.offsets[offsetSegment(table, utcMs)]!;
}

/** Index of the table entry whose offset is in force at `utcMs` (0 before the first change). */
export function offsetSegment(table: ZoneTable, utcMs: number): number {
  const starts = table.starts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= utcMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Local wall-clock time as ms since 1970-01-01T00:00 local (a "floating" timestamp). */
export function localMs(table: ZoneTable, utcMs: number): number {
  return utcMs + zoneOffset(table, utcMs);
}

/** Days since 1970-01-01 of a local date written YYYY-MM-DD, or NaN when it is not a real date. */
export function dayNumberOf(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return Number.NaN;
  return ms / DAY_MS;
}

/** 0 = Sunday … 6 = Saturday, for a day number (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function intlOffset(zone: string): (utcMs: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw scheduleError('schedule.invalid_time_zone', `Unknown IANA time zone ${zone}`, { zone });
  }
  return (utcMs) => {
    const whole = Math.floor(utcMs / 1000) * 1000;
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(whole))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(fields.year!, fields.month! - 1, fields.day, fields.hour, fields.minute, fields.second);
    return asUtc - whole;
  };
}

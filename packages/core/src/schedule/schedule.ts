/**
 * Weekly schedules and holiday calendars. A schedule is a set of wall-clock intervals per weekday;
 * it is evaluated in the time zone and holiday calendar of the site where it is used, so one
 * "Weekdays 07:00-19:00" serves every site of a health system. Compiled schedules are bitsets of
 * minutes, one per day profile, so checking one at decision time is a few array reads.
 */
import { scheduleError } from './errors.js';
import { DAY_MS, MINUTE_MS, dayNumberOf, localMs, offsetSegment, weekdayOf, type ZoneTable } from './timezone.js';

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Wall-clock times `HH:MM`; an `end` at or before `start` ends the next day, `24:00` is midnight. */
export interface TimeRange {
  readonly start: string;
  readonly end: string;
}

export interface WeeklyInterval extends TimeRange {
  /** The days the interval starts on. */
  readonly days: readonly Weekday[];
}

/**
 * On a holiday of some type a schedule is either `exclude`d (inactive all day), `include`d (runs as
 * on that weekday), or runs the given ranges instead of its weekday intervals.
 */
export type HolidayTreatment = 'exclude' | 'include' | readonly TimeRange[];

export interface ScheduleInput {
  readonly id: string;
  readonly name?: string;
  readonly intervals: readonly WeeklyInterval[];
  /**
   * Treatment per holiday type. A type not listed is included: a holiday changes a schedule only
   * when the schedule says so, so a 24/7 ward schedule is never closed by a new holiday type.
   */
  readonly holidays?: Readonly<Record<string, HolidayTreatment>>;
}

export interface HolidayInput {
  /** Local date at the site, YYYY-MM-DD. */
  readonly date: string;
  readonly type: string;
  readonly name?: string;
}

/** Weekday profiles 0..6, then the always-inactive profile, then one per custom holiday treatment. */
const CLOSED_PROFILE = 7;
const INCLUDE_WEEKDAY = -1;
const WORDS_PER_DAY = 45; // 1440 minutes / 32 bits
/** Per profile: minutes starting that day, then minutes spilling past midnight into the next day. */
export const WORDS_PER_PROFILE = WORDS_PER_DAY * 2;

export interface CompiledSchedule {
  readonly id: string;
  readonly bits: Uint32Array;
  /** Indexed by holiday type index: the profile to use, or -1 to run the weekday as normal. */
  readonly holidayProfiles: Int16Array;
}

export interface CompiledCalendar {
  readonly zone: ZoneTable;
  /** Day number (days since 1970-01-01, local) of `holidayTypeByDay[0]`. */
  readonly firstDay: number;
  /** Holiday type index of each day, -1 where the day is no holiday. */
  readonly holidayTypeByDay: Int16Array;
}

export function parseClock(text: string, allowMidnightEnd: boolean): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  const valid = match !== null && Number(match[2]) < 60 && (minutes < 1440 || (allowMidnightEnd && minutes === 1440));
  if (!valid) throw scheduleError('schedule.invalid_interval', `${text} is not a time of day HH:MM`, { time: text });
  return minutes;
}

function setRange(bits: Uint32Array, base: number, from: number, to: number): void {
  for (let m = from; m < to; m++) bits[base + (m >>> 5)]! |= 1 << (m & 31);
}

function fillProfile(bits: Uint32Array, profile: number, range: TimeRange): void {
  const start = parseClock(range.start, false);
  const end = parseClock(range.end, true);
  if (start === end) {
    throw scheduleError('schedule.invalid_interval', `Interval ${range.start}-${range.end} is empty`, {
      start: range.start,
      end: range.end,
    });
  }
  const base = profile * WORDS_PER_PROFILE;
  if (end > start) setRange(bits, base, start, end);
  else {
    setRange(bits, base, start, 1440);
    setRange(bits, base + WORDS_PER_DAY, 0, end);
  }
}

/** Compiles schedules against the snapshot-wide list of holiday types (index = position). */
export function compileSchedule(input: ScheduleInput, holidayTypes: readonly string[]): CompiledSchedule {
  const treatments = Object.entries(input.holidays ?? {});
  const custom = treatments.filter(([, t]) => Array.isArray(t));
  const bits = new Uint32Array((CLOSED_PROFILE + 1 + custom.length) * WORDS_PER_PROFILE);
  for (const interval of input.intervals) {
    if (interval.days.length === 0) {
      throw scheduleError('schedule.invalid_interval', `An interval of schedule ${input.id} has no weekday`, { schedule: input.id });
    }
    for (const day of interval.days) {
      const index = WEEKDAYS.indexOf(day);
      if (index < 0) throw scheduleError('schedule.invalid_interval', `${String(day)} is not a weekday`, { schedule: input.id });
      fillProfile(bits, index, interval);
    }
  }
  const holidayProfiles = new Int16Array(holidayTypes.length).fill(INCLUDE_WEEKDAY);
  let next = CLOSED_PROFILE + 1;
  for (const [type, treatment] of treatments) {
    const typeIndex = holidayTypes.indexOf(type);
    let profile: number;
    if (treatment === 'include') profile = INCLUDE_WEEKDAY;
    else if (treatment === 'exclude') profile = CLOSED_PROFILE;
    else {
      profile = next++;
      for (const range of treatment) fillProfile(bits, profile, range);
    }
    // A treatment for a type no site uses has nothing to apply to.
    if (typeIndex >= 0) holidayProfiles[typeIndex] = profile;
  }
  return { id: input.id, bits, holidayProfiles };
}

export function compileCalendar(zone: ZoneTable, holidays: readonly HolidayInput[], holidayTypes: readonly string[]): CompiledCalendar {
  const days = holidays.map((h) => {
    const day = dayNumberOf(h.date);
    if (Number.isNaN(day)) throw scheduleError('schedule.invalid_holiday', `${h.date} is not a date YYYY-MM-DD`, { date: h.date });
    return day;
  });
  // Cover the zone's horizon (with a day either side for midnight spill) and every listed holiday.
  const firstDay = Math.min(Math.floor(zone.from / DAY_MS) - 1, ...days);
  const lastDay = Math.max(Math.ceil(zone.to / DAY_MS) + 1, ...days);
  const holidayTypeByDay = new Int16Array(lastDay - firstDay + 1).fill(-1);
  holidays.forEach((holiday, i) => {
    const slot = days[i]! - firstDay;
    if (holidayTypeByDay[slot] !== -1) {
      throw scheduleError('schedule.invalid_holiday', `Two holidays fall on ${holiday.date}`, { date: holiday.date });
    }
    holidayTypeByDay[slot] = holidayTypes.indexOf(holiday.type);
  });
  return { zone, firstDay, holidayTypeByDay };
}

/** The holiday type index of a local day, or -1. */
export function holidayTypeOn(calendar: CompiledCalendar, day: number): number {
  const slot = day - calendar.firstDay;
  return slot >= 0 && slot < calendar.holidayTypeByDay.length ? calendar.holidayTypeByDay[slot]! : -1;
}

function profileOn(schedule: CompiledSchedule, calendar: CompiledCalendar, day: number): number {
  return profileFor(schedule, holidayTypeOn(calendar, day), weekdayOf(day));
}

/** Whether the schedule is active at a local day number and minute of that day. */
export function scheduleActiveLocal(schedule: CompiledSchedule, calendar: CompiledCalendar, day: number, minute: number): boolean {
  const word = minute >>> 5;
  const mask = 1 << (minute & 31);
  const bits = schedule.bits;
  if ((bits[profileOn(schedule, calendar, day) * WORDS_PER_PROFILE + word]! & mask) !== 0) return true;
  return (bits[profileOn(schedule, calendar, day - 1) * WORDS_PER_PROFILE + WORDS_PER_DAY + word]! & mask) !== 0;
}

/** Local day number and minute of the day at a site for an instant; written into `out` to avoid allocation. */
export function localDayMinute(calendar: CompiledCalendar, utcMs: number, out: { day: number; minute: number }): void {
  const local = localMs(calendar.zone, utcMs);
  const day = Math.floor(local / DAY_MS);
  out.day = day;
  out.minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
}

export function scheduleActiveAt(schedule: CompiledSchedule, calendar: CompiledCalendar, utcMs: number): boolean {
  const local = localMs(calendar.zone, utcMs);
  const day = Math.floor(local / DAY_MS);
  return scheduleActiveLocal(schedule, calendar, day, Math.floor((local - day * DAY_MS) / MINUTE_MS));
}

/**
 * A site's local day and minute, memoised over the span of UTC instants that share them (the
 * same local minute under the same UTC offset). Decisions arrive many per minute, so most pay a
 * comparison instead of an offset search and a holiday lookup. One per calendar; the memo only
 * ever holds what `localMs` would compute, so sharing it between callers cannot change an answer.
 */
export class LocalClock {
  /** The UTC span `[from, to)` the fields below hold for; empty until first asked. */
  private from = 0;
  private to = 0;
  day = 0;
  minute = 0;
  weekday = 0;
  previousWeekday = 0;
  /** Holiday type index of the day and of the day before (-1: none). */
  holiday = -1;
  previousHoliday = -1;

  constructor(private readonly calendar: CompiledCalendar) {}

  /** Sets the fields for `utcMs` and returns this clock. */
  at(utcMs: number): LocalClock {
    if (utcMs >= this.from && utcMs < this.to) return this;
    const zone = this.calendar.zone;
    const segment = utcMs >= zone.from && utcMs < zone.to ? offsetSegment(zone, utcMs) : -1;
    // Outside the compiled horizon the offset comes from the runtime's tz database: not memoised.
    const offset = segment >= 0 ? zone.offsets[segment]! : localMs(zone, utcMs) - utcMs;
    const local = utcMs + offset;
    const day = Math.floor(local / DAY_MS);
    const minuteStart = Math.floor(local / MINUTE_MS) * MINUTE_MS;
    this.day = day;
    this.minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
    this.weekday = weekdayOf(day);
    this.previousWeekday = weekdayOf(day - 1);
    this.holiday = holidayTypeOn(this.calendar, day);
    this.previousHoliday = holidayTypeOn(this.calendar, day - 1);
    if (segment < 0) {
      this.from = 0;
      this.to = 0;
    } else {
      const segmentEnd = segment + 1 < zone.starts.length ? zone.starts[segment + 1]! : zone.to;
      this.from = Math.max(zone.starts[segment]!, minuteStart - offset);
      this.to = Math.min(segmentEnd, minuteStart + MINUTE_MS - offset);
    }
    return this;
  }
}

function profileFor(schedule: CompiledSchedule, holiday: number, weekday: number): number {
  if (holiday >= 0) {
    const profile = schedule.holidayProfiles[holiday] ?? INCLUDE_WEEKDAY;
    if (profile !== INCLUDE_WEEKDAY) return profile;
  }
  return weekday;
}

/** `scheduleActiveLocal` at the instant a clock was last set to. */
export function scheduleActiveOn(schedule: CompiledSchedule, clock: LocalClock): boolean {
  const minute = clock.minute;
  const word = minute >>> 5;
  const mask = 1 << (minute & 31);
  const bits = schedule.bits;
  if ((bits[profileFor(schedule, clock.holiday, clock.weekday) * WORDS_PER_PROFILE + word]! & mask) !== 0) return true;
  const previous = profileFor(schedule, clock.previousHoliday, clock.previousWeekday);
  return (bits[previous * WORDS_PER_PROFILE + WORDS_PER_DAY + word]! & mask) !== 0;
}

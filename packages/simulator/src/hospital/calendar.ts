/**
 * Time in the hospital: the weekly schedules access groups run on, and the site's holidays (the
 * US federal holidays a hospital's offices close for, on their observed dates). The years are
 * fixed rather than read from the clock, so the same seed always gives the same calendar.
 */
import type { ScheduleModel } from '../model.js';

export const HOLIDAY_YEARS = [2025, 2026, 2027, 2028, 2029, 2030] as const;

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];

export type ScheduleKey = 'always' | 'day_shift' | 'night_shift' | 'business_hours' | 'contractor_hours' | 'visiting_hours' | 'deliveries';

export const SCHEDULES: Readonly<Record<ScheduleKey, ScheduleModel>> = {
  always: {
    key: 'always',
    name: 'Around the Clock',
    intervals: [{ days: EVERY_DAY, start: '00:00', end: '24:00' }],
    observesHolidays: false,
  },
  // Shifts overlap by half an hour either side for the handover at 07:00 and 19:00.
  day_shift: {
    key: 'day_shift',
    name: 'Day Shift',
    intervals: [{ days: EVERY_DAY, start: '06:30', end: '19:30' }],
    observesHolidays: false,
  },
  night_shift: {
    key: 'night_shift',
    name: 'Night Shift',
    intervals: [{ days: EVERY_DAY, start: '18:30', end: '07:30' }],
    observesHolidays: false,
  },
  business_hours: {
    key: 'business_hours',
    name: 'Business Hours',
    intervals: [{ days: WEEKDAYS, start: '06:00', end: '20:00' }],
    observesHolidays: true,
  },
  contractor_hours: {
    key: 'contractor_hours',
    name: 'Contractor Hours',
    intervals: [{ days: WEEKDAYS, start: '07:00', end: '17:00' }],
    observesHolidays: true,
  },
  visiting_hours: {
    key: 'visiting_hours',
    name: 'Visiting Hours',
    intervals: [{ days: EVERY_DAY, start: '09:00', end: '20:00' }],
    observesHolidays: false,
  },
  deliveries: {
    key: 'deliveries',
    name: 'Deliveries',
    intervals: [{ days: [1, 2, 3, 4, 5, 6], start: '05:00', end: '15:00' }],
    observesHolidays: true,
  },
};

const iso = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** The `n`-th given weekday of a month (n = -1: the last one). */
function nthWeekday(year: number, month: number, day: number, n: number): string {
  if (n > 0) {
    const first = weekday(year, month, 1);
    return iso(year, month, 1 + ((day - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDate = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekday(year, month, lastDate);
  return iso(year, month, lastDate - ((last - day + 7) % 7));
}

/** A fixed-date holiday on a Saturday is observed on the Friday, on a Sunday on the Monday. */
function observed(year: number, month: number, day: number): string {
  const wd = weekday(year, month, day);
  return iso(year, month, day + (wd === 6 ? -1 : wd === 0 ? 1 : 0));
}

export function usHolidays(years: readonly number[] = HOLIDAY_YEARS): { date: string; name: string }[] {
  return years.flatMap((year) => [
    { date: observed(year, 1, 1), name: 'New Year’s Day' },
    { date: nthWeekday(year, 1, 1, 3), name: 'Martin Luther King Jr. Day' },
    { date: nthWeekday(year, 2, 1, 3), name: 'Presidents’ Day' },
    { date: nthWeekday(year, 5, 1, -1), name: 'Memorial Day' },
    { date: observed(year, 6, 19), name: 'Juneteenth' },
    { date: observed(year, 7, 4), name: 'Independence Day' },
    { date: nthWeekday(year, 9, 1, 1), name: 'Labor Day' },
    { date: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' },
    { date: observed(year, 12, 25), name: 'Christmas Day' },
  ]);
}

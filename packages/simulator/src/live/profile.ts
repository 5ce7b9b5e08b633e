/**
 * The hospital's day as numbers: who is on shift at a local time, and how often a person badges
 * through a door then. Shift changes at 07:00 and 19:00 bring a wave of arrivals and departures,
 * office staff keep weekday hours, deliveries come in the morning, visitors in visiting hours,
 * and the night is quiet. Pure, so the rhythm's shape is testable without running anything.
 */
import type { PersonModel } from '../model.js';
import type { LocalTime } from './clock.js';

const HOUR = 60;
const SHIFT_CHANGES = [7 * HOUR, 19 * HOUR];
/** Half an hour either side of a shift change: the handover, when both shifts are in. */
const HANDOVER_MINUTES = 30;
export const VISITING_HOURS = { from: 14 * HOUR, to: 20 * HOUR } as const;
export const DELIVERY_HOURS = { from: 6 * HOUR, to: 11 * HOUR } as const;
export const NIGHT_QUIET = { from: 23 * HOUR, to: 5 * HOUR } as const;

function within(minute: number, from: number, to: number): boolean {
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

function isWeekday(local: LocalTime): boolean {
  return local.weekday >= 1 && local.weekday <= 5;
}

/** Minutes to the nearest shift change (07:00 or 19:00). */
export function minutesFromShiftChange(local: LocalTime): number {
  const m = local.minuteOfDay;
  return Math.min(...SHIFT_CHANGES.map((change) => Math.min(Math.abs(m - change), 24 * HOUR - Math.abs(m - change))));
}

export function isHandover(local: LocalTime): boolean {
  return minutesFromShiftChange(local) <= HANDOVER_MINUTES;
}

export function isOnShift(person: Pick<PersonModel, 'kind' | 'shift'>, local: LocalTime): boolean {
  const m = local.minuteOfDay;
  switch (person.shift) {
    case 'day':
      return within(m, 7 * HOUR - HANDOVER_MINUTES, 19 * HOUR + HANDOVER_MINUTES);
    case 'night':
      return within(m, 19 * HOUR - HANDOVER_MINUTES, 7 * HOUR + HANDOVER_MINUTES);
    case 'office':
      return isWeekday(local) && within(m, 8 * HOUR, 17 * HOUR);
    case null:
      if (person.kind === 'visitor') return within(m, VISITING_HOURS.from, VISITING_HOURS.to);
      if (person.kind === 'contractor') return isWeekday(local) && within(m, DELIVERY_HOURS.from, 16 * HOUR);
      return false;
  }
}

/** Door passages an on-shift person makes per hour at this local time. */
export function passagesPerHour(person: Pick<PersonModel, 'kind' | 'shift'>, local: LocalTime): number {
  if (!isOnShift(person, local)) return 0;
  const m = local.minuteOfDay;
  let rate = person.kind === 'visitor' ? 0.8 : 1.2;
  if ((person.shift === 'day' || person.shift === 'night') && isHandover(local)) rate *= 3;
  if (person.kind === 'contractor' && within(m, DELIVERY_HOURS.from, DELIVERY_HOURS.to)) rate *= 3;
  if (within(m, NIGHT_QUIET.from, NIGHT_QUIET.to)) rate *= 0.35;
  return rate;
}

/** During handover most passages are arrivals and departures at the building's perimeter. */
export function perimeterShare(local: LocalTime): number {
  return isHandover(local) ? 0.6 : 0.1;
}

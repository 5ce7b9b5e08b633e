/** Schedules in words ("Mon–Fri 07:00–19:00") and the checks a schedule must pass before it is sent. */
import { WEEKDAYS, type HolidayBehaviour, type ScheduleInterval, type Weekday } from '../../components/admin/api-types.ts';

export const TIME_PATTERN = '([01][0-9]|2[0-3]):[0-5][0-9]|24:00';
const TIME = new RegExp(`^(${TIME_PATTERN})$`);

export const DAY_LABEL: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** Consecutive weekdays as ranges: [mon, tue, wed, fri] → "Mon–Wed, Fri". */
export function describeDays(days: readonly Weekday[]): string {
  const sorted = WEEKDAYS.filter((day) => days.includes(day));
  const runs: Weekday[][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous && WEEKDAYS.indexOf(day) === WEEKDAYS.indexOf(previous) + 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length > 2 ? `${DAY_LABEL[run[0] ?? 'mon']}–${DAY_LABEL[run.at(-1) ?? 'mon']}` : run.map((d) => DAY_LABEL[d]).join(', '),
    )
    .join(', ');
}

export function describeInterval(interval: ScheduleInterval): string {
  return `${describeDays(interval.days)} ${interval.start}–${interval.end}`;
}

export function describeHoliday(behaviour: HolidayBehaviour): string {
  if (behaviour === 'exclude') return 'closed';
  if (behaviour === 'include') return 'as a normal day';
  return behaviour.map((range) => `${range.start}–${range.end}`).join(', ');
}

const minutes = (time: string) => {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
};

/** Null when every interval has a day and starts before it ends (HH:MM, 24:00 allowed as an end). */
export function intervalsProblem(intervals: readonly ScheduleInterval[]): string | null {
  for (const [index, interval] of intervals.entries()) {
    const which = `Interval ${index + 1}`;
    if (interval.days.length === 0) return `${which} needs at least one weekday.`;
    if (!TIME.test(interval.start) || !TIME.test(interval.end)) return `${which}: times are HH:MM, 00:00 to 24:00.`;
    if (minutes(interval.start) >= minutes(interval.end)) return `${which} must start before it ends.`;
  }
  return null;
}

/** "08:00-12:00, 13:00-17:00" → ranges, or null when the text is not a list of ranges. */
export function parseRanges(text: string): { start: string; end: string }[] | null {
  const ranges = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [start = '', end = ''] = part.split(/\s*[-–]\s*/);
      return { start, end };
    });
  if (ranges.length === 0 || ranges.some((r) => !TIME.test(r.start) || !TIME.test(r.end) || minutes(r.start) >= minutes(r.end)))
    return null;
  return ranges;
}

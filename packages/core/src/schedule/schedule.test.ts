import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../errors.js';
import {
  compileCalendar,
  compileSchedule,
  compileTimeZone,
  localMs,
  scheduleActiveAt,
  zoneOffset,
  type HolidayInput,
  type ScheduleInput,
} from './index.js';

const horizon2025 = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
const london = compileTimeZone('Europe/London', horizon2025);
const newYork = compileTimeZone('America/New_York', horizon2025);
const HOUR = 3_600_000;

function at(iso: string): number {
  return Date.parse(iso);
}

function activeIn(zone: typeof london, input: ScheduleInput, holidays: readonly HolidayInput[] = []) {
  const types = [...new Set(holidays.map((h) => h.type))];
  const schedule = compileSchedule(input, types);
  const calendar = compileCalendar(zone, holidays, types);
  return (iso: string) => scheduleActiveAt(schedule, calendar, at(iso));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isVigilError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('time-zone transition tables', () => {
  it('finds the 2025 daylight-saving changes of London and New York to the second', () => {
    assert.deepEqual(london.starts.slice(1), [at('2025-03-30T01:00:00Z'), at('2025-10-26T01:00:00Z')]);
    assert.deepEqual(london.offsets, [0, HOUR, 0]);
    assert.deepEqual(newYork.starts.slice(1), [at('2025-03-09T07:00:00Z'), at('2025-11-02T06:00:00Z')]);
    assert.deepEqual(newYork.offsets, [-5 * HOUR, -4 * HOUR, -5 * HOUR]);
  });

  it('gives the same wall-clock time as the tz database at every sampled instant', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns'];
    for (const zone of zones) {
      const table = compileTimeZone(zone, horizon2025);
      const format = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' });
      for (let t = at('2025-01-01T00:00:00Z'); t < at('2026-01-01T00:00:00Z'); t += 7 * HOUR + 13 * 60_000) {
        const expected = format.format(new Date(t)).replace(' ', 'T');
        assert.equal(new Date(localMs(table, t)).toISOString().slice(0, 19), expected, `${zone} at ${new Date(t).toISOString()}`);
      }
    }
  });

  it('still answers correctly outside the compiled horizon', () => {
    assert.equal(zoneOffset(london, at('2030-07-01T12:00:00Z')), HOUR);
    assert.equal(zoneOffset(london, at('2020-01-15T12:00:00Z')), 0);
  });

  it('rejects an unknown zone with a stable code', () => {
    assert.equal(
      codeOf(() => compileTimeZone('Mars/Olympus_Mons', horizon2025)),
      'schedule.invalid_time_zone',
    );
  });
});

describe('weekly schedules across daylight-saving changes', () => {
  it('follows local wall-clock time on the London spring-forward day', () => {
    const sundayMorning = activeIn(london, { id: 's', intervals: [{ days: ['sun'], start: '08:00', end: '09:00' }] });
    assert.equal(sundayMorning('2025-03-30T07:30:00Z'), true); // 08:30 BST
    assert.equal(sundayMorning('2025-03-30T08:30:00Z'), false); // 09:30 BST
    assert.equal(sundayMorning('2025-03-23T08:30:00Z'), true); // 08:30 GMT a week earlier
  });

  it('never opens an interval that falls in the hour London skips, and opens it twice when the hour repeats', () => {
    const skipped = activeIn(london, { id: 's', intervals: [{ days: ['sun'], start: '01:15', end: '01:45' }] });
    for (let t = at('2025-03-30T00:00:00Z'); t < at('2025-03-30T04:00:00Z'); t += 60_000) {
      assert.equal(skipped(new Date(t).toISOString()), false, new Date(t).toISOString());
    }
    assert.equal(skipped('2025-10-26T00:30:00Z'), true); // 01:30 BST
    assert.equal(skipped('2025-10-26T01:30:00Z'), true); // 01:30 GMT, an hour later
    assert.equal(skipped('2025-10-26T02:30:00Z'), false); // 02:30 GMT
  });

  it('follows New York wall-clock time through spring-forward and fall-back', () => {
    const earlyHours = activeIn(newYork, { id: 's', intervals: [{ days: ['sun'], start: '01:00', end: '02:30' }] });
    assert.equal(earlyHours('2025-03-09T06:30:00Z'), true); // 01:30 EST
    assert.equal(earlyHours('2025-03-09T07:00:00Z'), false); // 03:00 EDT, 02:00-02:59 never happened
    assert.equal(earlyHours('2025-11-02T05:30:00Z'), true); // 01:30 EDT
    assert.equal(earlyHours('2025-11-02T06:30:00Z'), true); // 01:30 EST
    assert.equal(earlyHours('2025-11-02T07:15:00Z'), true); // 02:15 EST
    assert.equal(earlyHours('2025-11-02T07:45:00Z'), false); // 02:45 EST
  });

  it('keeps a night shift crossing midnight open into the next morning, also across spring-forward', () => {
    const nights = activeIn(newYork, { id: 'n', intervals: [{ days: ['sat'], start: '22:00', end: '06:00' }] });
    assert.equal(nights('2025-03-09T02:59:00Z'), false); // Sat 21:59 EST
    assert.equal(nights('2025-03-09T03:00:00Z'), true); // Sat 22:00 EST
    assert.equal(nights('2025-03-09T09:30:00Z'), true); // Sun 05:30 EDT
    assert.equal(nights('2025-03-09T10:00:00Z'), false); // Sun 06:00 EDT
    assert.equal(nights('2025-03-10T08:00:00Z'), false); // Mon 04:00 EDT: no Sunday interval
  });
});

describe('holidays', () => {
  const office: ScheduleInput = {
    id: 'office',
    intervals: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00' },
      { days: ['fri'], start: '22:00', end: '06:00' },
    ],
    holidays: { public: 'exclude', reduced: [{ start: '10:00', end: '14:00' }], observed: 'include' },
  };
  const holidays: HolidayInput[] = [
    { date: '2025-12-25', type: 'public', name: 'Christmas Day' },
    { date: '2025-12-24', type: 'reduced', name: 'Christmas Eve' },
    { date: '2025-12-31', type: 'observed' },
    { date: '2025-12-26', type: 'public', name: 'Boxing Day' },
    { date: '2025-11-28', type: 'unlisted' },
  ];
  const active = activeIn(london, office, holidays);

  it('closes a schedule on the holiday types it excludes', () => {
    assert.equal(active('2025-12-25T12:00:00Z'), false);
    assert.equal(active('2025-12-18T12:00:00Z'), true); // the Thursday before
  });

  it('runs the holiday intervals instead of the weekday ones where the schedule gives them', () => {
    assert.equal(active('2025-12-24T11:00:00Z'), true);
    assert.equal(active('2025-12-24T08:00:00Z'), false);
    assert.equal(active('2025-12-24T15:00:00Z'), false);
  });

  it('runs as a normal weekday on included and unlisted holiday types', () => {
    assert.equal(active('2025-12-31T08:00:00Z'), true);
    assert.equal(active('2025-11-28T18:30:00Z'), true);
  });

  it('drops the after-midnight part of a shift that started on an excluded holiday, not one that ends on it', () => {
    assert.equal(active('2025-12-27T03:00:00Z'), false); // Friday 26th is a public holiday
    assert.equal(active('2025-12-20T03:00:00Z'), true); // ordinary Friday night
    const nightBeforeHoliday = activeIn(
      london,
      { id: 'n', intervals: [{ days: ['wed'], start: '22:00', end: '06:00' }], holidays: { public: 'exclude' } },
      holidays,
    );
    assert.equal(nightBeforeHoliday('2025-12-25T03:00:00Z'), true);
  });

  it('rejects impossible dates, double-booked days and malformed intervals with stable codes', () => {
    assert.equal(
      codeOf(() => compileCalendar(london, [{ date: '2025-02-30', type: 'x' }], ['x'])),
      'schedule.invalid_holiday',
    );
    const twice = [
      { date: '2025-05-05', type: 'x' },
      { date: '2025-05-05', type: 'y' },
    ];
    assert.equal(
      codeOf(() => compileCalendar(london, twice, ['x', 'y'])),
      'schedule.invalid_holiday',
    );
    assert.equal(
      codeOf(() => compileSchedule({ id: 'a', intervals: [{ days: ['mon'], start: '25:00', end: '26:00' }] }, [])),
      'schedule.invalid_interval',
    );
    assert.equal(
      codeOf(() => compileSchedule({ id: 'a', intervals: [{ days: ['mon'], start: '09:00', end: '09:00' }] }, [])),
      'schedule.invalid_interval',
    );
    assert.equal(
      codeOf(() => compileSchedule({ id: 'a', intervals: [{ days: [], start: '09:00', end: '10:00' }] }, [])),
      'schedule.invalid_interval',
    );
  });
});

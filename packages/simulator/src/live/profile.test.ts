/** The shape of the simulated day: who is on shift when, and how busy the doors are. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalTime } from './clock.js';
import { SimClock } from './clock.js';
import { isOnShift, passagesPerHour, perimeterShare } from './profile.js';

/** A local time on a weekday (1 = Monday) at HH:MM. */
function at(weekday: number, hhmm: string): LocalTime {
  const [h, m] = hhmm.split(':').map(Number);
  return { weekday, minuteOfDay: h! * 60 + m!, date: '2026-11-23' };
}

const day = { kind: 'staff', shift: 'day' } as const;
const night = { kind: 'staff', shift: 'night' } as const;
const office = { kind: 'staff', shift: 'office' } as const;
const contractor = { kind: 'contractor', shift: null } as const;
const visitor = { kind: 'visitor', shift: null } as const;

describe('the daily rhythm', () => {
  it('puts day staff in from the 07:00 handover to the 19:00 one, night staff the other way round', () => {
    assert.deepEqual(
      ['06:20', '06:40', '12:00', '19:20', '19:40', '02:00'].map((t) => [isOnShift(day, at(1, t)), isOnShift(night, at(1, t))]),
      [
        [false, true],
        [true, true],
        [true, false],
        [true, true],
        [false, true],
        [false, true],
      ],
    );
  });

  it('makes shift changes the busiest time, at the perimeter', () => {
    assert.equal(passagesPerHour(day, at(2, '07:05')), 3 * passagesPerHour(day, at(2, '12:00')));
    assert.ok(perimeterShare(at(2, '19:10')) > perimeterShare(at(2, '15:00')));
  });

  it('keeps the night quiet, office staff to weekdays, deliveries to the morning and visitors to visiting hours', () => {
    assert.ok(passagesPerHour(night, at(3, '02:00')) < passagesPerHour(night, at(3, '21:00')) / 2);
    assert.equal(passagesPerHour(office, at(6, '10:00')), 0);
    assert.ok(passagesPerHour(office, at(5, '10:00')) > 0);
    assert.equal(passagesPerHour(contractor, at(2, '08:00')), 3 * passagesPerHour(contractor, at(2, '14:00')));
    assert.equal(passagesPerHour(visitor, at(0, '10:00')), 0);
    assert.ok(passagesPerHour(visitor, at(0, '15:00')) > 0);
  });

  it('runs simulated time faster by the acceleration factor, read in the site’s time zone', () => {
    let real = Date.parse('2026-11-23T12:00:00Z');
    const clock = new SimClock('America/Chicago', 60, { realNow: () => real });
    assert.equal(clock.label(), 'Mon 06:00');
    real += 60_000;
    assert.equal(clock.label(), 'Mon 07:00');
    assert.throws(() => new SimClock('UTC', 0.5), RangeError);
  });
});

import { defineErrors, errorFactory } from '../errors.js';

export const scheduleErrors = defineErrors({
  'schedule.invalid_time_zone': {
    kind: 'invalid',
    description: 'The site time zone is not an IANA zone name the runtime knows (e.g. Europe/London).',
  },
  'schedule.invalid_horizon': {
    kind: 'invalid',
    description: 'The range of dates a time-zone table is compiled for is empty or not made of valid dates.',
  },
  'schedule.invalid_interval': {
    kind: 'invalid',
    description: 'A schedule interval has a time that is not HH:MM (00:00 to 24:00), no weekday, or starts when it ends.',
  },
  'schedule.invalid_holiday': {
    kind: 'invalid',
    description: 'A holiday has a date that is not a real YYYY-MM-DD date, or two holidays share one date.',
  },
  'schedule.duplicate_schedule': { kind: 'conflict', description: 'Two schedules in the same compilation have the same id.' },
});

export const scheduleError = errorFactory(scheduleErrors);

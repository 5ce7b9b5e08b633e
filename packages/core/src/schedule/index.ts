export * from './timezone.js';
export * from './schedule.js';
export * from './errors.js';

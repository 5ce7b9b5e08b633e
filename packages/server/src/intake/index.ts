export { Intake, type IntakeOptions, type IntakeStats } from './intake.js';
export { JournalRelay, type JournalRelayOptions } from './relay.js';
export { SourceRateLimiter, type SourceCount } from './rate.js';
export { intakeErrors } from './errors.js';
export type { IntakeTables } from './tables.js';

export { Journal, rowToEvent, type RecordEvents, type AfterAppend, type Executor } from './journal.js';
export { GENESIS_HASH } from './chain.js';
export type { AuditTables } from './tables.js';

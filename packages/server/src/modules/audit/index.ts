export { Journal, rowToEvent, type RecordEvents, type AfterAppend, type Executor, type JournalOptions } from './journal.js';
export { GENESIS_HASH } from './chain.js';
export type { AuditTables } from './tables.js';
export { auditErrors, auditError } from './errors.js';
export {
  loadOrCreateSigningKey,
  readSigningKey,
  keyIdOf,
  publicKeyPem,
  publicKeyFileOf,
  CHECKPOINT_DOMAIN,
  signCheckpoint,
  type SigningKey,
} from './signing.js';
export { Checkpointer, type CheckpointerOptions } from './checkpoints.js';
export {
  checkRecordedSigner,
  groupedFingerprint,
  normalizeKeyId,
  trustSigners,
  trustedKeysDirOf,
  untrustedSigners,
  type RecordedSigner,
  type TrustDecision,
  type TrustedSigner,
} from './signers.js';
export {
  verifyJournal,
  type VerifyOptions,
  type VerifyProgress,
  type JournalVerification,
  type JournalSummary,
  type JournalBreak,
  type BreakReason,
} from './verify.js';
export {
  runAuditVerify,
  trustedKeys,
  DEFAULT_CHECKPOINT_EVERY,
  type AuditVerifyPaths,
  type AuditVerifyOutput,
  type AuditVerifyOptions,
} from './verify-command.js';
export {
  searchJournal,
  getEvent,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type JournalQuery,
  type JournalEntry,
  type JournalPage,
} from './search.js';
export { commitWithEvents, type EventCommitPorts } from './unit-of-work.js';
export { JournalVerifications, type VerificationRecord, type JournalVerificationsDeps } from './verifications.js';
export { auditEvents, journalExported } from './events.js';

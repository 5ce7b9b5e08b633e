/** Tables owned by the audit module. Instants are ISO-8601 UTC text (see storage/database.ts). */
export interface JournalEventsTable {
  /** Position in the chain, 1-based and gapless: a missing number means a deleted record. */
  seq: number;
  id: string;
  type: string;
  at: string;
  recorded_at: string;
  site: string | null;
  source: string;
  subject: string | null;
  zone: string | null;
  door: string | null;
  correlation_id: string | null;
  /** Canonical JSON (RFC 8785) of the event data, exactly the bytes that were hashed. */
  data: string;
  prev_hash: string;
  hash: string;
}

/**
 * One row per further subject of an event (EventDefinition.subjects): an index for search by
 * subject, derived from the event's hashed data, so verification can rebuild and compare it.
 */
export interface JournalEventSubjectsTable {
  subject: string;
  seq: number;
}

/** One row (id = 1): the chain's tip, locked by every append so appends serialise across nodes. */
export interface JournalHeadTable {
  id: number;
  seq: number;
  hash: string;
  updated_at: string;
}

export interface JournalCheckpointsTable {
  seq: number;
  hash: string;
  signed_at: string;
  /** SHA-256 fingerprint of the Ed25519 public key that signed. */
  key_id: string;
  /** Base64 Ed25519 signature over the checkpoint statement (see signing.ts). */
  signature: string;
  /**
   * `journal.checkpointEvery` when it was signed (covered by the signature); null on checkpoints
   * written before it was recorded, which verification reads as the configured interval.
   */
  checkpoint_every: number | null;
}

/** Every key that signed a checkpoint: its public half (SPKI PEM), never the private key. */
export interface JournalSignersTable {
  key_id: string;
  public_key: string;
  first_signed_at: string;
}

export interface JournalVerificationsTable {
  id: string;
  started_at: string;
  finished_at: string;
  intact: number;
  events: number;
  first_seq: number | null;
  last_seq: number | null;
  checkpoints_verified: number;
  problem_seq: number | null;
  problem_reason: string | null;
  problem_detail: string | null;
  requested_by: string;
}

export interface AuditTables {
  journal_verifications: JournalVerificationsTable;
  journal_events: JournalEventsTable;
  journal_event_subjects: JournalEventSubjectsTable;
  journal_head: JournalHeadTable;
  journal_checkpoints: JournalCheckpointsTable;
  journal_signers: JournalSignersTable;
}

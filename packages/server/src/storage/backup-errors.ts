import { defineErrors, errorFactory } from '@vigil/core';

export const backupErrors = defineErrors({
  'backup.truncated': {
    kind: 'integrity',
    description:
      'The backup file ends early (an interrupted copy or transfer): its trailer or part of its pages are missing. Nothing was restored.',
  },
  'backup.corrupt': {
    kind: 'integrity',
    description:
      'The backup file is not a Vigil backup, or its content does not match its checksum or fails the SQLite integrity check. Nothing was restored.',
  },
  'backup.unsupported_version': {
    kind: 'invalid',
    description: 'The backup was written in a newer format version than this Vigil reads; restore it with the version that wrote it.',
  },
  'backup.incompatible': {
    kind: 'conflict',
    description:
      'The backup and the target database have different migrations or tables (a backup from a newer Vigil, or a target migrated further); the message says which.',
  },
  'backup.target_not_empty': {
    kind: 'conflict',
    description:
      'The restore target already holds data. Restore into an empty database, or pass --force to replace its content (the target must then be migrated exactly like the backup).',
  },
  'backup.wrong_dialect': {
    kind: 'invalid',
    description:
      'SQLite file backups exist only for SQLite: PostgreSQL is backed up, and restored from, the logical format (`vigil backup --format logical`).',
  },
  'backup.file_missing': { kind: 'not_found', description: 'The backup file to restore does not exist or cannot be read.' },
  'backup.file_exists': {
    kind: 'conflict',
    description: 'The backup file already exists; choose another name or pass --force to replace it.',
  },
  'backup.unsupported_value': {
    kind: 'invalid',
    description:
      'A column holds a value the logical backup format cannot represent (a non-finite number); the message names table and column.',
  },
  'backup.untrusted_signers': {
    kind: 'forbidden',
    description:
      "The backup's journal checkpoints were signed by keys this installation does not trust yet; each is listed with its fingerprint and first signature. Nothing was restored. Compare the fingerprints with the source installation's record, then restore again with --trust-signers naming those key ids.",
  },
  'backup.unknown_signer': {
    kind: 'invalid',
    description:
      "--trust-signers names a key that is not among the backup's untrusted signers (not in the backup, already trusted, or not a whole 64-digit key id). Nothing was restored.",
  },
});

export const backupError = errorFactory(backupErrors);

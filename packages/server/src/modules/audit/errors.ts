import { defineErrors, errorFactory } from '@vigil/core';

export const auditErrors = defineErrors({
  'audit.signing_key_insecure': {
    kind: 'invalid',
    description:
      'The journal signing key file is readable or writable by group or others; restrict it to the owner (chmod 600) and restart. Vigil refuses to use it.',
  },
  'audit.signing_key_invalid': {
    kind: 'invalid',
    description:
      'The journal signing key file is not an Ed25519 private key in PEM form; restore it from backup or configure the right path.',
  },
  'audit.signing_key_missing': {
    kind: 'not_found',
    description: 'No journal signing key (or its .pub public key) was found, so checkpoint signatures cannot be verified.',
  },
  'audit.signer_invalid': {
    kind: 'invalid',
    description:
      'A checkpoint signer recorded in the database (journal_signers) is not a valid Ed25519 public key matching its key id; the backup or database was damaged or tampered with, so its keys were not trusted.',
  },
  'journal.never_verified': { kind: 'not_found', description: 'The journal has not been verified yet; run a verification first.' },
  'audit.event_not_found': { kind: 'not_found', description: 'No journal event has this id.' },
  'audit.query_invalid': {
    kind: 'invalid',
    description: 'A journal search parameter is out of range (limit outside 1–1000, or `from` after `to`); the message names it.',
  },
});

export const auditError = errorFactory(auditErrors);

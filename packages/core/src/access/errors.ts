import { defineErrors, errorFactory } from '../errors.js';

export const accessErrors = defineErrors({
  'access.invalid_policy': {
    kind: 'invalid',
    description:
      'The access policy breaks a rule of its own (a scheduled door without a schedule, a version that is not a positive whole number, a PIN that is not a scrypt PIN hash).',
  },
  'access.duplicate_id': { kind: 'conflict', description: 'Two records of the same kind in one policy share an id.' },
  'access.duplicate_card': {
    kind: 'conflict',
    description: 'Two credentials carry the same card bits, so a read could not tell them apart.',
  },
  'access.unknown_reference': {
    kind: 'invalid',
    description: 'A record refers to a site, zone, door, person, group or schedule that the policy does not contain.',
  },
  'access.invalid_instant': { kind: 'invalid', description: 'A validity bound is not an ISO-8601 instant.' },
  'access.snapshot_malformed': {
    kind: 'integrity',
    description: 'The snapshot bytes are truncated or not laid out as a Vigil access snapshot.',
  },
  'access.snapshot_signature_invalid': {
    kind: 'integrity',
    description: 'The snapshot signature does not verify with the configured key: it was altered, corrupted, or signed by another server.',
  },
  'access.snapshot_unsupported_format': {
    kind: 'integrity',
    description: 'The snapshot was written in a format version this controller does not read; update the controller.',
  },
  'access.snapshot_rollback': {
    kind: 'conflict',
    description: 'The snapshot is older than the one the controller already runs; an old policy is never loaded over a newer one.',
  },
  'access.state_mismatch': {
    kind: 'invalid',
    description: 'The decision state was made for a different snapshot layout; carry it over with carryState first.',
  },
});

export const accessError = errorFactory(accessErrors);

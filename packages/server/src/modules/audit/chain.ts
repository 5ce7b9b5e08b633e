/**
 * The hash chain: what exactly is hashed. Append and verify both use this file, so there is one
 * definition of a record's hash.
 *
 * hash(n) = SHA-256( prev_hash(n) "\n" canonical(envelope(n)) "\n" data(n) )
 *
 * where envelope is every stored column but data and the hashes, encoded with RFC 8785 JSON
 * canonicalisation, and data is the event data already stored in canonical form. Because seq is
 * inside the hash and each record names its predecessor's hash, a modified, deleted, inserted or
 * reordered row breaks the chain at that row.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// The package is CommonJS (`module.exports = serialize`) with ESM-style typings; load it as what it is.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedRecord {
  seq: number;
  id: string;
  type: string;
  at: string;
  recordedAt: string;
  site: string | null;
  source: string;
  subject: string | null;
  zone: string | null;
  door: string | null;
  correlationId: string | null;
  /** Canonical JSON text of the event data. */
  data: string;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be encoded as canonical JSON');
  return text;
}

export function recordHash(prevHash: string, record: ChainedRecord): string {
  const { data, ...envelope } = record;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(envelope)).update('\n').update(data).digest('hex');
}

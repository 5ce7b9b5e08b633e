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
import { hash } from 'node:crypto';

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

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a value: object keys sorted by UTF-16 code
 * units, numbers and strings as ECMAScript's JSON.stringify writes them, no whitespace. Written
 * here rather than with the reference `canonicalize` package because an import journals events
 * of tens of kilobytes, and that package builds every object through `reduce` and template
 * strings, which cost several times JSON.stringify and most of an append. chain.test.ts checks
 * this against the reference package over generated values.
 */
export function canonicalJson(value: unknown): string {
  const text = encode(value);
  if (text === undefined) throw new TypeError('value cannot be encoded as canonical JSON');
  return text;
}

/** The canonical text of a value, or undefined for what JSON leaves out (undefined, functions, symbols). */
function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return text(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be encoded as canonical JSON`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return encode((value as { toJSON: () => unknown }).toJSON());
      return Array.isArray(value) ? encodeArray(value) : encodeObject(value as Record<string, unknown>);
    case 'bigint':
      throw new TypeError('a bigint cannot be encoded as canonical JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

function encodeArray(values: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + (encode(values[i]) ?? 'null');
  return out + ']';
}

function encodeObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  // Objects built by the same code have their keys in the same order; sort only when needed.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (const key of keys) {
    const member = encode(object[key]);
    if (member === undefined) continue;
    out += (out.length === 1 ? '' : ',') + text(key) + ':' + member;
  }
  return out + '}';
}

/**
 * RFC 8785 text of a record's envelope (every field but data). The keys are fixed, so they are
 * written directly in canonical order (UTF-16 code-unit order); each value is a string, null or a
 * safe integer, whose canonical form is exactly JSON.stringify's. This avoids sorting keys and
 * allocating an object per record on the append and verify paths; chain.test.ts checks it against
 * the generic encoder.
 */
export function canonicalEnvelope(record: ChainedRecord): string {
  if (!Number.isSafeInteger(record.seq)) throw new TypeError(`seq ${record.seq} is not a safe integer`);
  return (
    `{"at":${text(record.at)},"correlationId":${nullable(record.correlationId)},"door":${nullable(record.door)}` +
    `,"id":${text(record.id)},"recordedAt":${text(record.recordedAt)},"seq":${record.seq},"site":${nullable(record.site)}` +
    `,"source":${text(record.source)},"subject":${nullable(record.subject)},"type":${text(record.type)},"zone":${nullable(record.zone)}}`
  );
}

// Strings JSON.stringify might escape: quote, backslash, control characters and lone
// surrogates (a match only means the slow path is taken, so the class may be wider than needed).
const NEEDS_ESCAPE = /["\\\p{Cc}\p{Cs}]/u;

function text(value: string): string {
  if (typeof value !== 'string') throw new TypeError('chained field must be a string');
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function nullable(value: string | null): string {
  return value === null ? 'null' : text(value);
}

/** The exact bytes hashed for a record (UTF-8 of this text); exposed so benchmarks hash the same input. */
export function hashInput(prevHash: string, record: ChainedRecord): string {
  return `${prevHash}\n${canonicalEnvelope(record)}\n${record.data}`;
}

export function recordHash(prevHash: string, record: ChainedRecord): string {
  // One-shot hash: about twice as fast as createHash() for inputs this small.
  return hash('sha256', hashInput(prevHash, record), 'hex');
}

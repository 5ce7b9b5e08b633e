/**
 * PIN hashes: the only form a PIN is kept in anywhere. `scrypt$N$r$p$salt$hash` (salt and hash in
 * base64) is made once, when the PIN is issued, and travels unchanged into the snapshot, where the
 * door controller checks a keypad entry against it. The clear PIN exists only in memory, for the
 * length of one request at the server and one keypad entry at the door. The parameters are stored
 * with each hash, so they can be raised later without invalidating existing PINs.
 *
 * A 4–8 digit PIN has at most 10^8 values, so no hash makes a stolen copy safe on its own: the slow
 * hash (N = 2^14, r = 8: 16 MiB and tens of milliseconds a guess) raises the cost of every guess,
 * and the per-PIN salt stops one search cracking every PIN at once. A fast keyed hash would let a
 * copy of the snapshot be searched at millions of guesses a second by whoever also holds the key;
 * scrypt keeps it at tens per core, and there is no key to leak. Checking costs the same tens of
 * milliseconds at the door, so the controller runs it on the thread pool after the PIN is typed,
 * never on the decision path: `decide` only reads the verdict (`AccessRequest.pinMatch`).
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { lookupCard, type CardRead } from './requests.js';
import type { AccessSnapshot } from './snapshot.js';

export interface PinHashCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N = 2^14, r = 8: what an import of thousands of PINs can bear (four at a time on the thread
 * pool) and what a door controller checks in tens of milliseconds; a higher cost would not save a
 * four-digit PIN from a determined search anyway (see above).
 */
export const PIN_HASH_COST: PinHashCost = { N: 2 ** 14, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// scrypt needs 128 * N * r bytes; stored costs above this are refused rather than run at a door.
const MAX_MEMORY = 256 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface PinHash {
  readonly cost: PinHashCost;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function scrypt(pin: string, salt: Buffer, keyLength: number, cost: PinHashCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: MAX_MEMORY };
  return new Promise((resolve, reject) =>
    scryptCallback(pin, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Hashes a PIN with a fresh salt; the result is what the people module stores and the snapshot carries. */
export async function hashPin(pin: string, cost: PinHashCost = PIN_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scrypt(pin, salt, KEY_LENGTH, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** The parts of a stored PIN hash, or null when it is not one this code would ever check. */
export function parsePinHash(stored: string): PinHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || !BASE64.test(parts[4]!) || !BASE64.test(parts[5]!)) return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p)) return null;
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r > MAX_MEMORY) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { cost: { N, r, p }, salt, hash };
}

/** Constant-time check of a PIN against a stored hash; false for a malformed hash or one that cannot be computed. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parsePinHash(stored);
  if (!parsed) return false;
  let actual: Buffer;
  try {
    actual = await scrypt(pin, parsed.salt, parsed.hash.length, parsed.cost);
  } catch {
    return false;
  }
  return timingSafeEqual(actual, parsed.hash);
}

/**
 * The PIN hash of the person holding the card read, from the snapshot (null: unknown card or no
 * PIN). The controller checks the keypad entry against it; whether the PIN is valid now, and what
 * a mismatch means, stays with `decide`.
 */
export function pinHashFor(s: AccessSnapshot, card: CardRead): string | null {
  const credential = lookupCard(s, card);
  if (credential < 0) return null;
  const pin = s.persons.pin[s.credentials.person[credential]!]!;
  return pin >= 0 ? s.pins.hashes[pin]! : null;
}

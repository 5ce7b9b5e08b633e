/**
 * PINs are kept only as a salted scrypt hash; the clear PIN exists in memory for the length of
 * one request. The parameters are stored with each hash, so they can be raised later without
 * invalidating existing PINs.
 *
 * A 4–8 digit PIN has at most 10^8 values, so no hash makes a stolen database safe on its own; the
 * slow hash raises the cost per guess and the salt stops one table cracking every PIN at once.
 * The PIN is a second factor next to a card, and the database is the thing to protect.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { peopleError } from './errors.js';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// N = 2^14, r = 8 (16 MiB, tens of milliseconds a hash): a PIN is checked on every PIN issue and
// import row, so the cost is what an import of thousands of PINs can bear; a longer hash would not
// save a 4-digit PIN from a stolen database anyway (see above).
const COST = 2 ** 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// scrypt needs 128 * N * r bytes; allow headroom for hashes stored with a higher cost later.
const MAX_MEMORY = 256 * 1024 * 1024;

/** Throws `people.pin_invalid` or `people.pin_weak`; never includes the PIN in the error. */
export function checkPin(pin: string): void {
  if (!/^[0-9]{4,8}$/.test(pin)) throw peopleError('people.pin_invalid', 'A PIN must be 4 to 8 digits');
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  // One digit repeated (step 0) or a run up or down (step 1 or 9, wrapping 9→0).
  if (steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9))) {
    throw peopleError('people.pin_weak', 'The PIN is a repeated digit or a run of consecutive digits');
  }
}

export async function hashPin(pin: string): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const hash = await scrypt(pin, salt, KEY_LENGTH, { N: COST, r: BLOCK_SIZE, p: PARALLELISM, maxmem: MAX_MEMORY });
  return ['scrypt', COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check of a PIN against a stored hash; false for anything malformed. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/**
 * Operator passwords: scrypt (node:crypto) with a per-password random salt, the cost parameters
 * stored beside the hash so they can be raised later without invalidating existing hashes, and a
 * constant-time comparison. The policy is NIST SP 800-63B style: length, not composition rules,
 * plus a refusal of the passwords attackers try first.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { identityError } from './errors.js';

export interface ScryptCost {
  /** log2 of the CPU/memory cost N. */
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** One of OWASP's equivalent scrypt settings (N=2^15, r=8, p=3): 32 MiB, about 0.2 s per hash. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 3 };

const KEY_LENGTH = 32;
const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(log2N) || !Number.isInteger(r) || !Number.isInteger(p)) return null;
  if (log2N! < 10 || log2N! > 22 || r! < 1 || r! > 32 || p! < 1 || p! > 16) return null;
  return {
    cost: { log2N: log2N!, r: r!, p: p! },
    salt: Buffer.from(parts[4]!, 'base64'),
    key: Buffer.from(parts[5]!, 'base64'),
  };
}

/** True when `password` matches `stored`; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length !== KEY_LENGTH) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with weaker parameters than `cost` (rehash after a successful sign-in). */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return parsed.cost.log2N < cost.log2N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

/**
 * The most common passwords of at least 12 characters in public breach corpora (shorter ones are
 * refused by length already), compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789012345',
  '1234567890123456',
  '111111111111',
  '000000000000',
  '123123123123',
  '121212121212',
  '987654321098',
  'qwertyuiop12',
  'qwertyuiopas',
  'qwertyuiopasdfgh',
  'qwerty123456',
  'qwerty1234567',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'asdfghjkl123',
  'password1234',
  'password12345',
  'password123456',
  'password123!',
  'passwordpassword',
  'password!234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'passw0rd1234',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'iloveyou1234',
  'administrator',
  'administrator1',
  'admin1234567',
  'adminadmin123',
  'changeme1234',
  'changemenow!',
  'trustno11234',
  'football1234',
  'baseball1234',
  'superman1234',
  'sunshine1234',
  'princess1234',
  'monkey123456',
  'dragon123456',
  'master123456',
  'starwars1234',
  'abcdefghijkl',
  'abc123456789',
  'abcd12345678',
  'aaaaaaaaaaaa',
  'hospital1234',
  'security1234',
  'vigil1234567',
]);

/**
 * Throws `operators.weak_password` unless the password is 12–256 characters, not one of the most
 * common passwords, not a single repeated character, and does not contain the user name.
 */
export function assertAcceptablePassword(password: string, username: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw identityError('operators.weak_password', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      minLength: MIN_PASSWORD_LENGTH,
    });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw identityError('operators.weak_password', `A password may have at most ${MAX_PASSWORD_LENGTH} characters`, {
      maxLength: MAX_PASSWORD_LENGTH,
    });
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1*$/u.test(password)) {
    throw identityError('operators.weak_password', 'This password is among the most common ones; choose another', {});
  }
  if (username.length >= 3 && lower.includes(username.toLowerCase())) {
    throw identityError('operators.weak_password', 'A password may not contain the user name', {});
  }
}

const ONE_TIME_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random 20-character password (about 115 bits) without look-alike characters, for first sign-in. */
export function generateOneTimePassword(length = 20): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 56).
  const limit = 256 - (256 % ONE_TIME_ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += ONE_TIME_ALPHABET[byte % ONE_TIME_ALPHABET.length];
    }
  }
  return out;
}

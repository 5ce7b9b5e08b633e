/**
 * PIN verifiers. A PIN has about 13 to 20 bits of entropy, so no hash makes a stolen verifier safe
 * from an offline search; what protects PINs is that the verifier is keyed. A slow hash (scrypt)
 * would cost tens of milliseconds per keypad entry at the door and still fall to a 10,000-guess
 * search, so the snapshot carries HMAC-SHA256(pinKey, credentialId, PIN) instead: about a
 * microsecond to check, different for two cards with the same PIN, and worthless without the key.
 * The key is fresh for each snapshot and is handed to the controller apart from the snapshot (over
 * the authenticated sync channel, kept in memory), so a copied snapshot file alone reveals no PIN.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { accessError } from './errors.js';

export const PIN_VERIFIER_BYTES = 32;
export const MIN_PIN_KEY_BYTES = 32;
const PIN_PATTERN = /^[0-9]{4,12}$/;

export function pinKeyId(pinKey: Uint8Array): string {
  return createHash('sha256').update(pinKey).digest('hex').slice(0, 16);
}

export function assertPinKey(pinKey: Uint8Array): void {
  if (pinKey.length < MIN_PIN_KEY_BYTES) {
    throw accessError('access.invalid_policy', `The PIN key must have at least ${MIN_PIN_KEY_BYTES} random bytes`);
  }
}

export function isValidPin(pin: string): boolean {
  return PIN_PATTERN.test(pin);
}

export function pinVerifier(pinKey: Uint8Array, credentialId: string, pin: string): Buffer {
  // The NUL separator keeps (id, PIN) pairs from running into each other.
  return createHmac('sha256', pinKey).update(credentialId).update('\0').update(pin).digest();
}

/** Constant-time comparison of an entered PIN against the verifier stored at `slot`. */
export function pinMatches(pinKey: Uint8Array, verifiers: Uint8Array, slot: number, credentialId: string, pin: string): boolean {
  if (!isValidPin(pin)) return false;
  const expected = verifiers.subarray(slot * PIN_VERIFIER_BYTES, (slot + 1) * PIN_VERIFIER_BYTES);
  return timingSafeEqual(pinVerifier(pinKey, credentialId, pin), expected);
}

/**
 * PINs are kept only as a salted scrypt hash (`hashPin` in @vigil/core, the one format the access
 * snapshot carries to the door controllers as well); the clear PIN exists in memory for the
 * length of one request. This module adds the rules for what a person may choose.
 */
import { peopleError } from './errors.js';

export { hashPin, verifyPin } from '@vigil/core';

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

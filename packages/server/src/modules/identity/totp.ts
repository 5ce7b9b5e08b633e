/**
 * TOTP (RFC 6238) with the parameters every authenticator app understands: SHA-1, 6 digits,
 * 30-second steps. Codes are accepted one step either side of now to allow for clock drift, and
 * the step a code belongs to is returned so the caller can refuse it the second time (replay).
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** ±1 step: a code from the previous or next 30 seconds is still accepted. */
const WINDOW = 1;
/** 160 bits, the HMAC-SHA-1 block-size recommendation of RFC 4226. */
const SECRET_BYTES = 20;

export interface TotpEnrolment {
  /** Base32 secret, to be encrypted before it is stored. */
  readonly secret: string;
  /** `otpauth://totp/...` for a QR code; shown once. */
  readonly uri: string;
}

export function newTotpEnrolment(issuer: string, account: string): TotpEnrolment {
  const secret = new Secret({ size: SECRET_BYTES });
  const totp = new TOTP({ issuer, label: account, secret, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS });
  return { secret: secret.base32, uri: totp.toString() };
}

/**
 * The time step (counter) the code belongs to, or null when it matches none within the window.
 * Anything that is not exactly six digits is refused before any HMAC is computed.
 */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const timestamp = now.getTime();
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp,
    window: WINDOW,
  });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
}

import { constantTimeEqual } from '../bytes.js';
import { SCBK_DEFAULT } from '../constants.js';
import type { RandomSource } from '../clock.js';
import type { Reply } from '../commands/types.js';
import { clientCryptogram, deriveSessionKeys, initialReplyMac, serverCryptogram } from '../secure/keys.js';
import type { SessionKeys } from '../secure/keys.js';
import { SecureSession } from '../secure/session.js';

/** PD half of the SCS_11..SCS_14 handshake. */
export interface PendingHandshake {
  readonly keys: SessionKeys;
  readonly rndA: Uint8Array;
  readonly rndB: Uint8Array;
  readonly defaultKey: boolean;
}

export interface KeyState {
  scbk: Uint8Array | null;
  installMode: boolean;
}

/** Answers osdp_CHLNG; null when the requested key is not available (the PD then NAKs). */
export function answerChallenge(
  keyState: KeyState,
  useDefaultKey: boolean,
  rndA: Uint8Array,
  cUid: Uint8Array,
  random: RandomSource,
): { pending: PendingHandshake; reply: Reply } | null {
  const scbk = useDefaultKey ? (keyState.installMode ? SCBK_DEFAULT : null) : keyState.scbk;
  if (!scbk) return null;
  const rndB = random(8).slice(0, 8);
  const keys = deriveSessionKeys(scbk, rndA);
  return {
    pending: { keys, rndA: rndA.slice(), rndB, defaultKey: useDefaultKey },
    reply: { type: 'ccrypt', cUid, rndB, cryptogram: clientCryptogram(keys, rndA, rndB) },
  };
}

/** Checks the server cryptogram of osdp_SCRYPT; on success returns the new session and R-MAC-I. */
export function answerServerCryptogram(
  pending: PendingHandshake,
  cryptogram: Uint8Array,
): { session: SecureSession; rmac: Uint8Array } | null {
  const expected = serverCryptogram(pending.keys, pending.rndA, pending.rndB);
  if (!constantTimeEqual(expected, cryptogram)) return null;
  const rmac = initialReplyMac(pending.keys, expected);
  return { session: new SecureSession(pending.keys, rmac), rmac };
}

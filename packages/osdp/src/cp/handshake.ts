import { constantTimeEqual } from '../bytes.js';
import { SCBK_DEFAULT } from '../constants.js';
import { OsdpError } from '../errors.js';
import { clientCryptogram, deriveScbk, deriveSessionKeys, initialReplyMac, serverCryptogram } from '../secure/keys.js';
import type { SessionKeys } from '../secure/keys.js';
import { SecureSession } from '../secure/session.js';
import type { PeripheralSecureConfig } from './types.js';

/** CP half of one SCS_11..SCS_14 handshake. */
export class CpHandshake {
  keys: SessionKeys | null = null;
  scbk: Uint8Array | null = null;
  cUid: Uint8Array | null = null;
  private server: Uint8Array | null = null;

  constructor(
    readonly rndA: Uint8Array,
    readonly defaultKey: boolean,
  ) {}

  /** Checks osdp_CCRYPT; returns the server cryptogram for osdp_SCRYPT. */
  acceptClient(config: PeripheralSecureConfig, cUid: Uint8Array, rndB: Uint8Array, cryptogram: Uint8Array): Uint8Array {
    const scbk = this.defaultKey ? SCBK_DEFAULT : baseKey(config, cUid);
    const keys = deriveSessionKeys(scbk, this.rndA);
    if (!constantTimeEqual(clientCryptogram(keys, this.rndA, rndB), cryptogram)) {
      throw new OsdpError('osdp.cryptogram_mismatch', 'the reader does not hold the expected key', {
        defaultKey: this.defaultKey,
      });
    }
    this.keys = keys;
    this.scbk = scbk;
    this.cUid = cUid.slice();
    this.server = serverCryptogram(keys, this.rndA, rndB);
    return this.server;
  }

  /** Checks osdp_RMAC_I and opens the session. */
  complete(rmac: Uint8Array): SecureSession {
    if (!this.keys || !this.server) throw new OsdpError('osdp.unexpected_reply', 'RMAC_I before CCRYPT');
    if (!constantTimeEqual(initialReplyMac(this.keys, this.server), rmac)) {
      throw new OsdpError('osdp.cryptogram_mismatch', 'R-MAC-I does not match the session keys');
    }
    return new SecureSession(this.keys, rmac);
  }
}

/** The key the reader should hold: the configured SCBK, or the master key diversified by cUID. */
export function baseKey(config: PeripheralSecureConfig, cUid: Uint8Array): Uint8Array {
  if (config.scbk) return config.scbk;
  if (config.masterKey) return deriveScbk(config.masterKey, cUid);
  throw new OsdpError('osdp.invalid_argument', 'secure channel needs an scbk or a masterKey');
}

import { concatBytes } from '../bytes.js';
import { OsdpError } from '../errors.js';
import { aesEcbEncrypt } from './aes.js';

/** Session keys of one secure-channel session (spec annex D.3). */
export interface SessionKeys {
  readonly enc: Uint8Array;
  readonly mac1: Uint8Array;
  readonly mac2: Uint8Array;
}

function expect(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new OsdpError('osdp.invalid_argument', `${what} must be ${length} bytes, got ${bytes.length}`);
  }
}

function deriveOne(scbk: Uint8Array, second: number, rndA: Uint8Array): Uint8Array {
  const block = new Uint8Array(16);
  block[0] = 0x01;
  block[1] = second;
  block.set(rndA.subarray(0, 6), 2);
  return aesEcbEncrypt(scbk, block);
}

/** S-ENC, S-MAC1 and S-MAC2 from the base key and the first six bytes of RND.A. */
export function deriveSessionKeys(scbk: Uint8Array, rndA: Uint8Array): SessionKeys {
  expect(scbk, 16, 'SCBK');
  expect(rndA, 8, 'RND.A');
  return {
    enc: deriveOne(scbk, 0x82, rndA),
    mac1: deriveOne(scbk, 0x01, rndA),
    mac2: deriveOne(scbk, 0x02, rndA),
  };
}

/** Client (PD) cryptogram sent in osdp_CCRYPT: AES(S-ENC, RND.A || RND.B). */
export function clientCryptogram(keys: SessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  expect(rndA, 8, 'RND.A');
  expect(rndB, 8, 'RND.B');
  return aesEcbEncrypt(keys.enc, concatBytes(rndA, rndB));
}

/** Server (CP) cryptogram sent in osdp_SCRYPT: AES(S-ENC, RND.B || RND.A). */
export function serverCryptogram(keys: SessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  expect(rndA, 8, 'RND.A');
  expect(rndB, 8, 'RND.B');
  return aesEcbEncrypt(keys.enc, concatBytes(rndB, rndA));
}

/** Initial reply MAC (R-MAC-I) returned in osdp_RMAC_I: AES(S-MAC2, AES(S-MAC1, server cryptogram)). */
export function initialReplyMac(keys: SessionKeys, serverCryptogramValue: Uint8Array): Uint8Array {
  expect(serverCryptogramValue, 16, 'server cryptogram');
  return aesEcbEncrypt(keys.mac2, aesEcbEncrypt(keys.mac1, serverCryptogramValue));
}

/**
 * Per-reader SCBK diversified from a master key: AES(MK, cUID || ~cUID), cUID being the 8-byte
 * client UID the PD reports in osdp_CCRYPT.
 */
export function deriveScbk(masterKey: Uint8Array, cUid: Uint8Array): Uint8Array {
  expect(masterKey, 16, 'master key');
  expect(cUid, 8, 'cUID');
  const block = new Uint8Array(16);
  block.set(cUid, 0);
  for (let i = 0; i < 8; i++) block[8 + i] = ~(cUid[i] ?? 0) & 0xff;
  return aesEcbEncrypt(masterKey, block);
}

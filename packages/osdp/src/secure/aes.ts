import { createCipheriv, createDecipheriv } from 'node:crypto';
import { OsdpError } from '../errors.js';

/** AES-128 primitives without padding; OSDP does its own 0x80 padding. */

function checkKey(key: Uint8Array): void {
  if (key.length !== 16) throw new OsdpError('osdp.invalid_argument', 'AES-128 keys are 16 bytes');
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % 16 !== 0) {
    throw new OsdpError('osdp.invalid_argument', 'AES input must be a multiple of 16 bytes');
  }
}

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data);
  const decipher = createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
}

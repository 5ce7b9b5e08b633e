import { constantTimeEqual } from '../bytes.js';
import { OsdpError } from '../errors.js';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes.js';
import type { SessionKeys } from './keys.js';

/** Which way a message travels: commands go CP to PD, replies PD to CP. */
export type Direction = 'command' | 'reply';

function invert(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => ~b & 0xff);
}

/** Pads with 0x80 then zeros to a whole number of blocks; the marker is always added. */
export function padData(data: Uint8Array): Uint8Array {
  const length = (Math.floor(data.length / 16) + 1) * 16;
  const out = new Uint8Array(length);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

export function unpadData(padded: Uint8Array): Uint8Array | null {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0x00) end--;
  if (end < 0 || padded[end] !== 0x80) return null;
  return padded.slice(0, end);
}

/**
 * State of an established secure channel: the session keys and the MAC chain. Each command MAC
 * starts from the last reply MAC and each reply MAC from the last command MAC, so a replayed or
 * reordered message fails verification. A failed verification leaves the chain untouched.
 */
export class SecureSession {
  private lastCommandMac: Uint8Array = new Uint8Array(16);
  private lastReplyMac: Uint8Array;

  constructor(
    readonly keys: SessionKeys,
    initialReplyMac: Uint8Array,
  ) {
    this.lastReplyMac = initialReplyMac.slice();
  }

  private chainFor(direction: Direction): Uint8Array {
    return direction === 'command' ? this.lastReplyMac : this.lastCommandMac;
  }

  /** Full 16-byte MAC of a message (SOM..data), per the spec's AES CBC-MAC with S-MAC1/S-MAC2. */
  computeMac(direction: Direction, message: Uint8Array): Uint8Array {
    // Unlike data encryption, a message that already fills whole blocks gets no padding block.
    const padded = message.length % 16 === 0 ? message : padData(message);
    let iv = this.chainFor(direction);
    if (padded.length > 16) {
      const head = aesCbcEncrypt(this.keys.mac1, iv, padded.subarray(0, padded.length - 16));
      iv = head.subarray(head.length - 16);
    }
    return aesCbcEncrypt(this.keys.mac2, iv, padded.subarray(padded.length - 16));
  }

  /** Computes and commits the MAC of an outgoing message; returns the 16 bytes. */
  sign(direction: Direction, message: Uint8Array): Uint8Array {
    const mac = this.computeMac(direction, message);
    this.commit(direction, mac);
    return mac;
  }

  /** Verifies a received 4-byte MAC and, only when it matches, advances the chain. */
  verify(direction: Direction, message: Uint8Array, mac: Uint8Array): boolean {
    const full = this.computeMac(direction, message);
    if (mac.length !== 4 || !constantTimeEqual(full.subarray(0, 4), mac)) return false;
    this.commit(direction, full);
    return true;
  }

  encrypt(direction: Direction, data: Uint8Array): Uint8Array {
    return aesCbcEncrypt(this.keys.enc, invert(this.chainFor(direction)), padData(data));
  }

  /**
   * Decrypts a message's data. Committing a message's own MAC never changes the chain value its
   * direction starts from, so this may run after `verify`.
   */
  decrypt(direction: Direction, ciphertext: Uint8Array): Uint8Array {
    if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
      throw new OsdpError('osdp.decrypt_failed', `ciphertext length ${ciphertext.length} is not whole blocks`);
    }
    const plain = unpadData(aesCbcDecrypt(this.keys.enc, invert(this.chainFor(direction)), ciphertext));
    if (!plain) throw new OsdpError('osdp.decrypt_failed');
    return plain;
  }

  private commit(direction: Direction, mac: Uint8Array): void {
    if (direction === 'command') this.lastCommandMac = mac;
    else this.lastReplyMac = mac;
  }
}

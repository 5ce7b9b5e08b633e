import { OsdpError } from '../errors.js';
import {
  BROADCAST_ADDRESS,
  CONTROL_CRC,
  CONTROL_RESERVED,
  CONTROL_SCB,
  CONTROL_SEQUENCE_MASK,
  HEADER_LENGTH,
  MARK,
  REPLY_FLAG,
  SOM,
} from '../constants.js';
import { checksum8, crc16 } from './check.js';

export type CheckMode = 'crc' | 'checksum';

export interface SecurityBlock {
  readonly type: number;
  readonly data: Uint8Array;
}

/** What a caller specifies to build a frame; length, control byte and check are derived. */
export interface FrameFields {
  /** 0x00..0x7E for a PD, 0x7F for broadcast; the reply flag is set from `isReply`. */
  readonly address: number;
  readonly isReply: boolean;
  readonly sequence: number;
  readonly checkMode: CheckMode;
  readonly securityBlock?: SecurityBlock | null;
  readonly code: number;
  /** Payload after the command/reply code, as it goes on the wire (ciphertext when encrypted). */
  readonly data?: Uint8Array;
}

/** A frame read off the wire. */
export interface Frame extends FrameFields {
  readonly securityBlock: SecurityBlock | null;
  readonly data: Uint8Array;
  /** The 4 MAC bytes, present when the security block type is SCS_15..SCS_18. */
  readonly mac: Uint8Array | null;
  /** SOM through the end of data: the bytes the MAC is computed over. */
  readonly authenticated: Uint8Array;
  /** The whole frame from SOM to the check character, mark byte excluded. */
  readonly bytes: Uint8Array;
  /** Whether a 0xFF mark byte preceded the SOM. */
  readonly marked: boolean;
}

export interface EncodeOptions {
  /** Prefix the frame with the 0xFF mark byte (OSDP 2.2 default). */
  readonly mark?: boolean;
  /** Computes the 4-byte MAC over SOM..data; required when the block type carries a MAC. */
  readonly mac?: (authenticated: Uint8Array) => Uint8Array;
}

export const MAC_LENGTH = 4;

export function securityBlockHasMac(type: number): boolean {
  return type >= 0x15 && type <= 0x18;
}

function checkFields(fields: FrameFields): void {
  const { address, sequence, code } = fields;
  if (!Number.isInteger(address) || address < 0 || address > BROADCAST_ADDRESS) {
    throw new OsdpError('osdp.invalid_argument', `address ${address} is outside 0..0x7F`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 3) {
    throw new OsdpError('osdp.invalid_argument', `sequence ${sequence} is outside 0..3`);
  }
  if (!Number.isInteger(code) || code < 0 || code > 0xff) {
    throw new OsdpError('osdp.invalid_argument', `code ${code} is not a byte`);
  }
  const block = fields.securityBlock;
  if (block && (block.data.length > 253 || block.type < 0 || block.type > 0xff)) {
    throw new OsdpError('osdp.invalid_argument', 'security block is malformed');
  }
}

export function encodeFrame(fields: FrameFields, options: EncodeOptions = {}): Uint8Array {
  checkFields(fields);
  const data = fields.data ?? new Uint8Array(0);
  const block = fields.securityBlock ?? null;
  const withMac = block !== null && securityBlockHasMac(block.type);
  if (withMac && !options.mac) {
    throw new OsdpError('osdp.invalid_argument', 'a MAC function is required for this security block');
  }
  const blockLength = block ? 2 + block.data.length : 0;
  const checkLength = fields.checkMode === 'crc' ? 2 : 1;
  const length = HEADER_LENGTH + blockLength + 1 + data.length + (withMac ? MAC_LENGTH : 0) + checkLength;
  if (length > 0xffff) throw new OsdpError('osdp.invalid_argument', 'frame exceeds 65535 bytes');

  const mark = options.mark ?? true;
  const out = new Uint8Array(length + (mark ? 1 : 0));
  let at = 0;
  if (mark) out[at++] = MARK;
  const som = at;
  out[at++] = SOM;
  out[at++] = (fields.address & 0x7f) | (fields.isReply ? REPLY_FLAG : 0);
  out[at++] = length & 0xff;
  out[at++] = length >>> 8;
  out[at++] = (fields.sequence & CONTROL_SEQUENCE_MASK) | (fields.checkMode === 'crc' ? CONTROL_CRC : 0) | (block ? CONTROL_SCB : 0);
  if (block) {
    out[at++] = blockLength;
    out[at++] = block.type;
    out.set(block.data, at);
    at += block.data.length;
  }
  out[at++] = fields.code;
  out.set(data, at);
  at += data.length;
  if (withMac && options.mac) {
    const mac = options.mac(out.subarray(som, at));
    if (mac.length < MAC_LENGTH) throw new OsdpError('osdp.invalid_argument', 'MAC shorter than 4 bytes');
    out.set(mac.subarray(0, MAC_LENGTH), at);
    at += MAC_LENGTH;
  }
  if (fields.checkMode === 'crc') {
    const crc = crc16(out, som, at);
    out[at++] = crc & 0xff;
    out[at++] = crc >>> 8;
  } else {
    out[at++] = checksum8(out, som, at);
  }
  return out;
}

/** Smallest length a frame with this control byte can declare. */
export function minimumFrameLength(control: number): number {
  return HEADER_LENGTH + 1 + (control & CONTROL_CRC ? 2 : 1) + (control & CONTROL_SCB ? 2 : 0);
}

/**
 * Parses one complete frame (SOM first, exactly `declared length` bytes). Returns the error instead
 * of throwing so the stream decoder stays exception-free on hostile input.
 */
export function parseFrame(bytes: Uint8Array, marked = false): Frame | OsdpError {
  if (bytes.length < HEADER_LENGTH || bytes[0] !== SOM) {
    return new OsdpError('osdp.malformed_frame', 'frame does not start with SOM');
  }
  const length = (bytes[2] ?? 0) | ((bytes[3] ?? 0) << 8);
  const control = bytes[4] ?? 0;
  if (length !== bytes.length) {
    return new OsdpError('osdp.malformed_frame', `declared length ${length} but got ${bytes.length} bytes`);
  }
  if (control & CONTROL_RESERVED) {
    return new OsdpError('osdp.malformed_frame', 'reserved control bits set', { control });
  }
  if (length < minimumFrameLength(control)) {
    return new OsdpError('osdp.frame_too_short', `declared length ${length} is too short`);
  }
  const useCrc = (control & CONTROL_CRC) !== 0;
  const end = useCrc ? length - 2 : length - 1;
  if (useCrc) {
    const expected = crc16(bytes, 0, end);
    const actual = (bytes[end] ?? 0) | ((bytes[end + 1] ?? 0) << 8);
    if (expected !== actual) {
      return new OsdpError('osdp.crc_mismatch', undefined, { expected, actual });
    }
  } else {
    const expected = checksum8(bytes, 0, end);
    if (expected !== bytes[end]) {
      return new OsdpError('osdp.checksum_mismatch', undefined, { expected, actual: bytes[end] });
    }
  }

  let at = HEADER_LENGTH;
  let securityBlock: SecurityBlock | null = null;
  if (control & CONTROL_SCB) {
    const blockLength = bytes[at] ?? 0;
    if (blockLength < 2 || at + blockLength >= end) {
      return new OsdpError('osdp.malformed_frame', `security block length ${blockLength} does not fit`);
    }
    securityBlock = { type: bytes[at + 1] ?? 0, data: bytes.slice(at + 2, at + blockLength) };
    at += blockLength;
  }
  const withMac = securityBlock !== null && securityBlockHasMac(securityBlock.type);
  const dataEnd = withMac ? end - MAC_LENGTH : end;
  if (dataEnd <= at) {
    return new OsdpError('osdp.malformed_frame', 'no room for the command or reply code');
  }
  const address = bytes[1] ?? 0;
  return {
    address: address & 0x7f,
    isReply: (address & REPLY_FLAG) !== 0,
    sequence: control & CONTROL_SEQUENCE_MASK,
    checkMode: useCrc ? 'crc' : 'checksum',
    securityBlock,
    code: bytes[at] ?? 0,
    data: bytes.slice(at + 1, dataEnd),
    mac: withMac ? bytes.slice(dataEnd, end) : null,
    authenticated: bytes.slice(0, dataEnd),
    bytes: bytes.slice(),
    marked,
  };
}

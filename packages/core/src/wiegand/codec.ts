/**
 * Encoding and decoding of Wiegand reads. A read travels as `bitCount` bits; OSDP and most panels
 * deliver them as whole bytes, most significant bit first, left aligned (the unused low bits of the
 * last byte are padding and carry no meaning). Integer forms hold the bits right aligned.
 */
import type { VigilError } from '../errors.js';
import { wiegandError } from './errors.js';
import { WIEGAND_FORMATS, findWiegandFormat, type WiegandField, type WiegandFormat, type WiegandFormatId } from './formats.js';

export interface WiegandCard {
  readonly facilityCode: number;
  readonly cardNumber: number;
}

export interface EncodedWiegand {
  readonly format: WiegandFormatId;
  readonly bitCount: number;
  /** The bits as an unsigned integer, first bit most significant (every catalogue format fits 53 bits). */
  readonly bits: number;
  /** The bits as whole bytes, left aligned, zero padded, lowercase hex (the OSDP osdp_RAW form). */
  readonly hex: string;
}

export interface DecodedWiegand extends WiegandCard {
  readonly format: WiegandFormatId;
}

/** A read: an integer (right aligned), a bigint, hex text or bytes (both left aligned in whole bytes). */
export type WiegandRaw = number | bigint | string | Uint8Array;

export interface DecodeOptions {
  /** Formats accepted at this reader; defaults to the whole catalogue. */
  readonly formats?: readonly WiegandFormatId[];
}

export type DecodeResult = { readonly ok: true; readonly card: DecodedWiegand } | { readonly ok: false; readonly error: VigilError };

const HEX = /^[0-9a-fA-F]*$/;

/** Throws unless the format exists and both numbers fit it; returns the format. */
export function validateCard(formatId: string, facilityCode: number, cardNumber: number): WiegandFormat {
  const format = findWiegandFormat(formatId);
  if (!format) throw wiegandError('wiegand.unknown_format', `Unknown Wiegand format ${formatId}`, { formatId });
  const fc = format.facilityCodeRange;
  if (!Number.isSafeInteger(facilityCode) || facilityCode < fc.min || facilityCode > fc.max) {
    throw wiegandError('wiegand.facility_code_out_of_range', `Facility code must be ${fc.min}..${fc.max} in ${format.id}`, {
      formatId: format.id,
      min: fc.min,
      max: fc.max,
    });
  }
  const cn = format.cardNumberRange;
  if (!Number.isSafeInteger(cardNumber) || cardNumber < cn.min || cardNumber > cn.max) {
    // The card number itself stays out of the details: they may end up in a log.
    throw wiegandError('wiegand.card_number_out_of_range', `Card number must be ${cn.min}..${cn.max} in ${format.id}`, {
      formatId: format.id,
      min: cn.min,
      max: cn.max,
    });
  }
  return format;
}

export function encodeWiegand(formatId: string, card: WiegandCard): EncodedWiegand {
  const format = validateCard(formatId, card.facilityCode, card.cardNumber);
  const bits = packBits(format, card.facilityCode, card.cardNumber);
  return { format: format.id, bitCount: format.bitLength, bits, hex: numberToHex(bits, format.bitLength) };
}

/** The bits of a card as a number, without the hex form: the snapshot compiler encodes 250k cards. */
export function encodeWiegandBits(formatId: string, card: WiegandCard): number {
  const format = validateCard(formatId, card.facilityCode, card.cardNumber);
  return packBits(format, card.facilityCode, card.cardNumber);
}

const TWO_32 = 4294967296;

/** A parity rule as masks over the high and low 32-bit words of the raw value. */
interface PackedParity {
  readonly bit: number;
  readonly odd: boolean;
  readonly high: number;
  readonly low: number;
}

const packedParity = new Map<WiegandFormat, readonly PackedParity[]>();

function parityMasks(format: WiegandFormat): readonly PackedParity[] {
  let masks = packedParity.get(format);
  if (!masks) {
    masks = format.parity.map((rule) => {
      let high = 0;
      let low = 0;
      for (const p of rule.over) {
        const bit = format.bitLength - p;
        if (bit >= 32) high |= 1 << (bit - 32);
        else low |= 1 << bit;
      }
      return { bit: format.bitLength - rule.position, odd: rule.kind === 'odd', high, low };
    });
    packedParity.set(format, masks);
  }
  return masks;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Packs fields and parity arithmetically (every catalogue format fits 53 bits, so doubles are exact). */
function weightOf(format: WiegandFormat, field: WiegandField): number {
  return 2 ** (format.bitLength - field.start - field.length + 1);
}

function packBits(format: WiegandFormat, facilityCode: number, cardNumber: number): number {
  let value = facilityCode * weightOf(format, format.facilityCode) + cardNumber * weightOf(format, format.cardNumber);
  for (const rule of parityMasks(format)) {
    const ones = popcount(Math.floor(value / TWO_32) & rule.high) + popcount((value >>> 0) & rule.low);
    if ((ones & 1) !== (rule.odd ? 1 : 0)) value += 2 ** rule.bit;
  }
  return value;
}

function numberToHex(value: number, bitCount: number): string {
  const bytes = Math.ceil(bitCount / 8);
  let aligned = value * 2 ** (bytes * 8 - bitCount);
  const out = new Array<string>(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = (aligned % 256).toString(16).padStart(2, '0');
    aligned = Math.floor(aligned / 256);
  }
  return out.join('');
}

/** Decodes a read into its format, facility code and card number; throws a `wiegand.*` error otherwise. */
export function decodeWiegand(raw: WiegandRaw, bitCount: number, options: DecodeOptions = {}): DecodedWiegand {
  const bits = rawToBits(raw, bitCount);
  const candidates = (options.formats ?? WIEGAND_FORMATS.map((f) => f.id))
    .map((id) => findWiegandFormat(id))
    .filter((f): f is WiegandFormat => f !== undefined && f.bitLength === bitCount);
  if (candidates.length === 0) {
    throw wiegandError('wiegand.unknown_format', `No accepted Wiegand format has ${bitCount} bits`, { bitCount });
  }
  const matching = candidates.filter((f) => parityHolds(f, bits));
  const [format, ...others] = matching;
  if (!format) {
    throw wiegandError('wiegand.parity_failed', `The ${bitCount}-bit read fails the parity of ${candidates.map((f) => f.id).join(', ')}`, {
      bitCount,
      formats: candidates.map((f) => f.id),
    });
  }
  if (others.length > 0) {
    throw wiegandError('wiegand.ambiguous_format', `The ${bitCount}-bit read fits ${matching.map((f) => f.id).join(', ')}`, {
      bitCount,
      formats: matching.map((f) => f.id),
    });
  }
  return { format: format.id, facilityCode: readField(bits, format.facilityCode), cardNumber: readField(bits, format.cardNumber) };
}

/** `decodeWiegand` without throwing, for the reader loop. */
export function tryDecodeWiegand(raw: WiegandRaw, bitCount: number, options: DecodeOptions = {}): DecodeResult {
  try {
    return { ok: true, card: decodeWiegand(raw, bitCount, options) };
  } catch (error) {
    return { ok: false, error: error as VigilError };
  }
}

/**
 * The catalogue format whose bit count and parity the read passes, or null; never throws, so the
 * decision engine can label an unknown card cheaply. A malformed read is null too.
 */
export function identifyWiegandFormat(raw: WiegandRaw, bitCount: number): WiegandFormatId | null {
  const candidates = WIEGAND_FORMATS.filter((f) => f.bitLength === bitCount);
  if (candidates.length === 0) return null;
  let bits: Uint8Array;
  try {
    bits = rawToBits(raw, bitCount);
  } catch {
    return null;
  }
  const matching = candidates.filter((f) => parityHolds(f, bits));
  return matching.length === 1 ? matching[0]!.id : null;
}

/**
 * The canonical form of any read, known format or not: left-aligned hex with the padding bits
 * cleared. Two reads of the same card give the same text whatever form they arrived in.
 */
export function canonicalWiegandHex(raw: WiegandRaw, bitCount: number): string {
  return bitsToHex(rawToBits(raw, bitCount));
}

/** The read as an unsigned integer (right aligned); bit counts above 53 do not fit and throw. */
export function wiegandBitsValue(raw: WiegandRaw, bitCount: number): number {
  if (bitCount > 53) throw wiegandError('wiegand.malformed_raw', `A ${bitCount}-bit read does not fit a number`, { bitCount });
  return bitsToNumber(rawToBits(raw, bitCount));
}

function parityHolds(format: WiegandFormat, bits: Uint8Array): boolean {
  for (const rule of format.parity) {
    const ones = countOnes(bits, rule.over) + (bits[rule.position - 1] ?? 0);
    if ((ones & 1) !== (rule.kind === 'even' ? 0 : 1)) return false;
  }
  return true;
}

function countOnes(bits: Uint8Array, over: readonly number[]): number {
  let ones = 0;
  for (const p of over) ones += bits[p - 1] ?? 0;
  return ones;
}

function readField(bits: Uint8Array, field: WiegandField): number {
  let value = 0;
  for (let i = 0; i < field.length; i++) value = value * 2 + (bits[field.start - 1 + i] ?? 0);
  return value;
}

function bitsToNumber(bits: Uint8Array): number {
  let value = 0;
  for (const bit of bits) value = value * 2 + bit;
  return value;
}

function bitsToHex(bits: Uint8Array): string {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    if (bit) bytes[i >> 3]! |= 0x80 >> (i & 7);
  });
  return Buffer.from(bytes).toString('hex');
}

function rawToBits(raw: WiegandRaw, bitCount: number): Uint8Array {
  if (!Number.isInteger(bitCount) || bitCount < 1 || bitCount > 1024) {
    throw wiegandError('wiegand.malformed_raw', `Bit count ${bitCount} is not a positive whole number`, { bitCount });
  }
  const bits = new Uint8Array(bitCount);
  if (typeof raw === 'number' && bitCount <= 53) {
    if (!Number.isSafeInteger(raw) || raw < 0 || raw >= 2 ** bitCount) {
      throw wiegandError('wiegand.malformed_raw', `The value does not fit ${bitCount} bits`, { bitCount });
    }
    let value = raw;
    for (let i = bitCount - 1; i >= 0; i--) {
      bits[i] = value % 2;
      value = Math.floor(value / 2);
    }
    return bits;
  }
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    let value = BigInt(Number.isSafeInteger(raw) || typeof raw === 'bigint' ? raw : -1);
    if (value < 0n || value >> BigInt(bitCount) !== 0n) {
      throw wiegandError('wiegand.malformed_raw', `The value does not fit ${bitCount} bits`, { bitCount });
    }
    for (let i = bitCount - 1; i >= 0; i--) {
      bits[i] = Number(value & 1n);
      value >>= 1n;
    }
    return bits;
  }
  const byteCount = Math.ceil(bitCount / 8);
  let bytes: Uint8Array;
  if (typeof raw === 'string') {
    if (!HEX.test(raw) || raw.length !== byteCount * 2) {
      throw wiegandError('wiegand.malformed_raw', `Expected ${byteCount * 2} hex digits for ${bitCount} bits`, { bitCount });
    }
    bytes = Buffer.from(raw, 'hex');
  } else {
    if (raw.length !== byteCount) {
      throw wiegandError('wiegand.malformed_raw', `Expected ${byteCount} bytes for ${bitCount} bits, got ${raw.length}`, { bitCount });
    }
    bytes = raw;
  }
  for (let i = 0; i < bitCount; i++) bits[i] = ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  return bits;
}

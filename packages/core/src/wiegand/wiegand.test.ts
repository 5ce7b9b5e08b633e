import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isVigilError } from '../errors.js';
import {
  WIEGAND_FORMATS,
  canonicalWiegandHex,
  decodeWiegand,
  encodeWiegand,
  tryDecodeWiegand,
  validateCard,
  wiegandBitsValue,
  type WiegandFormatId,
} from './index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isVigilError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

function flipBit(hex: string, position: number): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[(position - 1) >> 3]! ^= 0x80 >> ((position - 1) & 7);
  return bytes.toString('hex');
}

describe('Wiegand format catalogue', () => {
  it('lists each format with its bit length and the ranges it can carry', () => {
    const summary = Object.fromEntries(WIEGAND_FORMATS.map((f) => [f.id, [f.bitLength, f.facilityCodeRange.max, f.cardNumberRange.max]]));
    assert.deepEqual(summary, {
      H10301: [26, 255, 65535],
      H10306: [34, 65535, 65535],
      H10304: [37, 65535, 524287],
      'C1000-35': [35, 4095, 1048575],
      'C1000-48': [48, 4194303, 8388607],
    });
  });

  it('encodes the published H10301 vectors, left aligned in whole bytes', () => {
    assert.equal(encodeWiegand('H10301', { facilityCode: 224, cardNumber: 9320 }).hex, '70123440');
    assert.equal(encodeWiegand('H10301', { facilityCode: 123, cardNumber: 4567 }).hex, 'bd88eb80');
    assert.equal(encodeWiegand('H10301', { facilityCode: 224, cardNumber: 9320 }).bits, 0x70123440 >>> 6);
  });

  it('decodes the published H10301 vectors from hex, bytes and integers alike', () => {
    const expected = { format: 'H10301', facilityCode: 224, cardNumber: 9320 };
    assert.deepEqual(decodeWiegand('70123440', 26), expected);
    assert.deepEqual(decodeWiegand(Uint8Array.from([0x70, 0x12, 0x34, 0x40]), 26), expected);
    assert.deepEqual(decodeWiegand(0x70123440 >>> 6, 26), expected);
    assert.deepEqual(decodeWiegand(BigInt(0x70123440 >>> 6), 26), expected);
    assert.deepEqual(decodeWiegand('BD88EB80', 26), { format: 'H10301', facilityCode: 123, cardNumber: 4567 });
  });

  it('encodes Corporate 1000 35-bit as a reader reports it (FC 2643, CN 163271)', () => {
    // A reader log shows this card as 2D4A64FB8E: the 35 data bits under a 3-bit header.
    const encoded = encodeWiegand('C1000-35', { facilityCode: 2643, cardNumber: 163271 });
    assert.equal(encoded.bits, Number(0x2d4a64fb8en & ((1n << 35n) - 1n)));
    assert.deepEqual(decodeWiegand(encoded.bits, 35), { format: 'C1000-35', facilityCode: 2643, cardNumber: 163271 });
  });

  it('accepts a Corporate 1000 48-bit read whose three parity bits were set by another encoder', () => {
    // Proxmark3 clone fixture 01400076000c86: a sentinel bit above 48 data bits.
    assert.deepEqual(decodeWiegand(0x400076000c86, 48), { format: 'C1000-48', facilityCode: 118, cardNumber: 1603 });
  });

  it('round-trips the extremes of every format', () => {
    for (const format of WIEGAND_FORMATS) {
      for (const card of [
        { facilityCode: 0, cardNumber: 0 },
        { facilityCode: format.facilityCodeRange.max, cardNumber: format.cardNumberRange.max },
        { facilityCode: Math.floor(format.facilityCodeRange.max / 3), cardNumber: Math.floor(format.cardNumberRange.max / 7) },
      ]) {
        const encoded = encodeWiegand(format.id, card);
        assert.equal(encoded.hex.length, Math.ceil(format.bitLength / 8) * 2);
        assert.deepEqual(decodeWiegand(encoded.hex, format.bitLength), { format: format.id, ...card }, format.id);
      }
    }
  });

  it('rejects a read with any single bit flipped as a parity failure', () => {
    for (const format of WIEGAND_FORMATS) {
      const encoded = encodeWiegand(format.id, { facilityCode: 77, cardNumber: 12345 });
      for (let position = 1; position <= format.bitLength; position++) {
        assert.equal(
          codeOf(() => decodeWiegand(flipBit(encoded.hex, position), format.bitLength)),
          'wiegand.parity_failed',
          `${format.id} bit ${position}`,
        );
      }
    }
  });

  it('sets Corporate 1000 35-bit parity bits 1, 2 and 35 over the documented bit ranges', () => {
    const { hex } = encodeWiegand('C1000-35', { facilityCode: 0, cardNumber: 1 });
    // Card number 1 sets bit 34 only: bit 2 (even over 3-4, 6-7 … 33-34) becomes 1, bit 35 (odd over
    // 2-3, 5-6 … 32-33) sees bit 2 set and stays 0, bit 1 (odd over 2-35) sees two ones and becomes 1.
    const bits = [...Buffer.from(hex, 'hex')].flatMap((b) => [...b.toString(2).padStart(8, '0')].map(Number)).slice(0, 35);
    assert.deepEqual([bits[0], bits[1], bits[33], bits[34]], [1, 1, 1, 0]);
  });

  it('ignores the padding bits after the last data bit', () => {
    assert.deepEqual(decodeWiegand('7012347f', 26), decodeWiegand('70123440', 26));
    assert.equal(canonicalWiegandHex('7012347f', 26), '70123440');
    assert.equal(wiegandBitsValue('7012347f', 26), 0x70123440 >>> 6);
  });

  it('names an unknown bit count, a malformed read and out-of-range numbers with stable codes', () => {
    assert.equal(
      codeOf(() => decodeWiegand('0123456789', 40)),
      'wiegand.unknown_format',
    );
    assert.equal(
      codeOf(() => decodeWiegand('701234', 26)),
      'wiegand.malformed_raw',
    );
    assert.equal(
      codeOf(() => decodeWiegand('zz123440', 26)),
      'wiegand.malformed_raw',
    );
    assert.equal(
      codeOf(() => decodeWiegand(2 ** 26, 26)),
      'wiegand.malformed_raw',
    );
    assert.equal(
      codeOf(() => encodeWiegand('H99999', { facilityCode: 1, cardNumber: 1 })),
      'wiegand.unknown_format',
    );
    assert.equal(
      codeOf(() => validateCard('H10301', 256, 1)),
      'wiegand.facility_code_out_of_range',
    );
    assert.equal(
      codeOf(() => validateCard('H10301', 1, 65536)),
      'wiegand.card_number_out_of_range',
    );
    assert.equal(
      codeOf(() => validateCard('H10301', 1.5, 1)),
      'wiegand.facility_code_out_of_range',
    );
    assert.equal(validateCard('H10304', 65535, 524287).id, 'H10304');
  });

  it('decodes only the formats a reader accepts', () => {
    const raw = encodeWiegand('H10306', { facilityCode: 5, cardNumber: 6 });
    const onlyH10301: readonly WiegandFormatId[] = ['H10301'];
    assert.equal(
      codeOf(() => decodeWiegand(raw.hex, 34, { formats: onlyH10301 })),
      'wiegand.unknown_format',
    );
    const failed = tryDecodeWiegand(flipBit(raw.hex, 3), 34);
    assert.equal(failed.ok ? 'decoded' : failed.error.code, 'wiegand.parity_failed');
  });
});

describe('Wiegand reads from a recorded OSDP session', () => {
  const trace = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/osdp/libosdp-pd101-plain.trace');
  const present = fs.existsSync(trace);
  it('decodes the osdp_RAW card read of the libosdp trace', { skip: present ? false : `fixture absent: ${trace}` }, () => {
    // Plain (no secure channel) reply: mark, SOM, addr, len(2), ctrl, reply 0x50, reader, format, bit count (LE), data.
    const reads = fs
      .readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('TX '))
      .map((line) => Buffer.from(line.slice(3).trim(), 'hex'))
      .filter((frame) => frame[6] === 0x50);
    assert.equal(reads.length, 1);
    const frame = reads[0]!;
    const bitCount = frame.readUInt16LE(9);
    const data = frame.subarray(11, 11 + Math.ceil(bitCount / 8));
    assert.equal(bitCount, 26);
    assert.deepEqual(decodeWiegand(data, bitCount), { format: 'H10301', facilityCode: 30, cardNumber: 51015 });
  });
});

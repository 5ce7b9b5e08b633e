/**
 * The Wiegand card formats Vigil understands, as data: where the facility code and card number sit
 * and which bits each parity bit covers. Positions are 1-based in transmission order (bit 1 is sent
 * first and is the most significant bit of the raw value), which is how HID's format documents
 * number them, so each rule below can be checked against the published layout by eye.
 */

export type WiegandFormatId = 'H10301' | 'H10306' | 'H10304' | 'C1000-35' | 'C1000-48';

/** A run of bits holding an unsigned number, most significant bit first. */
export interface WiegandField {
  /** 1-based position of the field's most significant bit. */
  readonly start: number;
  readonly length: number;
}

export interface WiegandParityRule {
  /** 1-based position of the parity bit. */
  readonly position: number;
  /** `even`: the covered bits plus the parity bit hold an even number of ones; `odd`: an odd number. */
  readonly kind: 'even' | 'odd';
  /** 1-based positions covered; may include another parity bit, so rules are applied in order. */
  readonly over: readonly number[];
}

export interface WiegandRange {
  readonly min: number;
  readonly max: number;
}

export interface WiegandFormat {
  readonly id: WiegandFormatId;
  readonly name: string;
  readonly bitLength: number;
  readonly facilityCodeRange: WiegandRange;
  readonly cardNumberRange: WiegandRange;
  readonly facilityCode: WiegandField;
  readonly cardNumber: WiegandField;
  /** Applied in this order when encoding; all must hold when decoding. */
  readonly parity: readonly WiegandParityRule[];
}

function positions(from: number, to: number, keep: (position: number) => boolean = () => true): number[] {
  const out: number[] = [];
  for (let p = from; p <= to; p++) if (keep(p)) out.push(p);
  return out;
}

function fieldRange(field: WiegandField): WiegandRange {
  return { min: 0, max: 2 ** field.length - 1 };
}

/**
 * The common HID layout: a leading even parity over the first half of the data bits and a trailing
 * odd parity over the second half (the halves overlap by one bit when the data length is odd).
 */
function evenOddFormat(
  id: WiegandFormatId,
  name: string,
  bitLength: number,
  facilityCode: WiegandField,
  cardNumber: WiegandField,
  evenOver: readonly [number, number],
  oddOver: readonly [number, number],
): WiegandFormat {
  return {
    id,
    name,
    bitLength,
    facilityCode,
    cardNumber,
    facilityCodeRange: fieldRange(facilityCode),
    cardNumberRange: fieldRange(cardNumber),
    parity: [
      { position: 1, kind: 'even', over: positions(evenOver[0], evenOver[1]) },
      { position: bitLength, kind: 'odd', over: positions(oddOver[0], oddOver[1]) },
    ],
  };
}

/**
 * HID Corporate 1000: bit 2 is even parity and the last bit odd parity, each over two of every
 * three data bits (interleaved so every data bit is covered by at least one), then bit 1 is odd
 * parity over every other bit of the message, so it is computed last.
 */
function corporate1000(id: WiegandFormatId, name: string, bitLength: 35 | 48, companyBits: number): WiegandFormat {
  const facilityCode = { start: 3, length: companyBits };
  const cardNumber = { start: 3 + companyBits, length: bitLength - 3 - companyBits };
  const secondBitOver = bitLength === 35 ? positions(3, 34, (p) => p % 3 !== 2) : positions(4, 47, (p) => p % 3 !== 0);
  const lastBitOver = bitLength === 35 ? positions(2, 33, (p) => p % 3 !== 1) : positions(3, 46, (p) => p % 3 !== 2);
  return {
    id,
    name,
    bitLength,
    facilityCode,
    cardNumber,
    facilityCodeRange: fieldRange(facilityCode),
    cardNumberRange: fieldRange(cardNumber),
    parity: [
      { position: 2, kind: 'even', over: secondBitOver },
      { position: bitLength, kind: 'odd', over: lastBitOver },
      { position: 1, kind: 'odd', over: positions(2, bitLength) },
    ],
  };
}

/** Every supported format; each has a distinct bit length, so a read's bit count names its format. */
export const WIEGAND_FORMATS: readonly WiegandFormat[] = [
  // P FFFFFFFF NNNNNNNNNNNNNNNN P: the 26-bit "standard" open format.
  evenOddFormat('H10301', 'HID H10301 26-bit', 26, { start: 2, length: 8 }, { start: 10, length: 16 }, [2, 13], [14, 25]),
  evenOddFormat('H10306', 'HID H10306 34-bit', 34, { start: 2, length: 16 }, { start: 18, length: 16 }, [2, 17], [18, 33]),
  evenOddFormat(
    'H10304',
    'HID H10304 37-bit with facility code',
    37,
    { start: 2, length: 16 },
    { start: 18, length: 19 },
    [2, 19],
    [19, 36],
  ),
  corporate1000('C1000-35', 'HID Corporate 1000 35-bit', 35, 12),
  corporate1000('C1000-48', 'HID Corporate 1000 48-bit', 48, 22),
];

const byId: ReadonlyMap<string, WiegandFormat> = new Map(WIEGAND_FORMATS.map((f) => [f.id, f]));

export function isWiegandFormatId(id: string): id is WiegandFormatId {
  return byId.has(id);
}

/** The format with that id, or undefined when Vigil does not know it. */
export function findWiegandFormat(id: string): WiegandFormat | undefined {
  return byId.get(id);
}

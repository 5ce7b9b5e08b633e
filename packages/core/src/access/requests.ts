/** What a reader asks: the card it read, at which door and side, with any PIN or biometric verdict. */
import { canonicalWiegandHex, identifyWiegandFormat } from '../wiegand/codec.js';
import type { UnknownCard } from './decision.js';
import { findCardSlot } from './lookups.js';
import { CARD_CREDENTIAL, CARD_SLOT, type AccessSnapshot } from './snapshot.js';

export interface CardRead {
  readonly bitCount: number;
  /** The bits as an unsigned integer (first bit most significant), for reads of up to 53 bits. */
  readonly bits?: number;
  /** Left-aligned hex of the bits, for any width. */
  readonly hex?: string;
}

export interface AccessRequest {
  readonly doorId: string;
  /** `exit_request`: the request-to-exit button or sensor. */
  readonly kind: 'card' | 'exit_request';
  /** Which reader of the door read the card (default `entry`). */
  readonly direction?: 'entry' | 'exit';
  readonly card?: CardRead;
  /**
   * The controller's verdict on the PIN typed on the reader keypad, checked against the holder's
   * PIN hash (`pinHashFor`, `verifyPin`) before asking; absent when no PIN was entered. The digits
   * themselves never reach the decision.
   */
  readonly pinMatch?: boolean;
  /** The reader's biometric verdict for this credential, when it captured one. */
  readonly biometricMatch?: boolean;
}

/** The card table slot of a read (see `CardTable`), or -1 when no credential carries the card. */
export function lookupCardSlot(s: AccessSnapshot, card: CardRead): number {
  const bitCount = card.bitCount;
  if (card.bits !== undefined && bitCount <= 53) return findCardSlot(s.cardTable, card.bits, bitCount);
  if (card.hex === undefined) return -1;
  if (bitCount <= 53) {
    const bits = hexBits(card.hex, bitCount);
    return Number.isNaN(bits) ? -1 : findCardSlot(s.cardTable, bits, bitCount);
  }
  const hex = canonicalHex(card.hex, bitCount);
  return hex === null ? -1 : (s.wideCardIndex.get(`${bitCount}:${hex}`) ?? -1);
}

/** The credential index of a read, or -1. */
export function lookupCard(s: AccessSnapshot, card: CardRead): number {
  const slot = lookupCardSlot(s, card);
  return slot < 0 ? -1 : s.cardTable.i32[slot * CARD_SLOT + CARD_CREDENTIAL]!;
}

/**
 * The id of the credential carrying the card, or null: what a controller keys its own
 * per-credential state by (PIN lockouts) when it must look before deciding.
 */
export function credentialIdFor(s: AccessSnapshot, card: CardRead): string | null {
  const credential = lookupCard(s, card);
  return credential < 0 ? null : s.credentials.ids[credential]!;
}

function hexBits(hex: string, bitCount: number): number {
  const bytes = Math.ceil(bitCount / 8);
  if (hex.length !== bytes * 2) return Number.NaN;
  let value = 0;
  for (let i = 0; i < bytes; i++) value = value * 256 + parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return Math.floor(value / 2 ** (bytes * 8 - bitCount));
}

function canonicalHex(raw: string | number, bitCount: number): string | null {
  try {
    return canonicalWiegandHex(raw, bitCount);
  } catch {
    return null;
  }
}

export function describeUnknown(card: CardRead | null): UnknownCard | null {
  if (!card) return null;
  const raw = card.hex ?? card.bits ?? 0;
  return { bitCount: card.bitCount, hex: canonicalHex(raw, card.bitCount) ?? '', format: identifyWiegandFormat(raw, card.bitCount) };
}

/**
 * Badge numbers. A hospital has a current card format and a legacy one it is migrating away from
 * (badges of both are in use; some staff carry one of each), and visitor and contractor badges in
 * 26-bit. Numbers run up from a seeded start within a seeded facility code, moving to the next
 * facility code when a range is used up, so every card is unique and within its format's ranges.
 */
import { findWiegandFormat } from '@vigil/core';
import type { CardModel, WiegandFormatId } from '../model.js';
import type { Random } from './random.js';

const CURRENT_FORMATS: readonly WiegandFormatId[] = ['C1000-48', 'C1000-35', 'H10304'];
const LEGACY_FORMATS: readonly WiegandFormatId[] = ['H10301', 'H10306'];

interface Counter {
  facilityCode: number;
  next: number;
}

export class CardIssuer {
  readonly current: WiegandFormatId;
  readonly legacy: WiegandFormatId;
  private readonly counters = new Map<WiegandFormatId, Counter>();

  constructor(private readonly random: Random) {
    this.current = random.pick(CURRENT_FORMATS);
    this.legacy = random.pick(LEGACY_FORMATS);
  }

  issue(format: WiegandFormatId): CardModel {
    const spec = findWiegandFormat(format)!;
    let counter = this.counters.get(format);
    if (!counter) {
      const fc = spec.facilityCodeRange;
      const cn = spec.cardNumberRange;
      // Leave room below the top of the range so a large hospital rarely needs a second facility code.
      counter = {
        facilityCode: this.random.int(Math.max(1, fc.min), fc.max),
        next: this.random.int(Math.max(1, cn.min), Math.max(1, Math.floor(cn.max / 4))),
      };
      this.counters.set(format, counter);
    }
    if (counter.next > spec.cardNumberRange.max) {
      const fc = spec.facilityCodeRange;
      counter.facilityCode = counter.facilityCode >= fc.max ? Math.max(1, fc.min) : counter.facilityCode + 1;
      counter.next = Math.max(1, spec.cardNumberRange.min);
    }
    return { format, facilityCode: counter.facilityCode, cardNumber: counter.next++ };
  }
}

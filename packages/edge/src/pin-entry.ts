/**
 * Keypad PIN collection for one reader after a card that needs a second factor: digits are
 * gathered until `#` (or the maximum length), `*` starts over, and the entry gives up after the
 * timeout. The digits live only in this object and, for the length of one hash, in the check
 * against the holder's PIN hash; the decision and its event get only the verdict.
 */
import type { Clock } from '@vigil/osdp';

export interface PinEntryOptions {
  readonly timeoutMs: number;
  readonly maxDigits: number;
  readonly clock: Clock;
  /** The PIN was entered (null: timed out, or cancelled by a new card). */
  readonly done: (pin: string | null) => void;
}

export class PinEntry {
  private digits = '';
  private timer: unknown;
  private finished = false;

  constructor(private readonly options: PinEntryOptions) {
    this.timer = options.clock.setTimeout(() => this.finish(null), options.timeoutMs);
  }

  get active(): boolean {
    return !this.finished;
  }

  /** Feeds key presses as ASCII (`0`-`9`, `*`, `#`). */
  keys(keys: string): void {
    for (const key of keys) {
      if (this.finished) return;
      if (key === '#') this.finish(this.digits);
      else if (key === '*') this.digits = '';
      else if (key >= '0' && key <= '9') {
        this.digits += key;
        if (this.digits.length >= this.options.maxDigits) this.finish(this.digits);
      }
    }
  }

  cancel(): void {
    this.finish(null);
  }

  private finish(pin: string | null): void {
    if (this.finished) return;
    this.finished = true;
    this.options.clock.clearTimeout(this.timer);
    this.digits = '';
    this.options.done(pin === '' ? null : pin);
  }
}

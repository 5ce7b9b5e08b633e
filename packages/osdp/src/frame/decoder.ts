import { OsdpError } from '../errors.js';
import type { OsdpErrorCode } from '../errors.js';
import { CONTROL_RESERVED, HEADER_LENGTH, MARK, SOM } from '../constants.js';
import { minimumFrameLength, parseFrame } from './frame.js';
import type { Frame } from './frame.js';

export type DecoderOutput = { readonly kind: 'frame'; readonly frame: Frame } | { readonly kind: 'error'; readonly error: OsdpError };

export interface DecoderCounters {
  frames: number;
  errors: number;
  discardedBytes: number;
  byCode: Partial<Record<OsdpErrorCode, number>>;
}

export interface FrameDecoderOptions {
  /** Largest frame accepted, mark byte excluded (default 1024). */
  readonly maxFrameLength?: number;
}

export const DEFAULT_MAX_FRAME_LENGTH = 1024;

/**
 * Streaming decoder: feed it chunks as they arrive, it returns complete frames and one error per
 * bad frame or run of garbage. It never throws on input. After a corrupted frame it rescans from
 * the byte after its SOM, so a frame whose start was lost cannot swallow the next good frame;
 * spurious SOMs inside the corrupted span are dropped silently so one fault yields one error.
 */
export class FrameDecoder {
  readonly maxFrameLength: number;
  readonly counters: DecoderCounters = { frames: 0, errors: 0, discardedBytes: 0, byCode: {} };
  private buffer: Uint8Array = new Uint8Array(0);
  /** Absolute stream offset of buffer[0]. */
  private offset = 0;
  /** Absolute offset up to which failures are attributed to an already reported fault. */
  private quietUntil = 0;
  private garbageRun = 0;
  /** Whether the byte just before the current SOM was a 0xFF mark. */
  private lastDroppedWasMark = false;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 8 || max > 0xffff) {
      throw new OsdpError('osdp.invalid_argument', `maxFrameLength ${max} is outside 8..65535`);
    }
    this.maxFrameLength = max;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Uint8Array): DecoderOutput[] {
    const out: DecoderOutput[] = [];
    if (chunk.length === 0) return out;
    this.buffer = this.buffer.length === 0 ? chunk.slice() : concat(this.buffer, chunk);
    this.scan(out);
    return out;
  }

  /**
   * Drops whatever is buffered (call it on disconnect or reply timeout). A partial frame is
   * reported as truncated.
   */
  reset(): DecoderOutput[] {
    const out: DecoderOutput[] = [];
    const somAt = this.buffer.indexOf(SOM);
    const garbage = somAt === -1 ? this.buffer.length : somAt;
    this.noteGarbage(this.buffer.subarray(0, garbage), this.offset);
    this.flushGarbage(out);
    if (somAt !== -1) {
      this.counters.discardedBytes += this.buffer.length - somAt;
      if (this.offset + somAt >= this.quietUntil) {
        this.fail(out, new OsdpError('osdp.frame_truncated', undefined, { bytes: this.buffer.length - somAt }));
      }
    }
    this.offset += this.buffer.length;
    this.buffer = new Uint8Array(0);
    return out;
  }

  private scan(out: DecoderOutput[]): void {
    for (;;) {
      const somAt = this.buffer.indexOf(SOM);
      if (somAt === -1) {
        this.drop(this.buffer.length, out);
        return;
      }
      if (somAt > 0) this.drop(somAt, out);
      if (this.buffer.length < HEADER_LENGTH) return;

      const declared = (this.buffer[2] ?? 0) | ((this.buffer[3] ?? 0) << 8);
      const control = this.buffer[4] ?? 0;
      // A rejected header's own bytes belong to the fault already reported.
      const headerEnd = this.offset + HEADER_LENGTH;
      if (control & CONTROL_RESERVED) {
        this.rejectAtSom(out, new OsdpError('osdp.malformed_frame', 'reserved control bits set', { control }));
        this.quietUntil = Math.max(this.quietUntil, headerEnd);
        continue;
      }
      if (declared < minimumFrameLength(control)) {
        this.rejectAtSom(out, new OsdpError('osdp.frame_too_short', undefined, { declared }));
        this.quietUntil = Math.max(this.quietUntil, headerEnd);
        continue;
      }
      if (declared > this.maxFrameLength) {
        this.rejectAtSom(out, new OsdpError('osdp.frame_too_long', undefined, { declared, max: this.maxFrameLength }));
        this.quietUntil = Math.max(this.quietUntil, headerEnd);
        continue;
      }
      if (this.buffer.length < declared) return;

      const marked = this.lastDroppedWasMark;
      const parsed = parseFrame(this.buffer.subarray(0, declared), marked);
      if (parsed instanceof OsdpError) {
        const start = this.offset;
        this.rejectAtSom(out, parsed);
        this.quietUntil = Math.max(this.quietUntil, start + declared);
        continue;
      }
      this.flushGarbage(out);
      this.consume(declared);
      this.lastDroppedWasMark = false;
      this.counters.frames++;
      out.push({ kind: 'frame', frame: parsed });
    }
  }

  /** Drops `count` leading bytes that cannot start a frame; mark bytes are filler, not garbage. */
  private drop(count: number, out: DecoderOutput[]): void {
    if (count === 0) return;
    const dropped = this.buffer.subarray(0, count);
    this.lastDroppedWasMark = dropped[count - 1] === MARK;
    this.noteGarbage(dropped, this.offset);
    this.consume(count);
    if (this.buffer.length === 0) this.flushGarbage(out);
  }

  private noteGarbage(bytes: Uint8Array, at: number): void {
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === MARK) continue;
      this.counters.discardedBytes++;
      if (at + i >= this.quietUntil) this.garbageRun++;
    }
  }

  private flushGarbage(out: DecoderOutput[]): void {
    if (this.garbageRun === 0) return;
    const bytes = this.garbageRun;
    this.garbageRun = 0;
    this.fail(out, new OsdpError('osdp.garbage_discarded', undefined, { bytes }));
  }

  private rejectAtSom(out: DecoderOutput[], error: OsdpError): void {
    const reportable = this.offset >= this.quietUntil;
    this.flushGarbage(out);
    this.consume(1);
    this.counters.discardedBytes++;
    this.lastDroppedWasMark = false;
    if (reportable) this.fail(out, error);
  }

  private fail(out: DecoderOutput[], error: OsdpError): void {
    this.counters.errors++;
    this.counters.byCode[error.code] = (this.counters.byCode[error.code] ?? 0) + 1;
    out.push({ kind: 'error', error });
  }

  private consume(count: number): void {
    this.buffer = this.buffer.subarray(count);
    this.offset += count;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

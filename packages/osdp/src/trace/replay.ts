import { BaseTransport } from '../transport/transport.js';
import type { TraceFrame } from './trace.js';

/**
 * Plays the PD side of a recorded session to a control panel: each frame the CP writes is matched
 * to the next recorded CP frame and answered with the recorded PD frames that followed it. What
 * the CP wrote is kept in `written` for byte-for-byte comparison.
 */
export class TraceReplayTransport extends BaseTransport {
  readonly written: Uint8Array[] = [];
  private cursor = 0;
  private isOpen = false;
  private finished: () => void = () => undefined;
  /**
   * Resolves when the CP writes past the end of the recording, which proves it consumed every
   * recorded reply and carried on.
   */
  readonly done: Promise<void>;

  /**
   * @param beforeReply called just before the recorded PD frame at `index` is delivered, so a
   *   test can queue the application command the recording made at that point.
   */
  constructor(
    private readonly trace: readonly TraceFrame[],
    private readonly beforeReply: (index: number) => void = () => undefined,
  ) {
    super();
    this.done = new Promise((resolve) => {
      this.finished = resolve;
    });
  }

  get connected(): boolean {
    return this.isOpen;
  }

  open(): Promise<void> {
    this.isOpen = true;
    this.announce(true);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.isOpen = false;
    return Promise.resolve();
  }

  write(data: Uint8Array): void {
    if (!this.isOpen) return;
    while (this.trace[this.cursor]?.fromPd) this.cursor++;
    if (this.cursor >= this.trace.length) {
      this.finished();
      return;
    }
    this.written.push(data.slice());
    this.cursor++;
    const replies: number[] = [];
    while (this.trace[this.cursor]?.fromPd) replies.push(this.cursor++);
    setImmediate(() => {
      for (const index of replies) {
        const frame = this.trace[index];
        if (!frame || !this.isOpen) continue;
        this.beforeReply(index);
        this.deliver(frame.bytes);
      }
    });
  }
}

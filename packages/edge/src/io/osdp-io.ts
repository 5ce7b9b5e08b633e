/**
 * Lock outputs and door inputs on an OSDP PD (a reader or I/O module with relays and contacts):
 * releases are osdp_OUT commands, inputs come from osdp_ISTATR reports. A timed release uses the
 * PD's own timer (temporary on), so the strike drops even if the agent stops mid-release.
 */
import type { ReaderHub } from '../readers.js';
import type { DoorPositionInput, LockOutput, RequestToExitInput } from './types.js';

const PERMANENT_OFF = 1;
const PERMANENT_ON = 2;
const TEMPORARY_ON = 5;
/** The OUT timer field counts 100 ms units in 16 bits. */
const MAX_TIMER_UNITS = 0xffff;

export class OsdpLockOutput implements LockOutput {
  released = false;

  constructor(
    private readonly hub: ReaderHub,
    private readonly reader: string,
    private readonly output: number,
  ) {}

  async release(forMs: number | null): Promise<void> {
    const timed = forMs !== null && Math.ceil(forMs / 100) <= MAX_TIMER_UNITS;
    this.released = true;
    await this.hub.send(this.reader, {
      type: 'out',
      outputs: [{ output: this.output, controlCode: timed ? TEMPORARY_ON : PERMANENT_ON, timer: timed ? Math.ceil(forMs / 100) : 0 }],
    });
  }

  async engage(): Promise<void> {
    this.released = false;
    await this.hub.send(this.reader, { type: 'out', outputs: [{ output: this.output, controlCode: PERMANENT_OFF, timer: 0 }] });
  }
}

/** One contact of a PD, as a door-position switch or a request-to-exit input (active = 1). */
export class OsdpInput implements DoorPositionInput, RequestToExitInput {
  open: boolean | null = null;
  private readonly changeListeners = new Set<(open: boolean) => void>();
  private readonly requestListeners = new Set<() => void>();

  constructor(hub: ReaderHub, reader: string, point: number) {
    hub.on('inputs', ({ reader: from, inputs }) => {
      const value = inputs[point];
      if (from !== reader || value === undefined) return;
      const active = value !== 0;
      const previous = this.open;
      this.open = active;
      if (previous === active) return;
      for (const listener of [...this.changeListeners]) listener(active);
      if (active && previous !== null) for (const listener of [...this.requestListeners]) listener();
    });
  }

  onChange(listener: (open: boolean) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onRequest(listener: () => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }
}

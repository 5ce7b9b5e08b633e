/**
 * An in-memory I/O backend: the lock outputs and inputs of a door controller with no hardware.
 * Tests and the simulator drive it (open a door, press the exit button) and read what the agent
 * did to the locks; it behaves like a relay board would, timed releases included.
 */
import { systemClock, type Clock } from '@vigil/osdp';
import type { DoorPositionInput, IoBackend, LockOutput, RequestToExitInput } from './types.js';

type Listener<T> = (value: T) => void;

export interface LockChange {
  readonly point: number;
  readonly released: boolean;
  readonly at: number;
}

class SimulatedLock implements LockOutput {
  released = false;
  private relockTimer: unknown = null;

  constructor(
    private readonly point: number,
    private readonly io: SimulatedIo,
  ) {}

  release(forMs: number | null): Promise<void> {
    this.cancelTimer();
    this.set(true);
    if (forMs !== null) this.relockTimer = this.io.clock.setTimeout(() => this.set(false), forMs);
    return Promise.resolve();
  }

  engage(): Promise<void> {
    this.cancelTimer();
    this.set(false);
    return Promise.resolve();
  }

  private set(released: boolean): void {
    if (this.released === released) return;
    this.released = released;
    this.io.recordLock({ point: this.point, released, at: this.io.clock.now() });
  }

  private cancelTimer(): void {
    if (this.relockTimer !== null) this.io.clock.clearTimeout(this.relockTimer);
    this.relockTimer = null;
  }
}

class SimulatedInput implements DoorPositionInput, RequestToExitInput {
  open: boolean | null = false;
  readonly changeListeners = new Set<Listener<boolean>>();
  readonly requestListeners = new Set<Listener<void>>();

  onChange(listener: Listener<boolean>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onRequest(listener: Listener<void>): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }
}

export class SimulatedIo implements IoBackend {
  private readonly locks = new Map<number, SimulatedLock>();
  private readonly inputs = new Map<number, SimulatedInput>();
  private readonly lockListeners = new Set<Listener<LockChange>>();
  /** Every lock change, oldest first. */
  readonly lockHistory: LockChange[] = [];

  constructor(readonly clock: Clock = systemClock) {}

  lockOutput(point: number): SimulatedLock {
    let lock = this.locks.get(point);
    if (!lock) {
      lock = new SimulatedLock(point, this);
      this.locks.set(point, lock);
    }
    return lock;
  }

  doorPosition(point: number): DoorPositionInput {
    return this.input(point);
  }

  requestToExit(point: number): RequestToExitInput {
    return this.input(point);
  }

  /** Whether the lock on `point` is released now. */
  isReleased(point: number): boolean {
    return this.locks.get(point)?.released ?? false;
  }

  /** Moves a door-position contact (true: the door is open). */
  setDoorOpen(point: number, open: boolean): void {
    const input = this.input(point);
    if (input.open === open) return;
    input.open = open;
    for (const listener of [...input.changeListeners]) listener(open);
  }

  /** Presses a request-to-exit button or trips a REX sensor. */
  pressRequestToExit(point: number): void {
    for (const listener of [...this.input(point).requestListeners]) listener();
  }

  onLockChange(listener: Listener<LockChange>): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  recordLock(change: LockChange): void {
    this.lockHistory.push(change);
    for (const listener of [...this.lockListeners]) listener(change);
  }

  private input(point: number): SimulatedInput {
    let input = this.inputs.get(point);
    if (!input) {
      input = new SimulatedInput();
      this.inputs.set(point, input);
    }
    return input;
  }
}

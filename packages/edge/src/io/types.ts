/**
 * Door hardware as small capabilities: a lock output, a door-position input, a request-to-exit
 * input. A backend (simulated, OSDP PD points, or a GPIO driver) hands them out per point; the
 * door state machine sees only these interfaces.
 */

export interface LockOutput {
  /** True while the lock is released (strike energised / maglock off). */
  readonly released: boolean;
  /**
   * Releases the lock; with `forMs` the hardware relocks by itself after that time where it can
   * (a timed output), so a controller that dies mid-release does not leave the door open.
   */
  release(forMs: number | null): Promise<void>;
  engage(): Promise<void>;
}

export interface DoorPositionInput {
  /** Last known position; null until the input has reported. */
  readonly open: boolean | null;
  onChange(listener: (open: boolean) => void): () => void;
}

export interface RequestToExitInput {
  onRequest(listener: () => void): () => void;
}

export interface IoBackend {
  lockOutput(point: number): LockOutput;
  doorPosition(point: number): DoorPositionInput;
  requestToExit(point: number): RequestToExitInput;
}

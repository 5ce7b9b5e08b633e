/** Time source and timers, injectable so tests can run the state machines on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Source of secure-channel randomness (RND.A on the CP, RND.B on the PD). */
export type RandomSource = (size: number) => Uint8Array;

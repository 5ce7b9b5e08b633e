/**
 * A door as the physical world sees it: the readers on either side, the door-position contact, the
 * exit button, and the lock the controller drives. People act on it the way they would on a real
 * door — present a card, wait for the click (or the red light), push it open, let it close — and
 * one passage happens at a time, as at a real door.
 */
import type { SimulatedIo } from '@vigil/edge';
import type { CardModel, DoorModel } from '../model.js';
import type { ReaderSignal, VirtualReader } from './readers.js';

/** The controller's simulated I/O points of one door. */
export interface DoorPoints {
  readonly lock: number;
  readonly position: number;
  readonly requestToExit: number | null;
}

export type PassageOutcome = 'granted' | 'denied' | 'no_answer';

export interface PassageOptions {
  /** How long the door stands open while the person (and whoever follows) walks through. */
  readonly openMs?: number;
  /** Longest wait for the reader to answer (the controller polls it). */
  readonly answerTimeoutMs?: number;
}

const DEFAULT_OPEN_MS = 2500;
const DEFAULT_ANSWER_TIMEOUT_MS = 6000;

export class VirtualDoor {
  /** Card presented → the reader's green or red, in ms, of the last answered badge (what a person waits). */
  lastAnswerMs: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly model: DoorModel,
    /** The door's id in Vigil. */
    readonly id: string,
    readonly building: string,
    private readonly io: SimulatedIo,
    readonly points: DoorPoints,
    readonly entryReader: VirtualReader,
    readonly exitReader: VirtualReader | null,
  ) {}

  get released(): boolean {
    return this.io.isReleased(this.points.lock);
  }

  /** Runs one passage at a time: the next person waits until the door closed behind the last. */
  exclusive<T>(passage: () => Promise<T>): Promise<T> {
    const run = this.queue.then(passage, passage);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Badge at the entry reader and, when let in, walk through. */
  enter(card: CardModel, options: PassageOptions = {}): Promise<PassageOutcome> {
    return this.exclusive(() => this.badgeThrough(this.entryReader, card, options));
  }

  /** Leave through the door: badge out where there is an exit reader, else the exit button. */
  leave(card: CardModel | null, options: PassageOptions = {}): Promise<PassageOutcome> {
    return this.exclusive(async () => {
      if (this.exitReader && card) return this.badgeThrough(this.exitReader, card, options);
      if (this.points.requestToExit === null) return 'no_answer';
      const released = this.waitForRelease(options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
      this.io.pressRequestToExit(this.points.requestToExit);
      if (!(await released)) return 'no_answer';
      await this.walkThrough(options.openMs ?? DEFAULT_OPEN_MS);
      return 'granted';
    });
  }

  /** Presents a card and reports what the reader shows, without opening the door. */
  async present(reader: VirtualReader, card: CardModel, timeoutMs = DEFAULT_ANSWER_TIMEOUT_MS): Promise<ReaderSignal | null> {
    const answer = reader.nextSignal(timeoutMs);
    reader.present(card);
    return answer;
  }

  /** Moves the door-position contact, whatever the lock says (a forced or propped door). */
  setOpen(open: boolean): void {
    this.io.setDoorOpen(this.points.position, open);
  }

  /** Opens, waits, closes: a person walking through a released door. */
  async walkThrough(openMs: number): Promise<void> {
    this.setOpen(true);
    await delay(openMs);
    this.setOpen(false);
  }

  private async badgeThrough(reader: VirtualReader, card: CardModel, options: PassageOptions): Promise<PassageOutcome> {
    const timeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    const released = this.waitForRelease(timeoutMs);
    const presentedAt = performance.now();
    const signal = await this.present(reader, card, timeoutMs);
    this.lastAnswerMs = signal === null ? null : performance.now() - presentedAt;
    if (signal !== 'green') return signal === 'red' ? 'denied' : 'no_answer';
    // The strike is driven before the reader turns green; the click has happened by now.
    if (!(await released)) return 'no_answer';
    await this.walkThrough(options.openMs ?? DEFAULT_OPEN_MS);
    return 'granted';
  }

  private waitForRelease(timeoutMs: number): Promise<boolean> {
    if (this.released) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.io.onLockChange((change) => {
        if (change.point !== this.points.lock || !change.released) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

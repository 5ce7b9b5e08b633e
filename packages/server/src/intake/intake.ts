/**
 * The front door for events: validate, append durably to the journal with group commit, then fan
 * out on the bus.
 *
 * Group commit: submissions that arrive while the journal writer is busy (or within `maxDelayMs`
 * of the first one when it is idle) share one transaction of up to `batchSize` events, so the
 * cost of a durable commit (an fsync on SQLite, a WAL flush on PostgreSQL) is paid once per group
 * rather than once per event. Each caller's promise resolves only after its group committed.
 *
 * Isolation: every submission is validated against the event catalogue before it joins a group,
 * so a bad one is rejected alone. A group whose transaction fails anyway is retried submission by
 * submission, so a fault specific to one submission cannot fail the others.
 *
 * Lost connections: a promise resolves only for events the journal holds, and rejects only for
 * events it does not. When the connection drops after COMMIT was sent, the intake asks the
 * database which it was (outcome.ts) before answering; if the database does not answer within
 * `outcomeTimeoutMs`, the submission is rejected with `intake.outcome_unknown`, naming the event
 * ids so a retry with them is stored at most once.
 *
 * Bounded memory: events accepted but not yet committed and fanned out are capped at
 * `queueLimit` (`intake.queue_full` beyond it), and each source has a token bucket
 * (`intake.source_rate_limited`), with rejects counted per source.
 */
import { isVigilError, type EventCatalogue, type EventDraft, type VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import { matchesFilter, type EventBus } from '../bus/index.js';
import type { Logger } from '../kernel/logger.js';
import type { Journal } from '../modules/audit/index.js';
import type { Database } from '../storage/schema.js';
import { intakeError } from './errors.js';
import { journalTransaction, outcomeUnknown } from './outcome.js';
import { SourceRateLimiter, type SourceCount } from './rate.js';

export interface IntakeOptions {
  db: Kysely<Database>;
  journal: Pick<Journal, 'append'>;
  catalogue: Pick<EventCatalogue, 'validate'>;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  batchSize: number;
  maxDelayMs: number;
  queueLimit: number;
  sourceRate: { ratePerSecond: number; burst: number };
  /**
   * Event types never dropped by the per-source rate limit (type patterns as in bus filters):
   * a chattering panic button must still be heard. Default: fire panel, panic and duress.
   */
  rateExemptTypes?: readonly string[];
  /** Monotonic milliseconds, for the rate limiter. */
  now?: () => number;
  /** Called when fan-out failed, so the journal relay can publish those events sooner. */
  onFanOutFailed?: () => void;
  /** How long to keep asking whether a commit whose answer was lost took effect (default 30 s). */
  outcomeTimeoutMs?: number;
}

export interface IntakeStats {
  /** Waiting for a group commit. */
  queued: number;
  /** Accepted and not yet fanned out (what `queueLimit` caps). */
  inFlight: number;
  committed: number;
  groups: number;
  largestGroup: number;
  rejected: { invalid: number; rateLimited: number; queueFull: number; failed: number };
  fanOutFailed: number;
  topRejectedSources: SourceCount[];
}

const LIFE_SAFETY_TYPES = ['fire_panel.*', 'panic.pressed', 'duress.pressed'];

interface Submission {
  readonly drafts: readonly EventDraft[];
  resolve(events: VigilEvent[]): void;
  reject(error: unknown): void;
}

export class Intake {
  private readonly limiter: SourceRateLimiter;
  private readonly rateExempt: { types: readonly string[] };
  private queue: Submission[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  private flushing: Promise<void> | null = null;
  private cancelTimer: (() => void) | null = null;
  private fanOut: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly counts = { committed: 0, groups: 0, largestGroup: 0, invalid: 0, queueFull: 0, failed: 0, fanOutFailed: 0 };

  constructor(private readonly options: IntakeOptions) {
    this.rateExempt = { types: options.rateExemptTypes ?? LIFE_SAFETY_TYPES };
    this.limiter = new SourceRateLimiter({ ...options.sourceRate, ...(options.now ? { now: options.now } : {}) });
  }

  /** Journals the drafts (one submission commits atomically) and resolves with the stored events. */
  async submit(input: EventDraft | readonly EventDraft[]): Promise<VigilEvent[]> {
    const drafts = this.accept(Array.isArray(input) ? (input as readonly EventDraft[]) : [input as EventDraft]);
    if (drafts.length === 0) return [];
    return new Promise<VigilEvent[]>((resolve, reject) => {
      this.queue.push({ drafts, resolve, reject });
      this.queuedEvents += drafts.length;
      this.inFlight += drafts.length;
      this.schedule();
    });
  }

  /** Throws `validation.*` when the draft would be refused; lets a caller reject input early. */
  validate(draft: EventDraft): void {
    this.options.catalogue.validate(draft);
  }

  /** Fans out events a module journaled in its own transaction, after that transaction committed. */
  publishCommitted(events: readonly VigilEvent[]): void {
    if (events.length === 0) return;
    this.inFlight += events.length;
    this.enqueueFanOut(events);
  }

  stats(): IntakeStats {
    return {
      queued: this.queuedEvents,
      inFlight: this.inFlight,
      committed: this.counts.committed,
      groups: this.counts.groups,
      largestGroup: this.counts.largestGroup,
      rejected: {
        invalid: this.counts.invalid,
        rateLimited: this.limiter.totalRejected,
        queueFull: this.counts.queueFull,
        failed: this.counts.failed,
      },
      fanOutFailed: this.counts.fanOutFailed,
      topRejectedSources: this.limiter.topRejected(),
    };
  }

  /** Accepted and rejected event counts of one source. */
  sourceCount(source: string): SourceCount | undefined {
    return this.limiter.count(source);
  }

  /** Refuses new submissions, commits and fans out everything already accepted. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.flushing && this.queue.length > 0) this.startFlush();
    await this.flushing;
    await this.fanOut;
  }

  private accept(drafts: readonly EventDraft[]): readonly EventDraft[] {
    if (this.stopped) throw intakeError('intake.stopped', 'This node is stopping and accepts no more events');
    if (drafts.length === 0) return drafts;
    const { queueLimit } = this.options;
    if (drafts.length > queueLimit) {
      throw intakeError('intake.submission_too_large', `A submission of ${drafts.length} events exceeds the queue limit ${queueLimit}`, {
        limit: queueLimit,
      });
    }
    if (this.inFlight + drafts.length > queueLimit) {
      this.counts.queueFull += drafts.length;
      throw intakeError('intake.queue_full', `The intake queue is full (${this.inFlight} events pending)`, { limit: queueLimit });
    }
    const perSource = new Map<string, number>();
    for (const draft of drafts)
      if (!matchesFilter(this.rateExempt, draft)) perSource.set(draft.source, (perSource.get(draft.source) ?? 0) + 1);
    if (!this.limiter.tryTake(perSource)) {
      throw intakeError('intake.source_rate_limited', 'A source exceeded its event rate', { sources: [...perSource.keys()] });
    }
    try {
      for (const draft of drafts) this.options.catalogue.validate(draft);
    } catch (e) {
      this.counts.invalid += drafts.length;
      throw e;
    }
    return withoutRepeatedIds(drafts);
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush takes what arrived when it finishes its group
    if (this.queuedEvents >= this.options.batchSize || this.stopped) {
      this.cancelTimer?.();
      this.cancelTimer = null;
      this.startFlush();
      return;
    }
    if (this.cancelTimer) return;
    const fire = () => {
      this.cancelTimer = null;
      if (!this.flushing) this.startFlush();
    };
    if (this.options.maxDelayMs === 0) {
      const immediate = setImmediate(fire);
      this.cancelTimer = () => clearImmediate(immediate);
    } else {
      const timeout = setTimeout(fire, this.options.maxDelayMs);
      this.cancelTimer = () => clearTimeout(timeout);
    }
  }

  private startFlush(): void {
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.takeGroup();
      const size = group.reduce((n, s) => n + s.drafts.length, 0);
      this.queuedEvents -= size;
      await this.commit(group, size);
      // Let I/O and timers run between groups: on SQLite a commit never waits on a socket, so a
      // steady stream of submissions would otherwise keep the event loop from anything else.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Up to batchSize events (a larger single submission forms its own group). A submission that
   * repeats an explicit id already in the group waits for the next one, so the journal returns
   * exactly one event per draft, in order.
   */
  private takeGroup(): Submission[] {
    const group: Submission[] = [];
    const ids = new Set<string>();
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && size + next.drafts.length > this.options.batchSize) break;
      if (next.drafts.some((d) => d.id !== undefined && ids.has(d.id))) break;
      for (const d of next.drafts) if (d.id !== undefined) ids.add(d.id);
      group.push(this.queue.shift()!);
      size += next.drafts.length;
    }
    return group;
  }

  private async commit(group: Submission[], size: number): Promise<void> {
    try {
      const events = await this.append(group.flatMap((s) => s.drafts));
      this.counts.groups++;
      this.counts.largestGroup = Math.max(this.counts.largestGroup, size);
      this.settle(group, events);
    } catch (e) {
      if (group.length === 1) return this.fail(group[0]!, e);
      // The group may be stored: a retry without its ids could store it twice.
      if (isVigilError(e) && e.code === 'intake.outcome_unknown') return this.failUnknown(group, e.details['eventIds'] as string[]);
      // One transaction for each submission, so only the faulty one fails.
      for (const submission of group) {
        try {
          this.settle([submission], await this.append(submission.drafts));
          this.counts.groups++;
        } catch (single) {
          this.fail(submission, single);
        }
      }
    }
  }

  private append(drafts: readonly EventDraft[]): Promise<VigilEvent[]> {
    return journalTransaction(this.options.db, (trx) => this.options.journal.append(trx, drafts), {
      written: (events) => events,
      timeoutMs: this.options.outcomeTimeoutMs,
      recovered: (e, events) =>
        this.options.logger.warn({ err: e, events: events.length }, 'the commit answer was lost, but the commit took effect'),
    });
  }

  private settle(group: readonly Submission[], events: VigilEvent[]): void {
    let offset = 0;
    for (const submission of group) {
      submission.resolve(events.slice(offset, offset + submission.drafts.length));
      offset += submission.drafts.length;
    }
    this.counts.committed += events.length;
    this.enqueueFanOut(events);
  }

  private fail(submission: Submission, error: unknown): void {
    this.inFlight -= submission.drafts.length;
    this.counts.failed += submission.drafts.length;
    if (isVigilError(error)) return submission.reject(error);
    this.options.logger.error({ err: error }, 'journal append failed');
    submission.reject(intakeError('intake.append_failed', `The journal could not be written: ${(error as Error).message}`));
  }

  /** Rejects each submission of a group whose commit outcome is unknown with the ids of its own events. */
  private failUnknown(group: readonly Submission[], eventIds: readonly string[]): void {
    let offset = 0;
    for (const submission of group) {
      const ids = eventIds.slice(offset, offset + submission.drafts.length);
      offset += submission.drafts.length;
      this.fail(submission, outcomeUnknown(ids));
    }
  }

  /** Fan-out runs in commit order, one group after another, behind the commits. */
  private enqueueFanOut(events: readonly VigilEvent[]): void {
    this.fanOut = this.fanOut
      .then(() => this.options.bus.publish(events))
      .catch((e: unknown) => {
        this.counts.fanOutFailed += events.length;
        this.options.logger.warn({ err: e, events: events.length }, 'fan-out failed; the relay will publish from the journal');
        this.options.onFanOutFailed?.();
      })
      .finally(() => {
        this.inFlight -= events.length;
      });
  }
}

/** Keeps the first of drafts that repeat an explicit id: the journal stores an id once. */
function withoutRepeatedIds(drafts: readonly EventDraft[]): readonly EventDraft[] {
  if (!drafts.some((d) => d.id !== undefined)) return drafts;
  const seen = new Set<string>();
  return drafts.filter((d) => d.id === undefined || (!seen.has(d.id) && (seen.add(d.id), true)));
}

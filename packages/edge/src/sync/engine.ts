/**
 * Keeps the agent in step with the server, without ever being in the path of a decision:
 *
 * - delivery: buffered events go out oldest first in batches; a batch leaves the buffer only once
 *   the server acknowledged it (its journal skips ids it already has, so a batch re-sent after a
 *   lost answer is stored once); while the server is away the agent backs off and keeps buffering;
 * - heartbeat: health out; the latest snapshot version, the controls in force and pending
 *   commands back; a newer snapshot is fetched and handed over for verification;
 * - commands: a long poll so an operator's unlock reaches the door in well under a heartbeat.
 */
import { isVigilError } from '@vigil/core';
import type { Controls, DoorCommand, EdgeEvent, HealthReport } from '../protocol.js';
import type { ServerClient } from './client.js';

export interface SyncTarget {
  health(): HealthReport;
  snapshotVersion(): number | null;
  controlsVersion(): number;
  applySnapshot(bytes: Uint8Array, announcedVersion: number): void;
  applyControls(controls: Controls): void;
  execute(command: DoorCommand): void;
  pending(limit: number): EdgeEvent[];
  acknowledge(ids: readonly string[]): void;
  quarantine(id: string, reason: string): void;
  warn(message: string, error?: unknown): void;
}

export interface SyncOptions {
  readonly heartbeatMs: number;
  readonly commandWaitSeconds: number;
  readonly retryMaxMs: number;
  readonly batch: number;
}

export interface SyncStatus {
  readonly reachable: boolean;
  readonly lastDeliveryAt: number | null;
  readonly delivered: number;
}

export class SyncEngine {
  private readonly abort = new AbortController();
  private running = false;
  private wakeDelivery: (() => void) | null = null;
  private loops: Promise<void>[] = [];
  private reachable = false;
  private lastDeliveryAt: number | null = null;
  private delivered = 0;
  private rejectedVersion: { version: number; until: number } | null = null;

  constructor(
    private readonly client: ServerClient,
    private readonly target: SyncTarget,
    private readonly options: SyncOptions,
  ) {}

  get status(): SyncStatus {
    return { reachable: this.reachable, lastDeliveryAt: this.lastDeliveryAt, delivered: this.delivered };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.deliveryLoop(), this.heartbeatLoop()];
    if (this.options.commandWaitSeconds > 0) this.loops.push(this.commandLoop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.wakeDelivery?.();
    await Promise.allSettled(this.loops);
  }

  /** New events are in the buffer: deliver now rather than at the next timer. */
  wake(): void {
    this.wakeDelivery?.();
  }

  private async deliveryLoop(): Promise<void> {
    let backoff = new Backoff(this.options.retryMaxMs);
    while (this.running) {
      const batch = this.target.pending(this.options.batch);
      if (batch.length === 0) {
        await this.sleep(this.options.heartbeatMs, true);
        continue;
      }
      try {
        const { acknowledged } = await this.client.deliver(batch, this.abort.signal);
        this.target.acknowledge(acknowledged);
        this.delivered += acknowledged.length;
        this.lastDeliveryAt = Date.now();
        this.reachable = true;
        backoff = new Backoff(this.options.retryMaxMs);
      } catch (error) {
        if (!this.running) return;
        const refused = rejectedEventId(error);
        if (refused) {
          this.target.quarantine(refused.id, refused.reason);
          this.target.warn(`server refused event ${refused.id}: ${refused.reason}`);
          continue;
        }
        this.reachable = false;
        await this.sleep(backoff.next());
      }
    }
  }

  private async heartbeatLoop(): Promise<void> {
    const backoff = new Backoff(this.options.retryMaxMs);
    while (this.running) {
      let delay = this.options.heartbeatMs;
      try {
        const response = await this.client.heartbeat(this.target.health(), this.abort.signal);
        this.reachable = true;
        backoff.reset();
        const running = this.target.snapshotVersion();
        if (response.snapshotVersion !== null && (running === null || response.snapshotVersion > running)) {
          await this.fetchSnapshot(response.snapshotVersion);
        }
        this.target.applyControls(response.controls);
        for (const command of response.commands) this.target.execute(command);
      } catch (error) {
        if (!this.running) return;
        this.reachable = false;
        this.target.warn('heartbeat failed', error);
        delay = Math.max(delay, backoff.next());
      }
      await this.sleep(delay);
    }
  }

  private async fetchSnapshot(announced: number): Promise<void> {
    const skip = this.rejectedVersion;
    // A version that failed verification is not fetched again for a while: the server would send
    // the same bytes, and the rejection is already reported.
    if (skip && skip.version === announced && Date.now() < skip.until) return;
    const response = await this.client.snapshot(this.abort.signal);
    try {
      this.target.applySnapshot(Buffer.from(response.snapshot, 'base64'), response.version);
      this.rejectedVersion = null;
    } catch {
      this.rejectedVersion = { version: announced, until: Date.now() + 60_000 };
    }
  }

  private async commandLoop(): Promise<void> {
    const backoff = new Backoff(this.options.retryMaxMs);
    while (this.running) {
      try {
        const { commands, controls } = await this.client.commands(
          this.options.commandWaitSeconds,
          this.target.controlsVersion(),
          this.abort.signal,
        );
        backoff.reset();
        this.target.applyControls(controls);
        for (const command of commands) this.target.execute(command);
      } catch {
        if (!this.running) return;
        await this.sleep(backoff.next());
      }
    }
  }

  private sleep(ms: number, wakeable = false): Promise<void> {
    return new Promise((resolve) => {
      if (!this.running) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        if (wakeable) this.wakeDelivery = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
      if (wakeable) this.wakeDelivery = done;
    });
  }
}

/** Exponential backoff with jitter: 250 ms doubling up to the maximum. */
class Backoff {
  private attempt = 0;
  constructor(private readonly maxMs: number) {}
  next(): number {
    const base = Math.min(this.maxMs, 250 * 2 ** Math.min(this.attempt++, 16));
    return base / 2 + Math.random() * (base / 2);
  }
  reset(): void {
    this.attempt = 0;
  }
}

function rejectedEventId(error: unknown): { id: string; reason: string } | null {
  if (!isVigilError(error) || error.code !== 'agent.server_rejected') return null;
  const problem = error.details['problem'] as { code?: string; eventId?: unknown; detail?: string } | undefined;
  if (problem?.code !== 'edge.event_rejected' || typeof problem.eventId !== 'string') return null;
  return { id: problem.eventId, reason: problem.detail ?? 'refused' };
}

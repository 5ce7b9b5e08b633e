import { randomBytes } from 'node:crypto';
import { systemClock } from '../clock.js';
import type { Clock, RandomSource } from '../clock.js';
import type { Command, Reply } from '../commands/types.js';
import { TypedEmitter } from '../emitter.js';
import { OsdpError } from '../errors.js';
import { FrameDecoder } from '../frame/decoder.js';
import type { DecoderCounters, DecoderOutput } from '../frame/decoder.js';
import type { Transport } from '../transport/transport.js';
import { PdLink } from './link.js';
import type { Step } from './exchange.js';
import type { ControlPanelEvents, LinkEvent, LinkTimings, PeripheralConfig, PeripheralStatus } from './types.js';

export interface ControlPanelOptions {
  readonly transport: Transport;
  readonly peripherals: readonly PeripheralConfig[];
  /** How long to wait for a reply before retrying (default 200 ms, the spec's figure). */
  readonly replyTimeoutMs?: number;
  /** Retries after a timeout before the PD is declared offline (default 3). */
  readonly maxRetries?: number;
  /** Gap between polls of an idle online PD (default 50 ms). */
  readonly pollIntervalMs?: number;
  /** Wait before trying an offline PD again (default 1000 ms). */
  readonly offlineRetryMs?: number;
  /** Wait before repeating a command a PD answered with osdp_BUSY (default 50 ms). */
  readonly busyRetryMs?: number;
  /** For PDs whose secure channel is optional: wait before retrying a failed handshake (default 60 s). */
  readonly secureRetryMs?: number;
  /** Commands waiting per PD before `send` rejects with osdp.queue_full (default 32). */
  readonly queueLimit?: number;
  readonly maxFrameLength?: number;
  /** Send the 0xFF mark byte before each frame (default true). */
  readonly markByte?: boolean;
  /** RND.A source; inject a fixed one to reproduce recorded sessions. */
  readonly random?: RandomSource;
  readonly clock?: Clock;
}

/**
 * An OSDP control panel driving one bus (one transport, any number of PDs). It polls the PDs in
 * turn, one exchange on the wire at a time, retries, tracks online/offline, keeps each PD's secure
 * channel up and emits card reads, key presses and status reports as events.
 */
export class ControlPanel extends TypedEmitter<ControlPanelEvents> {
  readonly decoder: FrameDecoder;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly timings: LinkTimings;
  private readonly replyTimeoutMs: number;
  private readonly mark: boolean;
  private readonly links: PdLink[] = [];
  private active: PdLink | null = null;
  private replyTimer: unknown = null;
  private wakeTimer: unknown = null;
  private wakeGeneration = 0;
  private nextIndex = 0;
  private running = false;
  private unsubscribe: (() => void)[] = [];
  /** Frames that arrived with no exchange waiting for them. */
  strayFrames = 0;

  constructor(options: ControlPanelOptions) {
    super();
    this.transport = options.transport;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? ((size) => new Uint8Array(randomBytes(size)));
    this.replyTimeoutMs = options.replyTimeoutMs ?? 200;
    this.mark = options.markByte ?? true;
    this.timings = {
      pollIntervalMs: options.pollIntervalMs ?? 50,
      maxRetries: options.maxRetries ?? 3,
      offlineRetryMs: options.offlineRetryMs ?? 1000,
      busyRetryMs: options.busyRetryMs ?? 50,
      secureRetryMs: options.secureRetryMs ?? 60_000,
      queueLimit: options.queueLimit ?? 32,
    };
    this.decoder = new FrameDecoder({ maxFrameLength: options.maxFrameLength });
    for (const config of options.peripherals) this.addPeripheral(config);
  }

  addPeripheral(config: PeripheralConfig): void {
    const { address, secure } = config;
    if (!Number.isInteger(address) || address < 0 || address > 0x7e) {
      throw new OsdpError('osdp.invalid_argument', `PD address ${address} is outside 0..0x7E`);
    }
    if (this.links.some((l) => l.address === address)) {
      throw new OsdpError('osdp.invalid_argument', `PD address ${address} is configured twice`);
    }
    if (secure) {
      const key = secure.scbk ?? secure.masterKey;
      if (!key || key.length !== 16) {
        throw new OsdpError('osdp.invalid_argument', `PD ${address}: secure channel needs a 16-byte scbk or masterKey`);
      }
    }
    this.links.push(new PdLink(config, this.timings, this.random, this.mark));
    if (this.running) this.schedule(0);
  }

  removePeripheral(address: number): void {
    const link = this.link(address);
    link.abort(new OsdpError('osdp.stopped', 'peripheral removed'));
    this.links.splice(this.links.indexOf(link), 1);
    if (this.active === link) this.finishExchange();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = [
      this.transport.onData((chunk) => this.onData(chunk)),
      this.transport.onConnectionChange((connected) => {
        if (!connected) this.emitDecoderErrors(this.decoder.reset());
      }),
    ];
    try {
      await this.transport.open();
    } catch (error) {
      this.running = false;
      for (const off of this.unsubscribe) off();
      this.unsubscribe = [];
      throw error;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearTimers();
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.active = null;
    for (const link of this.links) link.abort(new OsdpError('osdp.stopped'));
    await this.transport.close();
  }

  /** Queues a command for a PD; resolves with its reply, rejects with an OsdpError (NAK, timeout...). */
  send(address: number, command: Command): Promise<Reply> {
    const link = this.links.find((l) => l.address === address);
    if (!link) return Promise.reject(new OsdpError('osdp.unknown_pd', undefined, { address }));
    const promise = link.enqueue(command);
    if (this.running && !this.active) this.schedule(0);
    return promise;
  }

  isOnline(address: number): boolean {
    return this.links.find((l) => l.address === address)?.online ?? false;
  }

  status(address: number): PeripheralStatus {
    return this.link(address).status();
  }

  statuses(): PeripheralStatus[] {
    return this.links.map((l) => l.status());
  }

  get decoderCounters(): Readonly<DecoderCounters> {
    return this.decoder.counters;
  }

  private link(address: number): PdLink {
    const link = this.links.find((l) => l.address === address);
    if (!link) throw new OsdpError('osdp.unknown_pd', undefined, { address });
    return link;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const generation = ++this.wakeGeneration;
    const wake = () => {
      if (generation !== this.wakeGeneration) return;
      this.wakeTimer = null;
      this.pump();
    };
    // Work due now runs on the next turn of the event loop rather than after a timer's 1 ms floor.
    if (delayMs <= 0) setImmediate(wake);
    else this.wakeTimer = this.clock.setTimeout(wake, delayMs);
  }

  /** Gives the bus to the PD that has waited longest among those due now (round robin). */
  private pump(): void {
    if (!this.running || this.active) return;
    const now = this.clock.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.links.length; i++) {
      const index = (this.nextIndex + i) % this.links.length;
      const link = this.links[index];
      if (!link) continue;
      const due = link.dueAt();
      if (due <= now) {
        this.nextIndex = index + 1;
        this.active = link;
        let bytes: Uint8Array;
        try {
          bytes = link.begin(now);
        } catch (error) {
          // A command that cannot be framed must not stall the bus for the other PDs.
          this.apply(link, link.onInternalError(now, error));
          return;
        }
        this.transmit(bytes);
        return;
      }
      soonest = Math.min(soonest, due);
    }
    if (Number.isFinite(soonest)) this.schedule(soonest - now);
  }

  private transmit(bytes: Uint8Array): void {
    this.transport.write(bytes);
    if (this.replyTimer !== null) this.clock.clearTimeout(this.replyTimer);
    this.replyTimer = this.clock.setTimeout(() => this.onReplyTimeout(), this.replyTimeoutMs);
  }

  private onReplyTimeout(): void {
    this.replyTimer = null;
    const link = this.active;
    if (!link) return;
    // Whatever half-frame is buffered will never complete now.
    this.emitDecoderErrors(this.decoder.reset());
    this.apply(link, link.onTimeout(this.clock.now()));
  }

  private onData(chunk: Uint8Array): void {
    for (const output of this.decoder.push(chunk)) {
      if (output.kind === 'error') {
        this.emit('frameError', { error: output.error });
        continue;
      }
      const frame = output.frame;
      // Commands on the wire are our own echo on a half-duplex adapter, or another master.
      if (!frame.isReply) continue;
      const link = this.active;
      if (!link || frame.address !== link.address) {
        this.strayFrames++;
        continue;
      }
      this.apply(link, link.onReply(frame, this.clock.now()));
    }
  }

  private apply(link: PdLink, step: Step): void {
    if (step.done) this.finishExchange();
    else if (step.resendAfterMs !== undefined) this.resend(link, step.resendAfterMs);
    for (const event of step.events) this.dispatch(event);
  }

  private resend(link: PdLink, delayMs: number): void {
    if (this.replyTimer !== null) this.clock.clearTimeout(this.replyTimer);
    const bytes = link.pendingBytes;
    if (!bytes) return;
    if (delayMs === 0) {
      this.transmit(bytes);
      return;
    }
    this.replyTimer = this.clock.setTimeout(() => {
      this.replyTimer = null;
      if (this.active === link) this.transmit(bytes);
    }, delayMs);
  }

  private finishExchange(): void {
    if (this.replyTimer !== null) this.clock.clearTimeout(this.replyTimer);
    this.replyTimer = null;
    this.active = null;
    this.schedule(0);
  }

  private dispatch(event: LinkEvent): void {
    // The mapped union guarantees name and payload agree.
    this.emit(event.name, event.payload);
  }

  private emitDecoderErrors(outputs: DecoderOutput[]): void {
    for (const output of outputs) if (output.kind === 'error') this.emit('frameError', { error: output.error });
  }

  private clearTimers(): void {
    if (this.replyTimer !== null) this.clock.clearTimeout(this.replyTimer);
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.replyTimer = null;
    this.wakeTimer = null;
    this.wakeGeneration++;
  }
}

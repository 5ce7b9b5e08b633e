/**
 * The event bus across nodes, on NATS JetStream.
 *
 * - One stream (named after the subject prefix, `VIGIL_EVENTS`) holds `<prefix>.<site>.<type>`.
 * - Publishing waits for JetStream's acknowledgement; the event id is the message id, so the
 *   stream stores an event once however often it is published within the duplicate window (the
 *   intake's fast path and the journal relay both publish).
 * - Each node has its own durable pull consumer (`vigil-<node>`), so every node sees every event
 *   and resumes where it stopped after a restart; a message is acknowledged after this node's
 *   handlers ran. Delivery is at least once; the node drops ids it delivered recently, and handlers
 *   stay idempotent by event id for the rest (a redelivery after a crash).
 * - The client reconnects forever; while disconnected, publish fails at once with
 *   `bus.unavailable` (the relay publishes those events from the journal later) and the consumer
 *   resumes on reconnect.
 */
import type { VigilEvent } from '@vigil/core';
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  Events,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import type { Logger } from '../kernel/logger.js';
import { decodeEvent, encodeEvent, RecentIds, streamNameOf, subjectOf } from './codec.js';
import { busError } from './errors.js';
import { Listeners } from './listeners.js';
import type { EventBus, EventFilter, EventHandler } from './types.js';

export interface NatsBusOptions {
  /** Server URLs (a comma-separated setting split by the caller). */
  servers: readonly string[];
  subjectPrefix: string;
  /** Stable node name: the durable consumer is `vigil-<nodeName>`. */
  nodeName: string;
  logger: Logger;
  /** How long the stream keeps events (default 7 days; the journal is the permanent record). */
  maxAgeMs?: number;
  /** Window within which a re-published event id is recognised as a duplicate (default 2 min; the relay runs every second, well inside it). */
  duplicateWindowMs?: number;
  publishTimeoutMs?: number;
  /** How many delivered ids each node remembers to drop redeliveries (default 100,000). */
  recentIds?: number;
}

export interface NatsBusStats {
  published: number;
  duplicatesDropped: number;
  delivered: number;
  redeliveriesSkipped: number;
  undecodable: number;
}

const DAY_MS = 86_400_000;

export class NatsBus implements EventBus {
  private readonly listeners: Listeners;
  private readonly streamName: string;
  private readonly durableName: string;
  private readonly recent: RecentIds;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private messages: ConsumerMessages | undefined;
  private consuming: Promise<void> | undefined;
  private connected = false;
  private readonly counters: NatsBusStats = { published: 0, duplicatesDropped: 0, delivered: 0, redeliveriesSkipped: 0, undecodable: 0 };

  constructor(private readonly options: NatsBusOptions) {
    this.listeners = new Listeners(options.logger);
    this.streamName = streamNameOf(options.subjectPrefix);
    this.durableName = `vigil-${options.nodeName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    this.recent = new RecentIds(options.recentIds ?? 100_000);
  }

  get stream(): string {
    return this.streamName;
  }

  stats(): NatsBusStats {
    return { ...this.counters };
  }

  async start(): Promise<void> {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: [...this.options.servers],
        name: this.durableName,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        pingInterval: 10_000,
      });
    } catch (e) {
      throw busError('bus.unavailable', `Cannot connect to NATS: ${(e as Error).message}`);
    }
    this.nc = nc;
    this.connected = true;
    void this.watchStatus(nc);
    await this.ensureStream(nc);
    this.js = nc.jetstream();
    const consumer = await this.js.consumers.get(this.streamName, this.durableName);
    this.messages = await consumer.consume({ max_messages: 256 });
    const messages = this.messages;
    this.consuming = (async () => {
      for await (const msg of messages) await this.receive(msg);
    })().catch((e: unknown) => this.options.logger.error({ err: e }, 'NATS consumer stopped'));
  }

  async stop(): Promise<void> {
    const nc = this.nc;
    if (!nc) return;
    this.nc = undefined;
    this.connected = false;
    await this.messages?.close();
    await this.consuming;
    await nc.drain().catch(() => nc.close());
  }

  async publish(events: readonly VigilEvent[]): Promise<void> {
    const js = this.js;
    if (!js || !this.connected) throw busError('bus.unavailable', 'NATS is not connected');
    const timeout = this.options.publishTimeoutMs ?? 5000;
    try {
      const acks = await Promise.all(
        events.map((event) =>
          js.publish(subjectOf(this.options.subjectPrefix, event), encodeEvent(event), {
            msgID: event.id,
            timeout,
            expect: { streamName: this.streamName },
          }),
        ),
      );
      for (const ack of acks) {
        if (ack.duplicate) this.counters.duplicatesDropped++;
        else this.counters.published++;
      }
    } catch (e) {
      throw busError('bus.publish_failed', `NATS did not store the events: ${(e as Error).message}`);
    }
  }

  subscribe(filter: EventFilter, handler: EventHandler, owner: string): () => void {
    return this.listeners.add(filter, handler, owner);
  }

  unsubscribeAll(owner: string): void {
    this.listeners.removeOwner(owner);
  }

  private async receive(msg: JsMsg): Promise<void> {
    let event: VigilEvent;
    try {
      event = decodeEvent(msg.data);
    } catch (e) {
      // Not ours or corrupt: redelivering it would not help.
      this.counters.undecodable++;
      this.options.logger.warn({ subject: msg.subject, err: e }, 'undecodable message on the event stream');
      msg.term();
      return;
    }
    if (this.recent.has(event.id)) {
      this.counters.redeliveriesSkipped++;
    } else {
      await this.listeners.deliver(event);
      this.recent.add(event.id);
      this.counters.delivered++;
    }
    msg.ack();
  }

  private async ensureStream(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    const subjects = [`${this.options.subjectPrefix}.>`];
    try {
      await jsm.streams.info(this.streamName);
    } catch {
      try {
        await jsm.streams.add({
          name: this.streamName,
          subjects,
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          max_age: nanos(this.options.maxAgeMs ?? 7 * DAY_MS),
          duplicate_window: nanos(this.options.duplicateWindowMs ?? 120_000),
        });
      } catch (e) {
        // Another node created it between our look-up and our add.
        await jsm.streams.info(this.streamName).catch(() => {
          throw busError('bus.unavailable', `Cannot create the NATS stream ${this.streamName}: ${(e as Error).message}`);
        });
      }
    }
    // A new node starts from now: its state comes from the database, not from replaying the stream.
    await jsm.consumers.add(this.streamName, {
      durable_name: this.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: subjects[0],
      ack_wait: nanos(30_000),
      max_ack_pending: 1000,
    });
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        this.connected = false;
        this.options.logger.warn('NATS disconnected; reconnecting');
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        this.options.logger.info('NATS reconnected');
      }
    }
  }
}

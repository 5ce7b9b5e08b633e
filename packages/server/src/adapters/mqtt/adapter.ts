/**
 * The MQTT device adapter: the one owner of the broker connection. It maps each message to events
 * (mapping.ts, translate.ts), submits them to the intake, and supervises device liveness.
 *
 * Delivery guarantee, precisely:
 * - Subscriptions are QoS 1 on a persistent session (stable client id, MQTT 5 session expiry of
 *   7 days), so the broker keeps messages for Vigil while it is disconnected or restarting (a
 *   broker restart keeps them only when the broker persists its sessions, `persistence true` in
 *   Mosquitto). Over MQTT 3.1.1 (`protocolVersion` 4, for brokers without MQTT 5) the session has
 *   no expiry, and retained messages may be replayed on subscribe.
 * - A message is acknowledged (PUBACK) only after its events are committed to the journal. If the
 *   commit fails the adapter retries; if Vigil stops first, the message stays unacknowledged and
 *   the broker delivers it again on the next connection. So no acknowledged message is lost.
 * - If the PUBACK is lost after the commit (the connection or the broker went down in between),
 *   the broker redelivers the message flagged DUP with the same packet id; the adapter remembers
 *   the packet id, topic and payload digest of the last 10,000 messages it handled and
 *   acknowledges such a redelivery without journaling it again.
 * - A duplicate can then arise only when Vigil itself stops between the commit and the PUBACK.
 *   Where the mapping names the device's own message id (`eventId`), the event id is derived from
 *   it and the journal stores it once, so even that case is exactly once. Without one, such a
 *   message is journaled twice.
 * - Retained messages are not replayed on subscribe (retain handling 2): a retained state is not
 *   a new fact.
 * - Several server nodes share the sensors through an MQTT 5 shared subscription
 *   (`$share/<sharedGroup>/<filter>`): the broker gives each message to one node of the group,
 *   which journals it, instead of every node journaling it. A node that is down keeps its
 *   persistent session, and the broker may still queue messages for it (Mosquitto does) until it
 *   returns: delayed, not lost, while the session lasts. Supervision stays whole: the nodes
 *   exchange what they heard (sightings.ts), and the offline and back-online events of a device
 *   are named by the silence they end, so nodes that both notice it store one.
 * - A malformed message is acknowledged, counted, and reported as `device.payload_rejected` at
 *   most once per device per window; a flood from one device is cut by the intake's per-source
 *   rate limit (counted, acknowledged, dropped).
 *
 * Messages are handled one at a time per connection, in order (mqtt.js holds the next message
 * until the previous is acknowledged); the intake's group commit batches them with other sources.
 */
import { createHash } from 'node:crypto';
import { isVigilError, type EventDraft } from '@vigil/core';
import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import type { Logger } from '../../kernel/logger.js';
import { devicePayloadRejected, deviceReported } from './events.js';
import type { DeviceMapping } from './mapping.js';
import { cameOnlineDraft, DeviceSupervisor, wentOfflineDraft, type DeviceStatus } from './supervision.js';
import { SightingExchange } from './sightings.js';
import { translate, type Translation } from './translate.js';

export interface IntakePort {
  submit(drafts: readonly EventDraft[]): Promise<unknown>;
  validate(draft: EventDraft): void;
}

export interface MqttAdapterOptions {
  url: string;
  /** Stable across restarts: the broker keeps the session (and queued messages) under it. */
  clientId: string;
  /** 5 (default), or 4 (MQTT 3.1.1) for brokers without MQTT 5: no session expiry, no retain handling. */
  protocolVersion?: 4 | 5;
  /**
   * MQTT 5 shared-subscription group (`$share/<group>/<filter>`): the nodes of one Vigil
   * installation subscribe in the same group, so the broker hands each message to one of them and
   * it is journaled once. Empty or absent (and always over MQTT 3.1.1): a plain subscription.
   */
  sharedGroup?: string;
  mapping: DeviceMapping;
  intake: IntakePort;
  logger: Logger;
  clock?: () => Date;
  /** Told of every accepted message from a device (its serial, when, the battery it reported), e.g. to keep a registry's last-seen. */
  onHeard?: (serial: string, at: Date, battery: number | undefined) => void;
  /** Told when supervision declares a device offline (after its `device.went_offline` is journaled). */
  onSilent?: (serial: string) => void;
  /** How often supervision runs (default: a quarter of the shortest interval, 1–30 s); 0 disables the timer. */
  supervisionCheckMs?: number;
  reconnectPeriodMs?: number;
}

export interface MqttAdapterStats {
  received: number;
  journaled: number;
  unmatched: number;
  payloadsRejected: number;
  rateLimited: number;
  unknownDevicesRefused: number;
  retries: number;
  redeliveriesSkipped: number;
}

const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;
const HANDLED_MEMORY = 10_000;
const TRANSIENT = new Set(['intake.queue_full', 'intake.append_failed', 'intake.stopped', 'intake.outcome_unknown']);

export class MqttAdapter {
  private client: MqttClient | undefined;
  private readonly supervisor: DeviceSupervisor;
  private readonly clock: () => Date;
  private stopping = false;
  private supervisionTimer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** With a shared subscription: the sightings this node exchanges with the others of its group. */
  private sharing: SightingExchange | undefined;
  /** How often supervision runs (0: only when asked); the wait for other nodes' sightings. */
  private checkEveryMs = 0;
  private inHand: Promise<void> | undefined;
  private subscribed!: Promise<void>;
  private readonly counts: Omit<MqttAdapterStats, 'unknownDevicesRefused'> = {
    received: 0,
    journaled: 0,
    unmatched: 0,
    payloadsRejected: 0,
    rateLimited: 0,
    retries: 0,
    redeliveriesSkipped: 0,
  };
  /** Messages handled in this process, by packet id, topic and payload digest (insertion-ordered). */
  private readonly handled = new Set<string>();

  constructor(private readonly options: MqttAdapterOptions) {
    this.clock = options.clock ?? (() => new Date());
    const file = options.mapping.file;
    this.supervisor = new DeviceSupervisor({
      registered: file.devices ?? [],
      acceptUnknown: file.unknownDevices !== 'reject',
      maxDevices: file.maxDevices ?? 10_000,
      rejectWindowSeconds: file.payloadRejectWindowSeconds ?? 60,
      startedAt: this.clock(),
    });
  }

  /** Connects in the background (a broker that is down must not stop Vigil starting). */
  start(): void {
    this.stopping = false;
    const v5 = (this.options.protocolVersion ?? 5) === 5;
    const group = v5 ? (this.options.sharedGroup ?? '') : '';
    this.sharing = group ? new SightingExchange(group, this.options.clientId) : undefined;
    const client = mqtt.connect(this.options.url, {
      clientId: this.options.clientId,
      clean: false,
      protocolVersion: v5 ? 5 : 4,
      ...(v5 ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS } } : {}),
      reconnectPeriod: this.options.reconnectPeriodMs ?? 1000,
      connectTimeout: 10_000,
      resubscribe: false,
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      // While stopping, nothing new is started: unacknowledged, the message stays with the broker.
      if (this.stopping) return done(new Error('stopping'));
      if (this.sharing?.owns(packet.topic)) {
        this.sharing.merge(typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload, this.supervisor);
        return done();
      }
      const key = deliveryKey(packet);
      if (packet.dup && this.handled.has(key)) {
        this.counts.redeliveriesSkipped++;
        return done();
      }
      this.inHand = this.handle(packet);
      this.inHand.then(
        () => {
          this.remember(key);
          done();
        },
        (e: unknown) => done(e as Error),
      );
    };
    this.subscribed = new Promise<void>((resolve) => {
      client.on('connect', (connack) => {
        this.options.logger.info({ sessionPresent: connack.sessionPresent }, 'MQTT connected');
        const filters = this.options.mapping.filters.map((filter) => (group ? `$share/${group}/${filter}` : filter));
        const subscriptions: ISubscriptionMap = Object.fromEntries(filters.map((topic) => [topic, v5 ? { qos: 1, rh: 2 } : { qos: 1 }]));
        if (this.sharing) subscriptions[this.sharing.filter] = { qos: 0, rh: 2, nl: true };
        client.subscribeAsync(subscriptions).then(
          () => resolve(),
          (e: unknown) => this.options.logger.error({ err: e }, 'MQTT subscribe failed'),
        );
      });
    });
    client.on('error', (e) => this.options.logger.warn({ err: e.message }, 'MQTT error'));
    client.on('offline', () => this.options.logger.warn('MQTT broker unreachable; reconnecting'));
    this.armSupervision();
  }

  /** Resolves once the first subscription is in place. */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  /** Finishes the message in hand, then disconnects; unacknowledged messages stay with the broker. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.supervisionTimer);
    await this.checking;
    await this.inHand?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.endAsync();
  }

  stats(): MqttAdapterStats {
    return { ...this.counts, unknownDevicesRefused: this.supervisor.unknownRefused };
  }

  devices(): DeviceStatus[] {
    return this.supervisor.list();
  }

  device(serial: string): DeviceStatus | undefined {
    return this.supervisor.get(serial);
  }

  /** Declares silent devices offline (runs on a timer; tests call it with an injected clock). */
  checkSupervision(): Promise<void> {
    this.checking ??= this.superviseOnce().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async superviseOnce(): Promise<void> {
    await this.shareSightings();
    const now = this.clock();
    // Sharing: a sighting another node made reaches this one within a check period.
    for (const device of this.supervisor.overdue(now, this.sharing ? this.checkEveryMs : 0)) {
      try {
        await this.options.intake.submit([wentOfflineDraft(device, this.supervisor.registry.get(device.serial), now)]);
        this.supervisor.markOffline(device.serial, now);
        this.options.onSilent?.(device.serial);
      } catch (e) {
        this.options.logger.warn({ err: e, serial: device.serial }, 'could not journal device offline; retrying next check');
      }
    }
  }

  private armSupervision(): void {
    const file = this.options.mapping.file;
    const intervals = [...file.mappings.map((m) => m.supervisionSeconds), ...(file.devices ?? []).map((d) => d.supervisionSeconds)].filter(
      (s): s is number => s !== undefined,
    );
    const every = this.options.supervisionCheckMs ?? Math.min(30_000, Math.max(1000, (Math.min(...intervals, 120) * 1000) / 4));
    this.checkEveryMs = every;
    if (every > 0) {
      this.supervisionTimer = setInterval(() => {
        void this.checkSupervision();
      }, every);
    }
  }

  /** Publishes the sightings made since the last report, for the other nodes of the group. */
  private async shareSightings(): Promise<void> {
    const client = this.client;
    if (!this.sharing || !client?.connected) return;
    for (const report of this.sharing.drain()) {
      await client
        .publishAsync(this.sharing.topic, report, { qos: 1 })
        .catch((e: unknown) => this.options.logger.warn({ err: e }, 'could not share device sightings'));
    }
  }

  private remember(key: string): void {
    this.handled.delete(key);
    this.handled.add(key);
    if (this.handled.size > HANDLED_MEMORY) {
      const oldest = this.handled.values().next();
      if (!oldest.done) this.handled.delete(oldest.value);
    }
  }

  private async handle(packet: IPublishPacket): Promise<void> {
    this.counts.received++;
    const matched = this.options.mapping.match(packet.topic);
    if (!matched) {
      this.counts.unmatched++;
      return;
    }
    const { entry } = matched.mapping;
    const now = this.clock();
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const t = translate(entry, matched.captures, payload, now, this.supervisor.registry);
    const serial = t.serial ?? `unidentified:${packet.topic}`;
    const supervision = this.supervisor.registry.get(serial)?.supervisionSeconds ?? entry.supervisionSeconds ?? null;
    const sighting = this.supervisor.seen(serial, entry.kind, supervision, now, t.ok ? t.battery : undefined);
    if (!sighting) return; // unknown device refused (counted)
    this.sharing?.record(serial, entry.kind, supervision, now, t.ok ? t.battery : undefined);
    if (t.serial) this.options.onHeard?.(serial, now, t.ok ? t.battery : undefined);

    const source = `device:${serial}`;
    const where = t.ok ? t.envelope : { site: this.supervisor.registry.get(serial)?.site ?? null, zone: null, door: null, subject: null };
    const base = { at: now, source, site: where.site, zone: where.zone, door: where.door };
    const drafts: EventDraft[] = [];
    if (sighting.backFrom) {
      const returned = { serial, kind: entry.kind, offlineSince: sighting.backFrom, lastSeenBefore: sighting.previousSeenAt };
      drafts.push(cameOnlineDraft(returned, base));
    }
    if (sighting.first || sighting.backFrom || sighting.batteryChanged) {
      const battery = t.ok ? t.battery : undefined;
      drafts.push(deviceReported.draft(base, battery === undefined ? { kind: entry.kind } : { kind: entry.kind, battery }));
    }

    const fact = t.ok ? this.factOf(t) : null;
    let rejection = t.ok ? null : t.reason;
    if (fact) {
      try {
        this.options.intake.validate(fact);
        drafts.push(fact);
      } catch (e) {
        if (!isVigilError(e)) throw e;
        rejection = describeInvalid(e.details);
      }
    }
    let reported = 0;
    if (rejection !== null) {
      this.counts.payloadsRejected++;
      const count = this.supervisor.rejected(serial, entry.kind, now);
      if (count !== null) {
        reported = count;
        drafts.push(
          devicePayloadRejected.draft(base, {
            topic: packet.topic.slice(0, 512),
            reason: rejection.slice(0, 300),
            rejected: count,
            bytes: payload.length,
          }),
        );
      }
    }
    if (drafts.length === 0) return;
    const ok = await this.submit(drafts);
    if (!ok && reported > 0) this.supervisor.unreport(serial, reported);
    if (ok && fact && drafts.includes(fact)) this.counts.journaled++;
  }

  private factOf(t: Extract<Translation, { ok: true }>): EventDraft | null {
    if (t.kind !== 'event' || t.type === null) return null;
    return {
      type: t.type,
      at: t.at,
      site: t.envelope.site,
      zone: t.envelope.zone,
      door: t.envelope.door,
      subject: t.envelope.subject,
      source: `device:${t.serial}`,
      data: t.data,
      ...(t.id ? { id: t.id } : {}),
    };
  }

  /**
   * Submits until committed. Resolves false when the intake refused the events for good (rate
   * limit: acknowledged and dropped). Rejects when stopping, so the message is not acknowledged.
   */
  private async submit(drafts: EventDraft[]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.intake.submit(drafts);
        return true;
      } catch (e) {
        if (isVigilError(e) && e.code === 'intake.source_rate_limited') {
          this.counts.rateLimited++;
          return false;
        }
        const transient = isVigilError(e) && TRANSIENT.has(e.code);
        // The events may be stored already: retried under the same ids, they are stored once.
        if (isVigilError(e) && e.code === 'intake.outcome_unknown') drafts = withIds(drafts, e.details['eventIds']);
        if (!transient) {
          this.options.logger.error({ err: e }, 'MQTT message dropped: its events were refused');
          return false;
        }
        if (this.stopping) throw e;
        this.counts.retries++;
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
}

function withIds(drafts: EventDraft[], ids: unknown): EventDraft[] {
  if (!Array.isArray(ids) || ids.length !== drafts.length) return drafts;
  return drafts.map((draft, i) => ({ ...draft, id: String(ids[i]) }));
}

function describeInvalid(details: Readonly<Record<string, unknown>>): string {
  const errors = Array.isArray(details['errors']) ? (details['errors'] as { instancePath?: string; message?: string }[]) : [];
  const first = errors[0];
  if (!first) return `data does not match the ${String(details['type'])} schema`;
  return `data${first.instancePath ?? ''} ${first.message ?? 'is invalid'}`;
}

function deliveryKey(packet: IPublishPacket): string {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  return `${packet.messageId ?? '-'}|${packet.topic}|${createHash('sha256').update(payload).digest('base64')}`;
}

/**
 * The delivery queue: every notification is a row first (so nothing is lost when a node stops),
 * then sent by a worker on whichever node claims it. Attempts run concurrently with a per-channel
 * limit and a hard timeout, so a hanging target holds one slot of its own channel until the
 * timeout and blocks nothing else; failures retry with exponential backoff up to the attempt
 * limit. The outcome of each delivery is journaled as its receipt.
 */
import { newId } from '@vigil/core';
import { afterCursor, isUniqueViolation, pageCursor, recordFacts, type AutomationContext, type Page } from '../context.js';
import { automationError } from '../errors.js';
import { notificationDelivered, notificationFailed } from '../events.js';
import type { NotificationDeliveriesTable } from '../tables.js';
import type { ChannelService } from './channels.js';
import type { Delivery } from './model.js';
import { sendWebhook, type Mailer, type SendResult } from './senders.js';

export interface DeliveryOptions {
  timeoutMs: number;
  maxAttempts: number;
  /** First retry delay; each further one doubles, up to 10 minutes. */
  retryBaseMs: number;
  pollMs?: number;
  concurrency?: number;
  perChannel?: number;
}

export interface Enqueue {
  readonly channelId?: string | undefined;
  readonly recipients?: readonly string[] | undefined;
  readonly siteId: string | null;
  readonly dedupeKey: string;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
  readonly requireKind?: 'webhook' | undefined;
}

function toDelivery(row: NotificationDeliveriesTable): Delivery {
  return {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    siteId: row.site_id,
    subject: row.subject,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

export class DeliveryQueue {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perChannel = new Map<string, number>();
  private polling: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly ctx: AutomationContext,
    private readonly channels: ChannelService,
    private readonly mailer: Mailer,
    private readonly options: DeliveryOptions,
  ) {}

  /** Queues a notification once per dedupe key; returns its id (the existing one for a repeated key), or null for a disabled channel. */
  async enqueue(request: Enqueue): Promise<string | null> {
    let kind: 'webhook' | 'email' = 'email';
    if (request.channelId) {
      const channel = await this.channels.get(request.channelId);
      if (!channel.enabled) return null;
      if (request.requireKind && channel.kind !== request.requireKind) {
        throw automationError('automation.channel_invalid', `Channel ${channel.name} is not a ${request.requireKind}`, {
          channel: channel.id,
        });
      }
      kind = channel.kind;
    } else if (!request.recipients?.length) {
      throw automationError('automation.channel_invalid', 'A notification needs a channel or recipients');
    }
    const now = this.ctx.clock().toISOString();
    const row: NotificationDeliveriesTable = {
      id: newId(),
      channel_id: request.channelId ?? null,
      recipients: request.recipients ? JSON.stringify(request.recipients) : null,
      kind,
      site_id: request.siteId,
      dedupe_key: request.dedupeKey,
      subject: request.subject.slice(0, 300),
      payload: JSON.stringify(request.payload),
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      last_status: null,
      last_error: null,
      delivered_at: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.insertInto('notification_deliveries').values(row).execute();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.ctx.db
        .selectFrom('notification_deliveries')
        .select('id')
        .where('dedupe_key', '=', request.dedupeKey)
        .executeTakeFirst();
      return existing?.id ?? null;
    }
    this.kick();
    return row.id;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled([...this.inFlight.values()]);
    this.mailer.close();
  }

  /** Claims and starts every due delivery there is room for. */
  poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.claimAndSend()
      .catch((e: unknown) => this.ctx.logger.warn({ err: e }, 'delivery poll failed'))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  /** Resolves when nothing is being sent (tests). */
  async settled(): Promise<void> {
    await this.polling;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  async get(id: string): Promise<Delivery> {
    const row = await this.ctx.db.selectFrom('notification_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.channel_not_found', `No delivery ${id}`, { delivery: id });
    return toDelivery(row);
  }

  async list(options: {
    sites: 'all' | readonly string[];
    channelId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<Delivery>> {
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    let query = this.ctx.db.selectFrom('notification_deliveries').selectAll();
    if (options.sites !== 'all')
      query = query.where((eb) =>
        eb.or([eb('site_id', 'is', null), ...(options.sites.length > 0 ? [eb('site_id', 'in', [...options.sites])] : [])]),
      );
    if (options.channelId) query = query.where('channel_id', '=', options.channelId);
    const after = afterCursor('deliveries', options.cursor);
    if (after) query = query.where('id', '<', after);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toDelivery), nextCursor: rows.length > limit && last ? pageCursor('deliveries', last.id) : null };
  }

  private kick(): void {
    if (!this.stopped) setImmediate(() => void this.poll());
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.arm());
    }, this.options.pollMs ?? 500);
    this.timer.unref();
  }

  private async claimAndSend(): Promise<void> {
    const room = (this.options.concurrency ?? 16) - this.inFlight.size;
    if (room <= 0 || this.stopped) return;
    const now = this.ctx.clock();
    const nowIso = now.toISOString();
    // Channels already at their limit are left out of the query, so a backlog behind a hanging
    // target cannot fill the page and starve the others.
    const busy = [...this.perChannel.entries()]
      .filter(([key, n]) => n >= (this.options.perChannel ?? 2) && !key.startsWith('email:'))
      .map(([key]) => key);
    let query = this.ctx.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', nowIso)])]))
      .where('next_attempt_at', '<=', nowIso);
    if (busy.length > 0) query = query.where((eb) => eb.or([eb('channel_id', 'is', null), eb('channel_id', 'not in', busy)]));
    const due = await query
      .orderBy('next_attempt_at')
      .limit(room * 4)
      .execute();
    let started = 0;
    for (const row of due) {
      if (started >= room) break;
      if (this.inFlight.has(row.id)) continue;
      const channelKey = row.channel_id ?? `email:${row.recipients ?? ''}`;
      if ((this.perChannel.get(channelKey) ?? 0) >= (this.options.perChannel ?? 2)) continue;
      const lease = new Date(now.getTime() + this.options.timeoutMs + 30_000).toISOString();
      const claimed = await this.ctx.db
        .updateTable('notification_deliveries')
        .set({ state: 'sending', lease_until: lease, updated_at: nowIso })
        .where('id', '=', row.id)
        .where('state', '=', row.state)
        .where('updated_at', '=', row.updated_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      started++;
      this.perChannel.set(channelKey, (this.perChannel.get(channelKey) ?? 0) + 1);
      const attempt = this.attempt(row).finally(() => {
        this.inFlight.delete(row.id);
        this.perChannel.set(channelKey, (this.perChannel.get(channelKey) ?? 1) - 1);
        this.kick();
      });
      this.inFlight.set(row.id, attempt);
    }
  }

  private async attempt(row: NotificationDeliveriesTable): Promise<void> {
    let result: SendResult;
    try {
      result = await this.send(row);
    } catch (e) {
      result = { ok: false, status: null, error: (e as Error).message.slice(0, 300) };
    }
    const now = this.ctx.clock();
    const attempts = row.attempts + 1;
    const failedForGood = !result.ok && attempts >= this.options.maxAttempts;
    const backoff = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), 600_000);
    const state = result.ok ? 'delivered' : failedForGood ? 'failed' : 'pending';
    try {
      await this.ctx.db
        .updateTable('notification_deliveries')
        .set({
          state,
          attempts,
          lease_until: null,
          last_status: result.status,
          last_error: result.error,
          delivered_at: result.ok ? now.toISOString() : null,
          next_attempt_at: state === 'pending' ? new Date(now.getTime() + backoff).toISOString() : row.next_attempt_at,
          updated_at: now.toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      if (state === 'pending') return;
      const receipt = { deliveryId: row.id, channelId: row.channel_id, kind: row.kind, attempts, subject: row.subject };
      await recordFacts(this.ctx, [
        result.ok
          ? notificationDelivered.draft({ site: row.site_id, source: 'system:notifications' }, { ...receipt, status: result.status })
          : notificationFailed.draft(
              { site: row.site_id, source: 'system:notifications' },
              { ...receipt, error: (result.error ?? 'failed').slice(0, 500) },
            ),
      ]);
    } catch (e) {
      this.ctx.logger.error({ err: e, delivery: row.id }, 'could not record a delivery outcome');
    }
  }

  private async send(row: NotificationDeliveriesTable): Promise<SendResult> {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    if (row.kind === 'webhook') {
      const target = row.channel_id ? await this.channels.forSending(row.channel_id) : undefined;
      if (!target?.channel.url) return { ok: false, status: null, error: 'the channel no longer exists' };
      const body = JSON.stringify({ id: row.id, subject: row.subject, createdAt: row.created_at, payload });
      return sendWebhook({
        url: target.channel.url,
        secret: target.secret,
        deliveryId: row.id,
        body,
        timeoutMs: this.options.timeoutMs,
        now: this.ctx.clock(),
      });
    }
    const to = row.channel_id
      ? (await this.channels.forSending(row.channel_id))?.channel.recipients
      : (JSON.parse(row.recipients ?? '[]') as string[]);
    if (!to?.length) return { ok: false, status: null, error: 'no recipients' };
    return this.mailer.send({ to, subject: `[Vigil] ${row.subject}`, text: mailText(row.subject, payload) });
  }
}

function mailText(subject: string, payload: Record<string, unknown>): string {
  const lines = [subject, ''];
  if (typeof payload['message'] === 'string') lines.push(payload['message'], '');
  lines.push(JSON.stringify(payload, null, 2));
  return lines.join('\n');
}

/**
 * Notification channels: webhooks (HMAC-signed; the key is sealed at rest and shown only when it
 * is generated) and e-mail recipient lists. Changes are journaled without the secret.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '@vigil/core';
import { afterCursor, commit, pageCursor, type AutomationContext, type Page } from '../context.js';
import { automationError } from '../errors.js';
import { channelChanged } from '../events.js';
import type { NotificationChannelsTable } from '../tables.js';
import type { Channel, ChannelInput, SecretSealer } from './model.js';

function toChannel(row: NotificationChannelsTable): Channel {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    kind: row.kind,
    url: row.url,
    recipients: row.recipients ? (JSON.parse(row.recipients) as string[]) : [],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function validate(input: ChannelInput): void {
  if (input.kind === 'webhook') {
    let url: URL | undefined;
    try {
      url = new URL(input.url ?? '');
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
      throw automationError('automation.channel_invalid', 'A webhook needs an http(s) URL without credentials in it', { field: 'url' });
    }
    if (input.recipients)
      throw automationError('automation.channel_invalid', 'A webhook has no e-mail recipients', { field: 'recipients' });
  } else {
    if (!input.recipients?.length)
      throw automationError('automation.channel_invalid', 'An e-mail channel needs recipients', { field: 'recipients' });
    if (input.url || input.secret)
      throw automationError('automation.channel_invalid', 'An e-mail channel has no URL or secret', { field: 'url' });
  }
}

export class ChannelService {
  constructor(
    private readonly ctx: AutomationContext,
    private readonly sealer: SecretSealer,
  ) {}

  /** Creates a channel; `secret` is returned only when it was generated here. */
  async create(actor: string, input: ChannelInput): Promise<{ channel: Channel; secret: string | null }> {
    validate(input);
    const id = newId();
    const generated = input.kind === 'webhook' && !input.secret ? randomBytes(32).toString('base64url') : null;
    const secret = input.secret ?? generated;
    const now = this.ctx.clock().toISOString();
    const row: NotificationChannelsTable = {
      id,
      site_id: input.siteId,
      name: input.name,
      kind: input.kind,
      url: input.kind === 'webhook' ? (input.url ?? null) : null,
      secret_sealed: input.kind === 'webhook' && secret ? this.sealer.seal(secret, `channel:${id}`) : null,
      recipients: input.kind === 'email' ? JSON.stringify(input.recipients) : null,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
      updated_by: actor,
    };
    const channel = await commit(this.ctx, async (trx) => {
      await trx.insertInto('notification_channels').values(row).execute();
      return { result: toChannel(row), events: [this.changedEvent(actor, row)] };
    });
    return { channel, secret: generated };
  }

  async update(actor: string, id: string, input: ChannelInput): Promise<Channel> {
    validate(input);
    const current = await this.require(id);
    if (current.kind !== input.kind)
      throw automationError('automation.channel_invalid', 'A channel’s kind cannot change', { field: 'kind' });
    const row: NotificationChannelsTable = {
      ...current,
      site_id: input.siteId,
      name: input.name,
      url: input.kind === 'webhook' ? (input.url ?? null) : null,
      secret_sealed: input.secret ? this.sealer.seal(input.secret, `channel:${id}`) : current.secret_sealed,
      recipients: input.kind === 'email' ? JSON.stringify(input.recipients) : null,
      enabled: input.enabled === false ? 0 : 1,
      updated_at: this.ctx.clock().toISOString(),
      updated_by: actor,
    };
    return commit(this.ctx, async (trx) => {
      await trx.updateTable('notification_channels').set(row).where('id', '=', id).execute();
      return { result: toChannel(row), events: [this.changedEvent(actor, row)] };
    });
  }

  async get(id: string): Promise<Channel> {
    return toChannel(await this.require(id));
  }

  async siteOf(id: string): Promise<string | null | undefined> {
    const row = await this.ctx.db.selectFrom('notification_channels').select('site_id').where('id', '=', id).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  async list(options: { sites: 'all' | readonly string[]; limit: number; cursor?: string | undefined }): Promise<Page<Channel>> {
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    let query = this.ctx.db.selectFrom('notification_channels').selectAll();
    if (options.sites !== 'all')
      query = query.where((eb) =>
        eb.or([eb('site_id', 'is', null), ...(options.sites.length > 0 ? [eb('site_id', 'in', [...options.sites])] : [])]),
      );
    const after = afterCursor('channels', options.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toChannel), nextCursor: rows.length > limit && last ? pageCursor('channels', last.id) : null };
  }

  /** The stored row with the secret opened, for the sender. */
  async forSending(id: string): Promise<{ channel: Channel; secret: string | null } | undefined> {
    const row = await this.ctx.db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { channel: toChannel(row), secret: row.secret_sealed ? this.sealer.open(row.secret_sealed, `channel:${id}`) : null };
  }

  private async require(id: string): Promise<NotificationChannelsTable> {
    const row = await this.ctx.db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.channel_not_found', `No channel ${id}`, { channel: id });
    return row;
  }

  private changedEvent(actor: string, row: NotificationChannelsTable) {
    const target =
      row.kind === 'webhook'
        ? new URL(row.url ?? 'http://invalid').origin
        : `${(JSON.parse(row.recipients ?? '[]') as string[]).length} recipients`;
    return channelChanged.draft(
      { site: row.site_id, source: actor },
      { channelId: row.id, name: row.name, kind: row.kind, enabled: row.enabled === 1, target },
    );
  }
}

/**
 * The live stream: a WebSocket at `/api/live` carrying alarms, incidents, emergency plans, door
 * states and (on request) every event, each message only to clients whose principal holds the
 * message's permission on the event's site. Authenticated like any route (session cookie or
 * bearer token), and re-checked periodically so a revoked session or token is disconnected.
 *
 * Messages are JSON: `{ kind, type, at, site, ... }` with kind `alarm`, `incident`, `emergency`,
 * `door` or `event`. A client narrows what it gets with `{"subscribe": ["alarms","doors"],
 * "sites": ["<id>"]}`. A client that cannot keep up is disconnected (1013) rather than buffered
 * without bound.
 */
import websocket from '@fastify/websocket';
import Type from 'typebox';
import type { VigilEvent } from '@vigil/core';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EventBus } from '../bus/index.js';
import type { Permission, Principal } from '../modules/identity/index.js';
import type { Api } from './server.js';
import type { Authenticator } from './types.js';
import { kernelError } from '../kernel/errors.js';
import {
  DEFAULT_LIVE_CHANNELS,
  LIVE_CHANNELS,
  LIVE_DESCRIPTION,
  LiveClientMessageSchema,
  LiveServerMessageSchema,
  type LiveChannel,
} from './live-messages.js';

const CHANNELS = LIVE_CHANNELS;
type Channel = LiveChannel;
const DEFAULT_CHANNELS = DEFAULT_LIVE_CHANNELS;
const OWNER = 'live';

export interface LiveOptions {
  bus: Pick<EventBus, 'subscribe' | 'unsubscribeAll'>;
  authenticator: Authenticator;
  /** How often each client's credentials are checked again. */
  reauthenticateMs?: number;
  /** Bytes a client may have waiting before it is disconnected as too slow. */
  maxBufferedBytes?: number;
}

interface Client {
  readonly socket: WebSocket;
  readonly request: FastifyRequest;
  principal: Principal;
  channels: Set<Channel>;
  sites: Set<string> | null;
}

interface Outgoing {
  readonly channel: Channel;
  readonly permission: Permission;
  /** Serialised on first use: most events go to no client on most channels. */
  readonly message: () => string;
}

function once(build: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= build());
}

function outgoing(event: VigilEvent): Outgoing[] {
  const base = () => ({ type: event.type, at: event.at.toISOString(), site: event.site, eventId: event.id });
  const data = event.data as Record<string, unknown>;
  const out: Outgoing[] = [];
  const add = (channel: Channel, permission: Permission, build: () => object) =>
    out.push({ channel, permission, message: once(() => JSON.stringify(build())) });
  if (event.type.startsWith('alarm.')) add('alarms', 'alarms.handle', () => ({ kind: 'alarm', ...base(), ...data }));
  else if (event.type.startsWith('incident.')) add('incidents', 'alarms.handle', () => ({ kind: 'incident', ...base(), ...data }));
  else if (event.type.startsWith('emergency.')) add('emergency', 'facility.read', () => ({ kind: 'emergency', ...base(), ...data }));
  else if (event.door !== null && event.type.startsWith('door.')) {
    add('doors', 'facility.read', () => ({
      kind: 'door',
      ...base(),
      doorId: event.door,
      zone: event.zone,
      state: event.type.slice(5),
      source: event.source,
    }));
  }
  add('events', 'journal.read', () => ({
    kind: 'event',
    ...base(),
    source: event.source,
    subject: event.subject,
    zone: event.zone,
    door: event.door,
    correlationId: event.correlationId,
    data: event.data,
  }));
  return out;
}

export class LiveHub {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private subscribed = false;

  constructor(private readonly options: LiveOptions) {}

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket, request: FastifyRequest): void {
    const principal = request.principal;
    if (!principal) {
      socket.close(4401, 'not authenticated');
      return;
    }
    const client: Client = { socket, request, principal, channels: new Set(DEFAULT_CHANNELS), sites: null };
    this.clients.add(client);
    this.ensureRunning();
    socket.on('message', (raw: Buffer) => this.onMessage(client, raw));
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    this.send(client, JSON.stringify({ kind: 'hello', principal: principal.name, channels: [...client.channels] }));
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.subscribed) this.options.bus.unsubscribeAll(OWNER);
    this.subscribed = false;
    for (const client of this.clients) {
      client.socket.close(1001, 'server stopping');
      // A client that does not answer the close handshake must not hold the server open.
      setTimeout(() => client.socket.terminate(), 1000).unref();
    }
    this.clients.clear();
  }

  private ensureRunning(): void {
    if (!this.subscribed) {
      this.options.bus.subscribe({}, this.onEvent, OWNER);
      this.subscribed = true;
    }
    if (!this.timer) {
      this.timer = setInterval(() => void this.reauthenticate(), this.options.reauthenticateMs ?? 30_000);
      this.timer.unref();
    }
  }

  private readonly onEvent = (event: VigilEvent): void => {
    if (this.clients.size === 0) return;
    let messages: Outgoing[] | undefined;
    for (const client of this.clients) {
      if (client.sites && event.site !== null && !client.sites.has(event.site)) continue;
      messages ??= outgoing(event);
      for (const m of messages) {
        if (client.channels.has(m.channel) && client.principal.can(m.permission, event.site)) this.send(client, m.message());
      }
    }
  };

  private send(client: Client, message: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > (this.options.maxBufferedBytes ?? 4 * 1024 * 1024)) {
      this.clients.delete(client);
      client.socket.close(1013, 'client too slow; reconnect');
      return;
    }
    client.socket.send(message);
  }

  private onMessage(client: Client, raw: Buffer): void {
    let request: { subscribe?: unknown; sites?: unknown };
    try {
      request = JSON.parse(raw.toString('utf8')) as typeof request;
    } catch {
      this.send(client, JSON.stringify({ kind: 'error', code: 'request.malformed', detail: 'Messages must be JSON' }));
      return;
    }
    const channels = request.subscribe;
    if (channels !== undefined) {
      if (!Array.isArray(channels) || !channels.every((c): c is Channel => CHANNELS.includes(c as Channel))) {
        this.send(
          client,
          JSON.stringify({ kind: 'error', code: 'request.invalid', detail: `subscribe takes a list of ${CHANNELS.join(', ')}` }),
        );
        return;
      }
      client.channels = new Set(channels);
    }
    const sites = request.sites;
    if (sites !== undefined) {
      if (sites !== null && (!Array.isArray(sites) || !sites.every((s) => typeof s === 'string'))) {
        this.send(
          client,
          JSON.stringify({ kind: 'error', code: 'request.invalid', detail: 'sites takes a list of site ids, or null for all' }),
        );
        return;
      }
      client.sites = sites === null ? null : new Set(sites);
    }
    this.send(
      client,
      JSON.stringify({ kind: 'subscribed', channels: [...client.channels], sites: client.sites ? [...client.sites] : null }),
    );
  }

  /** Revoked sessions, expired tokens and changed roles take effect on open streams too (run periodically). */
  async reauthenticate(): Promise<void> {
    for (const client of [...this.clients]) {
      let principal: Principal | null = null;
      try {
        principal = await this.options.authenticator.authenticate(client.request);
      } catch {
        principal = null;
      }
      if (!principal || principal.setupPending || !principal.can('facility.read')) {
        this.clients.delete(client);
        client.socket.close(4401, 'credentials no longer valid');
      } else client.principal = principal;
    }
  }
}

export function liveRoutes(hub: LiveHub) {
  return async (app: Api) => {
    await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
    // An upgrade refused before the plugin saw it (no credentials: the access check runs first)
    // still holds its raw socket; release it, or it would keep the server from closing.
    app.addHook('onResponse', (request, _reply, done) => {
      if (String(request.headers.upgrade ?? '').toLowerCase() === 'websocket') request.raw.socket?.destroy();
      done();
    });
    app.addHook('preClose', (done) => {
      hub.close();
      done();
    });
    // A route with both handlers: the WebSocket plugin hides `websocket: true` routes from the
    // OpenAPI document, and the stream is part of the contract.
    app.route({
      method: 'GET',
      url: '/api/live',
      config: { access: { permission: 'facility.read' } },
      schema: {
        tags: ['live'],
        summary: 'Live stream of alarms, incidents, emergency plans, door states and events (WebSocket)',
        description: LIVE_DESCRIPTION,
        response: {
          101: Type.Null({ description: 'Switching Protocols: the WebSocket is open and the server sends `hello`.' }),
        },
        // @fastify/swagger copies `x-` keys into the operation as they are.
        ...({ 'x-websocket': { clientMessages: LiveClientMessageSchema, serverMessages: LiveServerMessageSchema } } as object),
      },
      handler: () => {
        throw kernelError(
          'request.invalid',
          'GET /api/live is a WebSocket: send an upgrade request (Connection: Upgrade, Upgrade: websocket)',
        );
      },
      wsHandler: (socket, request) => hub.add(socket, request),
    });
  };
}

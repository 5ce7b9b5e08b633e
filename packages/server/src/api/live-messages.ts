/**
 * The live stream's protocol as JSON Schema: what a client may send, and every message the server
 * sends. The OpenAPI document carries both on `GET /api/live` (`x-websocket`), and the live tests
 * check each message the hub really sends against them, so the two cannot drift apart.
 */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;

export const LIVE_CHANNELS = ['alarms', 'incidents', 'emergency', 'doors', 'events'] as const;
export type LiveChannel = (typeof LIVE_CHANNELS)[number];
export const DEFAULT_LIVE_CHANNELS: readonly LiveChannel[] = ['alarms', 'incidents', 'emergency', 'doors'];

const Channel = Type.Union(
  LIVE_CHANNELS.map((c) => Type.Literal(c)),
  {
    description:
      '`alarms` and `incidents` (need `alarms.handle`), `emergency` and `doors` (need `facility.read`), `events`: every journaled event (needs `journal.read`; off until subscribed).',
  },
);
const Text = Type.String();
const Nullable = Type.Union([Type.String(), Type.Null()]);

/** What every message about an event carries. */
const Envelope = {
  type: Type.String({ description: 'The event type (`alarm.raised`, `door.forced_open`, …).' }),
  at: Type.String({ format: 'date-time', description: 'When it happened (UTC).' }),
  site: Type.Union([Type.String(), Type.Null()], { description: 'The site; messages come only for sites the caller may see.' }),
  eventId: Type.String({ description: 'The journal event id.' }),
};

export const LiveClientMessageSchema = Type.Object(
  {
    subscribe: Type.Optional(Type.Array(Channel, { description: 'The channels wanted from now on (replaces the current set).' })),
    sites: Type.Optional(
      Type.Union([Type.Array(Type.String()), Type.Null()], {
        description: 'Only these sites from now on; null: every site the caller may see.',
      }),
    ),
  },
  { ...closed, description: 'A client message narrows the stream; the server answers `subscribed` (or `error`).' },
);

export const LiveServerMessageSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('hello'), principal: Text, channels: Type.Array(Channel) },
    { ...closed, description: 'First message of a connection: who the stream is for and its channels.' },
  ),
  Type.Object(
    { kind: Type.Literal('subscribed'), channels: Type.Array(Channel), sites: Type.Union([Type.Array(Type.String()), Type.Null()]) },
    { ...closed, description: 'Answer to a client message: the channels and sites now streamed.' },
  ),
  Type.Object(
    { kind: Type.Literal('error'), code: Type.Enum(['request.malformed', 'request.invalid']), detail: Text },
    { ...closed, description: 'A client message was not JSON, or not a valid request; the stream goes on unchanged.' },
  ),
  Type.Object(
    { kind: Type.Literal('alarm'), ...Envelope },
    { description: 'An alarm was raised or moved through its workflow (`alarm.*`); the event’s data follows the envelope.' },
  ),
  Type.Object(
    { kind: Type.Literal('incident'), ...Envelope },
    { description: 'An incident grouping alarms changed (`incident.*`); the event’s data follows the envelope.' },
  ),
  Type.Object(
    { kind: Type.Literal('emergency'), ...Envelope },
    { description: 'An emergency plan or drill started, progressed or cleared (`emergency.*`); the event’s data follows the envelope.' },
  ),
  Type.Object(
    {
      kind: Type.Literal('door'),
      ...Envelope,
      doorId: Text,
      zone: Nullable,
      state: Type.String({ description: 'The event type without `door.`: `opened`, `forced_open`, `mode_changed`, …' }),
      source: Text,
    },
    { ...closed, description: 'A door reported a change (`door.*` events that name a door).' },
  ),
  Type.Object(
    {
      kind: Type.Literal('event'),
      ...Envelope,
      source: Text,
      subject: Nullable,
      zone: Nullable,
      door: Nullable,
      correlationId: Nullable,
      data: Type.Record(Type.String(), Type.Unknown()),
    },
    { ...closed, description: 'Any journaled event, on the `events` channel.' },
  ),
]);
export type LiveServerMessage = Static<typeof LiveServerMessageSchema>;

/** How the stream is documented in the OpenAPI document. */
export const LIVE_DESCRIPTION = [
  'A WebSocket carrying alarms, incidents, emergency plans, door states and (on request) every journaled event, live.',
  '',
  '**Authentication.** Open it with the upgrade request carrying the session cookie (`vigil_session`) or `Authorization: Bearer vgl_…`, like any route; without valid credentials the upgrade is refused with a problem+json 401 (403 without `facility.read`). Credentials are checked again every 30 s: a signed-out session, a revoked or expired token, or a role change that removes `facility.read` closes the stream with code 4401.',
  '',
  '**Messages.** Every message is one JSON text frame with a `kind` (schemas in `x-websocket.serverMessages`): `hello` first, then `alarm`, `incident`, `emergency` and `door` messages as they happen, each sent only for sites where the caller holds the channel’s permission (`alarms.handle` for alarms and incidents, `facility.read` for emergency plans and doors, `journal.read` for `events`). Event messages carry the event type, time, site and journal id (`eventId`).',
  '',
  '**Narrowing.** Send `{"subscribe": ["alarms", "doors"], "sites": ["<site id>"]}` (`x-websocket.clientMessages`) to change channels or sites; the answer is `subscribed`, or `error` for a message that is not valid. The `events` channel is off until subscribed.',
  '',
  '**Closing.** 1001 when the server stops, 1013 when the client reads too slowly to keep up (the server does not buffer without bound; reconnect), 4401 when the credentials are no longer valid. A plain GET without an upgrade is answered with `request.invalid`.',
].join('\n');

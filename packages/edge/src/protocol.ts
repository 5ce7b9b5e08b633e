/**
 * The agent–server protocol, shared by both sides: request signing, and the JSON shapes of the
 * sync routes (the server's route schemas are these schemas, so the two cannot drift apart).
 *
 * Authentication: every request is signed with the agent's Ed25519 key over the method, the path
 * with its query, a timestamp, a nonce and the SHA-256 of the body. The server holds only public
 * keys, so nothing it stores (or logs, or a proxy logs) lets anyone act as an agent; a captured
 * request cannot be altered, and it cannot be replayed once its nonce was seen or its timestamp
 * left the window.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import Type, { type Static } from 'typebox';

export const EDGE_HEADERS = {
  key: 'x-vigil-edge-key',
  timestamp: 'x-vigil-edge-timestamp',
  nonce: 'x-vigil-edge-nonce',
  digest: 'x-vigil-edge-content-sha256',
  signature: 'x-vigil-edge-signature',
} as const;

/** How far a request's timestamp may be from the server's clock. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export function contentDigest(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function signingString(method: string, pathAndQuery: string, timestamp: string, nonce: string, digest: string): string {
  return ['vigil-edge-v1', method.toUpperCase(), pathAndQuery, timestamp, nonce, digest].join('\n');
}

/** A key's stable id: base64url of the first 16 bytes of SHA-256 over its SPKI encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest().subarray(0, 16).toString('base64url');
}

/** Parses a PEM public key; null when it is not an Ed25519 public key. */
export function parseEdgePublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function signRequest(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

export function verifyRequest(publicKey: KeyObject, text: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && verify(null, Buffer.from(text, 'utf8'), publicKey, bytes);
}

const closed = { additionalProperties: false } as const;
const Ref = Type.String({ minLength: 1, maxLength: 128 });
const NullableRef = Type.Union([Ref, Type.Null()]);

export const EdgeEventSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.String({ maxLength: 64 }),
    at: Type.String({ format: 'date-time' }),
    site: Type.String({ format: 'uuid' }),
    source: Type.String({ maxLength: 128 }),
    subject: NullableRef,
    zone: NullableRef,
    door: NullableRef,
    correlationId: NullableRef,
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  closed,
);
export type EdgeEvent = Static<typeof EdgeEventSchema>;

export const EventBatchSchema = Type.Object({ events: Type.Array(EdgeEventSchema, { minItems: 1, maxItems: 500 }) }, closed);
export const EventAckSchema = Type.Object(
  { acknowledged: Type.Array(Type.String(), { description: 'Ids now stored on the server, duplicates included.' }) },
  closed,
);

export const DoorModeSchema = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('locked'),
  Type.Literal('unlocked'),
  Type.Literal('card_only'),
  Type.Literal('card_and_pin'),
  Type.Literal('first_person_in'),
  Type.Literal('lockdown'),
  Type.Literal('fire_egress'),
]);

const ReaderHealth = Type.Object(
  {
    name: Type.String({ maxLength: 64 }),
    address: Type.Integer({ minimum: 0, maximum: 127 }),
    online: Type.Boolean(),
    secure: Type.Boolean(),
    serialNumber: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  },
  closed,
);
export const DoorStateSchema = Type.Object(
  {
    doorId: Ref,
    open: Type.Union([Type.Boolean(), Type.Null()]),
    locked: Type.Boolean(),
    mode: Type.String({ maxLength: 32 }),
    alarm: Type.Union([Type.Literal('forced_open'), Type.Literal('held_open'), Type.Null()]),
  },
  closed,
);
export type DoorStateReport = Static<typeof DoorStateSchema>;

export const HealthReportSchema = Type.Object(
  {
    agentVersion: Type.String({ maxLength: 32 }),
    snapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
    controlsVersion: Type.Integer({ minimum: 0 }),
    alarms: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32, description: 'Active health alarms, e.g. snapshot_rejected.' }),
    readers: Type.Array(ReaderHealth, { maxItems: 256 }),
    doors: Type.Array(DoorStateSchema, { maxItems: 1024 }),
    bufferDepth: Type.Integer({ minimum: 0 }),
    oldestBufferedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    decisionP99Ms: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  },
  closed,
);
export type HealthReport = Static<typeof HealthReportSchema>;

export const DoorScopeSchema = Type.Object(
  {
    siteIds: Type.Optional(Type.Array(Type.String(), { maxItems: 64 })),
    zoneIds: Type.Optional(Type.Array(Type.String(), { maxItems: 1024 })),
    doorIds: Type.Optional(Type.Array(Type.String(), { maxItems: 4096 })),
  },
  closed,
);

/** What the server wants in force now: durable modes, re-sent until the agent reports their version. */
export const ControlsSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 0 }),
    fireEgress: Type.Union([DoorScopeSchema, Type.Null()]),
    lockdown: Type.Union([DoorScopeSchema, Type.Null()]),
    overrides: Type.Array(Type.Object({ doorId: Ref, mode: DoorModeSchema }, closed)),
  },
  closed,
);
export type Controls = Static<typeof ControlsSchema>;

/**
 * An auxiliary output to drive (an elevator hold relay): an OSDP reader's output (`reader` named
 * as the agent's configuration names it), or with `reader` null a point of the controller's own I/O.
 * `pulse` turns it on for `pulseMs`, timed by the hardware where it can be.
 */
export const OutputCommandSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    command: Type.Literal('output'),
    outputId: Ref,
    reader: NullableRef,
    point: Type.Integer({ minimum: 0, maximum: 255 }),
    action: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('pulse')]),
    pulseMs: Type.Union([Type.Integer({ minimum: 100, maximum: 3_600_000 }), Type.Null()]),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  closed,
);
export type OutputCommand = Static<typeof OutputCommandSchema>;

/**
 * Lifts a credential's PIN lockout on this controller before it runs out: the operator satisfied
 * that the card is back with its holder. Each controller keeps its own lockouts, so the server
 * addresses the command to every agent of the site, each on its own.
 */
export const PinLockoutLiftCommandSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    command: Type.Literal('lift_pin_lockout'),
    credentialId: Ref,
    /** The credential's holder, for the journal. */
    personId: NullableRef,
    /** Who asked for it (`operator:<id>`), named in the agent's event. */
    requestedBy: Type.String({ minLength: 1, maxLength: 128 }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  closed,
);
export type PinLockoutLiftCommand = Static<typeof PinLockoutLiftCommandSchema>;

/** A one-off operator command; it expires so a late delivery never unlocks a door (or holds a lift, or lifts a lockout) unasked. */
export const DoorCommandSchema = Type.Union([
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      doorId: Ref,
      command: Type.Union([Type.Literal('unlock'), Type.Literal('lock')]),
      seconds: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
      expiresAt: Type.String({ format: 'date-time' }),
    },
    closed,
  ),
  OutputCommandSchema,
  PinLockoutLiftCommandSchema,
]);
export type DoorCommand = Static<typeof DoorCommandSchema>;

export const HeartbeatResponseSchema = Type.Object(
  {
    serverTime: Type.String({ format: 'date-time' }),
    snapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
    controls: ControlsSchema,
    commands: Type.Array(DoorCommandSchema),
  },
  closed,
);
export type HeartbeatResponse = Static<typeof HeartbeatResponseSchema>;

/** The long poll's answer: pending commands, and the controls (so an emergency mode arrives as fast as a command). */
export const CommandsResponseSchema = Type.Object({ commands: Type.Array(DoorCommandSchema), controls: ControlsSchema }, closed);
export type CommandsResponse = Static<typeof CommandsResponseSchema>;

export const SnapshotResponseSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    compiledAt: Type.String({ format: 'date-time' }),
    snapshot: Type.String({ description: 'The signed snapshot envelope, base64 (PINs in it only as their scrypt hashes).' }),
  },
  closed,
);
export type SnapshotResponse = Static<typeof SnapshotResponseSchema>;

/**
 * The agent's configuration file: one JSON document validated against this schema (unknown keys
 * rejected), with defaults filled in. It says where the server is, which readers sit on which
 * bus, and how each door is wired; the access policy itself comes from the server's snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { agentError } from './errors.js';

const closed = { additionalProperties: false } as const;
const HexKey = Type.String({ pattern: '^[0-9a-fA-F]{32}$', description: '16-byte AES key, hex.' });

const TcpBus = Type.Object(
  { kind: Type.Literal('tcp'), host: Type.String({ minLength: 1 }), port: Type.Integer({ minimum: 1, maximum: 65535 }) },
  closed,
);
const SerialBus = Type.Object(
  { kind: Type.Literal('serial'), path: Type.String({ minLength: 1 }), baudRate: Type.Integer({ default: 9600 }) },
  closed,
);

export const BusSchema = Type.Union([TcpBus, SerialBus]);
export const BUS_NAME = '^[A-Za-z0-9_-]{1,32}$';

const ReaderSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'Name the doors refer to, e.g. "icu-east-in".' }),
    bus: BusSchema,
    address: Type.Integer({ minimum: 0, maximum: 126 }),
    readerNumber: Type.Integer({ minimum: 0, maximum: 255, default: 0, description: 'Reader number on the PD (for LED, buzzer, text).' }),
    serialNumber: Type.Optional(Type.String({ maxLength: 64, description: 'The serial the reader is registered under on the server.' })),
    secure: Type.Optional(
      Type.Object(
        {
          scbk: Type.Optional(HexKey),
          masterKey: Type.Optional(HexKey),
          installMode: Type.Boolean({ default: false }),
          required: Type.Boolean({ default: true }),
        },
        closed,
      ),
    ),
  },
  closed,
);

/** An input or output point: on the simulated (or, later, GPIO) backend, or on an OSDP PD. */
const PointSchema = Type.Union([
  Type.Object({ kind: Type.Literal('simulated'), point: Type.Integer({ minimum: 0 }) }, closed),
  Type.Object({ kind: Type.Literal('osdp'), reader: Type.String({ minLength: 1 }), point: Type.Integer({ minimum: 0 }) }, closed),
]);

const DoorSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128, description: 'The door id on the server.' }),
    entryReader: Type.Optional(Type.String()),
    exitReader: Type.Optional(Type.String()),
    lock: PointSchema,
    doorPosition: Type.Optional(PointSchema),
    requestToExit: Type.Optional(PointSchema),
    /** Fallback when the snapshot does not know the door yet. */
    unlockSeconds: Type.Number({ minimum: 0.1, maximum: 300, default: 5 }),
    heldOpenSeconds: Type.Number({ minimum: 0.1, maximum: 3600, default: 30 }),
    egress: Type.Boolean({ default: false, description: 'A fire-egress door: unlocked while fire egress is active.' }),
  },
  closed,
);

export const AgentConfigSchema = Type.Object(
  {
    siteId: Type.String({ minLength: 1, description: 'The site this agent serves.' }),
    dataDir: Type.String({ minLength: 1, description: 'Key, event buffer and snapshot; relative to the config file.' }),
    server: Type.Object(
      {
        url: Type.String({ pattern: '^https?://' }),
        snapshotPublicKey: Type.String({ minLength: 1, description: 'PEM of the server’s snapshot signing key, or a path to it.' }),
        heartbeatSeconds: Type.Number({ minimum: 0.05, default: 5 }),
        commandWaitSeconds: Type.Integer({ minimum: 0, maximum: 60, default: 25 }),
        retryMaxSeconds: Type.Number({ minimum: 0.05, default: 30 }),
        requestTimeoutSeconds: Type.Number({ minimum: 1, default: 30 }),
        deliveryBatch: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
      },
      closed,
    ),
    osdp: Type.Object(
      {
        pollIntervalMs: Type.Integer({ minimum: 0, default: 50 }),
        replyTimeoutMs: Type.Integer({ minimum: 10, default: 200 }),
        offlineRetryMs: Type.Integer({ minimum: 10, default: 1000 }),
      },
      { ...closed, default: {} },
    ),
    pinEntry: Type.Object(
      {
        timeoutSeconds: Type.Number({ minimum: 1, default: 10 }),
        maxDigits: Type.Integer({ minimum: 4, maximum: 12, default: 12 }),
        lockout: Type.Object(
          {
            attempts: Type.Integer({ minimum: 1, maximum: 20, default: 3, description: 'Wrong PINs for one credential that lock it out.' }),
            windowSeconds: Type.Number({ minimum: 1, default: 300, description: 'Within this time of each other.' }),
            lockoutSeconds: Type.Number({ minimum: 1, default: 900, description: 'How long its PIN attempts are then refused.' }),
          },
          { ...closed, default: {} },
        ),
      },
      { ...closed, default: {} },
    ),
    readers: Type.Array(ReaderSchema, { default: [] }),
    doors: Type.Array(DoorSchema, { default: [] }),
    /** The box's OSDP buses by the names the facility's doors use (`osdpBus`). */
    buses: Type.Array(Type.Object({ name: Type.String({ pattern: BUS_NAME }), bus: BusSchema }, closed), { default: [] }),
    /** Where the facility's lock output and input numbers are: this box's own I/O, or an OSDP I/O module. */
    io: Type.Union(
      [
        Type.Object({ kind: Type.Literal('simulated') }, closed),
        Type.Object(
          { kind: Type.Literal('osdp'), bus: Type.String({ pattern: BUS_NAME }), address: Type.Integer({ minimum: 0, maximum: 126 }) },
          closed,
        ),
      ],
      { default: { kind: 'simulated' } },
    ),
    wiring: Type.Optional(
      Type.Object(
        {
          controllerSerial: Type.String({
            minLength: 1,
            maxLength: 64,
            description: 'Serial number this box is registered under in the facility; doors whose controller it is are wired from there.',
          }),
          pollSeconds: Type.Number({ minimum: 0.05, default: 30, description: 'How often the server is asked for wiring changes.' }),
        },
        closed,
      ),
    ),
  },
  closed,
);

export type AgentConfig = Static<typeof AgentConfigSchema>;
export type ReaderConfig = AgentConfig['readers'][number];
export type DoorConfig = AgentConfig['doors'][number];
export type PointConfig = DoorConfig['lock'];
export type BusConfig = ReaderConfig['bus'];

const validator = Compile(AgentConfigSchema);

/** Fills defaults and validates; throws `agent.config_invalid` naming each failing path. */
export function parseAgentConfig(input: unknown, baseDir = process.cwd()): AgentConfig {
  const withDefaults = Value.Default(AgentConfigSchema, structuredClone(input));
  if (!validator.Check(withDefaults)) {
    const errors = [...validator.Errors(withDefaults)].slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw agentError('agent.config_invalid', `The agent configuration is invalid: ${errors.join('; ')}`, { errors });
  }
  const config = withDefaults;
  checkReferences(config);
  const busNames = config.buses.map((b) => b.name);
  const twice = busNames.find((name, i) => busNames.indexOf(name) !== i);
  if (twice !== undefined) throw agentError('agent.config_invalid', `Bus ${twice} is configured twice`);
  const key = config.server.snapshotPublicKey;
  const snapshotPublicKey = key.includes('BEGIN PUBLIC KEY') ? key : fs.readFileSync(path.resolve(baseDir, key), 'utf8');
  return { ...config, dataDir: path.resolve(baseDir, config.dataDir), server: { ...config.server, snapshotPublicKey } };
}

export function loadAgentConfig(file: string): AgentConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw agentError('agent.config_invalid', `Cannot read ${file}: ${(e as Error).message}`, { file });
  }
  return parseAgentConfig(parsed, path.dirname(path.resolve(file)));
}

/** Checks reader names, addresses and door references of a configuration (local, or with the facility's wiring merged in). */
export function checkReferences(config: Pick<AgentConfig, 'readers' | 'doors'>): void {
  const readers = new Set<string>();
  const addresses = new Set<string>();
  for (const reader of config.readers) {
    if (readers.has(reader.name)) throw agentError('agent.config_invalid', `Reader ${reader.name} is configured twice`);
    readers.add(reader.name);
    const bus = reader.bus.kind === 'tcp' ? `${reader.bus.host}:${reader.bus.port}` : reader.bus.path;
    if (addresses.has(`${bus}#${reader.address}`)) {
      throw agentError('agent.config_invalid', `Two readers share address ${reader.address} on bus ${bus}`);
    }
    addresses.add(`${bus}#${reader.address}`);
  }
  const used = new Set<string>();
  const doors = new Set<string>();
  for (const door of config.doors) {
    if (doors.has(door.id)) throw agentError('agent.config_invalid', `Door ${door.id} is configured twice`);
    doors.add(door.id);
    for (const name of [door.entryReader, door.exitReader]) {
      if (name === undefined) continue;
      if (!readers.has(name)) throw agentError('agent.config_invalid', `Door ${door.id} names unknown reader ${name}`);
      if (used.has(name)) throw agentError('agent.config_invalid', `Reader ${name} serves two doors`);
      used.add(name);
    }
    for (const point of [door.lock, door.doorPosition, door.requestToExit]) {
      if (point?.kind === 'osdp' && !readers.has(point.reader)) {
        throw agentError('agent.config_invalid', `Door ${door.id} wires a point to unknown reader ${point.reader}`);
      }
    }
  }
}

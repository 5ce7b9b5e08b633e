/**
 * The device mapping file: which topics carry which devices, and how a payload becomes an event.
 * It is configuration, validated by the schema below (unknown keys rejected); see
 * devices.example.json beside this file.
 *
 * A value reference (`Ref`) is one of:
 * - `"/path/to/field"`: an RFC 6901 JSON Pointer into the payload (`""` is the whole payload);
 * - `"{name}"`: a capture from the topic template;
 * - `{ "from": <pointer or capture>, "as": "number" | "integer" | "string" | "boolean" }`: the same,
 *   converted (devices that send `"21.5"` for 21.5);
 * - `{ "value": <string | number | boolean> }`: a constant.
 */
import fs from 'node:fs';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { kernelError } from '../../kernel/errors.js';
import { compileTopic, type TopicTemplate } from './topic.js';

const closed = { additionalProperties: false } as const;

const Path = Type.String({ pattern: '^(|/.*|\\{[a-z][A-Za-z0-9_]*\\})$', description: 'JSON Pointer or {capture}' });
const Ref = Type.Union([
  Path,
  Type.Object(
    {
      from: Path,
      as: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('integer'), Type.Literal('string'), Type.Literal('boolean')])),
    },
    closed,
  ),
  Type.Object({ value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]) }, closed),
]);
const EventType = Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' });

const EventChoice = Type.Union([
  EventType,
  Type.Object(
    {
      /** Where the payload says what happened (`/state`). */
      from: Path,
      /** Payload value → event type (`{"open": "door.contact_opened"}`); `device.reported` marks a heartbeat. */
      cases: Type.Record(Type.String(), EventType),
      /** Values that are neither an event nor an error (a panel's `"test"` state). */
      ignore: Type.Optional(Type.Array(Type.String())),
    },
    closed,
  ),
]);

const Timestamp = Type.Object(
  { from: Path, format: Type.Union([Type.Literal('iso'), Type.Literal('epoch_s'), Type.Literal('epoch_ms')]) },
  closed,
);

const Mapping = Type.Object(
  {
    name: Type.Optional(Type.String()),
    /** Topic template: `sites/{site}/devices/{serial}/state` (see topic.ts). */
    topic: Type.String({ minLength: 1 }),
    /** Device kind (`door_contact`, `panic_button`, `fridge`...), recorded in health events. */
    kind: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 50 }),
    payload: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text')])),
    /** Device serial; default the `{serial}` capture. */
    serial: Type.Optional(Ref),
    event: EventChoice,
    /** Event data field → value. */
    data: Type.Optional(Type.Record(Type.String(), Ref)),
    /** Battery percentage, when the device reports one. */
    battery: Type.Optional(Ref),
    /** Device time of the fact; when absent from the payload, the time the message arrived. */
    at: Type.Optional(Timestamp),
    /**
     * The device's own id for this message (a counter or UUID). With it, a message delivered twice
     * is journaled once: the event id is derived from serial and this value.
     */
    eventId: Type.Optional(Ref),
    envelope: Type.Optional(
      Type.Object({ site: Type.Optional(Ref), zone: Type.Optional(Ref), door: Type.Optional(Ref), subject: Type.Optional(Ref) }, closed),
    ),
    /** Devices on this topic are declared offline after this long without a message. */
    supervisionSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  closed,
);

const Device = Type.Object(
  {
    serial: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 50 })),
    site: Type.Optional(Type.String()),
    zone: Type.Optional(Type.String()),
    door: Type.Optional(Type.String()),
    /** Supervised from start: silent this long after start (or after its last message) means offline. */
    supervisionSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  closed,
);

export const DeviceMappingSchema = Type.Object(
  {
    mappings: Type.Array(Mapping, { minItems: 1 }),
    devices: Type.Optional(Type.Array(Device)),
    /** `reject`: messages from serials not listed in `devices` are dropped and counted. */
    unknownDevices: Type.Optional(Type.Union([Type.Literal('accept'), Type.Literal('reject')])),
    /** At most one `device.payload_rejected` per device per this many seconds (default 60). */
    payloadRejectWindowSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Most devices tracked; beyond it new serials are dropped and counted (default 10,000). */
    maxDevices: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  closed,
);

export type DeviceMappingFile = Static<typeof DeviceMappingSchema>;
export type MappingEntry = Static<typeof Mapping>;
export type DeviceEntry = Static<typeof Device>;
export type ValueRef = Static<typeof Ref>;

export interface CompiledMapping {
  readonly entry: MappingEntry;
  readonly topic: TopicTemplate;
}

export interface DeviceMapping {
  readonly file: DeviceMappingFile;
  readonly mappings: readonly CompiledMapping[];
  /** Subscription filters (one per distinct template). */
  readonly filters: readonly string[];
  match(topic: string): { mapping: CompiledMapping; captures: Record<string, string> } | null;
}

const validator = Compile(DeviceMappingSchema);

/** Validates and compiles a parsed mapping; throws `config.invalid` naming each problem. */
export function compileDeviceMapping(input: unknown, origin = 'device mapping'): DeviceMapping {
  if (!validator.Check(input)) {
    const problems = [...validator.Errors(input)].slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw kernelError('config.invalid', `${origin}: ${problems.join('; ')}`, { problems });
  }
  const file = input;
  const problems: string[] = [];
  const mappings: CompiledMapping[] = [];
  file.mappings.forEach((entry, i) => {
    try {
      const topic = compileTopic(entry.topic);
      if (!entry.serial && !topic.captures.includes('serial')) problems.push(`/mappings/${i}: no {serial} capture and no serial reference`);
      for (const name of referencedCaptures(entry)) {
        if (!topic.captures.includes(name)) problems.push(`/mappings/${i}: {${name}} is not captured by ${entry.topic}`);
      }
      mappings.push({ entry, topic });
    } catch (e) {
      problems.push(`/mappings/${i}/topic: ${(e as Error).message}`);
    }
  });
  const serials = new Set<string>();
  for (const device of file.devices ?? []) {
    if (serials.has(device.serial)) problems.push(`/devices: serial ${device.serial} listed twice`);
    serials.add(device.serial);
  }
  if (problems.length > 0) throw kernelError('config.invalid', `${origin}: ${problems.join('; ')}`, { problems });
  return {
    file,
    mappings,
    filters: [...new Set(mappings.map((m) => m.topic.filter))],
    match(topic) {
      for (const mapping of mappings) {
        const captures = mapping.topic.match(topic);
        if (captures) return { mapping, captures };
      }
      return null;
    },
  };
}

export function loadDeviceMapping(file: string): DeviceMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw kernelError('config.invalid', `Cannot read the MQTT device mapping ${file}: ${(e as Error).message}`, { file });
  }
  return compileDeviceMapping(parsed, file);
}

function referencedCaptures(entry: MappingEntry): string[] {
  const refs: (ValueRef | undefined)[] = [
    entry.serial,
    entry.battery,
    entry.eventId,
    ...Object.values(entry.data ?? {}),
    ...Object.values(entry.envelope ?? {}),
  ];
  if (typeof entry.event !== 'string') refs.push(entry.event.from);
  if (entry.at) refs.push(entry.at.from);
  return refs.flatMap((ref) => {
    const path = typeof ref === 'string' ? ref : ref && 'from' in ref ? ref.from : undefined;
    const m = path ? /^\{(.+)\}$/.exec(path) : null;
    return m ? [m[1]!] : [];
  });
}

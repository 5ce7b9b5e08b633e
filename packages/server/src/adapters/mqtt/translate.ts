/**
 * Turns one MQTT message into what it says, following its mapping entry. Pure: no I/O, no clock
 * (the arrival time is passed in), so every mapping rule is testable with recorded payloads.
 */
import { createHash } from 'node:crypto';
import type { DeviceEntry, MappingEntry, ValueRef } from './mapping.js';

export interface Envelope {
  site: string | null;
  zone: string | null;
  door: string | null;
  subject: string | null;
}

export type Translation =
  | {
      readonly ok: true;
      readonly serial: string;
      /** `event`: a fact to journal; `heartbeat`: liveness and health only; `ignored`: a listed no-op value. */
      readonly kind: 'event' | 'heartbeat' | 'ignored';
      readonly type: string | null;
      readonly data: Record<string, unknown>;
      readonly at: Date;
      /** Derived from the device's own message id, when the mapping names one. */
      readonly id: string | undefined;
      readonly battery: number | undefined;
      readonly envelope: Envelope;
    }
  | { readonly ok: false; readonly serial: string | null; readonly reason: string };

export const HEARTBEAT_TYPE = 'device.reported';

class Rejected extends Error {}

export function translate(
  entry: MappingEntry,
  captures: Readonly<Record<string, string>>,
  payload: Uint8Array,
  receivedAt: Date,
  devices: ReadonlyMap<string, DeviceEntry>,
): Translation {
  let serial: string | null = captures['serial'] ?? null;
  try {
    const document = parsePayload(entry, payload);
    const read = (ref: ValueRef): unknown => resolve(ref, document, captures);
    if (entry.serial) serial = asText(read(entry.serial), 'serial');
    if (!serial) throw new Rejected('no device serial');

    let kind: 'event' | 'heartbeat' | 'ignored' = 'event';
    let type: string | null;
    if (typeof entry.event === 'string') {
      type = entry.event;
    } else {
      const value = read(entry.event.from);
      const key = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
      if (key !== null && entry.event.ignore?.includes(key)) {
        kind = 'ignored';
        type = null;
      } else {
        const cases = entry.event.cases;
        const mapped = key !== null && Object.hasOwn(cases, key) ? cases[key] : undefined;
        if (mapped === undefined) throw new Rejected(`${entry.event.from} value ${JSON.stringify(value)} maps to no event`);
        type = mapped;
      }
    }
    if (type === HEARTBEAT_TYPE) kind = 'heartbeat';

    const data: Record<string, unknown> = {};
    for (const [field, ref] of Object.entries(entry.data ?? {})) {
      const value = read(ref);
      if (value !== undefined) data[field] = value;
    }

    let battery: number | undefined;
    if (entry.battery) {
      const value = read(entry.battery);
      if (value !== undefined && value !== null) {
        battery = toNumber(value, 'battery');
        if (battery < 0 || battery > 100) throw new Rejected(`battery ${battery} is not a percentage`);
      }
    }

    const claimed = entry.at ? read(entry.at.from) : undefined;
    const at = entry.at && claimed !== undefined && claimed !== null ? instant(claimed, entry.at.format) : receivedAt;
    let id: string | undefined;
    if (entry.eventId) {
      const value = read(entry.eventId);
      if (value !== undefined && value !== null) id = derivedEventId(serial, asText(value, 'event id'));
    }

    const device = devices.get(serial);
    const field = (name: keyof Envelope): string | null => {
      const ref = entry.envelope?.[name];
      if (ref) return nullableText(read(ref), name);
      if (name !== 'subject' && device?.[name]) return device[name];
      return captures[name] ?? null;
    };
    const envelope: Envelope = { site: field('site'), zone: field('zone'), door: field('door'), subject: field('subject') };
    return { ok: true, serial, kind, type, data, at, id, battery, envelope };
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, serial, reason: e.message };
    throw e;
  }
}

/**
 * A stable event id for a device's message id: a name-based UUID (version 8, RFC 9562) of serial
 * and message id, so a redelivered message maps to the id already journaled.
 */
export function derivedEventId(serial: string, deviceMessageId: string): string {
  const hash = createHash('sha256').update(`vigil/mqtt/${serial}/${deviceMessageId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function parsePayload(entry: MappingEntry, payload: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    throw new Rejected('payload is not UTF-8 text');
  }
  if (entry.payload === 'text') return text.trim();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Rejected('payload is not JSON');
  }
}

function resolve(ref: ValueRef, document: unknown, captures: Readonly<Record<string, string>>): unknown {
  if (typeof ref === 'object' && 'value' in ref) return ref.value;
  const path = typeof ref === 'string' ? ref : ref.from;
  const capture = /^\{(.+)\}$/.exec(path);
  const raw = capture ? captures[capture[1]!] : pointer(document, path);
  if (typeof ref === 'string' || !ref.as || raw === undefined || raw === null) return raw;
  switch (ref.as) {
    case 'number':
      return toNumber(raw, path);
    case 'integer': {
      const n = toNumber(raw, path);
      if (!Number.isInteger(n)) throw new Rejected(`${path} is not an integer`);
      return n;
    }
    case 'string':
      return asText(raw, path);
    case 'boolean':
      if (raw === true || raw === 'true' || raw === 1 || raw === '1') return true;
      if (raw === false || raw === 'false' || raw === 0 || raw === '0') return false;
      throw new Rejected(`${path} is not a boolean`);
  }
}

/** RFC 6901 evaluation; undefined when the path does not exist. */
function pointer(document: unknown, path: string): unknown {
  if (path === '') return document;
  let node = document;
  for (const token of path.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(key)) node = node[Number(key)] as unknown;
    else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, key))
      node = (node as Record<string, unknown>)[key];
    else return undefined;
  }
  return node;
}

function toNumber(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Rejected(`${what} is not a number`);
  return n;
}

function asText(value: unknown, what: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Rejected(`${what} is missing or not text`);
}

function nullableText(value: unknown, what: string): string | null {
  return value === undefined || value === null ? null : asText(value, what);
}

function instant(value: unknown, format: 'iso' | 'epoch_s' | 'epoch_ms'): Date {
  const ms =
    format === 'iso'
      ? typeof value === 'string'
        ? Date.parse(value)
        : NaN
      : toNumber(value, 'timestamp') * (format === 'epoch_s' ? 1000 : 1);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new Rejected(`timestamp ${JSON.stringify(value)} is not a ${format} instant`);
  return date;
}

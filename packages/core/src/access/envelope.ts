/**
 * The signed, versioned snapshot as bytes: the tables as JSON (typed arrays as little-endian
 * base64), wrapped in a small binary envelope and signed with the server's Ed25519 key.
 *
 *   "VGAS" | envelope version (1 byte) | payload length (uint32 BE) | payload | Ed25519 signature (64)
 *
 * The signature covers everything before it, so a flipped bit anywhere is refused; the policy
 * version inside lets a controller refuse a replayed older snapshot.
 */
import { KeyObject, createPrivateKey, createPublicKey, sign, verify, type KeyLike } from 'node:crypto';
import { endianness } from 'node:os';
import { accessError } from './errors.js';
import { buildLookups } from './lookups.js';
import { SNAPSHOT_FORMAT_VERSION, type AccessSnapshot, type SnapshotTables } from './snapshot.js';

const MAGIC = Buffer.from('VGAS', 'ascii');
const ENVELOPE_VERSION = 1;
const HEADER_BYTES = 9;
const SIGNATURE_BYTES = 64;

const TYPED_ARRAYS = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float64Array } as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
const TABLE_KEYS: readonly (keyof SnapshotTables)[] = [
  'formatVersion',
  'version',
  'compiledAt',
  'secondFactorLevel',
  'twoPersonWindowMs',
  'escortWindowMs',
  'holidayTypes',
  'competencyTypes',
  'siteIds',
  'calendars',
  'scheduleIds',
  'schedules',
  'interlockGroupIds',
  'zones',
  'doors',
  'persons',
  'credentials',
  'pins',
  'groups',
];

function assertLittleEndian(): void {
  // Typed arrays are written in platform byte order; every supported controller is little-endian.
  if (endianness() !== 'LE') throw accessError('access.snapshot_unsupported_format', 'Snapshots are read on little-endian platforms only');
}

function encodeTables(snapshot: SnapshotTables): Buffer {
  const tables = Object.fromEntries(TABLE_KEYS.map((key) => [key, snapshot[key]]));
  const json = JSON.stringify(tables, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      return { $typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    }
    return value;
  });
  return Buffer.from(json, 'utf8');
}

function decodeTables(payload: Buffer): SnapshotTables {
  return JSON.parse(payload.toString('utf8'), (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && '$typed' in value && 'base64' in value) {
      const { $typed, base64 } = value as { $typed: string; base64: string };
      const Type = TYPED_ARRAYS[$typed as TypedArrayName] as (typeof TYPED_ARRAYS)[TypedArrayName] | undefined;
      if (!Type || typeof base64 !== 'string') throw accessError('access.snapshot_malformed', `Unknown array type ${$typed}`);
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0)
        throw accessError('access.snapshot_malformed', `A ${$typed} has a partial element`);
      const copy = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(copy).set(bytes);
      return new Type(copy);
    }
    return value;
  }) as SnapshotTables;
}

/** Serialises and signs a compiled snapshot with the server's Ed25519 private key. */
export function signSnapshot(snapshot: AccessSnapshot, privateKey: KeyLike): Buffer {
  assertLittleEndian();
  const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
  if (key.asymmetricKeyType !== 'ed25519') throw accessError('access.invalid_policy', 'Snapshots are signed with an Ed25519 key');
  const payload = encodeTables(snapshot);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(ENVELOPE_VERSION, 4);
  header.writeUInt32BE(payload.length, 5);
  const signed = Buffer.concat([header, payload]);
  return Buffer.concat([signed, sign(null, signed, key)]);
}

export interface LoadSnapshotOptions {
  /** The server's Ed25519 public key. */
  readonly publicKey: KeyLike;
  /** The version the controller runs now; an older snapshot is refused. */
  readonly currentVersion?: number;
}

/** Verifies and loads a snapshot; throws `access.snapshot_*` errors for anything it cannot trust. */
export function loadSnapshot(bytes: Uint8Array, options: LoadSnapshotOptions): AccessSnapshot {
  assertLittleEndian();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_BYTES + SIGNATURE_BYTES || !buffer.subarray(0, 4).equals(MAGIC)) {
    throw accessError('access.snapshot_malformed', 'The bytes are not a Vigil access snapshot');
  }
  if (buffer.readUInt8(4) !== ENVELOPE_VERSION) {
    throw accessError('access.snapshot_unsupported_format', `Snapshot envelope version ${buffer.readUInt8(4)} is not supported`);
  }
  const payloadLength = buffer.readUInt32BE(5);
  if (buffer.length !== HEADER_BYTES + payloadLength + SIGNATURE_BYTES) {
    throw accessError('access.snapshot_malformed', 'The snapshot length does not match its header (truncated or padded)');
  }
  const signed = buffer.subarray(0, HEADER_BYTES + payloadLength);
  const signature = buffer.subarray(HEADER_BYTES + payloadLength);
  const publicKey = options.publicKey instanceof KeyObject ? options.publicKey : createPublicKey(options.publicKey);
  if (publicKey.asymmetricKeyType !== 'ed25519' || !verify(null, signed, publicKey, signature)) {
    throw accessError('access.snapshot_signature_invalid', 'The snapshot signature does not verify');
  }
  let tables: SnapshotTables;
  try {
    tables = decodeTables(signed.subarray(HEADER_BYTES));
  } catch (error) {
    if (error instanceof SyntaxError) throw accessError('access.snapshot_malformed', 'The snapshot payload is not valid JSON');
    throw error;
  }
  if (tables.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw accessError('access.snapshot_unsupported_format', `Snapshot format ${String(tables.formatVersion)} is not supported`);
  }
  if (options.currentVersion !== undefined && tables.version < options.currentVersion) {
    throw accessError(
      'access.snapshot_rollback',
      `Snapshot version ${tables.version} is older than the running ${options.currentVersion}`,
      {
        version: tables.version,
        currentVersion: options.currentVersion,
      },
    );
  }
  checkShape(tables);
  return buildLookups(tables);
}

function checkShape(t: SnapshotTables): void {
  const fail = (what: string) => accessError('access.snapshot_malformed', `Snapshot table ${what} is missing or inconsistent`);
  const counts: [string, unknown, number][] = [];
  const rows = (name: string, table: Record<string, unknown> & { ids: readonly string[] }, perRow: readonly string[]) => {
    if (!Array.isArray(table.ids)) throw fail(`${name}.ids`);
    for (const key of perRow) counts.push([`${name}.${key}`, table[key], table.ids.length]);
  };
  if (!t.zones || !t.doors || !t.persons || !t.credentials || !t.pins || !t.groups) throw fail('sections');
  rows('zones', { ...t.zones }, [
    'site',
    'securityLevel',
    'secondFactor',
    'antiPassback',
    'passbackForgiveMs',
    'occupancyLimit',
    'twoPerson',
  ]);
  rows('doors', { ...t.doors }, ['site', 'fromZone', 'toZone', 'mode', 'schedule', 'interlock', 'releaseMs']);
  rows('persons', { ...t.persons }, ['status', 'validFrom', 'validUntil', 'flags', 'pin']);
  rows('credentials', { ...t.credentials }, ['person', 'status', 'validFrom', 'validUntil', 'bitCount', 'bits', 'issuedAt']);
  rows('pins', { ...t.pins }, ['validFrom', 'validUntil']);
  counts.push(['persons.groupStart', t.persons.groupStart, t.persons.ids.length + 1]);
  counts.push(['groups.doorStart', t.groups.doorStart, t.groups.ids.length + 1]);
  counts.push(['zones.competencyStart', t.zones.competencyStart, t.zones.ids.length + 1]);
  counts.push(['persons.competencyStart', t.persons.competencyStart, t.persons.ids.length + 1]);
  for (const [what, array, length] of counts) {
    if (!ArrayBuffer.isView(array) || (array as unknown as { length: number }).length !== length) throw fail(what);
  }
  if (t.calendars.length !== t.siteIds.length || t.schedules.length !== t.scheduleIds.length) throw fail('calendars or schedules');
  if (!Array.isArray(t.pins.hashes) || t.pins.hashes.length !== t.pins.ids.length) throw fail('pins.hashes');
  const pins = t.pins.ids.length;
  if (t.persons.pin.some((pin) => pin < -1 || pin >= pins)) throw fail('persons.pin');
}

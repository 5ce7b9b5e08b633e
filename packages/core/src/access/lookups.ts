/**
 * The lookup structures a controller needs beside the snapshot tables: door by id, credential by
 * card bits, and the fields one decision reads laid out together. They are rebuilt from the
 * tables on load rather than shipped, which keeps the signed payload small and makes it
 * impossible for the lookups and the tables to disagree.
 *
 * Why this layout: at health-system scale (100k cards, 20k doors) the tables do not fit in cache,
 * so a decision costs what it touches. With one typed array per attribute a decision touched about
 * twenty cache lines; here the card, its credential and its holder (with their first groups)
 * share one slot, and a door's attributes and the grants that let groups pass it share one record.
 * The signed format is untouched: a controller builds all this in well under a second on load.
 *
 * Cards are found through an open-addressing hash table over typed arrays: card bits of 34 to 48
 * bits are not small integers, and a Map keyed by them hashes boxed numbers; this table does one
 * multiply-xor hash and a short probe over flat memory.
 */
import { LocalClock } from '../schedule/schedule.js';
import { accessError } from './errors.js';
import {
  CARD_CREDENTIAL,
  CARD_CREDENTIAL_STATE,
  CARD_GROUPS,
  CARD_INLINE_GROUPS,
  CARD_PERSON,
  CARD_PERSON_STATE,
  CARD_SLOT,
  DOOR_FROM_ZONE,
  DOOR_GRANT_END,
  DOOR_GRANT_START,
  DOOR_GRANTS,
  DOOR_INLINE_GRANTS,
  DOOR_INTERLOCK,
  DOOR_MODE,
  DOOR_SCHEDULE,
  DOOR_SITE,
  DOOR_STRIDE,
  DOOR_TO_ZONE,
  GROUP_COUNT_OVERFLOW,
  RECORD_BOUNDED,
  type AccessSnapshot,
  type CardTable,
  type SnapshotTables,
} from './snapshot.js';

const TWO_32 = 4294967296;

function slotOf(bits: number, bitCount: number, mask: number): number {
  // `>>> 0` keeps the low 32 bits; the division gives the (at most 21) high bits.
  let h = Math.imul((bits >>> 0) ^ Math.imul((bits / TWO_32) | 0, 0x85ebca6b) ^ (bitCount << 24), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}

/** The card table slot of a card, or -1. */
export function findCardSlot(table: CardTable, bits: number, bitCount: number): number {
  const { f64, i32, mask } = table;
  for (let i = slotOf(bits, bitCount, mask); ; i = (i + 1) & mask) {
    const base = i * CARD_SLOT;
    if (i32[base + CARD_CREDENTIAL] === -1) return -1;
    if (f64[i * 4] === bits && i32[base + CARD_CREDENTIAL_STATE]! >>> 8 === bitCount) return i;
  }
}

function bounded(from: number, until: number): number {
  return from === -Infinity && until === Infinity ? 0 : RECORD_BOUNDED;
}

/** Fills a slot with the credential and what a decision reads of its holder. */
function fillSlot(table: CardTable, slot: number, tables: SnapshotTables, credential: number): void {
  const c = tables.credentials;
  const p = tables.persons;
  const person = c.person[credential]!;
  const base = slot * CARD_SLOT;
  const groupStart = p.groupStart[person]!;
  const groupCount = p.groupStart[person + 1]! - groupStart;
  table.i32[base + CARD_CREDENTIAL] = credential;
  table.i32[base + CARD_PERSON] = person;
  const credentialState = c.status[credential]! | bounded(c.validFrom[credential]!, c.validUntil[credential]!);
  table.i32[base + CARD_CREDENTIAL_STATE] = credentialState | (c.bitCount[credential]! << 8);
  const personState = p.status[person]! | bounded(p.validFrom[person]!, p.validUntil[person]!) | (p.flags[person]! << 8);
  table.i32[base + CARD_PERSON_STATE] = personState | (Math.min(groupCount, GROUP_COUNT_OVERFLOW) << 16);
  if (groupCount <= CARD_INLINE_GROUPS) {
    for (let k = 0; k < groupCount; k++) table.i32[base + CARD_GROUPS + k] = p.groups[groupStart + k]!;
  } else table.i32[base + CARD_GROUPS] = groupStart;
}

function buildCardTable(tables: SnapshotTables, wideCards: ReadonlyMap<string, number>): CardTable {
  const { bitCount, bits, ids } = tables.credentials;
  let capacity = 16;
  while (capacity < ids.length * 2) capacity *= 2;
  const buffer = new ArrayBuffer(capacity * CARD_SLOT * 4);
  const table: CardTable = { f64: new Float64Array(buffer), i32: new Int32Array(buffer), mask: capacity - 1 };
  for (let i = 0; i < capacity; i++) table.i32[i * CARD_SLOT + CARD_CREDENTIAL] = -1;
  for (let c = 0; c < ids.length; c++) {
    const value = bits[c]!;
    if (Number.isNaN(value)) continue;
    const count = bitCount[c]!;
    let i = slotOf(value, count, table.mask);
    while (table.i32[i * CARD_SLOT + CARD_CREDENTIAL] !== -1) {
      if (table.f64[i * 4] === value && table.i32[i * CARD_SLOT + CARD_CREDENTIAL_STATE]! >>> 8 === count) {
        throw duplicate(ids[c]!, ids[table.i32[i * CARD_SLOT + CARD_CREDENTIAL]!]!);
      }
      i = (i + 1) & table.mask;
    }
    table.f64[i * 4] = value;
    fillSlot(table, i, tables, c);
  }
  // Wide cards take a slot too, keyed NaN (which equals nothing, so no probe stops on them), for
  // their records to be read the same way; `wideCards` maps them to their credential until then.
  for (const [key, credential] of wideCards) {
    let i = slotOf(credential, 0, table.mask);
    while (table.i32[i * CARD_SLOT + CARD_CREDENTIAL] !== -1) i = (i + 1) & table.mask;
    table.f64[i * 4] = Number.NaN;
    fillSlot(table, i, tables, credential);
    (wideCards as Map<string, number>).set(key, i);
  }
  return table;
}

/** Door records, each door's grants inline when they fit or else after all records (see `DOOR_*` in snapshot.ts). */
function buildDoorRecords(tables: SnapshotTables): Int32Array {
  const d = tables.doors;
  const g = tables.groups;
  const doorCount = d.ids.length;
  const perDoor = new Int32Array(doorCount);
  for (let k = 0; k < g.doors.length; k++) perDoor[g.doors[k]!]!++;
  let overflow = doorCount * DOOR_STRIDE;
  const fill = new Int32Array(doorCount);
  for (let door = 0; door < doorCount; door++) {
    const count = perDoor[door]!;
    if (count <= DOOR_INLINE_GRANTS) fill[door] = door * DOOR_STRIDE + DOOR_GRANTS;
    else {
      fill[door] = overflow;
      overflow += count * 2;
    }
  }
  const records = new Int32Array(overflow);
  for (let door = 0; door < doorCount; door++) {
    const base = door * DOOR_STRIDE;
    records[base + DOOR_SITE] = d.site[door]!;
    records[base + DOOR_TO_ZONE] = d.toZone[door]!;
    records[base + DOOR_FROM_ZONE] = d.fromZone[door]!;
    records[base + DOOR_MODE] = d.mode[door]!;
    records[base + DOOR_SCHEDULE] = d.schedule[door]!;
    records[base + DOOR_INTERLOCK] = d.interlock[door]!;
    records[base + DOOR_GRANT_START] = fill[door]!;
    records[base + DOOR_GRANT_END] = fill[door]! + perDoor[door]! * 2;
  }
  // Groups in index order, each group's grants already sorted by (door, schedule): every door's
  // list comes out sorted by (group, schedule) without a sort.
  for (let group = 0; group < g.ids.length; group++) {
    for (let k = g.doorStart[group]!; k < g.doorStart[group + 1]!; k++) {
      const at = fill[g.doors[k]!]!;
      fill[g.doors[k]!] = at + 2;
      records[at] = group;
      records[at + 1] = g.schedules[k]!;
    }
  }
  return records;
}

/**
 * Door id -> door index. A Map compares a request's door id with its key by content whenever the
 * two are different string objects, which they always are on a controller (the snapshot's ids come
 * from its JSON, the request's from the reader wiring): on health-system data that comparison was
 * most of a decision. Property keys of an object are interned, and V8 turns a looked-up string into
 * a reference to its interned copy, so after a door's first lookup the key compares by pointer.
 */
class DoorIndex extends Map<string, number> {
  private readonly byId: Record<string, number> = Object.create(null) as Record<string, number>;

  override set(id: string, index: number): this {
    this.byId[id] = index;
    return super.set(id, index);
  }

  override get(id: string): number | undefined {
    return this.byId[id];
  }

  override has(id: string): boolean {
    return this.byId[id] !== undefined;
  }

  override delete(id: string): boolean {
    delete this.byId[id];
    return super.delete(id);
  }

  override clear(): void {
    for (const id of this.keys()) delete this.byId[id];
    super.clear();
  }
}

export function buildLookups(tables: SnapshotTables): AccessSnapshot {
  const doorIndex = new DoorIndex();
  tables.doors.ids.forEach((id, i) => doorIndex.set(id, i));
  const wideCardIndex = new Map<string, number>();
  const { bitCount, ids } = tables.credentials;
  for (const [i, hex] of tables.credentials.wideCards) {
    const key = `${bitCount[i]}:${hex}`;
    const other = wideCardIndex.get(key);
    if (other !== undefined) throw duplicate(ids[i]!, ids[other]!);
    wideCardIndex.set(key, i);
  }
  const cardTable = buildCardTable(tables, wideCardIndex);
  const clocks = tables.calendars.map((calendar) => new LocalClock(calendar));
  return { ...tables, doorIndex, cardTable, wideCardIndex, doorRecords: buildDoorRecords(tables), clocks };
}

function duplicate(a: string, b: string) {
  return accessError('access.duplicate_card', `Credentials ${b} and ${a} carry the same card bits`, { credentials: [b, a] });
}

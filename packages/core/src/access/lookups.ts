/**
 * The lookup structures a controller needs beside the snapshot tables: door by id and credential
 * by card bits. They are rebuilt from the tables on load rather than shipped, which keeps the
 * signed payload small and makes it impossible for the lookups and the tables to disagree.
 *
 * Cards are found through an open-addressing hash table over typed arrays: card bits of 34 to 48
 * bits are not small integers, and a Map keyed by them hashes boxed numbers; this table does one
 * multiply-xor hash and a short probe over flat memory, at about half the memory of a Map.
 */
import { accessError } from './errors.js';
import type { AccessSnapshot, CardTable, SnapshotTables } from './snapshot.js';

const TWO_32 = 4294967296;

function slotOf(bits: number, bitCount: number, mask: number): number {
  // `>>> 0` keeps the low 32 bits; the division gives the (at most 21) high bits.
  let h = Math.imul((bits >>> 0) ^ Math.imul((bits / TWO_32) | 0, 0x85ebca6b) ^ (bitCount << 24), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}

/** The credential index of a card, or -1. */
export function findCard(table: CardTable, bits: number, bitCount: number): number {
  const { keys, counts, values, mask } = table;
  for (let i = slotOf(bits, bitCount, mask); ; i = (i + 1) & mask) {
    const value = values[i]!;
    if (value === -1) return -1;
    if (keys[i] === bits && counts[i] === bitCount) return value;
  }
}

function buildCardTable(tables: SnapshotTables): CardTable {
  const { bitCount, bits, ids } = tables.credentials;
  let capacity = 16;
  while (capacity < ids.length * 2) capacity *= 2;
  const table: CardTable = {
    keys: new Float64Array(capacity),
    counts: new Uint16Array(capacity),
    values: new Int32Array(capacity).fill(-1),
    mask: capacity - 1,
  };
  for (let c = 0; c < ids.length; c++) {
    const value = bits[c]!;
    if (Number.isNaN(value)) continue;
    const count = bitCount[c]!;
    let i = slotOf(value, count, table.mask);
    while (table.values[i] !== -1) {
      if (table.keys[i] === value && table.counts[i] === count) throw duplicate(ids[c]!, ids[table.values[i]!]!);
      i = (i + 1) & table.mask;
    }
    table.keys[i] = value;
    table.counts[i] = count;
    table.values[i] = c;
  }
  return table;
}

export function buildLookups(tables: SnapshotTables): AccessSnapshot {
  const doorIndex = new Map<string, number>();
  tables.doors.ids.forEach((id, i) => doorIndex.set(id, i));
  const wideCardIndex = new Map<string, number>();
  const { bitCount, ids } = tables.credentials;
  for (const [i, hex] of tables.credentials.wideCards) {
    const key = `${bitCount[i]}:${hex}`;
    const other = wideCardIndex.get(key);
    if (other !== undefined) throw duplicate(ids[i]!, ids[other]!);
    wideCardIndex.set(key, i);
  }
  return { ...tables, doorIndex, cardTable: buildCardTable(tables), wideCardIndex };
}

function duplicate(a: string, b: string) {
  return accessError('access.duplicate_card', `Credentials ${b} and ${a} carry the same card bits`, { credentials: [b, a] });
}

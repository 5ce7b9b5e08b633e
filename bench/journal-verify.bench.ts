/**
 * Full verification of a long journal on SQLite: 1,000,000 events (100,000 with --quick), appended
 * through the journal in batches of 1000 with a signed checkpoint every 1000 events. Reports the
 * verification rate against two baselines measured in the same run: the machine's raw SHA-256
 * rate over exactly the bytes verification hashes (one digest per record, inputs already in
 * memory), and a plain paged read of the same rows (what verification costs beyond reading).
 * Then the live heap during a second verification (collected after every page), which must not
 * depend on the journal's length.
 *
 *   npx tsx bench/journal-verify.bench.ts [--quick]
 */
import { hash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, Type, defineEvent } from '@vigil/core';
import { hashInput } from '../packages/server/src/modules/audit/chain.js';
import { Checkpointer, Journal, loadOrCreateSigningKey, verifyJournal } from '../packages/server/src/modules/audit/index.js';
import { rowToChained } from '../packages/server/src/modules/audit/journal.js';
import { openSqlite, type DatabaseHandle } from '../packages/server/src/storage/database.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';
import type { BenchFigure } from './figure.js';

const doorForced = defineEvent(
  'door.forced_open',
  'A door opened without a grant',
  Type.Object({ reader: Type.String(), durationMs: Type.Integer(), alarm: Type.Boolean() }, { additionalProperties: false }),
);

const SEED_BATCH = 1000;
const PAGE = 5000;
const SHA_RATIO_GOAL = 0.1;
const READ_RATIO_GOAL = 0.5;
const HEAP_GOAL_MB = 64;

/** A full collection on demand (the flag is set at run time, so `npx tsx` needs no extra option). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const catalogue = new EventCatalogue().register(doorForced);
/** As `vigil audit verify` does it: the index of further subjects is checked too (none here, so one query per page). */
const subjectsOf = (type: string) => catalogue.subjectsOf(type);

async function seed(handle: DatabaseHandle, dir: string, events: number) {
  const key = loadOrCreateSigningKey(path.join(dir, 'journal-signing.key'));
  const checkpointer = new Checkpointer({ db: handle.db, key, every: 1000, intervalSeconds: 300 });
  const journal = new Journal({
    catalogue,
    afterAppend: checkpointer.afterAppend,
    dialect: handle.dialect,
  });
  for (let n = 0; n < events; n += SEED_BATCH) {
    const drafts = [];
    for (let i = n; i < Math.min(n + SEED_BATCH, events); i++) {
      drafts.push(
        doorForced.draft(
          { site: `site-${i % 3}`, source: `device:OSDP-${i % 400}`, door: `door-${i % 400}`, zone: `zone-${i % 30}` },
          { reader: `reader-${i % 400}`, durationMs: i % 9000, alarm: i % 7 === 0 },
        ),
      );
    }
    await journal.appendNow(handle.db, drafts);
  }
  return key;
}

/** Time to page through every row the way verification does, without checking anything. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function plainRead(handle: DatabaseHandle): Promise<{ ms: number; records: number }> {
  const t0 = performance.now();
  let records = 0;
  let after = 0;
  for (;;) {
    const rows = await handle.db.selectFrom('journal_events').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) break;
    records += rows.length;
    after = rows[rows.length - 1]!.seq;
  }
  return { ms: performance.now() - t0, records };
}

/** Time to SHA-256 each record's hash input, read and encoded beforehand page by page. */
async function rawSha256(handle: DatabaseHandle): Promise<{ ms: number; records: number; bytes: number }> {
  let ms = 0;
  let records = 0;
  let bytes = 0;
  let after = 0;
  for (;;) {
    const rows = await handle.db.selectFrom('journal_events').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) break;
    const inputs = rows.map((row) => Buffer.from(hashInput(row.prev_hash, rowToChained(row)), 'utf8'));
    const t0 = performance.now();
    for (const input of inputs) hash('sha256', input, 'hex');
    ms += performance.now() - t0;
    records += inputs.length;
    for (const input of inputs) bytes += input.length;
    after = rows[rows.length - 1]!.seq;
  }
  return { ms, records, bytes };
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const events = options.quick ? 100_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-verify-'));
  const handle = openSqlite({ file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(handle.db, { dialect: 'sqlite' });
    const seedStart = performance.now();
    const key = await seed(handle, dir, events);
    console.log(`seeded ${events} events in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    // Three rounds of each, alternating, medians reported: other load on the machine then falls
    // on both sides alike.
    const verifyMs: number[] = [];
    const readMs: number[] = [];
    const shaMs: number[] = [];
    let checkpointsVerified = 0;
    let raw = { ms: 0, records: 0, bytes: 0 };
    for (let round = 0; round < 3; round++) {
      const result = await verifyJournal(handle.db, { publicKeys: [key.publicKey], pageSize: PAGE, checkpointEvery: 1000, subjectsOf });
      if (!result.intact) throw new Error(`benchmark journal failed verification: ${result.problem.message}`);
      if (result.summary.events !== events) throw new Error(`verified ${result.summary.events} of ${events} events`);
      verifyMs.push(result.summary.durationMs);
      checkpointsVerified = result.summary.checkpointsVerified;
      readMs.push((await plainRead(handle)).ms);
      raw = await rawSha256(handle);
      shaMs.push(raw.ms);
    }
    const verifyRate = (events * 1000) / median(verifyMs);
    const readRate = (events * 1000) / median(readMs);
    const rawRate = (events * 1000) / median(shaMs);

    const gc = collector();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    await verifyJournal(handle.db, {
      publicKeys: [key.publicKey],
      pageSize: PAGE,
      checkpointEvery: 1000,
      subjectsOf,
      onProgress: () => {
        gc();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      },
    });

    console.log(
      `verified ${events} events and ${checkpointsVerified} checkpoints in ${(median(verifyMs) / 1000).toFixed(1)} s (median of 3); ` +
        `plain read ${(median(readMs) / 1000).toFixed(1)} s; raw SHA-256 over the same ${(raw.bytes / 1e6).toFixed(0)} MB ${(median(shaMs) / 1000).toFixed(2)} s`,
    );
    const size = `${events / 1000}k events`;
    return [
      {
        name: `journal verify vs raw SHA-256, ${size} (sqlite)`,
        value: Math.round(verifyRate),
        unit: 'events/s',
        baseline: Math.round(rawRate),
        ratio: Number((verifyRate / rawRate).toFixed(3)),
        goal: `>= ${SHA_RATIO_GOAL} (baseline: SHA-256 of the same bytes, one digest per record)`,
      },
      {
        name: `journal verify vs plain read, ${size} (sqlite)`,
        value: Math.round(verifyRate),
        unit: 'events/s',
        baseline: Math.round(readRate),
        ratio: Number((verifyRate / readRate).toFixed(3)),
        goal: `>= ${READ_RATIO_GOAL} (baseline: paging through the same rows)`,
      },
      {
        name: `journal verify live heap, ${size} (sqlite)`,
        value: Number(((heapPeak - heapBefore) / 1e6).toFixed(1)),
        unit: 'MB',
        baseline: null,
        ratio: null,
        goal: `< ${HEAP_GOAL_MB} MB, independent of journal length`,
      },
    ];
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    const against = f.baseline === null ? '' : ` (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio})`;
    console.log(`${f.name}: ${f.value} ${f.unit}${against}, goal ${f.goal}`);
  }
}

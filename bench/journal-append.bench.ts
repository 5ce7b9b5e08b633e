/**
 * Cost of tamper evidence on the write path: appending events through the hash-chained journal
 * (validation, canonical encoding, SHA-256 chain, head update, signed checkpoint every 1000
 * events) against a plain insert of the same rows into an identical table (same columns and
 * indexes, hash columns filled with a constant), both batched 100 events per transaction, on
 * SQLite (WAL, synchronous FULL, as storage/database.ts opens it) and on PostgreSQL when
 * VIGIL_TEST_DATABASE_URL is set (a fresh schema, dropped afterwards).
 *
 *   npx tsx bench/journal-append.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, Type, defineEvent, type EventDraft } from '@vigil/core';
import { sql } from 'kysely';
import { Checkpointer, Journal, loadOrCreateSigningKey } from '../packages/server/src/modules/audit/index.js';
import { openPostgres, openSqlite, type DatabaseHandle } from '../packages/server/src/storage/database.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';
import type { BenchFigure } from './figure.js';
import { createPlainJournalTable, plainRows } from './plain-journal.js';

const BATCH = 100;
const GOAL = 0.7;

const accessGranted = defineEvent(
  'access.granted',
  'A credential was accepted at a door',
  Type.Object(
    {
      credential: Type.String(),
      reader: Type.String(),
      direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
      decisionMicros: Type.Integer(),
    },
    { additionalProperties: false },
  ),
);

function draftBatch(offset: number): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (let i = 0; i < BATCH; i++) {
    const n = offset + i;
    drafts.push(
      accessGranted.draft(
        {
          site: `site-${n % 3}`,
          source: `device:OSDP-${(n % 40).toString().padStart(4, '0')}`,
          subject: `person-${n % 5000}`,
          door: `door-${n % 40}`,
          zone: `zone-${n % 12}`,
        },
        {
          credential: `card:****${(n % 10000).toString().padStart(4, '0')}`,
          reader: `reader-${n % 40}`,
          direction: n % 2 ? 'in' : 'out',
          decisionMicros: 40 + (n % 17),
        },
      ),
    );
  }
  return drafts;
}

async function measure(handle: DatabaseHandle, dir: string, quick: boolean): Promise<{ journal: number; plain: number }> {
  const plainDb = await createPlainJournalTable(handle.db);
  const key = loadOrCreateSigningKey(path.join(dir, 'journal-signing.key'));
  const checkpointer = new Checkpointer({ db: handle.db, key, every: 1000, intervalSeconds: 300 });
  const journal = new Journal({
    catalogue: new EventCatalogue().register(accessGranted),
    afterAppend: checkpointer.afterAppend,
    dialect: handle.dialect,
  });

  const rounds = quick ? 12 : 30;
  const batchesPerRound = quick ? 12 : 30;
  let plainSeq = 1;
  let offset = 0;
  const appendJournal = async () => {
    let ms = 0;
    for (let b = 0; b < batchesPerRound; b++, offset += BATCH) {
      const drafts = draftBatch(offset);
      const t0 = performance.now();
      await journal.appendNow(handle.db, drafts);
      ms += performance.now() - t0;
    }
    return ms;
  };
  const insertPlain = async () => {
    let ms = 0;
    for (let b = 0; b < batchesPerRound; b++, offset += BATCH) {
      const drafts = draftBatch(offset);
      const t0 = performance.now();
      await plainDb.transaction().execute(async (trx) => {
        await trx.insertInto('journal_events_plain').values(plainRows(drafts, plainSeq)).execute();
      });
      plainSeq += BATCH;
      ms += performance.now() - t0;
    }
    return ms;
  };
  // Warm-up (statement paths, JIT); then rounds alternate which side goes first, and the median
  // round of each side is reported, so a burst of load from elsewhere on the machine does not
  // land on one side only.
  await appendJournal();
  await insertPlain();
  const journalMs: number[] = [];
  const plainMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      journalMs.push(await appendJournal());
      plainMs.push(await insertPlain());
    } else {
      plainMs.push(await insertPlain());
      journalMs.push(await appendJournal());
    }
  }
  const events = batchesPerRound * BATCH;
  return { journal: (events * 1000) / median(journalMs), plain: (events * 1000) / median(plainMs) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figure(dialect: string, result: { journal: number; plain: number }): BenchFigure {
  return {
    name: `journal append vs plain insert (${dialect})`,
    value: Math.round(result.journal),
    unit: 'events/s',
    baseline: Math.round(result.plain),
    ratio: Number((result.journal / result.plain).toFixed(3)),
    goal: `>= ${GOAL}`,
  };
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-append-'));
  try {
    const sqlite = openSqlite({ file: path.join(dir, 'bench.db') });
    try {
      await migrateToLatest(sqlite.db, { dialect: 'sqlite' });
      figures.push(figure('sqlite', await measure(sqlite, dir, options.quick)));
    } finally {
      await sqlite.close();
    }

    const url = process.env['VIGIL_TEST_DATABASE_URL'];
    if (url) {
      const schema = `vigil_bench_${process.pid}_${Date.now().toString(36)}`;
      const admin = openPostgres({ url, poolSize: 1 });
      await sql`create schema ${sql.id(schema)}`.execute(admin.db);
      try {
        const pg = openPostgres({ url, schema, poolSize: 2 });
        try {
          await migrateToLatest(pg.db, { dialect: 'postgres', schema });
          figures.push(figure('postgres', await measure(pg, dir, options.quick)));
        } finally {
          await pg.close();
        }
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      }
    } else {
      console.log('journal append (postgres): skipped, set VIGIL_TEST_DATABASE_URL to measure it');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    console.log(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio}, goal ${f.goal})`);
  }
}

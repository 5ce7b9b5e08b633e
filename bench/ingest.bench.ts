/**
 * Sustained durable ingest through the intake: many producers (devices, edge agents) each submit
 * one event at a time and wait for it to be committed, so throughput comes from group commit
 * (validation, hash-chained append, fan-out on the in-process bus). Three ways, interleaved round
 * by round on the same database so drift hits all of them alike:
 *
 * - the intake with no rule listening;
 * - the intake with 1,000 compiled automation rules evaluating every event on the bus, as the rule
 *   runtime does (bench/device-rules.ts; firings are counted, their actions not run);
 * - the baseline: a raw batched insert of the same rows (same columns and indexes, hashes a
 *   constant), `BATCH` rows per transaction — the intake's own largest group.
 *
 * On SQLite (WAL, synchronous FULL), and on PostgreSQL when VIGIL_TEST_DATABASE_URL is set (a
 * fresh schema, dropped afterwards).
 *
 *   npx tsx bench/ingest.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, type EventDraft } from '@vigil/core';
import { sql } from 'kysely';
import {
  doorContactClosed,
  doorContactOpened,
  glassBreakDetected,
  motionDetected,
  mqttDeviceEvents,
} from '../packages/server/src/adapters/mqtt/index.js';
import { InProcessBus } from '../packages/server/src/bus/index.js';
import { Intake } from '../packages/server/src/intake/index.js';
import { createLogger } from '../packages/server/src/kernel/logger.js';
import { Journal } from '../packages/server/src/modules/audit/index.js';
import { RuleEngine } from '../packages/server/src/modules/automation/index.js';
import { openPostgres, openSqlite, type DatabaseHandle } from '../packages/server/src/storage/database.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';
import { deviceRules, type DevicePlace } from './device-rules.js';
import type { BenchFigure } from './figure.js';
import { createPlainJournalTable, plainRows } from './plain-journal.js';

const BATCH = 500;
const PRODUCERS = 500;
const RULES = 1000;
const GOAL = 0.5;

const uuid = (group: number, n: number) => `0190c6a0-0000-7000-800${group}-${n.toString(16).padStart(12, '0')}`;
const PLACE: DevicePlace = {
  sites: Array.from({ length: 3 }, (_, n) => uuid(0, n)),
  zones: Array.from({ length: 40 }, (_, n) => uuid(1, n)),
  doors: Array.from({ length: 400 }, (_, n) => uuid(2, n)),
};
/** The stream's mix: door contacts mostly, some motion, a little glass break. */
const KINDS = [
  doorContactOpened,
  doorContactOpened,
  doorContactOpened,
  doorContactOpened,
  doorContactOpened,
  doorContactClosed,
  doorContactClosed,
  motionDetected,
  motionDetected,
  glassBreakDetected,
];

function draft(n: number): EventDraft {
  return KINDS[n % KINDS.length]!.draft(
    {
      site: PLACE.sites[n % 3]!,
      source: `device:DC-${(n % 2000).toString().padStart(5, '0')}`,
      door: PLACE.doors[n % 400]!,
      zone: PLACE.zones[n % 40]!,
    },
    {},
  );
}

interface Result {
  intake: number;
  withRules: number;
  plain: number;
  meanGroup: number;
  evaluated: number;
  firings: number;
}

async function measure(handle: DatabaseHandle, quick: boolean): Promise<Result> {
  const plainDb = await createPlainJournalTable(handle.db);
  const logger = createLogger('silent');
  const catalogue = new EventCatalogue().register(...mqttDeviceEvents);
  const bus = new InProcessBus({ logger });
  let delivered = 0;
  bus.subscribe({}, () => void delivered++, 'bench');
  const intake = new Intake({
    db: handle.db,
    journal: new Journal({ catalogue, dialect: handle.dialect }),
    catalogue,
    bus,
    logger,
    batchSize: BATCH,
    maxDelayMs: 2,
    queueLimit: 20_000,
    sourceRate: { ratePerSecond: 0, burst: 1 },
  });
  const engine = new RuleEngine();
  engine.load(deviceRules(RULES, PLACE));
  let firings = 0;
  // What the rule runtime does on each event, minus running the actions of what fires.
  const rulesOn = () => bus.subscribe({}, (event) => void (firings += engine.handle(event, Date.now()).length), 'rules');
  const rulesOff = () => bus.unsubscribeAll('rules');

  const perRound = quick ? 5_000 : 20_000;
  const rounds = quick ? 3 : 5;
  let n = 0;
  let plainSeq = 1;

  const throughIntake = async () => {
    const end = n + perRound;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (n < end) await intake.submit(draft(n++));
      }),
    );
    return performance.now() - t0;
  };
  const throughRules = async () => {
    rulesOn();
    try {
      return await throughIntake();
    } finally {
      rulesOff();
    }
  };
  const rawInsert = async () => {
    const t0 = performance.now();
    for (let done = 0; done < perRound; done += BATCH) {
      const drafts = Array.from({ length: BATCH }, () => draft(n++));
      await plainDb.transaction().execute(async (trx) => {
        await trx.insertInto('journal_events_plain').values(plainRows(drafts, plainSeq)).execute();
      });
      plainSeq += BATCH;
    }
    return performance.now() - t0;
  };

  // Warm-up, then rounds that rotate which of the three goes first.
  await throughIntake();
  await throughRules();
  await rawInsert();
  const groupsBefore = intake.stats().groups;
  const committedBefore = intake.stats().committed;
  const evaluatedBefore = engine.stats().evaluated;
  const firingsBefore = firings;
  const times = { intake: [] as number[], withRules: [] as number[], plain: [] as number[] };
  const order = [
    ['intake', throughIntake],
    ['withRules', throughRules],
    ['plain', rawInsert],
  ] as const;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < order.length; k++) {
      const [key, work] = order[(r + k) % order.length]!;
      times[key].push(await work());
    }
  }
  const stats = intake.stats();
  await intake.stop();
  if (delivered !== stats.committed) throw new Error(`fan-out delivered ${delivered} of ${stats.committed} events`);
  const rate = (ms: number[]) => (perRound * 1000) / median(ms);
  return {
    intake: rate(times.intake),
    withRules: rate(times.withRules),
    plain: rate(times.plain),
    meanGroup: (stats.committed - committedBefore) / (stats.groups - groupsBefore),
    evaluated: (engine.stats().evaluated - evaluatedBefore) / (rounds * perRound),
    firings: firings - firingsBefore,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figures(dialect: string, result: Result): BenchFigure[] {
  const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
  const rules = `${RULES.toLocaleString('en-US')} rules`;
  console.log(
    `ingest (${dialect}): ${Math.round(result.intake)} events/s without rules, ${Math.round(result.withRules)} with ${rules} ` +
      `(${result.evaluated.toFixed(1)} rules evaluated per event, ${result.firings} firings), raw insert ${Math.round(result.plain)}`,
  );
  return [
    {
      name: `durable ingest via intake, ${PRODUCERS} concurrent single-event producers, mean group ${Math.round(result.meanGroup)} (${dialect})`,
      value: Math.round(result.intake),
      unit: 'events/s',
      baseline: Math.round(result.plain),
      ratio: ratio(result.intake, result.plain),
      goal: `>= ${GOAL} x raw batched insert (${BATCH} rows/transaction)`,
    },
    {
      name: `ingest with ${rules} vs without (${dialect})`,
      value: Math.round(result.withRules),
      unit: 'events/s',
      baseline: Math.round(result.intake),
      ratio: ratio(result.withRules, result.intake),
      goal: `>= ${GOAL} x the intake with no rules, same run`,
    },
    {
      name: `ingest with ${rules} vs raw batched insert (${dialect})`,
      value: Math.round(result.withRules),
      unit: 'events/s',
      baseline: Math.round(result.plain),
      ratio: ratio(result.withRules, result.plain),
      goal: `>= ${GOAL} x raw batched insert (${BATCH} rows/transaction)`,
    },
  ];
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const results: BenchFigure[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-ingest-'));
  try {
    const sqlite = openSqlite({ file: path.join(dir, 'bench.db') });
    try {
      await migrateToLatest(sqlite.db, { dialect: 'sqlite' });
      results.push(...figures('sqlite', await measure(sqlite, options.quick)));
    } finally {
      await sqlite.close();
    }

    const url = process.env['VIGIL_TEST_DATABASE_URL'];
    if (url) {
      const schema = `vigil_bench_ingest_${process.pid}_${Date.now().toString(36)}`;
      const admin = openPostgres({ url, poolSize: 1 });
      await sql`create schema ${sql.id(schema)}`.execute(admin.db);
      try {
        const pg = openPostgres({ url, schema, poolSize: 4 });
        try {
          await migrateToLatest(pg.db, { dialect: 'postgres', schema });
          results.push(...figures('postgres', await measure(pg, options.quick)));
        } finally {
          await pg.close();
        }
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      }
    } else {
      console.log('durable ingest (postgres): skipped, set VIGIL_TEST_DATABASE_URL to measure it');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const measured = await run({ quick: process.argv.includes('--quick') });
  for (const f of measured) {
    console.log(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio}, goal ${f.goal})`);
  }
}

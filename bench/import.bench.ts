/**
 * Cost of a safe import: `importPeopleCsv` (streamed parse, every row validated, database checks
 * for existing employee ids and cards, one transaction, one journal event per person and per
 * credential, hash-chained) against a raw batched insert of the same rows into the same tables
 * (the same CSV parsed with csv-parse, rows inserted in one transaction in statements of the same
 * size, no validation, no checks, no journal). The file is the one the simulator's provisioning
 * sends for generated academic medical centres (five, about 95,000 persons and 100,000 badges in
 * a mix of Wiegand formats; --quick: one, about 19,000 and 20,000), on SQLite (WAL, synchronous FULL, a temp directory) and on
 * PostgreSQL when VIGIL_TEST_DATABASE_URL is set (fresh schemas, dropped afterwards). Each side
 * runs twice on a fresh database, alternating which goes first; the faster run of each counts.
 * The import appends through the journal as the server builds it (checkpoint signed every 1000
 * events). The file has no PINs: hashing a PIN is deliberately slow (scrypt) and would dominate.
 *
 *   npx tsx bench/import.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, newId } from '@vigil/core';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import { Checkpointer, Journal, loadOrCreateSigningKey, type SigningKey } from '../packages/server/src/modules/audit/index.js';
import { importPeopleCsv, peopleEvents } from '../packages/server/src/modules/people/index.js';
import type { PersonCredentialsTable, PersonsTable } from '../packages/server/src/modules/people/tables.js';
import { openPostgres, openSqlite, type DatabaseHandle } from '../packages/server/src/storage/database.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';
import { generateHospital, importCsv, type HospitalModel } from '../packages/simulator/src/index.js';
import type { BenchFigure } from './figure.js';

const GOAL = 0.5;
const MAX_VARIABLES = 30_000;

/** The staff, contractors, visitors, patients and infants of generated academic medical centres. */
function hospitals(quick: boolean): HospitalModel[] {
  return (quick ? [1] : [1, 2, 3, 4, 5]).map((seed) => generateHospital({ preset: 'academic', seed }));
}

/** The import file the simulator's provisioning sends, for every person of the hospitals. */
function writeCsv(file: string, models: readonly HospitalModel[]): { rows: number; persons: number; cards: number } {
  const parts = models.map((m, i) => {
    const csv = importCsv(m, m.site.key, m.persons);
    return i === 0 ? csv : csv.slice(csv.indexOf('\n') + 1);
  });
  fs.writeFileSync(file, parts.join(''));
  const persons = models.reduce((n, m) => n + m.persons.length, 0);
  const cards = models.reduce((n, m) => n + m.persons.reduce((k, p) => k + p.cards.length, 0), 0);
  const rows = models.reduce((n, m) => n + m.persons.reduce((k, p) => k + Math.max(1, p.cards.length), 0), 0);
  return { rows, persons, cards };
}

/** The hospitals' departments and job roles, which the import refers to by name; returns their ids by name. */
async function seed(
  handle: DatabaseHandle,
  models: readonly HospitalModel[],
): Promise<{ departments: Map<string, string>; roles: Map<string, string> }> {
  const at = new Date().toISOString();
  const named = (names: Iterable<string>) => new Map([...new Set(names)].map((name) => [name, newId()]));
  const departments = named(models.flatMap((m) => m.departments.map((d) => d.name)));
  const roles = named(models.flatMap((m) => m.jobRoles.map((r) => r.name)));
  const rows = (ids: Map<string, string>) =>
    [...ids].map(([name, id]) => ({ id, name, description: null, created_at: at, updated_at: at }));
  await handle.db.insertInto('departments').values(rows(departments)).execute();
  await handle.db.insertInto('job_roles').values(rows(roles)).execute();
  return { departments, roles };
}

interface Data {
  readonly models: readonly HospitalModel[];
  readonly file: string;
  readonly rows: number;
  readonly persons: number;
  readonly cards: number;
}

async function insertAll<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.floor(MAX_VARIABLES / Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += perStatement) await insert(rows.slice(i, i + perStatement));
}

/** The baseline: the same file into the same tables, as fast as a plain loader would do it. */
async function rawInsert(handle: DatabaseHandle, file: string, models: readonly HospitalModel[]): Promise<void> {
  const ids = await seed(handle, models);
  const at = new Date().toISOString();
  const persons: PersonsTable[] = [];
  const sites: { person_id: string; site_id: string; position: number }[] = [];
  const roles: { person_id: string; job_role_id: string }[] = [];
  const credentials: PersonCredentialsTable[] = [];
  const byEmployee = new Map<string, string>();
  const parser = fs.createReadStream(file).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    const [kind, employeeId, given, family, department, jobRoles, site, format, fc, cn] = record as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    let personId = byEmployee.get(employeeId);
    if (!personId) {
      personId = newId();
      byEmployee.set(employeeId, personId);
      persons.push({
        id: personId,
        kind,
        employee_id: employeeId,
        given_name: given,
        family_name: family,
        department_id: department ? ids.departments.get(department)! : null,
        status: 'active',
        status_reason: null,
        status_changed_at: at,
        valid_from: null,
        valid_until: null,
        created_at: at,
        updated_at: at,
      });
      sites.push({ person_id: personId, site_id: site, position: 0 });
      for (const role of jobRoles ? jobRoles.split(';') : []) roles.push({ person_id: personId, job_role_id: ids.roles.get(role)! });
    }
    if (!format) continue;
    credentials.push({
      id: newId(),
      person_id: personId,
      type: 'card',
      status: 'active',
      status_reason: null,
      status_changed_at: at,
      valid_from: null,
      valid_until: null,
      card_format: format,
      facility_code: Number(fc),
      card_number: Number(cn),
      pin_hash: null,
      mobile_platform: null,
      mobile_enrolment_id: null,
      biometric_vendor: null,
      biometric_template_ref: null,
      issued_by: 'bench',
      created_at: at,
      updated_at: at,
    });
  }
  await handle.db.transaction().execute(async (trx) => {
    await insertAll(persons, (c) => trx.insertInto('persons').values(c).execute());
    await insertAll(sites, (c) => trx.insertInto('person_sites').values(c).execute());
    await insertAll(roles, (c) => trx.insertInto('person_job_roles').values(c).execute());
    await insertAll(credentials, (c) => trx.insertInto('person_credentials').values(c).execute());
  });
}

async function viaImport(handle: DatabaseHandle, data: Data, key: SigningKey): Promise<void> {
  await seed(handle, data.models);
  // The journal as the server builds it: dialect-aware appends, a checkpoint signed every 1000 events.
  const checkpointer = new Checkpointer({ db: handle.db, key, every: 1000, intervalSeconds: 300 });
  const journal = new Journal({
    catalogue: new EventCatalogue().register(...peopleEvents),
    afterAppend: checkpointer.afterAppend,
    dialect: handle.dialect,
  });
  const report = await importPeopleCsv({ db: handle.db, record: journal.record, clock: () => new Date() }, data.file, { source: 'bench' });
  if (!report.ok || report.persons !== data.persons) throw new Error(`import failed: ${JSON.stringify(report).slice(0, 500)}`);
}

type Opener = () => Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }>;

async function timed(open: Opener, work: (handle: DatabaseHandle) => Promise<void>): Promise<number> {
  const { handle, dispose } = await open();
  try {
    const t0 = performance.now();
    await work(handle);
    return performance.now() - t0;
  } finally {
    await dispose();
  }
}

async function measure(open: Opener, data: Data, key: SigningKey) {
  let importMs = Infinity;
  let rawMs = Infinity;
  for (let round = 0; round < 2; round++) {
    const runImport = async () => (importMs = Math.min(importMs, await timed(open, (h) => viaImport(h, data, key))));
    const runRaw = async () => (rawMs = Math.min(rawMs, await timed(open, (h) => rawInsert(h, data.file, data.models))));
    if (round % 2 === 0) {
      await runRaw();
      await runImport();
    } else {
      await runImport();
      await runRaw();
    }
  }
  return { importRate: (data.rows * 1000) / importMs, rawRate: (data.rows * 1000) / rawMs };
}

function figure(dialect: string, data: Data, result: { importRate: number; rawRate: number }): BenchFigure {
  return {
    name: `CSV import of ${data.persons} persons with ${data.cards} cards vs raw insert (${dialect})`,
    value: Math.round(result.importRate),
    unit: 'rows/s',
    baseline: Math.round(result.rawRate),
    ratio: Number((result.importRate / result.rawRate).toFixed(3)),
    goal: `>= ${GOAL}`,
  };
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-import-'));
  const figures: BenchFigure[] = [];
  try {
    const file = path.join(dir, 'people.csv');
    const models = hospitals(options.quick);
    const data: Data = { models, file, ...writeCsv(file, models) };
    const key = loadOrCreateSigningKey(path.join(dir, 'journal-signing.key'));
    let n = 0;
    const sqlite: Opener = async () => {
      const dbFile = path.join(dir, `bench-${n++}.db`);
      const handle = openSqlite({ file: dbFile });
      await migrateToLatest(handle.db, { dialect: 'sqlite' });
      return {
        handle,
        dispose: async () => {
          await handle.close();
          for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
        },
      };
    };
    figures.push(figure('sqlite', data, await measure(sqlite, data, key)));

    const url = process.env['VIGIL_TEST_DATABASE_URL'];
    if (url) {
      const postgres: Opener = async () => {
        const schema = `vigil_bench_import_${process.pid}_${n++}`;
        const admin = openPostgres({ url, poolSize: 1 });
        await sql`create schema ${sql.id(schema)}`.execute(admin.db);
        const handle = openPostgres({ url, schema, poolSize: 2 });
        await migrateToLatest(handle.db, { dialect: 'postgres', schema });
        return {
          handle,
          dispose: async () => {
            await handle.close();
            await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
            await admin.close();
          },
        };
      };
      figures.push(figure('postgres', data, await measure(postgres, data, key)));
    } else {
      console.log('CSV import (postgres): skipped, set VIGIL_TEST_DATABASE_URL to measure it');
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

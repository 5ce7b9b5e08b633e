import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventCatalogue, newId } from '@vigil/core';
import { Journal } from '../packages/server/src/modules/audit/index.js';
import { importPeopleCsv, peopleEvents } from '../packages/server/src/modules/people/index.js';
import { openSqlite } from '../packages/server/src/storage/database.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { parse } from 'csv-parse';
import type { PersonCredentialsTable, PersonsTable } from '../packages/server/src/modules/people/tables.js';
import type { DatabaseHandle } from '../packages/server/src/storage/database.js';
let gc = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) gc += e.duration; }).observe({ entryTypes: ['gc'] });
const MAX_VARIABLES = 30_000;
async function seed(handle: DatabaseHandle) { const a = await handle.db.selectFrom('departments').select('id').executeTakeFirstOrThrow(); const r = await handle.db.selectFrom('job_roles').select('id').executeTakeFirstOrThrow(); return { department: a.id, role: r.id }; }
async function insertAll<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.floor(MAX_VARIABLES / Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += perStatement) await insert(rows.slice(i, i + perStatement));
}

/** The baseline: the same file into the same tables, as fast as a plain loader would do it. */
async function rawInsert(handle: DatabaseHandle, file: string): Promise<void> {
  const T0 = performance.now(); gc = 0;
  const ids = await seed(handle);
  const at = new Date().toISOString();
  const persons: PersonsTable[] = [];
  const sites: { person_id: string; site_id: string; position: number }[] = [];
  const roles: { person_id: string; job_role_id: string }[] = [];
  const credentials: PersonCredentialsTable[] = [];
  const byEmployee = new Map<string, string>();
  const parser = fs.createReadStream(file).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    const [kind, employeeId, given, family, , , site, format, fc, cn] = record as [
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
        department_id: ids.department,
        status: 'active',
        status_reason: null,
        status_changed_at: at,
        valid_from: null,
        valid_until: null,
        created_at: at,
        updated_at: at,
      });
      sites.push({ person_id: personId, site_id: site, position: 0 });
      roles.push({ person_id: personId, job_role_id: ids.role });
    }
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
  console.log('raw parse+build', (performance.now() - T0).toFixed(0), 'gc', gc.toFixed(0)); const T1 = performance.now(); gc = 0;
  await handle.db.transaction().execute(async (trx) => {
    await insertAll(persons, (c) => trx.insertInto('persons').values(c).execute());
    await insertAll(sites, (c) => trx.insertInto('person_sites').values(c).execute());
    await insertAll(roles, (c) => trx.insertInto('person_job_roles').values(c).execute());
    await insertAll(credentials, (c) => trx.insertInto('person_credentials').values(c).execute());
  });
  console.log('raw insert', (performance.now() - T1).toFixed(0), 'gc', gc.toFixed(0));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const persons = Number(process.argv[2] ?? 10000);
const lines = ['kind,employee_id,given_name,family_name,department,job_roles,sites,card_format,facility_code,card_number'];
for (let i = 0; i < persons; i++) { lines.push(`staff,E${i},Given${i % 997},Family${i},Nursing,Registered nurse,site-${i % 3},H10304,${1 + (i % 40)},${i}`); lines.push(`staff,E${i},,,,,,C1000-48,${1 + (i % 40)},${i}`); }
const file = path.join(dir, 'p.csv'); fs.writeFileSync(file, lines.join('\n'));
const handle = openSqlite({ file: path.join(dir, 'x.db') });
await migrateToLatest(handle.db, { dialect: 'sqlite' });
const at = new Date().toISOString();
await handle.db.insertInto('departments').values({ id: newId(), name: 'Nursing', description: null, created_at: at, updated_at: at }).execute();
await handle.db.insertInto('job_roles').values({ id: newId(), name: 'Registered nurse', description: null, created_at: at, updated_at: at }).execute();
if (process.argv[3] === 'raw') { await rawInsert(handle, file); process.exit(0); }
const journal = new Journal({ catalogue: new EventCatalogue().register(...peopleEvents) });
let last = performance.now(); let phase = '';
const t0 = performance.now();
let rec = 0; let firstRec = 0;
const record = async (trx: any, d: any) => { const s = performance.now(); if (!firstRec) firstRec = s; const r = await journal.record(trx, d); rec += performance.now() - s; return r; };
const report = await importPeopleCsv({ db: handle.db, record, clock: () => new Date() }, file, { onProgress: (p) => { if (p.phase !== phase) { const now = performance.now(); console.log(phase, (now - last).toFixed(0), 'gc', gc.toFixed(0)); gc = 0; last = now; phase = p.phase; } } });
console.log(phase, (performance.now() - last).toFixed(0), 'entities', (firstRec - last).toFixed(0), 'journal', rec.toFixed(0), 'total', (performance.now() - t0).toFixed(0), report.ok, 'heapMB', (process.memoryUsage().heapUsed / 1e6).toFixed(0));
await handle.close(); fs.rmSync(dir, { recursive: true, force: true });

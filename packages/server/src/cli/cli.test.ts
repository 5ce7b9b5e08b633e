import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Checkpointer, groupedFingerprint, keyIdOf, loadOrCreateSigningKey, readSigningKey } from '../modules/audit/index.js';
import { seedJournal, snapshot } from '../storage/backup-testing.js';
import { openPostgres, openSqlite, type DatabaseHandle } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrations.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../storage/testing.js';
import { runVigil, spawnVigil } from './cli-testing.js';

/** Appends events with signed checkpoints, the key where the configuration expects it. */
async function seedSigned(handle: DatabaseHandle, dataDir: string, count: number): Promise<string> {
  const keyFile = path.join(dataDir, 'journal-signing.key');
  const checkpointer = new Checkpointer({ db: handle.db, key: loadOrCreateSigningKey(keyFile), every: 20, intervalSeconds: 3600 });
  await seedJournal(handle, count, checkpointer.afterAppend);
  const head = await handle.db.selectFrom('journal_head').select('hash').executeTakeFirstOrThrow();
  return head.hash;
}

async function inspect<T>(handle: DatabaseHandle, body: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  try {
    return await body(handle);
  } finally {
    await handle.close();
  }
}

describe('vigil CLI [sqlite]', () => {
  let dir: string;
  const env = (name: string, extra: Record<string, string> = {}) => ({ VIGIL_DATA_DIR: path.join(dir, name), ...extra });
  const sqliteOf = (name: string) => openSqlite({ file: path.join(dir, name, 'vigil.db') });
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrate applies the migrations once and says so', async () => {
    const first = await runVigil(['migrate'], env('source'));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migrations? to SQLite .*vigil\.db:\n {2}0001_audit_journal\n/);
    const again = await runVigil(['migrate'], env('source'));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /is up to date; no migration ran/);
  });

  it('refuses a backup whose signer the new installation does not trust, listing it and writing nothing', async () => {
    await inspect(sqliteOf('source'), (h) => seedSigned(h, path.join(dir, 'source'), 50));
    const file = path.join(dir, 'nightly.db');
    const backup = await runVigil(['backup', file], env('source'));
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /\(sqlite format\)/);

    const { keyId } = readSigningKey(path.join(dir, 'source', 'journal-signing.key'));
    const refused = await runVigil(['restore', file], env('restored'));
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(
      refused.stderr,
      /^error backup\.untrusted_signers: .*signed by 1 key this installation does not trust, so nothing was restored/,
    );
    assert.match(
      refused.stderr,
      new RegExp(`\n {2}key ${keyId}, first signed \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\n {4}fingerprint ${groupedFingerprint(keyId)}\n`),
    );
    assert.match(refused.stderr, new RegExp(`\n {2}confirm: repeat the command with --trust-signers ${keyId}\n$`));
    assert.equal(refused.stdout, '');
    assert.equal(fs.existsSync(path.join(dir, 'restored')), false, 'the data directory was created');
  });

  it('refuses --trust-signers naming another key, or an abbreviated one, and leaves the target as it was', async () => {
    await inspect(sqliteOf('spare'), (h) => migrateToLatest(h.db, { dialect: 'sqlite' }));
    const before = await inspect(sqliteOf('spare'), snapshot);
    const file = path.join(dir, 'nightly.db');
    const { keyId } = readSigningKey(path.join(dir, 'source', 'journal-signing.key'));
    const stranger = keyIdOf(generateKeyPairSync('ed25519').publicKey);
    const wrong = await runVigil(['restore', file, '--trust-signers', stranger], env('spare'));
    assert.equal(wrong.code, 2, wrong.stdout);
    assert.match(
      wrong.stderr,
      new RegExp(`^error backup\\.unknown_signer: --trust-signers names key ${stranger}, which did not sign this backup\\.`),
    );
    assert.match(wrong.stderr, new RegExp(`\n {2}key ${keyId}, first signed `));
    // Naming the right key is not enough when another is named too.
    const extra = await runVigil(['restore', file, '--trust-signers', `${keyId},${stranger}`], env('spare'));
    assert.equal(extra.code, 2, extra.stdout);
    assert.match(extra.stderr, /^error backup\.unknown_signer: /);
    const abbreviated = await runVigil(['restore', file, '--trust-signers', keyId.slice(0, 16)], env('spare'));
    assert.equal(abbreviated.code, 2, abbreviated.stdout);
    assert.match(abbreviated.stderr, /^error backup\.unknown_signer: .*is not a whole key id/);
    assert.deepEqual(await inspect(sqliteOf('spare'), snapshot), before);
    assert.equal(fs.existsSync(path.join(dir, 'spare', 'journal-trusted-keys')), false);
  });

  it('restores with --trust-signers naming the key, records the decision, and the journal there verifies', async () => {
    const file = path.join(dir, 'nightly.db');
    const { keyId } = readSigningKey(path.join(dir, 'source', 'journal-signing.key'));
    const tip = await inspect(
      sqliteOf('source'),
      async (h) => (await h.db.selectFrom('journal_head').select('hash').executeTakeFirstOrThrow()).hash,
    );
    // Typed off a printed sheet: the grouped fingerprint, in capitals, is the same id.
    const restore = await runVigil(['restore', file, '--trust-signers', groupedFingerprint(keyId).toUpperCase()], env('restored'));
    assert.equal(restore.code, 0, restore.stderr);
    const trustedFile = path.join(dir, 'restored', 'journal-trusted-keys', `${keyId}.pub`);
    assert.match(
      restore.stdout,
      new RegExp(
        `\nTrusted journal signing key ${keyId} \\(first signed [^)]+\\), confirmed with --trust-signers by cli:\\S+ at \\S+Z; recorded in ${trustedFile}\\.\n`,
      ),
    );
    const record = fs.readFileSync(trustedFile, 'utf8');
    assert.match(
      record,
      new RegExp(
        `^# Journal signing key trusted .*\n# key id: ${keyId}\n# first signed: ".+"\n# confirmed by: "cli:.+"\n# confirmed at: ".+Z"\n# backup: ${JSON.stringify(file)}\n-----BEGIN PUBLIC KEY-----\n`,
      ),
    );

    const verify = await runVigil(['audit', 'verify'], env('restored'));
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /Journal intact: 50 events/);
    assert.ok(verify.stdout.includes(`Tip hash ${tip}`), verify.stdout);
    // Checkpoints every 20 events, appended in batches of 25: the batches ending at 25 and 50 cross one.
    assert.match(verify.stdout, /2 signed checkpoints verified/);
  });

  it("restores a backup signed only by the installation's own key without --trust-signers", async () => {
    const file = path.join(dir, 'nightly.db');
    const keyFile = path.join(dir, 'source', 'journal-signing.key');
    const { keyId } = readSigningKey(keyFile);
    const keyEnv = { VIGIL_JOURNAL_SIGNING_KEY: keyFile };
    const named = await runVigil(['restore', file, '--trust-signers', keyId], env('rebuilt', keyEnv));
    assert.equal(named.code, 2, named.stdout);
    assert.match(
      named.stderr,
      /^error backup\.unknown_signer: .*which is already trusted by this installation\. The backup has no untrusted signer;/,
    );

    const restore = await runVigil(['restore', file], env('rebuilt', keyEnv));
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, new RegExp(`\nJournal signing key ${keyId} is already trusted\\.\n`));
    assert.doesNotMatch(restore.stdout, /Trusted journal signing key/);
    assert.equal(fs.existsSync(path.join(dir, 'source', 'journal-trusted-keys')), false);
    const verify = await runVigil(['audit', 'verify'], env('rebuilt', keyEnv));
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /Journal intact: 50 events/);
  });

  it('refuses a truncated backup with backup.truncated and leaves the target as it was', async () => {
    await inspect(sqliteOf('spare'), (h) => migrateToLatest(h.db, { dialect: 'sqlite' }));
    const before = await inspect(sqliteOf('spare'), snapshot);
    const whole = fs.readFileSync(path.join(dir, 'nightly.db'));
    const cut = path.join(dir, 'cut.db');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 3)));
    const result = await runVigil(['restore', cut], env('spare'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error backup\.truncated: /);
    assert.deepEqual(await inspect(sqliteOf('spare'), snapshot), before);
  });

  it('refuses to restore into a database that holds data', async () => {
    const result = await runVigil(['restore', path.join(dir, 'nightly.db')], env('restored'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error backup\.target_not_empty: .*journal_events/);
  });

  it('exports journal events as CSV and as JSON lines, filtered by time', async () => {
    const csv = await runVigil(['export', 'events', '--format', 'csv'], env('source'));
    assert.equal(csv.code, 0, csv.stderr);
    const [header] = csv.stdout.split('\r\n');
    assert.equal(header, 'seq,id,type,at,recorded_at,site,source,subject,zone,door,correlation_id,data,prev_hash,hash');
    // Quoted fields keep their line breaks, so count records by their seq column.
    assert.equal(csv.stdout.match(/\r\n\d+,/g)?.length, 50);

    const out = path.join(dir, 'events.jsonl');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const jsonl = await runVigil(['export', 'events', '--from', from, '--site', 'site-1', '-o', out], env('source'));
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.match(jsonl.stderr, /Exported 17 events to /);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { seq: number; site: string; data: { n: number } });
    // seedJournal puts event n on site-(n % 3); seq is n + 1.
    assert.deepEqual(
      events.map((e) => [e.seq, e.site, e.data.n]),
      Array.from({ length: 17 }, (_, i) => [3 * i + 2, 'site-1', 3 * i + 1]),
    );
  });

  it('audit verify exits 1 naming the first altered record', async () => {
    await inspect(sqliteOf('restored'), (h) =>
      h.db.updateTable('journal_events').set({ source: 'someone-else' }).where('seq', '=', 17).execute(),
    );
    const keyEnv = { VIGIL_JOURNAL_SIGNING_KEY: path.join(dir, 'source', 'journal-signing.key') };
    const verify = await runVigil(['audit', 'verify'], env('restored', keyEnv));
    assert.equal(verify.code, 1, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /Journal BROKEN at seq 17 /);
  });

  it('create-admin shows a one-time password; a taken name fails with exit 2 and its code', async () => {
    const created = await runVigil(['create-admin', 'Night.Lead', '--name', 'Night Shift Lead'], env('admins'));
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Created administrator night\.lead \(all sites\)\.\nOne-time password: \S{12,}\n/);
    const again = await runVigil(['create-admin', 'night.lead'], env('admins'));
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^error operators\.username_taken: .*\n {2}username: night\.lead\n/);
  });

  it('import reports every bad row by line and column, --dry-run writes nothing, export people lists the result', async () => {
    const header = 'kind,given_name,family_name,employee_id,card_format,facility_code,card_number\n';
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `${header}staff,Ada,Lovelace,E1,H10301,12,99999\nrobot,Grace,Hopper,E2,,,\n`);
    const rejected = await runVigil(['import', bad], env('people'));
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /^error people\.import_rejected: .*2 errors in 2 rows; nothing was written\n/);
    assert.match(rejected.stderr, /\n {2}line 2, column 7 \(card_number\): import\.card_out_of_range: /);
    assert.match(rejected.stderr, /\n {2}line 3, column 1 \(kind\): import\.invalid_value: /);

    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, `${header}staff,Ada,Lovelace,E1,H10301,12,345\ncontractor,"Hopper, Jr.",=cmd,E2,,,\n`);
    const dry = await runVigil(['import', good, '--dry-run'], env('people'));
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run: .* would create 2 persons and 1 credential from 2 rows\. Nothing was written\.\n$/);
    // Employee ids must be new, so this succeeds only if the dry run really wrote nothing.
    const imported = await runVigil(['import', good], env('people'));
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^Imported 2 persons and 1 credential from 2 rows/);

    const people = await runVigil(['export', 'people'], env('people'));
    assert.equal(people.code, 0, people.stderr);
    const rows = people.stdout.trimEnd().split('\r\n');
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /^kind,given_name,family_name,employee_id,department,job_roles,sites,valid_from,valid_until,id,status,/);
    // Sorted by family name; a cell that a spreadsheet would run as a formula is defused.
    assert.match(rows[1]!, /^contractor,"Hopper, Jr\.",'=cmd,E2,/);
    assert.match(rows[2]!, /^staff,Ada,Lovelace,E1,.*,active,/);
  });

  it('start serves until SIGTERM and then stops cleanly', async () => {
    const child = spawnVigil(['start'], env('server', { VIGIL_HTTP_PORT: '0' }));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('close', (code) => reject(new Error(`vigil start exited with ${code}: ${stdout}`)));
    });
    const health = await fetch(`${url}/api/health`);
    assert.equal(health.status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(stdout, /Vigil stopped\./);
  });
});

describe('vigil CLI [postgres]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  const base = postgresTestUrl() ?? '';
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = {
    source: `vigil_cli_${suffix}_src`,
    target: `vigil_cli_${suffix}_dst`,
    empty: `vigil_cli_${suffix}_empty`,
    elsewhere: `vigil_cli_${suffix}_else`,
  };
  const urlOf = (database: string) => {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  };
  let dir: string;
  const env = (database: string, extra: Record<string, string> = {}) => ({
    VIGIL_DATA_DIR: dir,
    VIGIL_DATABASE_URL: urlOf(database),
    ...extra,
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-pg-'));
    const admin = openPostgres({ url: base, poolSize: 1 });
    for (const name of Object.values(names)) await sql`create database ${sql.id(name)}`.execute(admin.db);
    await admin.close();
  });
  after(async () => {
    const admin = openPostgres({ url: base, poolSize: 1 });
    for (const name of Object.values(names)) await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, backs up logically, restores into a new database, and the journal verifies', async () => {
    const migrate = await runVigil(['migrate'], env(names.source));
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /Applied \d+ migrations? to PostgreSQL .*\n {2}0001_audit_journal\n/);
    const tip = await inspect(openPostgres({ url: urlOf(names.source) }), (h) => seedSigned(h, dir, 45));

    const file = path.join(dir, 'nightly.jsonl.gz');
    const backup = await runVigil(['backup', file], env(names.source));
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /\(logical format\)/);
    const restore = await runVigil(['restore', file], env(names.target));
    assert.equal(restore.code, 0, restore.stderr);
    const verify = await runVigil(['audit', 'verify'], env(names.target));
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /Journal intact: 45 events/);
    assert.ok(verify.stdout.includes(`Tip hash ${tip}`), verify.stdout);
  });

  it('restores into an installation with another key only with --trust-signers, and the journal there verifies', async () => {
    const file = path.join(dir, 'nightly.jsonl.gz');
    const { keyId } = readSigningKey(path.join(dir, 'journal-signing.key'));
    const elsewhere = { VIGIL_DATA_DIR: path.join(dir, 'elsewhere') };
    const publicTables = async () =>
      inspect(
        openPostgres({ url: urlOf(names.elsewhere) }),
        async (h) =>
          (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(h.db))
            .rows[0]?.n,
      );

    const refused = await runVigil(['restore', file], env(names.elsewhere, elsewhere));
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /^error backup\.untrusted_signers: /);
    assert.match(refused.stderr, new RegExp(`\n {2}key ${keyId}, first signed .*\n {4}fingerprint ${groupedFingerprint(keyId)}\n`));
    const wrong = await runVigil(
      ['restore', file, '--trust-signers', keyIdOf(generateKeyPairSync('ed25519').publicKey)],
      env(names.elsewhere, elsewhere),
    );
    assert.equal(wrong.code, 2, wrong.stdout);
    assert.match(wrong.stderr, /^error backup\.unknown_signer: /);
    assert.equal(await publicTables(), 0, 'nothing was created in the target');
    assert.equal(fs.existsSync(elsewhere.VIGIL_DATA_DIR), false, 'the data directory was created');

    const restore = await runVigil(['restore', file, '--trust-signers', keyId], env(names.elsewhere, elsewhere));
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, new RegExp(`\nTrusted journal signing key ${keyId} .*confirmed with --trust-signers by cli:`));
    const verify = await runVigil(['audit', 'verify'], env(names.elsewhere, elsewhere));
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, new RegExp(`Journal intact: 45 events.*key ${keyId}`, 's'));
  });

  it('refuses a truncated backup without touching the target, and refuses a non-empty target', async () => {
    const whole = fs.readFileSync(path.join(dir, 'nightly.jsonl.gz'));
    const cut = path.join(dir, 'cut.jsonl.gz');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 64));
    const truncated = await runVigil(['restore', cut], env(names.empty));
    assert.equal(truncated.code, 2);
    assert.match(truncated.stderr, /^error backup\.truncated: /);
    const tables = await inspect(
      openPostgres({ url: urlOf(names.empty) }),
      async (h) =>
        (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(h.db))
          .rows,
    );
    assert.equal(tables[0]?.n, 0, 'nothing was created in the target');

    const full = await runVigil(['restore', path.join(dir, 'nightly.jsonl.gz')], env(names.source));
    assert.equal(full.code, 2);
    assert.match(full.stderr, /^error backup\.target_not_empty: /);
  });
});

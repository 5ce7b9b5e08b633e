import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isVigilError } from '@vigil/core';
import { sql } from 'kysely';
import { Checkpointer, loadOrCreateSigningKey, verifyJournal, type SigningKey } from '../modules/audit/index.js';
import { createBackup, restoreBackup } from './backup.js';
import { writeLogicalBackup } from './backup-logical.js';
import { rowCount } from './backup-schema.js';
import { noted, seedJournal, snapshot, testJournal } from './backup-testing.js';
import { openSqlite, type DatabaseHandle, type Dialect } from './database.js';
import { migrateToLatest } from './migrations.js';
import { openTestDatabase, postgresTestUrl, POSTGRES_SKIP_REASON } from './testing.js';

type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;

const skipFor = (...dialects: Dialect[]) => (dialects.includes('postgres') && !postgresTestUrl() ? POSTGRES_SKIP_REASON : false);

const withCode = (code: string) => (e: unknown) => {
  assert.ok(isVigilError(e), `expected a VigilError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  return true;
};

async function withDatabases(dialects: Dialect[], body: (...dbs: TestDb[]) => Promise<void>): Promise<void> {
  const dbs: TestDb[] = [];
  try {
    for (const dialect of dialects) dbs.push(await openTestDatabase(dialect));
    await body(...dbs);
  } finally {
    for (const db of dbs) await db.dispose();
  }
}

/** Seeds events with a signed checkpoint every 40 events; returns the key that signed them. */
async function seedSigned(db: TestDb, count: number): Promise<SigningKey> {
  const key = loadOrCreateSigningKey(path.join(db.dir, 'journal-signing.key'));
  const checkpointer = new Checkpointer({ db: db.handle.db, key, every: 40, intervalSeconds: 3600 });
  await seedJournal(db.handle, count, checkpointer.afterAppend);
  return key;
}

async function journalTip(handle: DatabaseHandle) {
  return handle.db.selectFrom('journal_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
}

/** Tables shaped like the hard cases other modules may add: self references, foreign keys, binary data, serials. */
async function createAwkwardTables(handle: DatabaseHandle): Promise<void> {
  const pg = handle.dialect === 'postgres';
  await sql`create table zz_places (id text primary key, parent_id text references zz_places (id), name text not null)`.execute(handle.db);
  await sql`create table zz_readings (
    id ${sql.raw(pg ? 'serial primary key' : 'integer primary key')},
    place_id text not null references zz_places (id),
    payload ${sql.raw(pg ? 'bytea' : 'blob')},
    value ${sql.raw(pg ? 'double precision' : 'real')},
    flag integer not null)`.execute(handle.db);
}

async function fillAwkwardTables(handle: DatabaseHandle): Promise<void> {
  // 'a' names 'z' as parent: in key order a child comes before its parent.
  await sql`insert into zz_places (id, parent_id, name) values ('z', null, 'hospital'), ('a', 'z', 'ward ''A'' — 3rd floor')`.execute(
    handle.db,
  );
  for (let i = 0; i < 5; i++) {
    await sql`insert into zz_readings (place_id, payload, value, flag) values (${i % 2 ? 'a' : 'z'}, ${Buffer.from([0, 255, i, 10, 13])}, ${i / 3}, ${i % 2})`.execute(
      handle.db,
    );
  }
}

describe('logical backup and restore', () => {
  for (const from of ['sqlite', 'postgres'] as const) {
    for (const to of ['sqlite', 'postgres'] as const) {
      it(`restores ${from} into ${to}: foreign keys in any order, binary values, serial columns`, { skip: skipFor(from, to) }, () =>
        withDatabases([from, to], async (source, target) => {
          await createAwkwardTables(source.handle);
          await createAwkwardTables(target.handle);
          await fillAwkwardTables(source.handle);
          const file = path.join(source.dir, 'awkward.jsonl');
          await writeLogicalBackup(source.handle, { file, vigilVersion: 'test', pageSize: 2 });
          await restoreBackup(target.handle, file);
          assert.deepEqual(await snapshot(target.handle), await snapshot(source.handle));
          // A new row gets the next id rather than colliding with a restored one.
          await sql`insert into zz_readings (place_id, flag) values ('a', 0)`.execute(target.handle.db);
          assert.equal(await rowCount(target.handle.db, 'zz_readings'), 6);
          // The foreign keys are back in force.
          await assert.rejects(sql`insert into zz_readings (place_id, flag) values ('nowhere', 0)`.execute(target.handle.db));
        }),
      );
    }
  }

  for (const from of ['sqlite', 'postgres'] as const) {
    for (const to of ['sqlite', 'postgres'] as const) {
      it(`restores a ${from} backup into ${to} with every row, and the journal verifies`, { skip: skipFor(from, to) }, () =>
        withDatabases([from, to], async (source, target) => {
          const key = await seedSigned(source, 137);
          const file = path.join(source.dir, 'vigil.jsonl.gz');
          // Small pages so the export resumes from a key many times within its snapshot.
          const report = await writeLogicalBackup(source.handle, { file, vigilVersion: 'test', pageSize: 10 });
          assert.equal(report.tables['journal_events'], 137);
          assert.equal(report.tables['journal_checkpoints'], 3);

          const restored = await restoreBackup(target.handle, file);
          assert.equal(restored.format, 'logical');
          assert.equal(restored.sourceDialect, from);
          assert.deepEqual(await snapshot(target.handle), await snapshot(source.handle));
          const verification = await verifyJournal(target.handle.db, { publicKeys: [key.publicKey] });
          assert.ok(verification.intact, JSON.stringify(verification));
          assert.equal(verification.summary.events, 137);
          assert.equal(verification.summary.checkpointsVerified, 3);
          assert.equal(verification.summary.tipHash, (await journalTip(source.handle)).hash);
        }),
      );
    }
  }

  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`[${dialect}] exports one consistent snapshot while appends continue`, { skip: skipFor(dialect) }, () =>
      withDatabases([dialect, dialect], async (source, target) => {
        await seedJournal(source.handle, 10);
        // Its own connection(s): SQLite's single connection per handle would otherwise queue the writer.
        const writerHandle = dialect === 'sqlite' ? openSqlite({ file: source.handle.location }) : source.handle;
        const journal = testJournal(writerHandle);
        const append = (n: number) =>
          journal.appendNow(writerHandle.db, [noted.draft({ site: null, source: 'writer' }, { n, text: 'meanwhile' })]);
        const file = path.join(source.dir, 'snapshot.jsonl');
        let appended = 0;
        let report;
        try {
          // Commit an event after every page and before every table: tables read later (journal_head
          // after journal_events) would name records the export no longer sees, were it not one snapshot.
          report = await writeLogicalBackup(source.handle, {
            file,
            vigilVersion: 'test',
            pageSize: 3,
            onProgress: async () => {
              await append(appended++);
            },
          });
        } finally {
          if (writerHandle !== source.handle) await writerHandle.close();
        }
        assert.equal(await rowCount(source.handle.db, 'journal_events'), 10 + appended);
        assert.ok(appended > 3);
        await restoreBackup(target.handle, file);
        const verification = await verifyJournal(target.handle.db, { publicKeys: [] });
        assert.ok(verification.intact, JSON.stringify(verification));
        assert.equal(report.tables['journal_events'], verification.summary.events);
      }),
    );

    it(`[${dialect}] refuses truncated and corrupted files before writing anything`, { skip: skipFor(dialect) }, () =>
      withDatabases(['sqlite', dialect], async (source, target) => {
        await seedJournal(source.handle, 60);
        const file = path.join(source.dir, 'good.jsonl');
        await createBackup(source.handle, { file, vigilVersion: 'test' });
        const bytes = fs.readFileSync(file);
        const text = bytes.toString('utf8');
        const lines = text.split('\n');
        const before = await snapshot(target.handle);
        const cases: [string, Buffer | string, string][] = [
          ['cut mid-line', bytes.subarray(0, Math.floor(bytes.length / 2)), 'backup.truncated'],
          ['cut before the trailer', `${lines.slice(0, -2).join('\n')}\n`, 'backup.truncated'],
          ['compressed and cut', gzipSync(bytes).subarray(0, 400), 'backup.truncated'],
          ['empty', '', 'backup.truncated'],
          ['a changed value', text.replace('"backup-test"', '"backup-tesT"'), 'backup.corrupt'],
          ['a removed row', lines.filter((_, i) => i !== 5).join('\n'), 'backup.corrupt'],
          ['a changed trailer count', text.replace(/"journal_events":60/, '"journal_events":61'), 'backup.corrupt'],
          ['content after the trailer', `${text}[1]\n`, 'backup.corrupt'],
          ['not a backup', '{"hello":"world"}\n', 'backup.corrupt'],
          ['a newer format', text.replace('"version":1', '"version":99'), 'backup.unsupported_version'],
        ];
        for (const [name, content, code] of cases) {
          const damaged = path.join(source.dir, `damaged-${name.replaceAll(' ', '-')}.jsonl`);
          fs.writeFileSync(damaged, content);
          await assert.rejects(restoreBackup(target.handle, damaged), withCode(code), name);
          assert.deepEqual(await snapshot(target.handle), before, `${name} changed the target`);
        }
        // The intact file still restores, so the refusals above were about the damage.
        await restoreBackup(target.handle, file);
        assert.equal(await rowCount(target.handle.db, 'journal_events'), 60);
      }),
    );

    it(`[${dialect}] refuses a non-empty target unless forced, and --force needs identical migrations`, { skip: skipFor(dialect) }, () =>
      withDatabases(['sqlite', dialect], async (source, target) => {
        await seedJournal(source.handle, 30);
        await seedJournal(target.handle, 5);
        const file = path.join(source.dir, 'b.jsonl');
        await createBackup(source.handle, { file, vigilVersion: 'test' });
        const before = await snapshot(target.handle);
        await assert.rejects(restoreBackup(target.handle, file), withCode('backup.target_not_empty'));
        assert.deepEqual(await snapshot(target.handle), before);

        await restoreBackup(target.handle, file, { force: true });
        assert.deepEqual(await snapshot(target.handle), await snapshot(source.handle));
        assert.ok((await verifyJournal(target.handle.db, { publicKeys: [] })).intact);

        const bare = openSqlite({ file: path.join(target.dir, 'unmigrated.db') });
        try {
          await assert.rejects(restoreBackup(bare, file, { force: true }), withCode('backup.incompatible'));
        } finally {
          await bare.close();
        }
      }),
    );
  }
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-backup-'));
}

async function migratedSqlite(file: string): Promise<DatabaseHandle> {
  const handle = openSqlite({ file });
  await migrateToLatest(handle.db, { dialect: 'sqlite' });
  return handle;
}

describe('SQLite file backup and restore', () => {
  it('takes consistent copies while another process keeps appending to the journal', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    await (await migratedSqlite(live)).close();
    const writer = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'backup-testing.ts'), live], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const observer = openSqlite({ file: live });
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        writer.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
      });
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const file = path.join(dir, `copy-${i}.db`);
        const report = await createBackup(observer, { file, vigilVersion: 'test' });
        assert.equal(report.format, 'sqlite');
        const copy = openSqlite({ file });
        try {
          const verification = await verifyJournal(copy.db, { publicKeys: [] });
          assert.ok(verification.intact, JSON.stringify(verification));
          counts.push(verification.summary.events);
        } finally {
          await copy.close();
        }
        // Wait for the writer to move on, so each copy is taken mid-stream.
        while ((await rowCount(observer.db, 'journal_events')) <= counts[i]!) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(counts[0]! < counts[1]! && counts[1]! < counts[2]!, `copies should grow: ${counts.join(', ')}`);
    } finally {
      writer.kill();
      await observer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restores into an empty database, and refuses damaged files and non-empty targets untouched', async () => {
    const dir = tempDir();
    const source = await migratedSqlite(path.join(dir, 'source.db'));
    const target = await migratedSqlite(path.join(dir, 'target.db'));
    try {
      await seedJournal(source, 80);
      const file = path.join(dir, 'backup.db');
      await createBackup(source, { file, vigilVersion: 'test' });
      const bytes = fs.readFileSync(file);
      const empty = await snapshot(target);

      fs.writeFileSync(path.join(dir, 'cut.db'), bytes.subarray(0, bytes.length - 4096));
      await assert.rejects(restoreBackup(target, path.join(dir, 'cut.db')), withCode('backup.truncated'));
      const damaged = Buffer.from(bytes);
      damaged.fill(0xa5, 4096, 4096 + 512); // the header of page 2, a b-tree page
      fs.writeFileSync(path.join(dir, 'damaged.db'), damaged);
      await assert.rejects(restoreBackup(target, path.join(dir, 'damaged.db')), withCode('backup.corrupt'));
      assert.deepEqual(await snapshot(target), empty);

      const report = await restoreBackup(target, file);
      assert.equal(report.format, 'sqlite');
      assert.deepEqual(await snapshot(target), await snapshot(source));
      assert.ok((await verifyJournal(target.db, { publicKeys: [] })).intact);

      await seedJournal(source, 5);
      const second = path.join(dir, 'second.db');
      await createBackup(source, { file: second, vigilVersion: 'test' });
      await assert.rejects(restoreBackup(target, second), withCode('backup.target_not_empty'));
      await restoreBackup(target, second, { force: true });
      assert.equal(await rowCount(target.db, 'journal_events'), 85);
    } finally {
      await source.close();
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to restore a SQLite file into PostgreSQL', { skip: skipFor('postgres') }, () =>
    withDatabases(['sqlite', 'postgres'], async (source, target) => {
      const file = path.join(source.dir, 'b.db');
      await createBackup(source.handle, { file, vigilVersion: 'test' });
      await assert.rejects(restoreBackup(target.handle, file), withCode('backup.wrong_dialect'));
    }),
  );
});

/**
 * PostgreSQL drops the server's connections while events pour in (a failover, a restart, an
 * administrator's pg_terminate_backend): the server (a full `createApp`) reconnects by itself,
 * every event it acknowledged is journaled exactly once, every event in flight at the drop is
 * either journaled and acknowledged or refused to its sender — never journaled behind a refusal,
 * never lost behind an acknowledgement — and the journal verifies. The narrowest case gets a test
 * of its own: the connection drops after COMMIT reached the database but before its answer came
 * back (a proxy in front of PostgreSQL cuts it there).
 *
 * Only this server's connections are cut (they carry an application name of their own), so
 * suites running beside this one on the same database are left alone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { sql } from 'kysely';
import { doorContactOpened } from '../adapters/mqtt/index.js';
import { createApp, type App } from '../app.js';
import { eventually } from '../bus/test-servers.js';
import { loadConfig, resolvePaths } from '../kernel/config.js';
import { readSigningKey, verifyJournal } from '../modules/audit/index.js';
import { openPostgres } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrations.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../storage/testing.js';
import { CommitCutter } from './commit-cutter.js';

const pgUrl = postgresTestUrl();
const PRODUCERS = 24;
const DROPS = 4;

void describe('intake through PostgreSQL connection drops', { skip: pgUrl ? false : POSTGRES_SKIP_REASON, timeout: 120_000 }, () => {
  const suffix = randomUUID().slice(0, 8);
  const schema = `vigil_drop_${process.pid}_${suffix}`;
  const applicationName = `vigil-drop-test-${suffix}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-pg-drop-'));
  let app: App;
  let cutter: CommitCutter;
  const admin = () => openPostgres({ url: pgUrl!, poolSize: 1 });

  before(async () => {
    const db = admin();
    await sql`create schema ${sql.id(schema)}`.execute(db.db);
    await db.close();
    const migrator = openPostgres({ url: pgUrl!, schema, poolSize: 1 });
    await migrateToLatest(migrator.db, { dialect: 'postgres', schema });
    await migrator.close();
    const url = new URL(pgUrl!);
    cutter = await CommitCutter.open(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(cutter.port);
    url.searchParams.set('options', `-c search_path=${schema}`);
    url.searchParams.set('application_name', applicationName);
    app = await createApp(
      loadConfig(
        {},
        {
          dataDir,
          database: { url: url.toString(), poolSize: 4 },
          http: { port: 0 },
          intake: { sourceRatePerSecond: 0 },
          log: { level: 'silent' },
        },
      ),
    );
    await app.start();
  });

  after(async () => {
    await app?.stop();
    await cutter?.close();
    const db = admin();
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db.db);
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Terminates every backend of this server; resolves to how many there were. */
  async function dropConnections(): Promise<number> {
    const db = admin();
    try {
      const result = await sql<{ terminated: boolean }>`
        select pg_terminate_backend(pid) as terminated from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and application_name = ${applicationName}`.execute(db.db);
      return result.rows.filter((r) => r.terminated).length;
    } finally {
      await db.close();
    }
  }

  it('reconnects, keeps every acknowledged event exactly once, and refuses only what it did not journal', async (t) => {
    const acknowledged: string[] = [];
    const refused = new Map<string, string>();
    let sent = 0;
    let stop = false;
    // Devices without a message id of their own: the subject marks each reading for the checks.
    const producers = Array.from({ length: PRODUCERS }, async (_, p) => {
      for (let i = 0; !stop; i++) {
        const marker = `reading-${p}-${i}`;
        sent++;
        try {
          await app.intake.submit(doorContactOpened.draft({ site: 'main', source: `device:DC-${p}`, subject: marker }, {}));
          acknowledged.push(marker);
        } catch (e) {
          refused.set(marker, isVigilError(e) ? e.code : String(e));
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });

    let terminated = 0;
    for (let drop = 0; drop < DROPS; drop++) {
      const target = acknowledged.length + 300;
      await eventually(() => acknowledged.length >= target, 'events acknowledged between drops', 60_000);
      terminated += await dropConnections();
    }
    const afterDrops = acknowledged.length;
    await eventually(() => acknowledged.length >= afterDrops + 500, 'ingest going on after the last drop', 60_000);
    stop = true;
    await Promise.all(producers);
    t.diagnostic(`${sent} sent, ${acknowledged.length} acknowledged, ${refused.size} refused, ${terminated} backends terminated`);
    assert.ok(terminated >= DROPS, 'the server’s connections were cut each time');
    assert.deepEqual(
      [...new Set(refused.values())].filter((code) => code !== 'intake.append_failed'),
      [],
      'a refusal names the journal write that failed',
    );

    const rows = await app.handle.db.selectFrom('journal_events').select(['subject']).where('type', '=', 'door.contact_opened').execute();
    const copies = new Map<string, number>();
    for (const row of rows) copies.set(row.subject!, (copies.get(row.subject!) ?? 0) + 1);
    assert.deepEqual(
      acknowledged.filter((m) => copies.get(m) !== 1),
      [],
      'every acknowledged event is journaled exactly once',
    );
    assert.deepEqual(
      [...refused.keys()].filter((m) => copies.has(m)),
      [],
      'no refused event is journaled',
    );
    assert.equal(rows.length, acknowledged.length, 'nothing journaled that was neither acknowledged nor refused');

    const keyFile = resolvePaths(app.config).signingKeyFile;
    const verification = await verifyJournal(app.handle.db, {
      publicKeys: [readSigningKey(keyFile).publicKey],
      checkpointEvery: app.config.journal.checkpointEvery,
    });
    assert.equal(verification.intact, true, JSON.stringify(verification));
  });

  it('acknowledges an event whose commit answer was lost, stores it once, and goes on', async () => {
    const marker = `lost-answer-${randomUUID()}`;
    cutter.arm(marker);
    const before = cutter.cut;
    const [event] = await app.intake.submit(doorContactOpened.draft({ site: 'main', source: 'device:DC-CUT', subject: marker }, {}));
    assert.equal(cutter.cut, before + 1, 'the answer to the commit was lost');
    const rows = await app.handle.db.selectFrom('journal_events').select('id').where('subject', '=', marker).execute();
    assert.deepEqual(rows, [{ id: event!.id }]);
    const [next] = await app.intake.submit(
      doorContactOpened.draft({ site: 'main', source: 'device:DC-CUT', subject: `${marker}-next` }, {}),
    );
    assert.ok(next, 'the next event is journaled on a new connection');
  });
});

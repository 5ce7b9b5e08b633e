/**
 * Two server nodes on one PostgreSQL and one NATS, each a full `createApp`: what one journals,
 * the other hears; stopping one loses nothing it acknowledged; the journal stays intact.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVigilError, type VigilEvent } from '@vigil/core';
import { sql } from 'kysely';
import { connect } from 'nats';
import { panicPressed } from '../adapters/mqtt/events.js';
import { createApp, type App } from '../app.js';
import { eventually } from '../bus/test-servers.js';
import { loadConfig, resolvePaths } from '../kernel/config.js';
import { readSigningKey, verifyJournal } from '../modules/audit/index.js';
import { openPostgres } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrations.js';
import { postgresTestUrl } from '../storage/testing.js';

const pgUrl = postgresTestUrl();
const natsUrl = process.env['VIGIL_TEST_NATS_URL'];
const SKIP =
  pgUrl && natsUrl
    ? false
    : 'Two-node suite skipped: it needs both VIGIL_TEST_DATABASE_URL (PostgreSQL) and VIGIL_TEST_NATS_URL (NATS JetStream)';

void describe('two nodes on PostgreSQL and NATS JetStream', { skip: SKIP }, () => {
  const schema = `vigil_nodes_${process.pid}_${randomUUID().slice(0, 8)}`;
  const prefix = `vigiltest.${randomUUID().slice(0, 8)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nodes-'));
  let a: App;
  let b: App;
  let aStopped = false;
  /** Every delivery on node B, duplicates included. */
  const deliveredOnB: VigilEvent[] = [];
  const deliveredOnA: VigilEvent[] = [];

  const configFor = (nodeName: string) => {
    const url = new URL(pgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return loadConfig(
      {},
      {
        dataDir,
        database: { url: url.toString(), poolSize: 4 },
        http: { port: 0 },
        bus: { natsUrl, natsSubjectPrefix: prefix, nodeName },
        log: { level: 'silent' },
      },
    );
  };
  const panic = (n: number) => panicPressed.draft({ site: 'main', zone: 'ed', source: `device:PB-${n % 7}` }, {});

  before(async () => {
    const admin = openPostgres({ url: pgUrl!, poolSize: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    // Migrate with the schema named: without it Kysely's migrator finds another schema's
    // bookkeeping tables (other suites run beside this one) and skips creating its own.
    const migrator = openPostgres({ url: pgUrl!, schema, poolSize: 1 });
    await migrateToLatest(migrator.db, { dialect: 'postgres', schema });
    await migrator.close();
    a = await createApp(configFor('node-a'));
    b = await createApp(configFor('node-b'));
    await a.start();
    await b.start();
    a.bus.subscribe({ types: ['panic.*'] }, (e) => void deliveredOnA.push(e), 'test');
    b.bus.subscribe({ types: ['panic.*'] }, (e) => void deliveredOnB.push(e), 'test');
  });

  after(async () => {
    if (!aStopped) await a?.stop();
    await b?.stop();
    const nc = await connect({ servers: natsUrl! });
    await (await nc.jetstreamManager()).streams.delete(prefix.toUpperCase().replace(/\./g, '_')).catch(() => false);
    await nc.close();
    const admin = openPostgres({ url: pgUrl!, poolSize: 1 });
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
    await admin.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('journals an event submitted on node A once and delivers it to subscribers on both nodes', async () => {
    const [event] = await a.intake.submit(panic(1));
    await eventually(() => deliveredOnB.some((e) => e.id === event!.id), 'node B heard the event');
    await eventually(() => deliveredOnA.some((e) => e.id === event!.id), 'node A heard the event');
    const rows = await b.handle.db.selectFrom('journal_events').select(['id', 'type', 'zone']).where('id', '=', event!.id).execute();
    assert.deepEqual(rows, [{ id: event!.id, type: 'panic.pressed', zone: 'ed' }]);
    const got = deliveredOnB.find((e) => e.id === event!.id)!;
    assert.equal(got.at.toISOString(), event!.at.toISOString());
    assert.equal(got.source, 'device:PB-1');
  });

  it('delivers events a node journaled but never published (it died before fan-out) through the relay', async () => {
    const [orphan] = await b.journal.appendNow(b.handle.db, [panic(2)]);
    await eventually(() => deliveredOnA.some((e) => e.id === orphan!.id), 'node A heard the relayed event');
    await eventually(() => deliveredOnB.some((e) => e.id === orphan!.id), 'node B heard the relayed event');
  });

  it('loses nothing node A acknowledged when it stops mid-stream, delivers each event once, and the journal verifies', async () => {
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let stopping: Promise<void> | undefined;
    const producers = Array.from({ length: 8 }, async (_, p) => {
      for (let i = 0; ; i++) {
        try {
          const [event] = await a.intake.submit(panic(p * 1000 + i));
          acknowledged.push(event!.id);
          if (acknowledged.length === 150) stopping = a.stop();
        } catch (e) {
          refused.push(isVigilError(e) ? e.code : String(e));
          return;
        }
      }
    });
    await Promise.all(producers);
    await stopping;
    aStopped = true;
    assert.ok(acknowledged.length >= 150);
    assert.deepEqual([...new Set(refused)], ['intake.stopped']);

    const stored = new Set(
      (await b.handle.db.selectFrom('journal_events').select('id').where('id', 'in', acknowledged).execute()).map((r) => r.id),
    );
    assert.equal(stored.size, acknowledged.length, 'every acknowledged event is journaled');
    await eventually(() => {
      const heard = new Set(deliveredOnB.map((e) => e.id));
      return acknowledged.every((id) => heard.has(id));
    }, 'node B heard every acknowledged event');
    const ids = deliveredOnB.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event was delivered twice on node B');

    const keyFile = resolvePaths(a.config).signingKeyFile;
    const publicKeys = fs.existsSync(keyFile) ? [readSigningKey(keyFile).publicKey] : [];
    const verification = await verifyJournal(b.handle.db, { publicKeys });
    assert.equal(verification.intact, true, JSON.stringify(verification));
    assert.ok(verification.summary.events >= acknowledged.length + 2);
  });
});

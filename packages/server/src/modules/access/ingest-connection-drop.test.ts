/**
 * An agent's event batch whose COMMIT answer is lost: a proxy in front of PostgreSQL forwards the
 * COMMIT and cuts the connection when the database answers. The ingest must ask whether the batch
 * landed and acknowledge it (stored once, fanned out once, the door state it carries applied), as
 * the general intake does; a batch that did not land is refused and lands whole on the retry.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId, type VigilEvent } from '@vigil/core';
import { agentStarted, doorForcedOpen, type EdgeEvent } from '@vigil/edge';
import { sql } from 'kysely';
import { createApp, type App } from '../../app.js';
import { CommitCutter } from '../../intake/commit-cutter.js';
import { loadConfig } from '../../kernel/config.js';
import { openPostgres } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrations.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../storage/testing.js';
import { EdgePrincipal } from './agents.js';

const pgUrl = postgresTestUrl();
const ACTOR = 'system:test';

void describe('edge ingest through a lost COMMIT answer', { skip: pgUrl ? false : POSTGRES_SKIP_REASON, timeout: 60_000 }, () => {
  const suffix = randomUUID().slice(0, 8);
  const schema = `vigil_edge_drop_${process.pid}_${suffix}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-edge-drop-'));
  let app: App;
  let cutter: CommitCutter;
  let principal: EdgePrincipal;
  let doorId: string;
  const published: string[] = [];
  const admin = () => openPostgres({ url: pgUrl!, poolSize: 1 });

  const event = (draft: { type: string; data: object }, door: string | null = null): EdgeEvent => ({
    id: newId(),
    type: draft.type,
    at: new Date().toISOString(),
    site: principal.siteId,
    source: `edge:${principal.keyId}`,
    subject: null,
    zone: null,
    door,
    correlationId: null,
    data: draft.data as Record<string, unknown>,
  });
  const started = () =>
    event(agentStarted.draft({ site: principal.siteId, source: 'x' }, { version: '0.1.0', snapshotVersion: null, bufferedEvents: 0 }));
  const journaled = async (ids: readonly string[]) =>
    (
      await app.handle.db
        .selectFrom('journal_events')
        .select('id')
        .where('id', 'in', [...ids])
        .execute()
    )
      .map((r) => r.id)
      .sort();

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
    app = await createApp(
      loadConfig({}, { dataDir, database: { url: url.toString(), poolSize: 2 }, http: { port: 0 }, log: { level: 'silent' } }),
    );
    await app.start();
    app.bus.subscribe({ types: ['edge.*', 'door.*'] }, (e: VigilEvent) => void published.push(e.id), 'test');
    const site = await app.facility.sites.create(ACTOR, { name: 'Drop site', timeZone: 'Europe/Zurich' });
    const zone = await app.facility.zones.create(ACTOR, { siteId: site.id, name: 'Ward', type: 'clinical' });
    doorId = (await app.facility.doors.create(ACTOR, { siteId: site.id, name: 'Ward door', toZoneId: zone.id })).id;
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const agent = await app.access.agents.register(ACTOR, { siteId: site.id, name: 'Drop controller', publicKey });
    principal = new EdgePrincipal(agent.id, agent.name, site.id, agent.keyId, '0'.repeat(64));
  });

  after(async () => {
    await app?.stop();
    await cutter?.close();
    const db = admin();
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db.db);
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('acknowledges a batch whose commit answer was lost, stores it once with its door state, and fans it out once', async () => {
    const forced = event(doorForcedOpen.draft({ site: principal.siteId, source: 'x' }, {}), doorId);
    const batch = [started(), forced];
    cutter.arm(forced.id);
    const cuts = cutter.cut;
    const acknowledged = await app.access.ingest.ingest(principal, batch);
    assert.equal(cutter.cut, cuts + 1, 'the answer to the commit was lost');
    assert.deepEqual(acknowledged.sort(), batch.map((e) => e.id).sort());
    assert.deepEqual(await journaled(acknowledged), acknowledged.sort(), 'stored');
    const state = await app.handle.db.selectFrom('access_door_states').selectAll().where('door_id', '=', doorId).executeTakeFirstOrThrow();
    assert.equal(state.alarm, 'forced_open', 'the door state committed with the events');
    await waitFor(() => batch.every((e) => published.includes(e.id)));

    // The agent never learned of it either way would re-send; the batch is not stored or fanned out twice.
    assert.deepEqual((await app.access.ingest.ingest(principal, batch)).sort(), acknowledged);
    assert.deepEqual(await journaled(acknowledged), acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(published.filter((id) => batch.some((e) => e.id === id)).length, 2, 'fanned out once');
  });

  it('takes the next batch on a new connection', async () => {
    const next = started();
    assert.deepEqual(await app.access.ingest.ingest(principal, [next]), [next.id]);
    assert.deepEqual(await journaled([next.id]), [next.id]);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

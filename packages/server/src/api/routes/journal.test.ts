/**
 * The journal routes through the real app: search narrowed to the caller's sites, paging, CSV
 * export that is itself journaled and safe to open in a spreadsheet, and verification whose latest
 * result is kept — including a broken one after the record was altered.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { loadOrCreateSigningKey, signCheckpoint, trustedKeysDirOf } from '../../modules/audit/index.js';
import { createSignedInOperator, createSite, startHarness, type Harness, type TestOperator } from '../test-harness.js';

type Json = Record<string, unknown>;

describe('journal API', () => {
  let h: Harness;
  let siteA: string;
  let siteB: string;
  let auditorAll: TestOperator;
  let auditorB: TestOperator;
  let frontDeskA: TestOperator;

  const call = async (who: TestOperator, method: 'GET' | 'POST', url: string) => {
    const response = await h.app.api.inject({ method, url, headers: { cookie: who.cookie } });
    const json = String(response.headers['content-type'] ?? '').includes('json');
    return {
      status: response.statusCode,
      body: (json && response.body ? JSON.parse(response.body) : {}) as Json,
      raw: response.body,
      headers: response.headers,
    };
  };

  before(async () => {
    h = await startHarness();
    siteA = await createSite(h, 'Journal A');
    siteB = await createSite(h, 'Journal B');
    // Events on each site: a building per site (and a name a spreadsheet would run as a formula).
    await h.app.facility.buildings.create('system:test', { siteId: siteA, name: '=HYPERLINK("http://evil")' });
    await h.app.facility.buildings.create('system:test', { siteId: siteB, name: 'West wing' });
    auditorAll = await createSignedInOperator(h, 'auditor-all', [{ role: 'auditor', site: '*' }]);
    auditorB = await createSignedInOperator(h, 'auditor-b', [{ role: 'auditor', site: siteB }]);
    frontDeskA = await createSignedInOperator(h, 'front-desk-a', [{ role: 'front-desk', site: siteA }]);
  });
  after(() => h.close());

  it('shows a site-scoped auditor only the events of their site, and an all-site auditor everything', async () => {
    const scoped = await call(auditorB, 'GET', '/api/journal?limit=500');
    assert.equal(scoped.status, 200);
    const items = scoped.body['items'] as Json[];
    assert.ok(items.length > 0);
    assert.ok(
      items.every((e) => e['site'] === siteB),
      'only site B',
    );

    const everything = await call(auditorAll, 'GET', '/api/journal?limit=500');
    const sites = new Set((everything.body['items'] as Json[]).map((e) => e['site']));
    assert.ok(sites.has(siteA) && sites.has(siteB) && sites.has(null), 'both sites and site-less events (sign-ins)');

    const asked = await call(auditorB, 'GET', `/api/journal?site=${siteA}`);
    assert.deepEqual(asked.body['items'], [], 'asking for another site yields nothing');
  });

  it('filters by type, pages with a cursor, and refuses a cursor reused with other filters', async () => {
    const first = await call(auditorAll, 'GET', '/api/journal?type=operator.signed_in&type=operator.created&limit=2');
    const page1 = first.body['items'] as Json[];
    assert.equal(page1.length, 2);
    assert.ok(page1.every((e) => e['type'] === 'operator.signed_in' || e['type'] === 'operator.created'));
    const cursor = first.body['nextCursor'] as string;
    assert.ok(cursor);
    const second = await call(auditorAll, 'GET', `/api/journal?type=operator.signed_in&type=operator.created&limit=2&cursor=${cursor}`);
    const page2 = second.body['items'] as Json[];
    assert.ok((page2[0]?.['seq'] as number) < (page1[1]?.['seq'] as number), 'older events on the next page');

    const reused = await call(auditorAll, 'GET', `/api/journal?type=site.created&cursor=${cursor}`);
    assert.equal(reused.status, 400);
    assert.equal(reused.body['code'], 'page.invalid_cursor');
  });

  it('refuses the journal to front-desk staff, who lack journal.read', async () => {
    const refused = await call(frontDeskA, 'GET', '/api/journal');
    assert.equal(refused.status, 403);
    assert.equal(refused.body['code'], 'auth.forbidden');
  });

  it('exports CSV oldest first, neutralises formulas, and journals the export', async () => {
    const exported = await call(auditorAll, 'GET', `/api/journal/export.csv?site=${siteA}`);
    assert.equal(exported.status, 200);
    assert.match(String(exported.headers['content-type']), /^text\/csv/);
    assert.match(String(exported.headers['content-disposition']), /attachment; filename="vigil-journal-/);
    const rows = parse<Record<string, string>>(exported.raw, { columns: true });
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((r) => r['site'] === siteA));
    const seqs = rows.map((r) => Number(r['seq']));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'oldest first',
    );
    const building = rows.find((r) => r['type'] === 'building.created');
    assert.ok(building, 'the building event is exported');
    assert.ok(!building['data']!.startsWith('='), 'data cell is JSON, not a formula');
    assert.ok(!rows.some((r) => Object.values(r).some((v) => /^[=+@]/.test(v))), 'no cell starts a formula');

    const recorded = await call(auditorAll, 'GET', '/api/journal?type=journal.exported');
    const event = (recorded.body['items'] as Json[])[0];
    assert.ok(event, 'journal.exported recorded');
    assert.equal(event['source'], `operator:${auditorAll.id}`);
    assert.deepEqual((event['data'] as Json)['filters'], { site: siteA });
    assert.equal((event['data'] as Json)['rows'], rows.length);
  });

  it('reads one event by id, answering unknown for one the caller may not read', async () => {
    const page = await call(auditorAll, 'GET', `/api/journal?site=${siteA}&limit=1`);
    const event = (page.body['items'] as Json[])[0]!;
    const one = await call(auditorAll, 'GET', `/api/journal/events/${String(event['id'])}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, event);

    const otherSite = await call(auditorB, 'GET', `/api/journal/events/${String(event['id'])}`);
    assert.equal(otherSite.status, 404);
    assert.equal(otherSite.body['code'], 'audit.event_not_found');
    const unknown = await call(auditorAll, 'GET', '/api/journal/events/0190a0e0-0000-7000-8000-00000000dead');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body['code'], 'audit.event_not_found');
  });

  it('keeps the latest verification result, and reports the first altered record after tampering', async () => {
    const none = await call(auditorAll, 'GET', '/api/journal/verifications/latest');
    assert.equal(none.status, 404);
    assert.equal(none.body['code'], 'journal.never_verified');

    const scopedRun = await call(auditorB, 'POST', '/api/journal/verifications');
    assert.equal(scopedRun.status, 403, 'verifying the whole journal needs the permission on every site');

    const run = await call(auditorAll, 'POST', '/api/journal/verifications');
    assert.equal(run.status, 200);
    assert.equal(run.body['intact'], true);
    assert.equal(run.body['problem'], null);
    assert.ok((run.body['events'] as number) > 5);
    assert.equal(run.body['by'], `operator:${auditorAll.id}`);

    const latest = await call(auditorAll, 'GET', '/api/journal/verifications/latest');
    assert.equal(latest.body['id'], run.body['id']);

    const original = await h.app.handle.db.selectFrom('journal_events').select('source').where('seq', '=', 3).executeTakeFirstOrThrow();
    await h.app.handle.db.updateTable('journal_events').set({ source: 'system:someone-else' }).where('seq', '=', 3).execute();
    const broken = await call(auditorAll, 'POST', '/api/journal/verifications');
    assert.equal(broken.body['intact'], false);
    assert.deepEqual(broken.body['problem'] && (broken.body['problem'] as Json)['seq'], 3);
    assert.equal((broken.body['problem'] as Json)['reason'], 'modified');
    const after = await call(auditorAll, 'GET', '/api/journal/verifications/latest');
    assert.equal(after.body['intact'], false, 'the latest result is the broken one');

    await h.app.handle.db.updateTable('journal_events').set({ source: original.source }).where('seq', '=', 3).execute();
    const repaired = await call(auditorAll, 'POST', '/api/journal/verifications');
    assert.equal(repaired.body['intact'], true, 'the record put back verifies again');
  });

  it('trusts the keys confirmed in journal-trusted-keys, as the CLI does, so a restored journal verifies', async () => {
    // A checkpoint signed by the installation the journal was restored from.
    await h.app.facility.buildings.create('system:test', { siteId: siteA, name: 'East wing' });
    const { db } = h.app.handle;
    const head = await db.selectFrom('journal_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    const previous = loadOrCreateSigningKey(path.join(h.dir, 'previous-installation', 'journal-signing.key'));
    const claim = { seq: head.seq, hash: head.hash, signedAt: h.clock.now().toISOString(), every: 1000 };
    await db
      .insertInto('journal_checkpoints')
      .values({
        seq: claim.seq,
        hash: claim.hash,
        signed_at: claim.signedAt,
        key_id: previous.keyId,
        signature: signCheckpoint(previous, claim),
        checkpoint_every: claim.every,
      })
      .execute();

    const untrusted = await call(auditorAll, 'POST', '/api/journal/verifications');
    assert.equal(untrusted.body['intact'], false);
    assert.equal((untrusted.body['problem'] as Json)['reason'], 'checkpoint_unknown_key');

    const dir = trustedKeysDirOf(path.join(h.dir, 'journal-signing.key'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${previous.keyId}.pub`), previous.publicKey.export({ type: 'spki', format: 'pem' }));
    const trusted = await call(auditorAll, 'POST', '/api/journal/verifications');
    assert.equal(trusted.body['intact'], true, JSON.stringify(trusted.body['problem']));
  });
});

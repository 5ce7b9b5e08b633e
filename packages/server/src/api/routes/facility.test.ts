/**
 * Facility routes through the real app: signed-in operators with site-scoped roles, the SVG upload
 * path, problem+json errors and list filtering by the sites a caller may read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, problemOf, startHarness, type Harness, type TestOperator } from '../test-harness.js';

type Json = Record<string, unknown>;

const PLAN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400"><rect width="800" height="400" fill="#eee"/></svg>';

describe('facility API', () => {
  let h: Harness;
  let admin: TestOperator;
  let managerA: TestOperator;
  let viewerA: TestOperator;
  let siteA: Json;
  let siteB: Json;

  const call = async (who: TestOperator | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await h.app.api.inject({
      method,
      url,
      headers: who ? { cookie: who.cookie } : {},
      ...(payload !== undefined ? { payload: payload as Json } : {}),
    });
    return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Json) : {}, headers: response.headers };
  };
  const ok = async (who: TestOperator, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await call(who, method, url, payload);
    assert.ok(response.status < 300, `${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const uploadPlan = (who: TestOperator, floorId: string, svg: string, type = 'image/svg+xml') =>
    h.app.api.inject({
      method: 'PUT',
      url: `/api/floors/${floorId}/plan`,
      headers: { cookie: who.cookie, 'content-type': type },
      payload: svg,
    });

  before(async () => {
    h = await startHarness();
    admin = await createSignedInOperator(h, 'facility-admin', [{ role: 'admin', site: '*' }]);
    siteA = await ok(admin, 'POST', '/api/sites', { name: 'North Campus', timeZone: 'America/Chicago' });
    siteB = await ok(admin, 'POST', '/api/sites', { name: 'South Campus', timeZone: 'America/Chicago' });
    managerA = await createSignedInOperator(h, 'manager-a', [{ role: 'security-manager', site: String(siteA['id']) }]);
    viewerA = await createSignedInOperator(h, 'viewer-a', [{ role: 'operator', site: String(siteA['id']) }]);
  });
  after(async () => {
    await h.close();
  });

  it('refuses callers who are not signed in', async () => {
    const response = await call(null, 'GET', '/api/sites');
    assert.equal(response.status, 401);
    assert.equal(response.body['code'], 'auth.required');
  });

  it('creates a site and journals it under the operator', async () => {
    assert.equal(siteA['timeZone'], 'America/Chicago');
    const row = await h.app.handle.db
      .selectFrom('journal_events')
      .select(['source', 'type'])
      .where('type', '=', 'site.created')
      .where('site', '=', String(siteA['id']))
      .executeTakeFirstOrThrow();
    assert.equal(row.source, `operator:${admin.id}`);
  });

  it('answers a bad time zone and an unknown field with stable codes', async () => {
    const zone = await call(admin, 'POST', '/api/sites', { name: 'Mars Base', timeZone: 'Mars/Olympus_Mons' });
    assert.equal(zone.status, 400);
    assert.equal(zone.body['code'], 'facility.time_zone_unknown');
    const extra = await call(admin, 'POST', '/api/sites', { name: 'Extra', timeZone: 'UTC', colour: 'red' });
    assert.equal(extra.status, 400);
    assert.equal(extra.body['code'], 'request.invalid');
  });

  it('lets only a grant on all sites create a site', async () => {
    const response = await call(managerA, 'POST', '/api/sites', { name: 'Rogue Campus', timeZone: 'UTC' });
    assert.equal(response.status, 403);
    assert.equal(response.body['code'], 'auth.forbidden');
  });

  it('confines a site-scoped manager to their site, in changes and in lists', async () => {
    const zone = await ok(managerA, 'POST', '/api/zones', { siteId: siteA['id'], name: 'Pharmacy', type: 'pharmacy' });
    assert.equal(zone['securityLevel'], 4);
    const foreign = await call(managerA, 'POST', '/api/zones', { siteId: siteB['id'], name: 'Pharmacy', type: 'pharmacy' });
    assert.equal(foreign.status, 403);
    const zoneB = await ok(admin, 'POST', '/api/zones', { siteId: siteB['id'], name: 'Lobby B', type: 'public' });

    const listed = await ok(managerA, 'GET', '/api/zones');
    const sites = new Set((listed['items'] as Json[]).map((z) => z['siteId']));
    assert.deepEqual([...sites], [siteA['id']]);
    assert.equal((await call(managerA, 'GET', `/api/zones?site=${String(siteB['id'])}`)).status, 403);
    assert.equal((await call(managerA, 'GET', `/api/zones/${String(zoneB['id'])}`)).status, 403);
    assert.equal((await call(managerA, 'PATCH', `/api/zones/${String(zoneB['id'])}`, { securityLevel: 1 })).status, 403);
    const sitesListed = await ok(managerA, 'GET', '/api/sites');
    assert.deepEqual(
      (sitesListed['items'] as Json[]).map((s) => s['id']),
      [siteA['id']],
    );
  });

  it('lets a reader read but not change', async () => {
    const zone = await ok(admin, 'POST', '/api/zones', { siteId: siteA['id'], name: 'Main Lobby', type: 'public' });
    const door = await ok(admin, 'POST', '/api/doors', { siteId: siteA['id'], name: 'Main Entrance', toZoneId: zone['id'], egress: true });
    const read = await ok(viewerA, 'GET', `/api/doors/${String(door['id'])}`);
    assert.equal(read['lockFailMode'], 'fail_safe');
    const change = await call(viewerA, 'PATCH', `/api/doors/${String(door['id'])}`, { unlockSeconds: 10 });
    assert.equal(change.status, 403);
    assert.equal(change.body['code'], 'auth.forbidden');
  });

  it('uploads a floor plan as image/svg+xml and serves the sanitised copy with a script-blocking policy', async () => {
    const building = await ok(managerA, 'POST', '/api/buildings', { siteId: siteA['id'], name: 'Tower' });
    const floor = await ok(managerA, 'POST', '/api/floors', { buildingId: building['id'], name: 'Ground', level: 0 });
    const upload = await uploadPlan(managerA, String(floor['id']), `<?xml version="1.0"?><!-- drawn in CAD -->${PLAN}`);
    assert.equal(upload.statusCode, 200, upload.body);
    const stored = JSON.parse(upload.body) as { plan: { viewBox: Json; sha256: string } };
    assert.deepEqual(stored.plan.viewBox, { minX: 0, minY: 0, width: 800, height: 400 });

    const plan = await h.app.api.inject({
      method: 'GET',
      url: `/api/floors/${String(floor['id'])}/plan`,
      headers: { cookie: viewerA.cookie },
    });
    assert.equal(plan.statusCode, 200);
    assert.match(String(plan.headers['content-type']), /^image\/svg\+xml/);
    assert.match(String(plan.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(plan.headers['etag'], `"${stored.plan.sha256}"`);
    assert.doesNotMatch(plan.body, /CAD/);
    assert.match(plan.body, /<rect width="800" height="400" fill="#eee"\/>/);
  });

  it('refuses a plan with a script, naming it, and keeps nothing of it', async () => {
    const building = await ok(admin, 'POST', '/api/buildings', { siteId: siteA['id'], name: 'Annex' });
    const floor = await ok(admin, 'POST', '/api/floors', { buildingId: building['id'], name: 'Ground', level: 0 });
    const hostile = PLAN.replace('<rect', '<script>fetch("//evil")</script><rect onclick="x()"');
    const response = await uploadPlan(admin, String(floor['id']), hostile);
    assert.equal(response.statusCode, 400);
    const problem = problemOf(response.body);
    assert.equal(problem.code, 'facility.svg_unsafe');
    assert.deepEqual(problem['findings'], ['<script> element', 'onclick event-handler attribute on <rect>']);
    assert.equal((await ok(admin, 'GET', `/api/floors/${String(floor['id'])}`))['plan'], null);
    const missing = await call(admin, 'GET', `/api/floors/${String(floor['id'])}/plan`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body['code'], 'facility.floor_plan_missing');

    const asJson = await call(admin, 'PUT', `/api/floors/${String(floor['id'])}/plan`, { svg: PLAN });
    assert.equal(asJson.status, 400);
    assert.equal(asJson.body['code'], 'request.unsupported_media_type');
    const latin1 = await h.app.api.inject({
      method: 'PUT',
      url: `/api/floors/${String(floor['id'])}/plan`,
      headers: { cookie: admin.cookie, 'content-type': 'image/svg+xml' },
      payload: Buffer.from(PLAN.replace('#eee', '#eee" data-x="caf\xe9'), 'latin1'),
    });
    assert.equal(latin1.statusCode, 400);
    assert.equal(problemOf(latin1.body).code, 'facility.svg_invalid');
    const withCharset = await uploadPlan(admin, String(floor['id']), PLAN, 'image/svg+xml; charset=utf-8');
    assert.equal(withCharset.statusCode, 200, withCharset.body);
  });

  it('registers devices by serial or MAC and answers a duplicate with the existing device', async () => {
    const reader = await ok(managerA, 'POST', '/api/devices', {
      siteId: siteA['id'],
      kind: 'reader',
      name: 'Pharmacy reader',
      macAddress: '02-00-5E-AA-00-01',
      ipAddress: '10.0.5.21',
    });
    assert.equal(reader['stableId'], 'mac:02:00:5e:aa:00:01');
    const duplicate = await call(admin, 'POST', '/api/devices', {
      siteId: siteB['id'],
      kind: 'reader',
      name: 'Again',
      macAddress: '02005eaa0001',
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body['code'], 'facility.device_already_registered');
    assert.equal(duplicate.body['deviceId'], reader['id']);

    const renamed = await ok(managerA, 'PATCH', `/api/devices/${String(reader['id'])}`, {
      ipAddress: '10.0.6.21',
      name: 'Pharmacy reader (new VLAN)',
    });
    assert.equal(renamed['id'], reader['id']);
    const move = await call(managerA, 'PATCH', `/api/devices/${String(reader['id'])}`, { siteId: siteB['id'] });
    assert.equal(move.status, 403);
    const filtered = await ok(viewerA, 'GET', `/api/devices?site=${String(siteA['id'])}&kind=reader`);
    assert.ok((filtered['items'] as Json[]).some((d) => d['id'] === reader['id']));
  });

  it('pages with opaque cursors and rejects a forged one', async () => {
    for (const name of ['B1', 'B2', 'B3']) await ok(admin, 'POST', '/api/buildings', { siteId: siteB['id'], name });
    const first = await ok(admin, 'GET', `/api/buildings?site=${String(siteB['id'])}&limit=2`);
    assert.equal((first['items'] as Json[]).length, 2);
    assert.equal(typeof first['nextCursor'], 'string');
    const second = await ok(admin, 'GET', `/api/buildings?site=${String(siteB['id'])}&limit=2&cursor=${String(first['nextCursor'])}`);
    assert.deepEqual(
      (second['items'] as Json[]).map((b) => b['name']),
      ['B3'],
    );
    assert.equal(second['nextCursor'], null);
    const forged = await call(admin, 'GET', '/api/buildings?cursor=eyJsIjoieCJ9');
    assert.equal(forged.status, 400);
    assert.equal(forged.body['code'], 'page.invalid_cursor');
  });

  it('refuses to remove a zone a door uses, with what uses it', async () => {
    const lobby = await ok(admin, 'POST', '/api/zones', { siteId: siteB['id'], name: 'Ward B', type: 'clinical' });
    const door = await ok(admin, 'POST', '/api/doors', { siteId: siteB['id'], name: 'Ward Door', toZoneId: lobby['id'] });
    const refused = await call(admin, 'DELETE', `/api/zones/${String(lobby['id'])}`);
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body['usedBy'], { doors: 1 });
    assert.equal((await call(admin, 'DELETE', `/api/doors/${String(door['id'])}`)).status, 204);
    assert.equal((await call(admin, 'DELETE', `/api/zones/${String(lobby['id'])}`)).status, 204);
    assert.equal((await call(admin, 'GET', `/api/zones/${String(lobby['id'])}`)).status, 404);
  });

  it('lists the zone-type catalogue', async () => {
    const response = await h.app.api.inject({ method: 'GET', url: '/api/zone-types', headers: { cookie: viewerA.cookie } });
    const types = JSON.parse(response.body) as Json[];
    assert.deepEqual(
      types.find((t) => t['type'] === 'mri_zone_4'),
      {
        type: 'mri_zone_4',
        label: 'MRI zone IV',
        description: 'The MR scanner room itself, under direct MR-personnel supervision.',
        defaultSecurityLevel: 5,
        defaultSecurityLevelName: 'critical',
      },
    );
  });
});

/**
 * What the operator console needs from the API beyond plain configuration: the event-type list,
 * zone outlines on floor plans, device battery and last-seen, deleting plans and correlations,
 * and the alarm rules a fresh installation starts with.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pinLockedOut } from '@vigil/edge';
import { createLogger } from '../../kernel/logger.js';
import { DEFAULT_RULES, DEFAULTS_ACTOR, seedDefaultRules } from '../../modules/automation/index.js';
import { DeviceSightings } from '../../modules/facility/index.js';
import { createSignedInOperator, createSite, startHarness, type Harness, type TestOperator } from '../test-harness.js';

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const PLAN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400"><rect width="800" height="400" fill="#eee"/></svg>';
const SQUARE = [
  { x: 100, y: 100 },
  { x: 300, y: 100 },
  { x: 300, y: 300 },
  { x: 100, y: 300 },
];

describe('console support API', () => {
  let h: Harness;
  let siteA: string;
  let siteB: string;
  let admin: TestOperator;
  let managerA: TestOperator;
  let operatorA: TestOperator;
  let frontDesk: TestOperator;

  const call = async (who: TestOperator | null, method: Method, url: string, payload?: unknown) => {
    const response = await h.app.api.inject({
      method,
      url,
      headers: who ? { cookie: who.cookie } : {},
      ...(payload !== undefined ? { payload: payload as Json } : {}),
    });
    const json = String(response.headers['content-type'] ?? '').includes('json');
    return { status: response.statusCode, body: (json && response.body ? JSON.parse(response.body) : {}) as Json, raw: response.body };
  };
  const ok = async (who: TestOperator, method: Method, url: string, payload?: unknown) => {
    const response = await call(who, method, url, payload);
    assert.ok(response.status < 300, `${method} ${url}: ${response.status} ${response.raw}`);
    return response.body;
  };
  const journaled = async (type: string) => (await ok(admin, 'GET', `/api/journal?type=${type}`))['items'] as Json[];

  before(async () => {
    h = await startHarness({ settings: { http: { port: 0 }, automation: { doorConfirmTimeoutMs: 200 } } });
    await h.app.start();
    siteA = await createSite(h, 'Console A');
    siteB = await createSite(h, 'Console B');
    admin = await createSignedInOperator(h, 'console-admin', [{ role: 'admin', site: '*' }]);
    managerA = await createSignedInOperator(h, 'console-mgr', [{ role: 'security-manager', site: siteA }]);
    operatorA = await createSignedInOperator(h, 'console-op', [{ role: 'operator', site: siteA }]);
    frontDesk = await createSignedInOperator(h, 'console-desk', [{ role: 'front-desk', site: siteA }]);
  });
  after(async () => {
    await h.close();
  });

  it('lists the event types the intake validates against, with their descriptions', async () => {
    const list = (await ok(operatorA, 'GET', '/api/event-types'))['items'] as Json[];
    const forced = list.find((t) => t['type'] === 'door.forced_open');
    assert.ok(forced, 'door.forced_open is listed');
    assert.equal(forced['domain'], 'door');
    assert.ok(String(forced['description']).length > 0);
    assert.ok(
      list.some((t) => t['type'] === 'zone.outline_drawn'),
      'types of every module are listed',
    );
    const types = list.map((t) => String(t['type']));
    assert.deepEqual(
      types,
      [...types].sort((a, b) => a.localeCompare(b)),
      'sorted for a picker',
    );
    assert.equal((await call(null, 'GET', '/api/event-types')).status, 401);
    assert.equal((await call(frontDesk, 'GET', '/api/event-types')).status, 403, 'needs journal.read');
  });

  describe('zone outlines', () => {
    let building: string;
    let floor: string;
    let bareFloor: string;
    let zone: string;

    before(async () => {
      building = String((await ok(admin, 'POST', '/api/buildings', { siteId: siteA, name: 'Main' }))['id']);
      floor = String((await ok(admin, 'POST', '/api/floors', { buildingId: building, name: 'Ground', level: 0 }))['id']);
      bareFloor = String((await ok(admin, 'POST', '/api/floors', { buildingId: building, name: 'First', level: 1 }))['id']);
      const upload = await h.app.api.inject({
        method: 'PUT',
        url: `/api/floors/${floor}/plan`,
        headers: { cookie: admin.cookie, 'content-type': 'image/svg+xml' },
        payload: PLAN,
      });
      assert.equal(upload.statusCode, 200, upload.body);
      zone = String(
        (await ok(admin, 'POST', '/api/zones', { siteId: siteA, name: 'Pharmacy', type: 'pharmacy', buildingId: building }))['id'],
      );
    });

    it('draws, redraws and removes an outline, journaling each change', async () => {
      const drawn = await ok(managerA, 'PUT', `/api/zones/${zone}/outlines/${floor}`, { points: SQUARE });
      assert.deepEqual(drawn['points'], SQUARE);
      const triangle = SQUARE.slice(0, 3);
      await ok(managerA, 'PUT', `/api/zones/${zone}/outlines/${floor}`, { points: triangle });
      const onFloor = (await ok(operatorA, 'GET', `/api/floors/${floor}/zone-outlines`))['items'] as Json[];
      assert.deepEqual(
        onFloor.map((o) => [o['zoneId'], o['points']]),
        [[zone, triangle]],
        'a redraw replaces the outline',
      );
      assert.equal(((await ok(operatorA, 'GET', `/api/zones/${zone}/outlines`))['items'] as Json[]).length, 1);
      assert.equal((await journaled('zone.outline_drawn')).length, 2);

      assert.equal((await call(operatorA, 'PUT', `/api/zones/${zone}/outlines/${floor}`, { points: SQUARE })).status, 403);
      assert.equal((await call(managerA, 'DELETE', `/api/zones/${zone}/outlines/${floor}`)).status, 204);
      assert.deepEqual((await ok(operatorA, 'GET', `/api/floors/${floor}/zone-outlines`))['items'], []);
      assert.equal((await journaled('zone.outline_removed')).length, 1);
      const again = await call(managerA, 'DELETE', `/api/zones/${zone}/outlines/${floor}`);
      assert.equal(again.status, 404);
    });

    it('refuses outlines that cannot be drawn on the plan, with stable codes', async () => {
      const put = (points: unknown, on = floor) => call(managerA, 'PUT', `/api/zones/${zone}/outlines/${on}`, { points });
      assert.equal((await put(SQUARE.slice(0, 2))).body['code'], 'request.invalid', 'fewer than three corners');
      const many = Array.from({ length: 201 }, (_, i) => ({ x: 100 + i, y: 100 + (i % 2) }));
      assert.equal((await put(many)).body['code'], 'request.invalid', 'too many corners');
      assert.equal((await put([...SQUARE.slice(0, 3), { x: '1', y: 2 }])).body['code'], 'request.invalid', 'numbers only');
      const outside = await put([...SQUARE.slice(0, 3), { x: 900, y: 100 }]);
      assert.equal(outside.status, 400);
      assert.equal(outside.body['code'], 'facility.zone_outline_invalid');
      assert.equal(outside.body['point'], 3);
      const line = await put([
        { x: 10, y: 10 },
        { x: 20, y: 20 },
        { x: 30, y: 30 },
      ]);
      assert.equal(line.body['code'], 'facility.zone_outline_invalid', 'corners in a line enclose nothing');
      assert.equal((await put(SQUARE, bareFloor)).body['code'], 'facility.floor_plan_missing');

      const otherBuilding = String((await ok(admin, 'POST', '/api/buildings', { siteId: siteA, name: 'Annex' }))['id']);
      const annexFloor = String(
        (await ok(admin, 'POST', '/api/floors', { buildingId: otherBuilding, name: 'Annex ground', level: 0 }))['id'],
      );
      assert.equal((await put(SQUARE, annexFloor)).body['code'], 'facility.zone_outline_invalid', 'the zone is in another building');
      const farBuilding = String((await ok(admin, 'POST', '/api/buildings', { siteId: siteB, name: 'Far' }))['id']);
      const farFloor = String((await ok(admin, 'POST', '/api/floors', { buildingId: farBuilding, name: 'Far ground', level: 0 }))['id']);
      assert.equal((await put(SQUARE, farFloor)).body['code'], 'facility.site_mismatch');
    });

    it('goes with its zone', async () => {
      const lab = String((await ok(admin, 'POST', '/api/zones', { siteId: siteA, name: 'Lab', type: 'clinical', floorId: floor }))['id']);
      await ok(managerA, 'PUT', `/api/zones/${lab}/outlines/${floor}`, { points: SQUARE });
      assert.equal((await call(admin, 'DELETE', `/api/zones/${lab}`)).status, 204);
      assert.deepEqual((await ok(operatorA, 'GET', `/api/floors/${floor}/zone-outlines`))['items'], []);
    });
  });

  it('shows the battery and last-seen a sensor reported, flagging a low battery', async () => {
    const device = await ok(admin, 'POST', '/api/devices', { siteId: siteA, kind: 'sensor', name: 'Vault contact', serialNumber: 'dc-77' });
    assert.equal(device['battery'], null);
    const sightings = new DeviceSightings(h.app.facility.devices, { minIntervalMs: 60_000, logger: createLogger('silent') });
    const first = new Date(Date.parse(h.clock.now().toISOString()) - 5000);
    await sightings.heard('DC-77', first, 64);
    const seen = await ok(operatorA, 'GET', `/api/devices/${String(device['id'])}`);
    assert.deepEqual(seen['battery'], { percent: 64, reportedAt: first.toISOString(), low: false });
    assert.equal(seen['lastSeenAt'], first.toISOString());
    assert.equal(seen['health'], 'online');

    // Within the interval an unchanged battery is not written again; a changed one is.
    await sightings.heard('DC-77', new Date(first.getTime() + 1000), 64);
    assert.equal((await ok(operatorA, 'GET', `/api/devices/${String(device['id'])}`))['lastSeenAt'], first.toISOString());
    const later = new Date(first.getTime() + 2000);
    await sightings.heard('DC-77', later, 12);
    const listed = ((await ok(operatorA, 'GET', `/api/devices?site=${siteA}`))['items'] as Json[]).find((d) => d['id'] === device['id']);
    assert.deepEqual(listed?.['battery'], { percent: 12, reportedAt: later.toISOString(), low: true });
    assert.equal(listed?.['lastSeenAt'], later.toISOString());
    // Declared silent by supervision: offline in the registry, and back online with its next message.
    await sightings.silent('DC-77');
    assert.equal((await ok(operatorA, 'GET', `/api/devices/${String(device['id'])}`))['health'], 'offline');
    const back = new Date(later.getTime() + 1000);
    await sightings.heard('DC-77', back, 12);
    const returned = await ok(operatorA, 'GET', `/api/devices/${String(device['id'])}`);
    assert.equal(returned['health'], 'online');
    assert.equal(returned['lastSeenAt'], back.toISOString());
    // A sensor nobody registered is simply not in the registry.
    await sightings.heard('UNREGISTERED-1', later, 50);
    await sightings.silent('UNREGISTERED-1');
  });

  it('deletes a correlation, journaled, for managers of its site only', async () => {
    const input = {
      siteId: siteA,
      name: 'Pharmacy break-in',
      incidentKind: 'break_in',
      title: 'Break-in',
      priority: 1,
      alarmTypes: ['door_forced', 'motion'],
      minTypes: 2,
      windowSeconds: 60,
      scope: 'zone',
      enabled: true,
    };
    const correlation = String((await ok(managerA, 'POST', '/api/automation/correlations', input))['id']);
    assert.equal((await call(operatorA, 'DELETE', `/api/automation/correlations/${correlation}`)).status, 403);
    assert.equal((await call(managerA, 'DELETE', `/api/automation/correlations/${correlation}`)).status, 204);
    const listed = (await ok(managerA, 'GET', '/api/automation/correlations'))['items'] as Json[];
    assert.ok(!listed.some((c) => c['id'] === correlation));
    const removed = await journaled('automation.correlation_removed');
    assert.deepEqual((removed[0]?.['data'] as Json)['correlation'], { id: correlation, name: 'Pharmacy break-in', siteId: siteA });
    assert.equal(
      (await call(managerA, 'DELETE', `/api/automation/correlations/${correlation}`)).body['code'],
      'automation.correlation_not_found',
    );
  });

  it('deletes an emergency plan only when nothing uses it, keeping its past activations readable', async () => {
    const zone = (await h.app.facility.zones.create('system:test', { siteId: siteA, name: 'Lobby', type: 'public' })).id;
    await h.app.facility.doors.create('system:test', { siteId: siteA, name: 'Lobby door', fromZoneId: null, toZoneId: zone });
    await h.app.automation.facts.load();
    const plan = await ok(managerA, 'POST', '/api/emergency/plans', {
      siteId: siteA,
      name: 'Lockdown',
      kind: 'lockdown',
      doors: { selection: 'all' },
    });
    const planId = String(plan['id']);

    const drill = await ok(operatorA, 'POST', `/api/emergency/plans/${planId}/start`, { drill: true });
    const drillId = String(drill['id']);
    await h.app.automation.activations.settled(drillId);
    const active = await call(managerA, 'DELETE', `/api/emergency/plans/${planId}`);
    assert.equal(active.status, 409);
    assert.equal(active.body['code'], 'automation.plan_active');
    assert.equal(active.body['activationId'], drillId);
    await ok(operatorA, 'POST', `/api/emergency/activations/${drillId}/clear`, { reason: 'Drill over' });
    await h.app.automation.activations.settled(drillId);

    const rule = await ok(managerA, 'POST', '/api/automation/rules', {
      document: { name: 'Panic locks down', site: siteA, trigger: { event: 'panic.pressed' }, actions: [{ startPlan: { plan: planId } }] },
    });
    const inUse = await call(managerA, 'DELETE', `/api/emergency/plans/${planId}`);
    assert.equal(inUse.body['code'], 'automation.plan_in_use');
    assert.deepEqual(inUse.body['rules'], [{ id: rule['id'], name: 'Panic locks down' }]);
    await ok(managerA, 'DELETE', `/api/automation/rules/${String(rule['id'])}`);

    assert.equal((await call(operatorA, 'DELETE', `/api/emergency/plans/${planId}`)).status, 403, 'needs facility.manage');
    assert.equal((await call(managerA, 'DELETE', `/api/emergency/plans/${planId}`)).status, 204);
    const plans = (await ok(operatorA, 'GET', '/api/emergency/plans'))['items'] as Json[];
    assert.ok(!plans.some((p) => p['id'] === planId));
    assert.equal((await journaled('emergency.plan_removed')).length, 1);
    const start = await call(operatorA, 'POST', `/api/emergency/plans/${planId}/start`, { drill: true });
    assert.equal(start.body['code'], 'automation.plan_not_found', 'a deleted plan never starts');
    const report = await call(operatorA, 'GET', `/api/emergency/activations/${drillId}/report`);
    assert.equal(report.status, 200, 'past activations keep their report');
    const rename = await call(managerA, 'PUT', `/api/emergency/plans/${planId}`, { siteId: siteA, name: 'Lockdown', kind: 'lockdown' });
    assert.equal(rename.body['code'], 'automation.plan_not_found');
    await ok(managerA, 'POST', '/api/emergency/plans', { siteId: siteA, name: 'Lockdown', kind: 'lockdown' });
    const badRule = await call(managerA, 'POST', '/api/automation/rules', {
      document: {
        name: 'Starts a deleted plan',
        site: siteA,
        trigger: { event: 'panic.pressed' },
        actions: [{ startPlan: { plan: planId } }],
      },
    });
    assert.equal(badRule.body['code'], 'automation.rule_invalid');
  });

  describe('default alarm rules', () => {
    const defaults = async () =>
      ((await ok(admin, 'GET', '/api/automation/rules?limit=500'))['items'] as Json[]).filter((r) => r['createdBy'] === DEFAULTS_ACTOR);

    it('are seeded once on start, through the rule store: versioned and journaled', async () => {
      const seeded = await defaults();
      const names = seeded.map((r) => r['name']).sort();
      assert.ok(names.includes('Door forced open') && names.includes('Door held open') && names.includes('Device offline'), names.join());
      const forced = seeded.find((r) => r['name'] === 'Door forced open')!;
      assert.equal(forced['siteId'], null, 'every site');
      assert.equal(forced['enabled'], true);
      assert.deepEqual((forced['document'] as Json)['actions'], [
        { raiseAlarm: { type: 'door_forced', priority: 2, title: 'Door forced open: {door}' } },
      ]);
      const held = seeded.find((r) => r['name'] === 'Door held open')!;
      const heldAlarm = ((held['document'] as Json)['actions'] as { raiseAlarm: Json }[])[0]?.raiseAlarm;
      assert.equal(heldAlarm?.['priority'], 3);
      const lockedOut = seeded.find((r) => r['name'] === 'PIN locked out');
      assert.ok(lockedOut, 'a PIN lockout raises an alarm');
      assert.deepEqual((lockedOut['document'] as Json)['trigger'], { event: 'access.pin_locked_out' });
      assert.deepEqual((lockedOut['document'] as Json)['actions'], [
        { raiseAlarm: { type: 'pin_locked_out', priority: 3, title: 'PIN locked out: {door}' } },
      ]);
      const versions = (await ok(admin, 'GET', `/api/automation/rules/${String(forced['id'])}/versions`))['items'] as Json[];
      assert.deepEqual(
        versions.map((v) => v['change']),
        ['created'],
      );
      const created = (await journaled('automation.rule_created')).filter((e) => e['source'] === DEFAULTS_ACTOR);
      assert.equal(created.length, seeded.length);
    });

    it('raise a priority-3 alarm when a door controller locks a card’s PIN attempts out', async () => {
      const [locked] = await h.app.intake.submit(
        pinLockedOut.draft(
          { site: siteA, source: 'edge:console-test' },
          {
            credentialId: 'card-guessed',
            reader: 'ward-in',
            attempts: 3,
            windowSeconds: 300,
            lockoutSeconds: 900,
            until: new Date(Date.now() + 900_000).toISOString(),
          },
        ),
      );
      const raised = async () =>
        (await h.app.alarms.queries.list({ limit: 50, sites: 'all' })).items.find((a) => a.triggerEventId === locked!.id);
      for (let waited = 0; !(await raised()) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      const alarm = await raised();
      assert.ok(alarm, 'the lockout raised an alarm');
      assert.equal(alarm.type, 'pin_locked_out');
      assert.equal(alarm.priority, 3);
    });

    it('are never seeded twice, even by nodes starting together, nor re-created once disabled or deleted', async () => {
      const logger = createLogger('silent');
      const before = await defaults();
      const racing = await Promise.all([
        seedDefaultRules(h.app.automation.rules, logger),
        seedDefaultRules(h.app.automation.rules, logger),
      ]);
      assert.deepEqual(racing, [[], []]);
      assert.equal((await defaults()).length, before.length);

      const forced = before.find((r) => r['name'] === 'Door forced open')!;
      const held = before.find((r) => r['name'] === 'Door held open')!;
      await ok(admin, 'POST', `/api/automation/rules/${String(forced['id'])}/disable`, {});
      await ok(admin, 'DELETE', `/api/automation/rules/${String(held['id'])}`);
      assert.deepEqual(await seedDefaultRules(h.app.automation.rules, logger), []);
      const after = await defaults();
      assert.equal(after.find((r) => r['id'] === forced['id'])?.['enabled'], false, 'stays disabled');
      assert.ok(!after.some((r) => r['name'] === 'Door held open'), 'stays deleted');
    });

    it('skip, without remembering, a default whose event this server does not know', async () => {
      const logger = createLogger('silent');
      const unknown = {
        key: 'test_unknown',
        document: { ...DEFAULT_RULES[0]!.document, name: 'Unknown', trigger: { event: 'nothing.happened' } },
      };
      assert.deepEqual(await seedDefaultRules(h.app.automation.rules, logger, [unknown]), []);
      const known = { ...unknown, document: { ...unknown.document, trigger: { event: 'door.contact_opened' } } };
      assert.deepEqual(await seedDefaultRules(h.app.automation.rules, logger, [known]), ['test_unknown'], 'seeded once the event exists');
    });

    it('leave an event alone that a rule of the installation already answers', async () => {
      const logger = createLogger('silent');
      const covered = {
        key: 'test_covered',
        // The seeded forced-door rule (disabled above) still answers door.forced_open.
        document: { ...DEFAULT_RULES[0]!.document, name: 'Second forced-door rule', trigger: { event: 'door.forced_open' } },
      };
      assert.deepEqual(await seedDefaultRules(h.app.automation.rules, logger, [covered]), []);
      assert.ok(!(await defaults()).some((r) => r['name'] === 'Second forced-door rule'));
    });
  });
});

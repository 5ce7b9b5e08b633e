/**
 * The alarm, automation, notification and emergency routes through the real app: site-scoped
 * permissions, problem codes operators will see, rules in YAML, drills, a plan started twice, and
 * the CAP alert of an activation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, startHarness, type Harness, type TestOperator } from '../test-harness.js';

type Json = Record<string, unknown>;

describe('alarm, automation and emergency API', () => {
  let h: Harness;
  let siteA: string;
  let siteB: string;
  let operatorA: TestOperator;
  let operatorB: TestOperator;
  let managerA: TestOperator;
  let door: string;

  const call = async (who: TestOperator, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const response = await h.app.api.inject({
      method,
      url,
      headers: { cookie: who.cookie },
      ...(payload !== undefined ? { payload: payload as Json } : {}),
    });
    const json = String(response.headers['content-type'] ?? '').includes('json');
    return {
      status: response.statusCode,
      body: (json && response.body ? JSON.parse(response.body) : {}) as Json,
      raw: response.body,
      type: String(response.headers['content-type']),
    };
  };

  before(async () => {
    h = await startHarness({ settings: { http: { port: 0 }, automation: { doorConfirmTimeoutMs: 200 } } });
    await h.app.start();
    siteA = await createSite(h, 'Ops A');
    siteB = await createSite(h, 'Ops B');
    const lobby = (await h.app.facility.zones.create('system:test', { siteId: siteA, name: 'Lobby', type: 'public' })).id;
    door = (await h.app.facility.doors.create('system:test', { siteId: siteA, name: 'Lobby door', fromZoneId: null, toZoneId: lobby })).id;
    await h.app.automation.facts.load();
    operatorA = await createSignedInOperator(h, 'ops-a', [{ role: 'operator', site: siteA }]);
    operatorB = await createSignedInOperator(h, 'ops-b', [{ role: 'operator', site: siteB }]);
    managerA = await createSignedInOperator(h, 'mgr-a', [{ role: 'security-manager', site: siteA }]);
  });
  after(async () => {
    await h.close();
  });

  it('lets an operator of the alarm’s site work it, with the rules of the workflow, and nobody else', async () => {
    const { alarm } = await h.app.alarms.alarms.raise({
      siteId: siteA,
      type: 'door_forced',
      priority: 2,
      title: 'Lobby door forced',
      doorId: door,
      dedupeKey: 'api-1',
      source: 'rule:test',
    });
    const queue = await call(operatorA, 'GET', '/api/alarms');
    assert.deepEqual(
      (queue.body['items'] as Json[]).map((a) => a['id']),
      [alarm.id],
    );
    assert.deepEqual((await call(operatorB, 'GET', '/api/alarms')).body['items'], []);
    assert.equal((await call(operatorB, 'POST', `/api/alarms/${alarm.id}/acknowledge`)).status, 403);
    assert.equal((await call(operatorA, 'POST', `/api/alarms/${alarm.id}/acknowledge`)).body['state'], 'acknowledged');
    const noNote = await call(operatorA, 'POST', `/api/alarms/${alarm.id}/resolve`, {});
    assert.equal(noNote.status, 400);
    assert.equal(noNote.body['code'], 'alarms.resolution_note_required');
    const resolved = await call(operatorA, 'POST', `/api/alarms/${alarm.id}/resolve`, {
      note: 'Contractor without badge',
      falseAlarm: true,
    });
    assert.equal(resolved.body['state'], 'resolved');
    const again = await call(operatorA, 'POST', `/api/alarms/${alarm.id}/acknowledge`);
    assert.equal(again.status, 409);
    assert.equal(again.body['code'], 'alarms.invalid_transition');
  });

  it('takes a YAML rule from a manager of its site, refuses a rule for every site, and dry-runs one', async () => {
    const yaml = `name: Lobby door opened\nsite: ${siteA}\ntrigger: { event: door.contact_opened, where: { door: ${door} } }\nactions:\n  - raiseAlarm: { type: lobby_open, priority: 4 }\n`;
    const created = await call(managerA, 'POST', '/api/automation/rules', { yaml });
    assert.equal(created.status, 201, created.raw);
    assert.equal(created.body['version'], 1);
    const everywhere = await call(managerA, 'POST', '/api/automation/rules', { yaml: yaml.replace(`site: ${siteA}`, 'site: null') });
    assert.equal(everywhere.status, 403);
    assert.equal((await call(operatorA, 'POST', '/api/automation/rules', { yaml })).status, 403);
    const invalid = await call(managerA, 'POST', '/api/automation/rules', {
      document: { name: 'x', site: siteA, trigger: { event: 'door.contact_opened' }, actions: [] },
    });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body['code'], 'automation.rule_invalid');
    const dry = await call(managerA, 'POST', '/api/automation/rules/dry-run', {
      yaml,
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    });
    assert.equal(dry.status, 200, dry.raw);
    assert.equal(dry.body['matched'], 0);
  });

  it('creates a webhook channel whose secret is shown once', async () => {
    const created = await call(managerA, 'POST', '/api/notifications/channels', {
      siteId: siteA,
      name: 'SOC',
      kind: 'webhook',
      url: 'https://soc.example/hook',
    });
    assert.equal(created.status, 201, created.raw);
    const secret = String(created.body['secret']);
    assert.ok(secret.length >= 32);
    const listed = await call(managerA, 'GET', '/api/notifications/channels');
    assert.equal(listed.raw.includes(secret), false);
  });

  it('runs a drill, refuses a plan started twice, and publishes the CAP alert', async () => {
    const plan = await call(managerA, 'POST', '/api/emergency/plans', {
      siteId: siteA,
      name: 'Lockdown A',
      kind: 'lockdown',
      doors: { selection: 'all' },
    });
    assert.equal(plan.status, 201, plan.raw);
    const planId = String(plan.body['id']);
    const drill = await call(operatorA, 'POST', `/api/emergency/plans/${planId}/start`, { drill: true });
    assert.equal(drill.status, 202, drill.raw);
    const drillId = String(drill.body['id']);
    await h.app.automation.activations.settled(drillId);
    const report = await call(operatorA, 'GET', `/api/emergency/activations/${drillId}/report`);
    assert.deepEqual(
      (report.body['doors'] as Json[]).map((d) => [d['doorName'], d['status']]),
      [['Lobby door', 'simulated']],
    );
    const twice = await call(operatorA, 'POST', `/api/emergency/plans/${planId}/start`, { drill: true });
    assert.equal(twice.status, 409);
    assert.equal(twice.body['code'], 'automation.plan_already_active');
    assert.equal(twice.body['activationId'], drillId);
    const cap = await call(operatorA, 'GET', `/api/emergency/cap/${drillId}`);
    assert.equal(cap.status, 200);
    assert.match(cap.type, /application\/cap\+xml/);
    assert.match(cap.raw, /<status>Exercise<\/status>/);
    assert.equal((await call(operatorB, 'GET', `/api/emergency/cap/${drillId}`)).status, 403);
    const feed = await call(operatorA, 'GET', '/api/emergency/cap');
    assert.match(feed.type, /application\/atom\+xml/);
    assert.ok(feed.raw.includes(`/api/emergency/cap/${drillId}`));
    const cleared = await call(operatorA, 'POST', `/api/emergency/activations/${drillId}/clear`, { reason: 'Drill over' });
    assert.equal(cleared.body['state'], 'cleared');
    await h.app.automation.activations.settled(drillId);
    assert.match((await call(operatorA, 'GET', `/api/emergency/cap/${drillId}`)).raw, /<msgType>Cancel<\/msgType>/);
  });
});

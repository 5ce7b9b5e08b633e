/**
 * An operator cannot lock a door a live fire plan holds free — not by a lock command, not by a
 * mode override — and is told which plan holds it; unlocking stays possible, a drill holds
 * nothing, and once the plan is cleared the door is the operator's again. Fire egress switched on
 * directly for the site holds its doors the same way, and cannot end a plan's fire egress from
 * under it. Through the real app.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, startHarness, type Harness, type TestOperator } from './test-harness.js';

type Json = Record<string, unknown>;

describe('operator door commands during a fire plan', () => {
  let h: Harness;
  let operator: TestOperator;
  let door: string;
  let site: string;
  let stairwell: string;
  let planId: string;

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Json, who: TestOperator = operator) => {
    const response = await h.app.api.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? JSON.parse(response.body) : {}) as Json };
  };
  const lock = () => call('POST', `/api/doors/${door}/lock`, { reason: 'Suspicious person on the stairs' });
  const override = (mode: string | null) => call('PUT', `/api/doors/${door}/mode-override`, { mode, reason: 'Operator decision' });
  const lockRequests = async () =>
    (await h.app.handle.db.selectFrom('journal_events').select('id').where('type', '=', 'door.lock_requested').execute()).length;
  const startPlan = async (drill: boolean) => {
    const started = await call('POST', `/api/emergency/plans/${planId}/start`, { drill });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    return String(started.body['id']);
  };
  const clearPlan = async (activationId: string) => {
    const cleared = await call('POST', `/api/emergency/activations/${activationId}/clear`, { reason: 'All clear' });
    assert.equal(cleared.body['state'], 'cleared', JSON.stringify(cleared.body));
    await h.app.automation.activations.settled(activationId);
  };

  before(async () => {
    h = await startHarness({ settings: { http: { port: 0 }, automation: { doorConfirmTimeoutMs: 200 } } });
    await h.app.start();
    site = await createSite(h, 'General Hospital');
    stairwell = (await h.app.facility.zones.create('system:test', { siteId: site, name: 'Stairwell B', type: 'clinical' })).id;
    door = (
      await h.app.facility.doors.create('system:test', { siteId: site, name: 'Stairwell B exit', fromZoneId: stairwell, toZoneId: null })
    ).id;
    await h.app.automation.facts.load();
    // Door commands go to the site's edge agent: one must be registered.
    const { publicKey } = generateKeyPairSync('ed25519');
    await h.app.access.agents.register('system:test', {
      siteId: site,
      name: 'Stairwell controller',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    operator = await createSignedInOperator(h, 'soc-operator', [{ role: 'operator', site }]);
    const manager = await createSignedInOperator(h, 'soc-manager', [{ role: 'security-manager', site }]);
    const plan = await call(
      'POST',
      '/api/emergency/plans',
      { siteId: site, name: 'Fire, whole site', kind: 'fire', doors: { selection: 'all' } },
      manager,
    );
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    planId = String(plan.body['id']);
  });
  after(async () => {
    await h.close();
  });

  it('refuses to lock a door the fire plan holds, names the plan, and still lets it be unlocked', async () => {
    assert.equal((await lock()).status, 202, 'before the fire the operator may lock the door');
    const fire = await startPlan(false);
    const requestsBefore = await lockRequests();

    const refused = await lock();
    assert.equal(refused.status, 409);
    assert.equal(refused.body['code'], 'door_control.fire_plan_active');
    assert.equal(refused.body['planName'], 'Fire, whole site');
    assert.equal(refused.body['activationId'], fire);
    assert.match(String(refused.body['detail']), /Fire, whole site.*until the plan is cleared/);
    for (const mode of ['locked', 'lockdown', 'card_only', null]) {
      const response = await override(mode);
      assert.equal(response.status, 409, `override ${String(mode)}`);
      assert.equal(response.body['code'], 'door_control.fire_plan_active');
    }
    assert.equal(await lockRequests(), requestsBefore, 'nothing refused reached the journal or the door');

    assert.equal((await override('unlocked')).status, 200, 'keeping the door free is allowed');
    assert.equal((await call('POST', `/api/doors/${door}/unlock`, { reason: 'Let the fire brigade in' })).status, 202);

    await clearPlan(fire);
    assert.equal((await lock()).status, 202, 'the plan cleared, the door is the operator’s again');
    assert.equal((await override(null)).status, 200);
  });

  it('refuses to lock a door fire egress switched on for the site covers, until fire egress ends', async () => {
    const fireEgress = (active: boolean, scope?: Json) =>
      call('PUT', `/api/sites/${site}/emergency-modes/fire_egress`, { active, reason: 'Fire panel in alarm', ...(scope ? { scope } : {}) });
    const on = await fireEgress(true, { zoneIds: [stairwell] });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    const requestsBefore = await lockRequests();

    const refused = await lock();
    assert.equal(refused.status, 409);
    assert.equal(refused.body['code'], 'door_control.fire_egress_active');
    assert.match(String(refused.body['detail']), /until fire egress is ended/);
    for (const mode of ['locked', 'lockdown', null]) {
      const response = await override(mode);
      assert.equal(response.status, 409, `override ${String(mode)}`);
      assert.equal(response.body['code'], 'door_control.fire_egress_active');
    }
    assert.equal(await lockRequests(), requestsBefore);
    assert.equal((await call('POST', `/api/doors/${door}/unlock`, { reason: 'Let the fire brigade in' })).status, 202);

    assert.equal((await fireEgress(false)).status, 200);
    assert.equal((await lock()).status, 202, 'fire egress ended, the door is the operator’s again');
    assert.equal((await override(null)).status, 200);
  });

  it('does not let an operator end or narrow fire egress a live fire plan holds', async () => {
    const fire = await startPlan(false);
    const ended = await call('PUT', `/api/sites/${site}/emergency-modes/fire_egress`, { active: false, reason: 'Panel reset' });
    assert.equal(ended.status, 409);
    assert.equal(ended.body['code'], 'door_control.fire_plan_active');
    assert.equal(ended.body['planName'], 'Fire, whole site');

    const elsewhere = (await h.app.facility.zones.create('system:test', { siteId: site, name: 'Kitchen', type: 'public' })).id;
    const narrowed = await call('PUT', `/api/sites/${site}/emergency-modes/fire_egress`, {
      active: true,
      scope: { zoneIds: [elsewhere] },
      reason: 'Kitchen fire',
    });
    assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
    const scope = narrowed.body['fireEgress'] as { zoneIds: string[]; doorIds: string[] };
    assert.deepEqual(scope.zoneIds, [elsewhere]);
    assert.ok(scope.doorIds.includes(door), 'the plan’s door stays under fire egress');

    await clearPlan(fire);
    // The operator’s own fire egress (the kitchen) is still on; the plan’s door is free to lock again.
    const controls = await call('GET', `/api/sites/${site}/door-controls`);
    assert.deepEqual((controls.body['fireEgress'] as { zoneIds: string[] }).zoneIds, [elsewhere]);
    assert.equal((await lock()).status, 202);
    assert.equal((await call('PUT', `/api/sites/${site}/emergency-modes/fire_egress`, { active: false, reason: 'All clear' })).status, 200);
  });

  it('holds nothing during a fire drill', async () => {
    const drill = await startPlan(true);
    assert.equal((await lock()).status, 202);
    assert.equal((await override('locked')).status, 200);
    await clearPlan(drill);
  });
});

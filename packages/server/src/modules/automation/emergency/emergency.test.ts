/**
 * Emergency plans end to end on both databases: doors chosen by scope, per-door timings, prior
 * modes restored on clearing, second-operator confirmation, drills that move nothing, plans
 * started twice, buttons — and a fire plan that no rule, lockdown or fault can block.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { panicPressed } from '../../../adapters/mqtt/index.js';
import { eachDatabase, openTestDatabase, postgresTestUrl } from '../../../storage/testing.js';
import { seedHospital, startStack, type Hospital, type Stack } from '../testing.js';

const OP = 'operator:0190c6a0-0000-7000-8000-0000000000f1';
const OP2 = 'operator:0190c6a0-0000-7000-8000-0000000000f2';

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isVigilError(e) && e.code === code);
}

eachDatabase('emergency plans', (t) => {
  let s: Stack;
  let h: Hospital;
  before(async () => {
    s = await startStack(t().handle.db);
    h = await seedHospital(s.facility);
    await s.automation.facts.load();
  });
  after(async () => {
    await s.stop();
  });

  const plan = (name: string, kind: 'fire' | 'lockdown' | 'code_pink' | 'shelter_in_place', extra: object = {}) =>
    s.automation.plans.save(OP, { siteId: h.site, name, kind, ...extra });
  const modes = () => Object.fromEntries(Object.entries(h.doors).map(([k, id]) => [k, s.doors.modeOf(id) ?? 'scheduled']));

  it('locks only the maternity perimeter for Code Pink, reports seconds per door, and restores on clearing', async () => {
    const elevatorHold = '0190c6a0-0000-7000-8000-0000000000c1';
    const otherSitesOutput = '0190c6a0-0000-7000-8000-0000000000c2';
    s.doors.outputSites.set(elevatorHold, h.site);
    s.doors.outputSites.set(otherSitesOutput, '0190c6a0-0000-7000-8000-00000000ffff');
    // A plan may drive only its own site's outputs.
    await rejects(
      plan('Code Pink elsewhere', 'code_pink', { outputs: [{ outputId: otherSitesOutput, label: 'Their elevators' }] }),
      'automation.plan_invalid',
    );
    const pink = await plan('Code Pink', 'code_pink', {
      scope: { zoneTypes: ['maternity', 'nicu'] },
      outputs: [{ outputId: elevatorHold, label: 'Elevator hold' }],
    });
    const started = await s.automation.activations.start({ planId: pink.id, actor: OP, trigger: 'operator', drill: false });
    await s.automation.activations.settled(started.id);
    assert.deepEqual(modes(), {
      main: 'scheduled',
      maternity: 'lockdown',
      nicu: 'scheduled',
      stair: 'lockdown',
      ward: 'scheduled',
      service: 'scheduled',
    });
    assert.deepEqual(
      s.doors.outputs.map((o) => o.active),
      [true],
    );
    const report = await s.automation.reports.report(started.id);
    assert.deepEqual(
      report.doors.map((d) => [d.doorName, d.status]),
      [
        ['Maternity entrance', 'secured'],
        ['Stair B (maternity)', 'secured'],
      ],
    );
    assert.ok(report.doors.every((d) => typeof d.secondsToSecure === 'number' && d.secondsToSecure >= 0));
    assert.equal(report.summary.secured, 2);
    await s.automation.activations.clear(OP, started.id, 'Infant found');
    await s.automation.activations.settled(started.id);
    assert.deepEqual(Object.values(modes()), Array(6).fill('scheduled'));
    assert.deepEqual(
      s.doors.outputs.map((o) => o.active),
      [true, false],
    );
    const cleared = await s.automation.reports.report(started.id);
    assert.ok(cleared.doors.every((d) => d.restoredMode === 'scheduled' && d.restoreConfirmedAt !== null));
  });

  it('refuses a plan started twice with the live activation, and answers a rule’s repeat with it', async () => {
    const lockdown = await plan('Lockdown twice', 'lockdown');
    const first = await s.automation.activations.start({ planId: lockdown.id, actor: OP, trigger: 'operator', drill: false });
    await assert.rejects(
      s.automation.activations.start({ planId: lockdown.id, actor: OP2, trigger: 'operator', drill: false }),
      (e: unknown) => isVigilError(e) && e.code === 'automation.plan_already_active' && e.details['activationId'] === first.id,
    );
    const again = await s.automation.activations.start({ planId: lockdown.id, actor: 'rule:x', trigger: 'rule', drill: false });
    assert.equal(again.id, first.id);
    await s.automation.activations.clear(OP, first.id, null);
    await s.automation.activations.settled(first.id);
  });

  it('waits for a second operator when the plan says so', async () => {
    const shelter = await plan('Shelter', 'shelter_in_place', { requiresConfirmation: true, scope: { zoneIds: [h.zones.ward] } });
    const pending = await s.automation.activations.start({ planId: shelter.id, actor: OP, trigger: 'operator', drill: false });
    assert.equal(pending.state, 'pending_confirmation');
    assert.equal(s.doors.modeOf(h.doors.ward) ?? 'scheduled', 'scheduled');
    await rejects(s.automation.activations.confirm(OP, pending.id), 'automation.confirmation_same_operator');
    const active = await s.automation.activations.confirm(OP2, pending.id);
    await s.automation.activations.settled(active.id);
    assert.equal(active.confirmedBy, OP2);
    assert.equal(s.doors.modeOf(h.doors.ward), 'lockdown');
    await s.automation.activations.clear(OP2, active.id, null);
    await s.automation.activations.settled(active.id);
  });

  it('refuses a fire plan that would wait for a second operator', async () => {
    await rejects(plan('Fire with confirmation', 'fire', { requiresConfirmation: true }), 'automation.plan_invalid');
  });

  it('runs a drill through every door with timings recorded and no door moved', async () => {
    const fire = await plan('Fire drill plan', 'fire');
    const before = s.doors.commands.length;
    const drill = await s.automation.activations.start({ planId: fire.id, actor: OP, trigger: 'operator', drill: true });
    await s.automation.activations.settled(drill.id);
    assert.deepEqual(Object.values(modes()), Array(6).fill('scheduled'));
    const commands = s.doors.commands.slice(before);
    assert.equal(commands.length, 6);
    assert.ok(commands.every((c) => c.simulated && c.mode === 'fire_egress'));
    const report = await s.automation.reports.report(drill.id);
    assert.equal(report.activation.drill, true);
    assert.equal(report.summary.secured, 6);
    assert.ok(report.doors.every((d) => d.status === 'simulated' && d.secondsToSecure !== null));
    await s.automation.activations.clear(OP, drill.id, 'Drill over');
    await s.automation.activations.settled(drill.id);
  });

  it('starts a plan from its physical button', async () => {
    const lockdown = await plan('Button lockdown', 'lockdown', {
      scope: { zoneIds: [h.zones.ward] },
      buttons: [{ event: 'panic.pressed', source: 'device:LOCKDOWN-1' }],
    });
    await s.submit([panicPressed.draft({ site: h.site, source: 'device:LOCKDOWN-1' }, {})]);
    let live = s.automation.live.ofPlan(lockdown.id);
    for (let i = 0; !live && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 10));
      live = s.automation.live.ofPlan(lockdown.id);
    }
    assert.ok(live, 'the button started the plan');
    await s.automation.activations.settled(live.id);
    assert.equal(s.doors.modeOf(h.doors.ward), 'lockdown');
    const row = await s.automation.reports.get(live.id);
    assert.equal(row.trigger, 'button');
    await s.automation.activations.clear(OP, live.id, null);
    await s.automation.activations.settled(live.id);
  });

  it('frees every door in a fire even under lockdown, refuses rule locks on them, and unwinds both plans in order', async () => {
    const lockdown = await plan('Full lockdown', 'lockdown');
    const fire = await plan('Fire main building', 'fire');
    const locked = await s.automation.activations.start({ planId: lockdown.id, actor: OP, trigger: 'operator', drill: false });
    await s.automation.activations.settled(locked.id);
    assert.deepEqual(modes(), {
      main: 'lockdown',
      maternity: 'scheduled',
      nicu: 'scheduled',
      stair: 'scheduled',
      ward: 'scheduled',
      service: 'lockdown',
    });
    const burning = await s.automation.activations.start({ planId: fire.id, actor: 'device:FIRE-PANEL', trigger: 'button', drill: false });
    await s.automation.activations.settled(burning.id);
    assert.deepEqual(Object.values(modes()), Array(6).fill('fire_egress'));
    await rejects(s.automation.guardedDoors.lock(h.doors.main, 'rule says lock', 'rule:r'), 'automation.fire_plan_active');
    await rejects(s.automation.guardedDoors.setMode(h.doors.ward, 'lockdown', 'rule says lock', 'rule:r'), 'automation.fire_plan_active');
    // Lockdown ending during the fire changes nothing: fire still holds every door.
    await s.automation.activations.clear(OP, locked.id, null);
    await s.automation.activations.settled(locked.id);
    assert.deepEqual(Object.values(modes()), Array(6).fill('fire_egress'));
    await s.automation.activations.clear(OP, burning.id, 'Fire out');
    await s.automation.activations.settled(burning.id);
    assert.deepEqual(Object.values(modes()), Array(6).fill('scheduled'));
  });

  it('keeps securing the other doors when one door fails, and retries the failed one', async () => {
    const fire = await plan('Fire with a dead door', 'fire');
    s.doors.failing.add(h.doors.nicu);
    const earlier = s.doors.commands.length;
    const burning = await s.automation.activations.start({ planId: fire.id, actor: OP, trigger: 'operator', drill: false });
    const nicuAttempts = () => s.doors.commands.slice(earlier).filter((c) => c.doorId === h.doors.nicu).length;
    for (let i = 0; i < 200 && nicuAttempts() < 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const report = await s.automation.reports.report(burning.id);
    assert.equal(report.summary.secured, 5, JSON.stringify(report.doors.map((d) => [d.doorName, d.status, d.attempts])));
    const nicu = report.doors.find((d) => d.doorId === h.doors.nicu)!;
    assert.equal(nicu.status, 'failed');
    s.doors.failing.delete(h.doors.nicu);
    for (let i = 0; i < 200 && s.doors.modeOf(h.doors.nicu) !== 'fire_egress'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(s.doors.modeOf(h.doors.nicu), 'fire_egress', 'the fire plan kept retrying the failed door');
    await s.automation.activations.clear(OP, burning.id, null);
    await s.automation.activations.settled(burning.id);
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  it(
    `frees every door in a fire while the database is down, and records it once the database is back [${dialect}]`,
    { skip: dialect === 'postgres' && !postgresTestUrl() ? 'needs VIGIL_TEST_DATABASE_URL' : false },
    async () => {
      const test = await openTestDatabase(dialect);
      const s = await startStack(test.handle.db);
      try {
        const h = await seedHospital(s.facility);
        await s.automation.facts.load();
        const fire = await s.automation.plans.save(OP, { siteId: h.site, name: 'Fire', kind: 'fire' });
        // The database goes away: every query now fails.
        const original = s.db.transaction.bind(s.db);
        const down = () => {
          throw new Error('database connection lost');
        };
        (s.db as { transaction: unknown }).transaction = down;
        const selectFrom = s.db.selectFrom.bind(s.db);
        (s.db as { selectFrom: unknown }).selectFrom = down;
        const started = await s.automation.activations.start({
          planId: fire.id,
          actor: 'device:FIRE-PANEL',
          trigger: 'button',
          drill: false,
        });
        await s.automation.activations.settled(started.id);
        assert.deepEqual(
          Object.values(h.doors).map((d) => s.doors.modeOf(d)),
          Array(6).fill('fire_egress'),
        );
        // Back up: the record is completed.
        (s.db as { transaction: unknown }).transaction = original;
        (s.db as { selectFrom: unknown }).selectFrom = selectFrom;
        for (let i = 0; i < 300; i++) {
          const row = await s.db.selectFrom('emergency_activations').select('state').where('id', '=', started.id).executeTakeFirst();
          const doors = await s.db.selectFrom('emergency_door_actions').select('status').where('activation_id', '=', started.id).execute();
          if (row && doors.filter((d) => d.status === 'secured').length === 6) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const report = await s.automation.reports.report(started.id);
        assert.equal(report.summary.secured, 6);
        const journaled = await s.db.selectFrom('journal_events').select('type').where('correlation_id', '=', started.id).execute();
        assert.ok(journaled.some((e) => e.type === 'emergency.plan_started'));
      } finally {
        await s.stop();
        await test.dispose();
      }
    },
  );
}

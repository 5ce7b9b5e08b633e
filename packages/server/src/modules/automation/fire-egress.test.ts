/**
 * Fire egress an operator switched on for a site (the emergency-modes route, not a fire plan) is
 * never blocked by automation, on both databases, through the real access module and a simulated
 * edge agent: a lockdown plan leaves the doors it covers free and journals each one, a rule's
 * lock actions are refused on them and journaled, clearing a plan does not return such a door to a
 * mode that locks it, and no plan command ends or narrows the operator's fire egress. Every other
 * door still locks.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { VigilEvent } from '@vigil/core';
import { panicPressed } from '../../adapters/mqtt/index.js';
import { eachDatabase } from '../../storage/testing.js';
import type { AccessModule, DoorScope } from '../access/index.js';
import { searchJournal } from '../audit/index.js';
import {
  accessCatalogue,
  accessDoorControl,
  seedHospital,
  SimulatedSiteAgent,
  startStack,
  until,
  type Hospital,
  type Stack,
} from './testing.js';
import type { AccessDoorCommands } from './index.js';

const OP = 'operator:0190c6a0-0000-7000-8000-0000000000f1';

eachDatabase('automation and fire egress switched on for a site', (t) => {
  let s: Stack<AccessDoorCommands>;
  let access!: AccessModule;
  let agent: SimulatedSiteAgent;
  let h: Hospital;
  /** A second door into maternity, from the ward. */
  let sideDoor: string;

  before(async () => {
    s = await startStack(t().handle.db, {
      catalogue: accessCatalogue(),
      doors: (ports) => {
        const control = accessDoorControl(ports);
        access = control.access;
        return control.doors;
      },
    });
    h = await seedHospital(s.facility);
    sideDoor = (
      await s.facility.doors.create('system:test', {
        siteId: h.site,
        buildingId: h.building,
        name: 'Maternity side door',
        fromZoneId: h.zones.ward,
        toZoneId: h.zones.maternity,
      })
    ).id;
    await s.automation.facts.load();
    agent = await SimulatedSiteAgent.start(access, s.db, h.site);
  });
  after(async () => {
    await agent.stop();
    await s.stop();
  });

  /** What the emergency-modes route does: the operators' door control, which knows the live fire plans. */
  const fireEgress = (active: boolean, scope?: DoorScope) =>
    access.doors.forOperators(s.automation.live).setEmergency(OP, h.site, 'fire_egress', active, scope, 'Fire panel in alarm');
  const controls = () => access.doors.siteControls(h.site);
  const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();
  const journal = async (type: string, where: (e: VigilEvent) => boolean = () => true) =>
    (await searchJournal(s.db, { sites: [h.site], types: [type], limit: 1000 })).events.filter(where);
  const lockdownPlan = (name: string, extra: object) => s.automation.plans.save(OP, { siteId: h.site, name, kind: 'lockdown', ...extra });
  const run = async (planId: string) => {
    const started = await s.automation.activations.start({ planId, actor: OP, trigger: 'operator', drill: false });
    await s.automation.activations.settled(started.id);
    return started.id;
  };
  const clear = async (activationId: string) => {
    await s.automation.activations.clear(OP, activationId, 'All clear');
    await s.automation.activations.settled(activationId);
  };
  const statuses = async (activationId: string) =>
    Object.fromEntries((await s.automation.reports.report(activationId)).doors.map((d) => [d.doorId, d.status]));

  it('leaves the doors fire egress holds free out of a lockdown plan, journals each, and locks down the others', async () => {
    await fireEgress(true, { zoneIds: [h.zones.maternity] });
    const free = [h.doors.maternity, h.doors.nicu, h.doors.stair, sideDoor];
    await until(() => free.every((d) => s.doors.modeOf(d) === 'fire_egress'), 'the controller runs the maternity doors in fire egress');

    const plan = await lockdownPlan('Lockdown, every door', { doors: { selection: 'all' } });
    const activation = await run(plan.id);

    assert.deepEqual(await statuses(activation), {
      [h.doors.main]: 'secured',
      [h.doors.maternity]: 'held',
      [h.doors.nicu]: 'held',
      [h.doors.stair]: 'held',
      [h.doors.ward]: 'secured',
      [h.doors.service]: 'secured',
      [sideDoor]: 'held',
    });
    const inForce = await controls();
    assert.deepEqual(sorted(inForce.lockdown?.doorIds), sorted([h.doors.main, h.doors.ward, h.doors.service]));
    assert.deepEqual(inForce.fireEgress, { zoneIds: [h.zones.maternity] }, 'the operator’s fire egress is as it was');
    assert.deepEqual(
      free.map((d) => s.doors.modeOf(d)),
      free.map(() => 'fire_egress'),
    );
    assert.equal(s.doors.modeOf(h.doors.main), 'lockdown');
    const skipped = await journal('emergency.door_skipped', (e) => e.correlationId === activation);
    assert.deepEqual(sorted(skipped.map((e) => e.door!)), sorted(free));
    for (const e of skipped) {
      assert.deepEqual(e.data, { activationId: activation, doorId: e.door, mode: 'lockdown', phase: 'start', heldBy: 'fire_egress' });
    }
    const secured = await journal('emergency.door_secured', (e) => e.correlationId === activation);
    assert.equal(secured.length, 3);

    await clear(activation);
    assert.equal((await controls()).lockdown, null, 'clearing took the locked-down doors out of lockdown');
    assert.deepEqual((await controls()).fireEgress, { zoneIds: [h.zones.maternity] });
    await fireEgress(false);
  });

  it('refuses a rule’s lock actions on doors fire egress holds free, journals each, and locks the other doors', async () => {
    await fireEgress(true, { doorIds: [h.doors.maternity, h.doors.nicu] });
    const loaded = s.automation.runtime.engine.size;
    const rule = await s.automation.rules.create(OP, {
      document: {
        name: 'Panic: lock maternity',
        site: h.site,
        trigger: { event: 'panic.pressed' },
        actions: [
          { lockZone: { zone: h.zones.maternity } },
          { setDoorMode: { door: h.doors.nicu, mode: 'card_and_pin' } },
          { lockDoor: { door: h.doors.ward } },
        ],
      },
    });
    await until(() => s.automation.runtime.engine.size > loaded, 'the rule is running');
    const [panic] = await s.submit([panicPressed.draft({ site: h.site, source: 'device:PANIC-3' }, {})]);
    const byRule = (e: VigilEvent) => e.source === `rule:${rule.id}`;
    const locks = await until(async () => {
      const requested = await journal('door.lock_requested', byRule);
      return requested.length >= 2 && requested;
    }, 'the rule locked the doors fire egress does not hold');
    const refused = await until(async () => {
      const failed = await journal('automation.action_failed', byRule);
      return failed.length >= 2 && failed;
    }, 'the refused doors are journaled');
    await s.automation.runner.idle();

    assert.deepEqual(sorted(locks.map((e) => e.door!)), sorted([sideDoor, h.doors.ward]));
    assert.deepEqual(
      refused
        .map((e) => {
          const data = e.data as { action: string; code: string | null; triggerEventId: string };
          return [e.door, data.action, data.code, data.triggerEventId];
        })
        .sort(),
      [
        [h.doors.maternity, 'lockZone', 'door_control.fire_egress_active', panic!.id],
        [h.doors.nicu, 'setDoorMode', 'door_control.fire_egress_active', panic!.id],
      ].sort(),
    );
    assert.equal((await journal('automation.action_failed', byRule)).length, 2, 'nothing else failed');
    const inForce = await controls();
    assert.deepEqual(inForce.overrides, [], 'the NICU door was not put in card and PIN');
    assert.deepEqual(inForce.fireEgress, { doorIds: [h.doors.maternity, h.doors.nicu] });
    const lockedCommands = await s.db
      .selectFrom('access_door_commands')
      .select(['door_id', 'status'])
      .where('requested_by', '=', `rule:${rule.id}`)
      .execute();
    assert.deepEqual(
      lockedCommands.map((c) => [c.door_id, c.status]).sort(),
      [
        [sideDoor, 'executed'],
        [h.doors.ward, 'executed'],
      ].sort(),
    );

    await s.automation.rules.setEnabled(OP, rule.id, false, rule.version);
    await fireEgress(false);
  });

  it('does not return a door fire egress holds free to a mode that locks it when a plan clears', async () => {
    await access.doors.setOverride(OP, h.doors.ward, 'card_and_pin', 'Night mode');
    const plan = await lockdownPlan('Ward lockdown', { scope: { zoneIds: [h.zones.ward] }, doors: { selection: 'all' } });
    const activation = await run(plan.id);
    assert.deepEqual(await statuses(activation), { [h.doors.ward]: 'secured', [h.doors.service]: 'secured', [sideDoor]: 'secured' });

    // Smoke on the ward while it is locked down: the operator frees its entrance and unlocks it.
    await fireEgress(true, { doorIds: [h.doors.ward] });
    await access.doors.forOperators(s.automation.live).setOverride(OP, h.doors.ward, 'unlocked', 'Evacuating the ward');
    await clear(activation);

    const inForce = await controls();
    assert.deepEqual(inForce.overrides, [{ doorId: h.doors.ward, mode: 'unlocked' }], 'not returned to card and PIN');
    assert.equal(inForce.lockdown, null, 'both doors left the lockdown');
    assert.deepEqual(inForce.fireEgress, { doorIds: [h.doors.ward] });
    const report = await s.automation.reports.report(activation);
    const ward = report.doors.find((d) => d.doorId === h.doors.ward)!;
    const service = report.doors.find((d) => d.doorId === h.doors.service)!;
    const side = report.doors.find((d) => d.doorId === sideDoor)!;
    assert.equal(ward.restoredMode, null);
    assert.equal(ward.restoreConfirmedAt, null);
    assert.match(String(ward.error), /fire egress/);
    assert.equal(service.restoredMode, 'scheduled');
    assert.notEqual(service.restoreConfirmedAt, null, 'the other doors were restored and confirmed');
    assert.equal(side.restoredMode, 'scheduled');
    assert.notEqual(side.restoreConfirmedAt, null);
    const skipped = await journal('emergency.door_skipped', (e) => e.correlationId === activation);
    assert.deepEqual(
      skipped.map((e) => e.data),
      [{ activationId: activation, doorId: h.doors.ward, mode: 'card_and_pin', phase: 'clear', heldBy: 'fire_egress' }],
    );

    await fireEgress(false);
    await access.doors.setOverride(OP, h.doors.ward, null, 'Back to schedule');
  });

  it('keeps fire egress an operator switched on for a door an earlier plan locked down', async () => {
    const plan = await lockdownPlan('Perimeter lockdown', {});
    const first = await run(plan.id);
    assert.deepEqual(await statuses(first), { [h.doors.main]: 'secured', [h.doors.service]: 'secured' });
    await clear(first);

    await fireEgress(true, { doorIds: [h.doors.main] });
    const second = await run(plan.id);
    assert.deepEqual(await statuses(second), { [h.doors.main]: 'held', [h.doors.service]: 'secured' });
    const inForce = await controls();
    assert.deepEqual(inForce.fireEgress, { doorIds: [h.doors.main] }, 'the plan’s commands left the operator’s fire egress on');
    assert.deepEqual(inForce.lockdown?.doorIds, [h.doors.service]);
    assert.equal(s.doors.modeOf(h.doors.main), 'fire_egress');

    await clear(second);
    assert.deepEqual((await controls()).fireEgress, { doorIds: [h.doors.main] }, 'and so did clearing it');
    await fireEgress(false);
  });
});

/**
 * Rules through the store and the running engine on both databases: JSON and YAML documents,
 * versions and their journal entries, precise validation errors, loops refused when saved, the
 * forced-door rule with its absence window, correlation into a break-in incident, dry runs over
 * recorded events, and a fire-panel rule whose fire plan a competing lock rule cannot block.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { defineEvent, isVigilError, Type, type EventDefinition, type TSchema } from '@vigil/core';
import { doorContactOpened, mqttDeviceEvents } from '../../../adapters/mqtt/index.js';
import { eachDatabase } from '../../../storage/testing.js';
import { seedHospital, startStack, testCatalogue, type Hospital, type Stack } from '../testing.js';

const mqtt = (type: string) => mqttDeviceEvents.find((d) => d.type === type) as EventDefinition<string, TSchema>;
const motionDetected = mqtt('motion.detected');
const glassBreakDetected = mqtt('glass_break.detected');
const firePanelAlarmRaised = mqtt('fire_panel.alarm_raised');
const OP = 'operator:0190c6a0-0000-7000-8000-0000000000f1';
const accessGranted = defineEvent(
  'access.granted',
  'test stand-in for the access module’s grant',
  Type.Object({}, { additionalProperties: false }),
);
const doorRex = defineEvent('door.rex', 'test stand-in for a request-to-exit', Type.Object({}, { additionalProperties: false }));
const doorModeChanged = defineEvent(
  'door.mode_changed',
  'test stand-in for door control confirming a mode',
  Type.Object({}, { additionalProperties: false }),
);

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

eachDatabase('automation rules', (t) => {
  let s: Stack;
  let h: Hospital;
  before(async () => {
    s = await startStack(t().handle.db, { catalogue: testCatalogue().register(accessGranted, doorRex, doorModeChanged) });
    h = await seedHospital(s.facility);
    await s.automation.facts.load();
  });
  after(async () => {
    await s.stop();
  });

  const alarmsOf = async (type: string) => (await s.alarms.queries.list({ limit: 100, sites: 'all', type })).items;

  it('saves JSON and YAML rules with a version and journal entry per change, and refuses stale versions', async () => {
    const yaml = `# forced doors on the maternity unit\nname: Maternity door held\nsite: ${h.site}\ntrigger:\n  event: door.contact_opened\n  where: { door: ${h.doors.maternity} }\nactions:\n  - raiseAlarm: { type: door_held, priority: 3 }\n`;
    const rule = await s.automation.rules.create(OP, { yaml });
    assert.equal(rule.format, 'yaml');
    assert.equal(rule.source, yaml);
    const changed = await s.automation.rules.setEnabled(OP, rule.id, false, 1);
    assert.equal(changed.version, 2);
    await assert.rejects(
      s.automation.rules.setEnabled(OP, rule.id, true, 1),
      (e: unknown) => isVigilError(e) && e.code === 'automation.rule_version_conflict',
    );
    const versions = await s.automation.rules.versions(rule.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.change, v.enabled]),
      [
        [1, 'created', true],
        [2, 'disabled', false],
      ],
    );
    const journaled = await s.db.selectFrom('journal_events').select(['type', 'data']).where('type', 'like', 'automation.rule_%').execute();
    const mine = journaled.filter((e) => e.data.includes(rule.id));
    assert.deepEqual(
      mine.map((e) => e.type),
      ['automation.rule_created', 'automation.rule_changed'],
    );
    assert.ok(mine[0]!.data.includes('door_held'), 'the journal carries the document');
  });

  it('explains what is wrong with an invalid rule, by path', async () => {
    await assert.rejects(
      s.automation.rules.create(OP, {
        document: { name: 'x', site: h.site, trigger: { event: 'door.teleported' }, actions: [{ startPlan: { plan: h.site } }] },
      }),
      (e: unknown) => {
        if (!isVigilError(e) || e.code !== 'automation.rule_invalid') return false;
        const paths = (e.details['errors'] as { path: string }[]).map((p) => p.path);
        return paths.includes('/trigger/event') && paths.includes('/actions/0');
      },
    );
  });

  it('refuses a rule that would trigger itself, and a pair that would trigger each other', async () => {
    const echo = {
      name: 'Echo',
      site: h.site,
      trigger: { event: 'alarm.raised' },
      actions: [{ raiseAlarm: { type: 'echo', priority: 4 } }],
    };
    await assert.rejects(
      s.automation.rules.create(OP, { document: echo }),
      (e: unknown) => isVigilError(e) && e.code === 'automation.rule_loop',
    );
    await s.automation.rules.create(OP, {
      document: {
        name: 'Lock on alarm',
        site: h.site,
        trigger: { event: 'alarm.raised', where: { 'data.alarm.type': 'intruder' } },
        actions: [{ lockDoor: { door: h.doors.ward } }],
      },
    });
    await assert.rejects(
      s.automation.rules.create(OP, {
        document: {
          name: 'Alarm on mode change',
          site: h.site,
          trigger: { event: 'door.mode_changed' },
          actions: [{ raiseAlarm: { type: 'mode', priority: 4 } }],
        },
      }),
      (e: unknown) => isVigilError(e) && e.code === 'automation.rule_loop' && (e.details['cycle'] as string[]).includes('Lock on alarm'),
    );
  });

  it('raises “door forced” for an opening with no grant and no REX in the previous 2 s, and not after a grant', async () => {
    await s.automation.rules.create(OP, {
      document: {
        name: 'Door forced',
        site: h.site,
        trigger: { event: 'door.contact_opened' },
        conditions: [{ absent: { event: ['access.granted', 'door.rex'], same: ['door'], beforeSeconds: 2, graceMs: 100 } }],
        actions: [{ raiseAlarm: { type: 'door_forced', priority: 2, title: 'Door forced: {door}' } }],
      },
    });
    const now = Date.now();
    await s.submit([accessGranted.draft({ site: h.site, door: h.doors.ward, source: 'device:R-1', at: new Date(now - 1000) }, {})]);
    await s.submit([doorContactOpened.draft({ site: h.site, door: h.doors.ward, source: 'device:DC-W', at: new Date(now) }, {})]);
    const [forced] = await s.submit([
      doorContactOpened.draft({ site: h.site, door: h.doors.nicu, zone: h.zones.nicu, source: 'device:DC-N' }, {}),
    ]);
    const alarms = await until(async () => {
      const list = await alarmsOf('door_forced');
      return list.length > 0 && list;
    }, 'a door_forced alarm');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      (await alarmsOf('door_forced')).map((a) => [a.doorId, a.title, a.triggerEventId]),
      [[h.doors.nicu, 'Door forced: NICU door', forced!.id]],
    );
    assert.equal(alarms[0]!.device, 'device:DC-N');
  });

  it('groups door forced + motion + glass break in one zone within 60 s into one break-in incident', async () => {
    const rule = (type: string, event: string) => ({
      name: `Raise ${type}`,
      site: h.site,
      trigger: { event, where: { zone: h.zones.maternity } },
      actions: [{ raiseAlarm: { type, priority: 2 } }],
    });
    await s.automation.rules.create(OP, { document: rule('motion', 'motion.detected') });
    await s.automation.rules.create(OP, { document: rule('glass_break', 'glass_break.detected') });
    await s.automation.rules.create(OP, { document: { ...rule('door_forced', 'door.contact_opened'), name: 'Maternity door forced' } });
    const at = { site: h.site, zone: h.zones.maternity };
    await s.submit([doorContactOpened.draft({ ...at, door: h.doors.maternity, source: 'device:DC-M' }, {})]);
    await s.submit([motionDetected.draft({ ...at, source: 'device:PIR-M' }, {})]);
    await s.submit([glassBreakDetected.draft({ ...at, source: 'device:GB-M' }, {})]);
    const incidents = await until(async () => {
      const page = await s.alarms.incidents.list({ sites: 'all', limit: 10 });
      const found = page.items.filter((i) => i.zoneId === h.zones.maternity);
      return found.length > 0 && found[0]!.alarmIds.length >= 3 && found;
    }, 'a break-in incident with three alarms');
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]!.kind, 'break_in');
    assert.equal(incidents[0]!.priority, 1);
  });

  it('queues a signed webhook when a rule with a webhook action fires, once per trigger', async () => {
    const { channel } = await s.automation.notifications.channels.create(OP, {
      siteId: h.site,
      name: 'Facilities',
      kind: 'webhook',
      url: 'http://127.0.0.1:9/hook',
    });
    await s.automation.rules.create(OP, {
      document: {
        name: 'Ward motion → facilities',
        site: h.site,
        trigger: { event: 'motion.detected', where: { zone: h.zones.ward } },
        actions: [{ webhook: { channel: channel.id, message: 'Check ward 3' } }],
      },
    });
    const [event] = await s.submit([motionDetected.draft({ site: h.site, zone: h.zones.ward, source: 'device:PIR-W' }, {})]);
    await s.bus.publish([event!]); // a redelivery must not queue it twice
    const deliveries = await until(async () => {
      const page = await s.automation.notifications.deliveries.list({ sites: 'all', channelId: channel.id, limit: 10 });
      return page.items.length > 0 && page.items;
    }, 'a delivery for the webhook action');
    await s.automation.runner.idle();
    assert.equal((await s.automation.notifications.deliveries.list({ sites: 'all', channelId: channel.id, limit: 10 })).items.length, 1);
    assert.equal(deliveries[0]!.subject, 'Ward motion → facilities: motion.detected');
  });

  it('dry-runs a rule against recorded events without acting', async () => {
    const from = new Date(Date.now() - 60_000);
    await s.submit([glassBreakDetected.draft({ site: h.site, zone: h.zones.lobby, source: 'device:GB-L' }, {})]);
    await s.submit([glassBreakDetected.draft({ site: h.site, zone: h.zones.lobby, source: 'device:GB-L' }, {})]);
    const before = (await alarmsOf('lobby_glass')).length;
    const result = await s.automation.runtime.dryRun(
      {
        document: {
          name: 'Lobby glass',
          site: h.site,
          trigger: { event: 'glass_break.detected', where: { zone: h.zones.lobby } },
          actions: [{ raiseAlarm: { type: 'lobby_glass', priority: 3 } }],
        },
      },
      { from, to: new Date(Date.now() + 1000), sites: 'all', maxEvents: 10_000 },
    );
    assert.equal(result.matched, 2);
    assert.ok(result.evaluated >= 2);
    assert.deepEqual(result.matches[0]!.actions, ['raiseAlarm(type=lobby_glass, priority=3)']);
    assert.equal((await alarmsOf('lobby_glass')).length, before, 'a dry run raises nothing');
  });

  it('starts the fire plan from the fire panel although another rule tries to lock the same doors', async () => {
    const fire = await s.automation.plans.save(OP, { siteId: h.site, name: 'Fire (rule)', kind: 'fire' });
    await s.automation.rules.create(OP, {
      document: {
        name: 'Fire panel → fire plan',
        site: h.site,
        trigger: { event: 'fire_panel.alarm_raised' },
        actions: [{ startPlan: { plan: fire.id } }],
      },
    });
    await s.automation.rules.create(OP, {
      document: {
        name: 'Hostile lock',
        site: h.site,
        trigger: { event: 'fire_panel.alarm_raised' },
        actions: [{ lockZone: { zone: h.zones.maternity } }, { lockDoor: { door: h.doors.main } }],
      },
    });
    await s.submit([firePanelAlarmRaised.draft({ site: h.site, source: 'device:FACP-1' }, { input: 'zone 4' })]);
    const activation = await until(() => s.automation.live.ofPlan(fire.id), 'the fire plan started');
    await s.automation.activations.settled(activation.id);
    await s.automation.runner.idle();
    // Whatever order the two rules ran in, fire holds every door now.
    await until(() => Object.values(h.doors).every((d) => s.doors.modeOf(d) === 'fire_egress'), 'every door in fire egress');
    await s.automation.runner.idle();
    assert.deepEqual(
      Object.values(h.doors).map((d) => s.doors.modeOf(d)),
      Array(6).fill('fire_egress'),
    );
    await s.automation.activations.clear(OP, activation.id, null);
    await s.automation.activations.settled(activation.id);
  });
});

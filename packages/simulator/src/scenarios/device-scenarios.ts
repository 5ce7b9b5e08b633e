/**
 * Scenarios driven by devices and plans: a building's fire-alarm panel going into alarm (over
 * MQTT, starting that building's fire plan through the plan's button), a Code Pink drill on
 * maternity started and cleared by an operator through the API, and a card reader losing power.
 */
import type { JournalEntry } from '../live/journal-watch.js';
import { doorsInto } from './cast.js';
import { humanPause } from './door-scenarios.js';
import { firePlanName } from './setup.js';
import { entry, type Scenario } from './types.js';

interface Activation {
  id: string;
}

export const firePanelAlarm: Scenario = {
  name: 'fire-panel-alarm',
  title: 'A fire-panel alarm in one building',
  description:
    'A smoke detector trips a building\'s fire-alarm panel, which reports the input in alarm over MQTT. Vigil journals it, the rule "Fire-alarm panel in alarm" raises a priority-1 alarm, and the panel, registered as the button of the building\'s fire plan, starts the plan: egress doors are freed. When the panel resets, an operator clears the plan and the doors return to normal.',
  declares: {
    alarms: ['fire_alarm'],
    journal: [
      'fire_panel.alarm_raised',
      'emergency.plan_started',
      'emergency.door_secured',
      'fire_panel.alarm_cleared',
      'emergency.plan_cleared',
    ],
  },
  applicable: (_hospital, world) => (world.mqtt ? null : 'MQTT sensors are off (no broker given)'),
  async run(ctx) {
    const sensors = ctx.world.sensors!;
    const building = ctx.random.pick(ctx.hospital.model.buildings.filter((b) => ctx.setup.firePlans.has(b.key)));
    const panel = sensors.find('fire_panel', (s) => s.building === building.key);
    if (!panel) throw new Error(`no fire panel in ${building.name}`);
    const source = `device:${panel.serial}`;
    ctx.log(`${building.name}: a smoke detector trips the fire-alarm panel (input level-1)`);
    await sensors.firePanel(panel, 'level-1', 'ALARM');
    const started = await ctx.journal.waitFor(
      (e) =>
        e.type === 'emergency.plan_started' &&
        (e.data['activation'] as { trigger?: string } | undefined)?.trigger === 'button' &&
        e.source === source,
      30_000,
    );
    const activationId = (started?.data['activation'] as Activation | undefined)?.id;
    await humanPause(ctx, 45_000, 3000);
    ctx.log(`${building.name}: the panel is reset; the operator clears "${firePlanName(building.name)}"`);
    await sensors.firePanel(panel, 'level-1', 'NORMAL');
    if (activationId)
      await ctx.api.post(`/api/emergency/activations/${activationId}/clear`, { reason: 'Fire panel reset: detector tripped by steam' });
    return {
      alarms: [{ type: 'fire_alarm', priority: 1, description: `fire alarm from ${building.name}'s panel` }],
      journal: [
        entry('fire_panel.alarm_raised', 'the panel input in alarm', { source }),
        entry('emergency.plan_started', `the fire plan of ${building.name}, started by the panel`, {
          source,
          data: { 'activation.kind': 'fire', 'activation.drill': false },
        }),
        entry('emergency.door_secured', 'egress doors freed, confirmed by their controller', {
          data: { activationId: activationId ?? 'none', mode: 'fire_egress', drill: false },
        }),
        entry('fire_panel.alarm_cleared', 'the panel back to normal', { source }),
        entry('emergency.plan_cleared', 'the plan cleared by the operator', { data: { 'activation.kind': 'fire' } }),
      ],
    };
  },
};

export const codePinkDrill: Scenario = {
  name: 'code-pink-drill',
  title: 'A Code Pink drill on maternity',
  description:
    'An operator starts the Code Pink plan for maternity and the NICU as a drill: the whole workflow runs (doors are simulated, not locked), the rule "Code Pink drill" puts it on the alarm queue, and after the exercise the operator clears it.',
  declares: { alarms: ['code_pink_drill'], journal: ['emergency.plan_started', 'emergency.door_secured', 'emergency.plan_cleared'] },
  applicable: (hospital) =>
    hospital.model.zones.some((z) => z.type === 'maternity' || z.type === 'nicu') ? null : 'the hospital has no maternity unit',
  async run(ctx) {
    const plan = ctx.setup.codePinkPlan!;
    ctx.log('the operator starts the Code Pink drill on maternity and the NICU');
    const activation = await ctx.api.post<Activation>(`/api/emergency/plans/${plan}/start`, {
      drill: true,
      reason: 'Quarterly Code Pink drill',
    });
    await humanPause(ctx, 60_000, 3000);
    ctx.log('drill over: the operator clears it');
    await ctx.api.post(`/api/emergency/activations/${activation.id}/clear`, { reason: 'Drill complete' });
    const hasDoors = doorsInto(ctx.world, ['maternity', 'nicu']).length > 0;
    return {
      alarms: [{ type: 'code_pink_drill', priority: 4, description: 'Code Pink drill on the alarm queue' }],
      journal: [
        entry('emergency.plan_started', 'the drill started', { data: { 'activation.id': activation.id, 'activation.drill': true } }),
        ...(hasDoors
          ? [
              entry('emergency.door_secured', 'a maternity door (simulated in the drill)', {
                data: { activationId: activation.id, drill: true },
              }),
            ]
          : []),
        entry('emergency.plan_cleared', 'the drill cleared', { data: { 'activation.id': activation.id } }),
      ],
    };
  },
};

export const readerPowerLoss: Scenario = {
  name: 'reader-power-loss',
  title: 'A reader losing power',
  description:
    'A card reader\'s power supply fails: it stops answering its door controller, which reports it offline (the rule "Card reader offline" raises an alarm). An electrician restores power and the reader comes back online.',
  declares: { alarms: ['reader_offline'], journal: ['reader.went_offline', 'reader.came_online'] },
  applicable: () => null,
  async run(ctx) {
    const model = ctx.random.pick(doorsInto(ctx.world, ['clinical'], (d) => !d.perimeter));
    const door = ctx.world.door(model.key);
    const reader = door.entryReader;
    // Reader names are per controller; the controller's source tells which building's reader it is.
    const source = ctx.world.controllerOf(door).agent.recorder.source;
    const about = (type: string) => (e: JournalEntry) => e.type === type && e.source === source && e.data['reader'] === reader.name;
    ctx.log(`the reader at ${model.name} loses power`);
    reader.setPowered(false);
    await ctx.journal.waitFor(about('reader.went_offline'), 30_000);
    await humanPause(ctx, 120_000, 2000);
    ctx.log(`power restored to the reader at ${model.name}`);
    reader.setPowered(true);
    await ctx.journal.waitFor(about('reader.came_online'), 30_000);
    return {
      alarms: [{ type: 'reader_offline', priority: 3, description: `reader-offline alarm for ${model.name}` }],
      journal: [
        entry('reader.went_offline', `the reader at ${model.name} offline`, { source, data: { reader: reader.name } }),
        entry('reader.came_online', `the reader at ${model.name} back`, { source, data: { reader: reader.name } }),
      ],
    };
  },
};

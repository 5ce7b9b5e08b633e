/**
 * The scenario library against a real Vigil: the clinic is provisioned through the API, its door
 * controller (Vigil's edge agent) talks OSDP to the virtual readers, its sensors publish over MQTT,
 * and each scenario's alarms and journal entries are read back through the API (the alarm queue
 * and the live journal stream). Human pauses in the scripts are shortened; device timings are not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { generateHospital } from '../hospital/index.js';
import type { VigilClient } from '../live/vigil-client.js';
import type { LiveWorld } from '../live/world.js';
import type { ScenarioSetup } from './setup.js';
import { findScenario, playScenario, type ScenarioReport } from './library.js';
import { startLiveHospital, type LiveHospital } from './live-vigil.js';

interface Alarm {
  id: string;
  type: string;
  priority: number;
  doorId: string | null;
  state: string;
}

describe('the scenario library on a live clinic', { timeout: 600_000 }, () => {
  let live: LiveHospital;
  let api: VigilClient;
  let world: LiveWorld;
  let setup: ScenarioSetup;

  before(async () => {
    live = await startLiveHospital(generateHospital({ preset: 'clinic', seed: 7 }), { mqtt: true });
    ({ api, world, setup } = live);
  });

  after(async () => {
    await live?.close();
  });

  async function play(name: string): Promise<ScenarioReport> {
    const report = await playScenario(findScenario(name), { world, api, setup, pace: 200, verifyTimeoutMs: 20_000, log: () => undefined });
    const missing = [
      ...report.alarms.filter((a) => a.alarmId === null).map((a) => `alarm ${a.expected.type}`),
      ...report.journal.filter((e) => e.found < (e.expected.atLeast ?? 1)).map((e) => `journal: ${e.expected.description}`),
    ];
    assert.deepEqual(missing, [], `${name} left something out in Vigil`);
    assert.equal(report.passed, true);
    return report;
  }

  /** The alarm as the alarm queue shows it. */
  async function alarm(report: ScenarioReport, type: string): Promise<Alarm> {
    const id = report.alarms.find((a) => a.expected.type === type)?.alarmId;
    assert.ok(id, `no ${type} alarm`);
    return api.get<Alarm>(`/api/alarms/${id}`);
  }

  function doorId(name: string): string {
    const door = world.hospital.model.doors.find((d) => d.name === name);
    assert.ok(door, name);
    return world.hospital.ids.doors[door.key]!;
  }

  it('forced door at the pharmacy vault: a priority-1 door_forced alarm on the vault door', async () => {
    const report = await play('forced-vault-door');
    const raised = await alarm(report, 'door_forced');
    assert.equal(raised.priority, 1);
    assert.equal(raised.doorId, doorId('Pharmacy Vault Door'));
    assert.equal(raised.state, 'new');
  });

  it('tailgating into the OR suite: an exit badge with no entry badge raises a tailgating alarm', async () => {
    const report = await play('or-tailgating');
    assert.equal((await alarm(report, 'tailgating')).doorId, doorId('Operating Suite Patient Transfer Doors'));
    assert.equal(report.journal.length, 2);
  });

  it("a terminated employee's badge is refused at the door and raises an alarm", async () => {
    const report = await play('terminated-badge');
    assert.equal((await alarm(report, 'revoked_badge')).priority, 2);
  });

  it('a propped door is reported held open and raises an alarm', async () => {
    const report = await play('propped-door');
    assert.equal((await alarm(report, 'door_held_open')).priority, 3);
  });

  it('a fire-panel alarm over MQTT raises a fire alarm and starts the building’s fire plan', async () => {
    const report = await play('fire-panel-alarm');
    assert.equal((await alarm(report, 'fire_alarm')).priority, 1);
    const activations = await api.get<{ items: { planId: string; kind: string; trigger: string; state: string }[] }>(
      '/api/emergency/activations',
    );
    const fire = activations.items.find((a) => a.planId === [...setup.firePlans.values()][0]);
    assert.deepEqual(fire && { kind: fire.kind, trigger: fire.trigger, state: fire.state }, {
      kind: 'fire',
      trigger: 'button',
      state: 'cleared',
    });
  });

  it('a Code Pink drill on maternity is on the alarm queue and cleared afterwards', async () => {
    const report = await play('code-pink-drill');
    assert.equal((await alarm(report, 'code_pink_drill')).priority, 4);
  });

  it('a reader losing power is reported offline, then back', async () => {
    const report = await play('reader-power-loss');
    assert.equal((await alarm(report, 'reader_offline')).priority, 3);
  });

  it('a burst of denials at the data centre raises one repeated-denials alarm', async () => {
    const report = await play('data-centre-denials');
    const raised = await alarm(report, 'repeated_denials');
    assert.equal(raised.doorId, report.alarms[0]!.expected.doorId);
  });

  it('refuses the cloned-card scenario on a one-building clinic, saying why', async () => {
    await assert.rejects(
      () => playScenario(findScenario('cloned-card'), { world, api, setup, log: () => undefined }),
      (e: unknown) => isVigilError(e) && e.code === 'simulator.scenario_not_applicable' && /single building/.test(e.message),
    );
  });
});

/**
 * The cloned-card scenario needs two buildings, which the clinic does not have. It runs here on
 * the first two buildings of the `community` hospital, with the staff whose home is there (a
 * slice of the generated hospital, provisioned and run like any other), against a real Vigil.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateHospital } from '../hospital/index.js';
import type { VigilClient } from '../live/vigil-client.js';
import type { LiveWorld } from '../live/world.js';
import type { HospitalModel } from '../model.js';
import type { ScenarioSetup } from './setup.js';
import { findScenario, playScenario } from './library.js';
import { startLiveHospital, type LiveHospital } from './live-vigil.js';

const STAFF_PER_BUILDING = 30;

/** Two buildings of the community hospital, their facility whole, and some of their staff. */
function twoBuildings(): HospitalModel {
  const model = generateHospital({ preset: 'community', seed: 3 });
  const buildings = model.buildings.slice(0, 2);
  const keep = new Set(buildings.map((b) => b.key));
  const floors = model.floors.filter((f) => keep.has(f.building));
  const floorKeys = new Set(floors.map((f) => f.key));
  const zones = model.zones.filter((z) => floorKeys.has(z.floor));
  const zoneKeys = new Set(zones.map((z) => z.key));
  const doors = model.doors.filter((d) => floorKeys.has(d.floor) && zoneKeys.has(d.into) && (d.from === null || zoneKeys.has(d.from)));
  const doorKeys = new Set(doors.map((d) => d.key));
  const buildingOfZone = new Map(zones.map((z) => [z.key, floors.find((f) => f.key === z.floor)!.building]));
  const persons = buildings.flatMap((b) =>
    model.persons
      .filter((p) => p.kind === 'staff' && p.cards.length > 0 && p.homeZone !== null && buildingOfZone.get(p.homeZone) === b.key)
      .slice(0, STAFF_PER_BUILDING),
  );
  return {
    ...model,
    buildings,
    floors,
    zones,
    doors,
    accessGroups: model.accessGroups.map((g) => ({ ...g, doors: g.doors.filter((d) => doorKeys.has(d)) })),
    persons,
  };
}

describe('a card cloned and used in two buildings minutes apart', { timeout: 600_000 }, () => {
  let live: LiveHospital;
  let api: VigilClient;
  let world: LiveWorld;
  let setup: ScenarioSetup;

  before(async () => {
    live = await startLiveHospital(twoBuildings(), { mqtt: false });
    ({ api, world, setup } = live);
  });

  after(async () => {
    await live?.close();
  });

  interface Entry {
    id: string;
    type: string;
    door: string;
    subject: string;
  }

  /** The building (model key) a door id belongs to. */
  function buildingOfDoorId(doorId: string): string {
    const { model, ids } = world.hospital;
    const key = Object.entries(ids.doors).find(([, id]) => id === doorId)?.[0];
    const door = model.doors.find((d) => d.key === key);
    return model.floors.find((f) => f.key === door?.floor)?.building ?? '';
  }

  it("raises a cloned_card alarm at the second building's door, after reads of one card in both buildings", async () => {
    const from = new Date(Date.now() - 5000).toISOString();
    const report = await playScenario(findScenario('cloned-card'), {
      world,
      api,
      setup,
      pace: 60,
      verifyTimeoutMs: 20_000,
      log: () => undefined,
    });
    assert.equal(report.passed, true, 'every expected alarm and entry is in Vigil');
    const alarm = await api.get<{ type: string; doorId: string; priority: number }>(`/api/alarms/${report.alarms[0]!.alarmId}`);
    assert.deepEqual({ type: alarm.type, priority: alarm.priority }, { type: 'cloned_card', priority: 2 });
    const reads = (
      await api.get<{ items: Entry[] }>('/api/journal', { site: world.hospital.siteId, from, type: ['access.granted', 'access.denied'] })
    ).items;
    const ids = new Set(report.journal.flatMap((e) => e.eventIds));
    const used = reads.filter((e) => ids.has(e.id));
    assert.equal(new Set(used.map((e) => e.subject)).size, 1, 'one card');
    assert.equal(new Set(used.map((e) => buildingOfDoorId(e.door))).size, 2, 'two buildings');
  });

  it('raises none when the card is read twice in the same building', async () => {
    const door = world.doors.find((d) => d.model.perimeter)!;
    const person = world.hospital.model.persons.find((p) => p.cards.length > 0)!;
    const from = new Date(Date.now() - 5000).toISOString();
    await door.enter(person.cards[0]!);
    await door.enter(person.cards[0]!);
    const subject = world.hospital.ids.persons[person.key]!;
    let reads: Entry[] = [];
    while (reads.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      reads = (
        await api.get<{ items: Entry[] }>('/api/journal', {
          site: world.hospital.siteId,
          from,
          subject,
          type: ['access.granted', 'access.denied'],
        })
      ).items;
    }
    // Rules decide as the events arrive; give the alarm queue a moment to show a wrong one.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const alarms = (
      await api.get<{ items: { triggerEventId: string | null }[] }>('/api/alarms', { site: world.hospital.siteId, type: 'cloned_card' })
    ).items;
    assert.equal(alarms.filter((a) => reads.some((r) => r.id === a.triggerEventId)).length, 0);
  });
});

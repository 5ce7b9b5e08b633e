/**
 * Floor plans go through Vigil's own floor-plan sanitiser untouched (nothing refused, nothing
 * dropped), and what they show matches the model: every zone and door of the floor is drawn, each
 * door on the wall of the zone it leads into, inside the plan's drawing area.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitiseFloorPlan } from '../../../server/src/modules/facility/index.js';
import type { DoorModel, ZoneModel } from '../model.js';
import { generateHospital } from './generate.js';
import { layoutFloor } from './layout.js';
import { drawFloorPlan } from './plan-svg.js';
import { PRESET_NAMES } from './presets.js';

/** Whether the point lies on the rectangle's outline (doors sit in walls). */
function onOutline(point: { x: number; y: number }, area: ZoneModel['area']): boolean {
  const within = (v: number, from: number, to: number) => v >= from - 0.01 && v <= to + 0.01;
  const near = (a: number, b: number) => Math.abs(a - b) < 0.01;
  const right = area.x + area.width;
  const bottom = area.y + area.height;
  return (
    ((near(point.x, area.x) || near(point.x, right)) && within(point.y, area.y, bottom)) ||
    ((near(point.y, area.y) || near(point.y, bottom)) && within(point.x, area.x, right))
  );
}

describe('floor plans', () => {
  for (const preset of PRESET_NAMES) {
    it(`${preset}: every plan passes Vigil's sanitiser unchanged in content and shows its zones and doors`, () => {
      const m = generateHospital({ preset, seed: 3 });
      const zones = new Map(m.zones.map((z) => [z.key, z]));
      for (const floor of m.floors) {
        const plan = sanitiseFloorPlan(floor.planSvg);
        assert.deepEqual(plan.removed, [], `${floor.key}: the sanitiser dropped something`);
        assert.deepEqual(plan.viewBox, { minX: 0, minY: 0, width: floor.width, height: floor.height });
        const drawn = new Set([...plan.svg.matchAll(/data-(?:zone|door)="([^"]+)"/g)].map((match) => match[1]));
        const floorDoors: DoorModel[] = m.doors.filter((d) => d.floor === floor.key);
        for (const zone of m.zones.filter((z) => z.floor === floor.key)) assert.ok(drawn.has(zone.key), `${zone.key} is drawn`);
        for (const door of floorDoors) {
          assert.ok(drawn.has(door.key), `${door.key} is drawn`);
          const { x, y } = door.position;
          assert.ok(x >= 0 && y >= 0 && x <= floor.width && y <= floor.height, `${door.key} inside the plan`);
          const into = zones.get(door.into)!;
          // Stairwells are one zone, drawn on every floor at the same place as on the ground floor.
          assert.ok(onOutline(door.position, into.area), `${door.name} sits in a wall of ${into.name}`);
        }
      }
    });
  }

  it('escapes names, so markup in a name stays text and cannot break or script the plan', () => {
    const layout = layoutFloor(['s1', 's2'], [[{ zones: ['z1'], width: 200 }]]);
    const room = (key: string, label: string) => ({ key, label, type: 'clinical' as const, rect: layout.rooms.get(key)! });
    const svg = drawFloorPlan(
      'R&D <b>"Lab"</b>',
      layout,
      { key: 'c', label: 'Hall', type: 'public', rect: layout.corridor },
      [room('s1', 'Stair'), room('s2', 'Stair'), room('z1', '<script>alert(1)</script> & "Co"')],
      [],
    );
    const plan = sanitiseFloorPlan(svg);
    assert.deepEqual(plan.removed, []);
    assert.doesNotMatch(plan.svg, /<script/);
    assert.match(plan.svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(plan.svg, /<title>R&amp;D &lt;b&gt;"Lab"&lt;\/b&gt;<\/title>/);
  });
});

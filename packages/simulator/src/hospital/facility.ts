/**
 * Buildings, floors, zones and doors from a preset's programme. Each floor gets its share of the
 * preset's door target: its set units first, then filler units until the share is reached. Every
 * floor has a corridor (the main lobby on the ground floor) with two stairwells at its ends; each
 * stairwell is one zone on the ground floor, entered on every level, discharging outside.
 */
import type { BuildingModel, DoorModel, FloorModel, PresetName, ZoneModel } from '../model.js';
import {
  alongWall,
  layoutFloor,
  naturalWidth,
  outsideWalls,
  sharedWall,
  wallKey,
  type Column,
  type FloorLayout,
  type Point,
  type Rect,
  type Segment,
} from './layout.js';
import { UnitNamer } from './labels.js';
import { drawFloorPlan, type PlanDoor, type PlanRoom } from './plan-svg.js';
import { PRESETS } from './presets.js';
import { PROGRAMMES, type FloorProgramme } from './programme.js';
import type { Random } from './random.js';
import { unitTemplate, type UnitDoor, type UnitKind, type UnitTemplate } from './units.js';
import type { DepartmentKey } from './workforce-catalogue.js';

/** What the people and access generators need to know about a zone beyond the model. */
export interface ZoneInfo {
  readonly building: string;
  readonly unit: UnitKind | 'corridor' | 'stair';
  readonly department: DepartmentKey | null;
}

export interface StaffSlot {
  readonly zone: string;
  readonly building: string;
  readonly department: DepartmentKey;
  readonly weight: number;
}

export interface Facility {
  readonly buildings: BuildingModel[];
  readonly floors: FloorModel[];
  readonly zones: ZoneModel[];
  readonly doors: DoorModel[];
  readonly zoneInfo: ReadonlyMap<string, ZoneInfo>;
  readonly staffSlots: StaffSlot[];
}

interface PlacedUnit {
  readonly key: string;
  readonly template: UnitTemplate;
}

const STAIRS = ['A', 'B'] as const;

export function generateFacility(preset: PresetName, random: Random): Facility {
  const programme = PROGRAMMES[preset];
  const prefix = (building: string, name: string) => (programme.length > 1 ? `${building} – ${name}` : name);
  const zoneInfo = new Map<string, ZoneInfo>();
  const facility: Facility = { buildings: [], floors: [], zones: [], doors: [], zoneInfo, staffSlots: [] };
  const floorsTotal = programme.reduce((n, b) => n + b.floors.length, 0);
  let floorsDone = 0;
  let doorsPlanned = 0;

  programme.forEach((plan, b) => {
    const building: BuildingModel = { key: `b${b + 1}`, name: plan.name };
    facility.buildings.push(building);
    const namer = new UnitNamer(random.fork(`names:${building.key}`));
    const stairKeys = STAIRS.map((s) => `${building.key}-stair-${s.toLowerCase()}`) as [string, string];

    const floorUnits = plan.floors.map((floorPlan, level) => {
      const budget = (PRESETS[preset].doors - doorsPlanned) / (floorsTotal - floorsDone++);
      const templates = chooseUnits(floorPlan, level, budget, namer, random);
      doorsPlanned += fixedDoors(level) + templates.reduce((n, t) => n + t.doors.length, 0);
      return templates.map((template, u): PlacedUnit => ({ key: `${building.key}-l${level + 1}-u${u + 1}`, template }));
    });
    // All floors of a building share the outline of its widest floor.
    const inner = Math.max(...floorUnits.map((units) => naturalWidth(columnsOf(units))));

    floorUnits.forEach((units, level) => {
      const floorKey = `${building.key}-l${level + 1}`;
      const layout = layoutFloor(stairKeys, columnsOf(units), inner);
      const floorName = `Level ${level + 1}`;
      const corridorKey = `${floorKey}-corridor`;
      const corridorName = level === 0 ? 'Main Lobby' : `${floorName} Corridor`;
      const rooms: PlanRoom[] = [];
      const defineZone = (key: string, name: string, type: ZoneModel['type'], area: Rect, info: Omit<ZoneInfo, 'building'>) => {
        facility.zones.push({ key, floor: floorKey, name: prefix(plan.name, name), type, area });
        zoneInfo.set(key, { building: building.key, ...info });
      };

      defineZone(corridorKey, corridorName, 'public', layout.corridor, { unit: 'corridor', department: null });
      STAIRS.forEach((stair, s) => {
        const key = stairKeys[s]!;
        const rect = layout.rooms.get(key)!;
        // One zone per stairwell, on the ground floor; upper floors draw it without defining it again.
        if (level === 0) defineZone(key, `Stair ${stair}`, 'public', rect, { unit: 'stair', department: null });
        rooms.push({ key, label: `Stair ${stair}`, type: 'stair', rect });
      });
      for (const unit of units) {
        for (const zone of unit.template.columns.flat()) {
          const key = `${unit.key}-${zone.local}`;
          const rect = layout.rooms.get(key)!;
          defineZone(key, zone.name, zone.type, rect, {
            unit: unit.template.kind,
            department: zone.department ?? unit.template.department,
          });
          rooms.push({ key, label: zone.name, type: zone.type, rect });
        }
        for (const slot of unit.template.staff) {
          facility.staffSlots.push({
            zone: `${unit.key}-${slot.zone}`,
            building: building.key,
            department: slot.department ?? unit.template.department,
            weight: slot.weight,
          });
        }
      }

      const doorSpecs = floorDoors(level, corridorKey, stairKeys, units);
      const placed = placeDoors(doorSpecs, layout, corridorKey);
      const planDoors: PlanDoor[] = [];
      doorSpecs.forEach((spec, d) => {
        const key = `${floorKey}-d${d + 1}`;
        const position = placed[d]!;
        const egress = spec.egress ?? false;
        const exitReader = spec.exitReader ?? false;
        facility.doors.push({
          key,
          floor: floorKey,
          name: prefix(plan.name, spec.name),
          into: spec.into,
          from: spec.from === 'outside' ? null : spec.from,
          position,
          hasExitReader: exitReader,
          hasRequestToExit: spec.requestToExit ?? !exitReader,
          egress,
          stairwell: spec.stairwell,
          perimeter: spec.from === 'outside',
          failSafe: egress,
          unlockSeconds: spec.unlockSeconds ?? 5,
          heldOpenSeconds: spec.heldOpenSeconds ?? 30,
        });
        planDoors.push({ key, position, kind: spec.from === 'outside' ? 'perimeter' : spec.stairwell ? 'stairwell' : 'interior' });
      });

      const title = `${plan.name}, ${floorName}`;
      const corridorRoom: PlanRoom = { key: corridorKey, label: corridorName, type: 'public', rect: layout.corridor };
      facility.floors.push({
        key: floorKey,
        building: building.key,
        name: floorName,
        level,
        planSvg: drawFloorPlan(title, layout, corridorRoom, rooms, planDoors),
        width: layout.width,
        height: layout.height,
      });
    });
  });
  return facility;
}

function columnsOf(units: readonly PlacedUnit[]): Column[][] {
  return units.map((unit) =>
    unit.template.columns.map((column) => ({
      zones: column.map((z) => `${unit.key}-${z.local}`),
      width: Math.max(...column.map((z) => z.width)),
    })),
  );
}

/** The floor's set units, then filler units while the floor is short of its share of doors. */
function chooseUnits(plan: FloorProgramme, level: number, budget: number, namer: UnitNamer, random: Random): UnitTemplate[] {
  const templates = plan.units.map(([kind, label]) => unitTemplate(kind, label));
  let doors = fixedDoors(level) + templates.reduce((n, t) => n + t.doors.length, 0);
  while (plan.fill.length > 0) {
    const kind = random.pick(plan.fill);
    const size = unitTemplate(kind, '').doors.length;
    if (doors + size / 2 > budget) break;
    templates.push(unitTemplate(kind, namer.next(kind, level + 1)));
    doors += size;
  }
  return random.shuffled(templates);
}

/** Stair doors on every floor (two), and on the ground floor two stair discharges and two entrances. */
const fixedDoors = (level: number) => (level === 0 ? 6 : 2);

interface DoorSpec extends UnitDoor {
  readonly stairwell: boolean;
}

function floorDoors(level: number, corridor: string, stairs: readonly [string, string], units: readonly PlacedUnit[]): DoorSpec[] {
  const specs: DoorSpec[] = [];
  if (level === 0) {
    specs.push(
      { name: 'Main Entrance', from: 'outside', into: corridor, egress: true, heldOpenSeconds: 120, stairwell: false },
      { name: 'Staff Entrance', from: 'outside', into: corridor, egress: true, stairwell: false },
    );
  }
  STAIRS.forEach((stair, s) => {
    // Leaving a floor into the stairwell is free egress; coming back in from the stairwell is badged.
    specs.push({
      name: `Stair ${stair} ${level === 0 ? 'Ground' : `Level ${level + 1}`} Door`,
      from: stairs[s]!,
      into: corridor,
      egress: true,
      stairwell: true,
    });
    if (level === 0) {
      specs.push({ name: `Stair ${stair} Exit Discharge`, from: 'outside', into: stairs[s]!, egress: true, stairwell: true });
    }
  });
  for (const unit of units) {
    const local = (zone: string) => (zone === 'hub' ? corridor : zone === 'outside' ? 'outside' : `${unit.key}-${zone}`);
    for (const door of unit.template.doors) specs.push({ ...door, from: local(door.from), into: local(door.into), stairwell: false });
  }
  return specs;
}

/** Each door on the wall it passes through, doors sharing a wall spread evenly along it. */
function placeDoors(specs: readonly DoorSpec[], layout: FloorLayout, corridor: string): Point[] {
  const rectOf = (zone: string): Rect => (zone === corridor ? layout.corridor : layout.rooms.get(zone)!);
  const walls = new Map<string, { wall: Segment; doors: number[] }>();
  const outsideCount = new Map<string, number>();
  specs.forEach((spec, d) => {
    const into = rectOf(spec.into);
    let wall: Segment | null;
    if (spec.from === 'outside') {
      // Spread a zone's doors from outside over its outside walls (the lobby has one at each end).
      const candidates = outsideWalls(into, layout);
      const n = outsideCount.get(spec.into) ?? 0;
      outsideCount.set(spec.into, n + 1);
      wall = candidates[n % candidates.length] ?? null;
    } else {
      wall = sharedWall(rectOf(spec.from), into);
    }
    if (!wall) throw new Error(`door ${spec.name}: ${spec.from} and ${spec.into} share no wall`);
    const entry = walls.get(wallKey(wall)) ?? { wall, doors: [] };
    entry.doors.push(d);
    walls.set(wallKey(wall), entry);
  });
  const positions: Point[] = [];
  for (const { wall, doors } of walls.values()) doors.forEach((d, i) => (positions[d] = alongWall(wall, i, doors.length)));
  return positions;
}

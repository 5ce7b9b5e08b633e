/**
 * The mutable side of access decisions, kept out of the engine so the controller can persist it
 * and carry it across snapshot updates: where each person was last recorded (anti-passback), how
 * many are inside each zone (occupancy), which doors are open or released (interlock), pending
 * first badges (two-person rule), the last escort through each door, operator mode overrides,
 * lockdown and fire egress. Arrays are addressed by the snapshot's indices; `carryState` re-maps
 * them by id when a new snapshot arrives.
 */
import { accessError } from './errors.js';
import type { DoorMode } from './model.js';
import { DOOR_MODES, type AccessSnapshot } from './snapshot.js';

export interface AccessState {
  /** The snapshot whose indices address these arrays. */
  readonly snapshot: AccessSnapshot;
  /** Zone each person was last recorded in (-1: unknown or outside), and when. */
  readonly personZone: Int32Array;
  readonly personZoneAt: Float64Array;
  readonly occupancy: Int32Array;
  readonly doorOpen: Uint8Array;
  readonly releasedUntil: Float64Array;
  /** Operator override of the configured mode (-1: none). */
  readonly modeOverride: Int8Array;
  readonly lockdown: Uint8Array;
  readonly fireEgress: Uint8Array;
  /** First-person-in: the door runs unlocked until this instant. */
  readonly firstInUntil: Float64Array;
  /** Two-person rule: the first valid badge waiting for a second, and when. */
  readonly pendingPerson: Int32Array;
  readonly pendingAt: Float64Array;
  /** The last person with the escort privilege granted at each door, and when. */
  readonly escortPerson: Int32Array;
  readonly escortAt: Float64Array;
}

export function createState(snapshot: AccessSnapshot): AccessState {
  const persons = snapshot.persons.ids.length;
  const zones = snapshot.zones.ids.length;
  const doors = snapshot.doors.ids.length;
  return {
    snapshot,
    personZone: new Int32Array(persons).fill(-1),
    personZoneAt: new Float64Array(persons),
    occupancy: new Int32Array(zones),
    doorOpen: new Uint8Array(doors),
    releasedUntil: new Float64Array(doors),
    modeOverride: new Int8Array(doors).fill(-1),
    lockdown: new Uint8Array(doors),
    fireEgress: new Uint8Array(doors),
    firstInUntil: new Float64Array(doors),
    pendingPerson: new Int32Array(doors).fill(-1),
    pendingAt: new Float64Array(doors),
    escortPerson: new Int32Array(doors).fill(-1),
    escortAt: new Float64Array(doors),
  };
}

/** Plain JSON form of the state, keyed by ids, for the controller to persist. */
export interface PersistedAccessState {
  readonly persons: Record<string, { readonly zone: string | null; readonly at: number }>;
  readonly occupancy: Record<string, number>;
  readonly doors: Record<
    string,
    {
      readonly open: boolean;
      readonly releasedUntil: number;
      readonly modeOverride: DoorMode | null;
      readonly lockdown: boolean;
      readonly fireEgress: boolean;
      readonly firstInUntil: number;
      readonly pending: { readonly person: string; readonly at: number } | null;
      readonly escort: { readonly person: string; readonly at: number } | null;
    }
  >;
}

export function persistState(state: AccessState): PersistedAccessState {
  const s = state.snapshot;
  const personId = (i: number) => (i >= 0 ? s.persons.ids[i]! : null);
  const persons: Record<string, { zone: string | null; at: number }> = {};
  state.personZone.forEach((zone, i) => {
    if (zone >= 0) persons[s.persons.ids[i]!] = { zone: s.zones.ids[zone]!, at: state.personZoneAt[i]! };
  });
  const occupancy: Record<string, number> = {};
  state.occupancy.forEach((count, i) => {
    if (count !== 0) occupancy[s.zones.ids[i]!] = count;
  });
  const doors: Record<string, PersistedAccessState['doors'][string]> = {};
  s.doors.ids.forEach((id, i) => {
    const pending = personId(state.pendingPerson[i]!);
    const escort = personId(state.escortPerson[i]!);
    doors[id] = {
      open: state.doorOpen[i] === 1,
      releasedUntil: state.releasedUntil[i]!,
      modeOverride: state.modeOverride[i]! >= 0 ? DOOR_MODES[state.modeOverride[i]!]! : null,
      lockdown: state.lockdown[i] === 1,
      fireEgress: state.fireEgress[i] === 1,
      firstInUntil: state.firstInUntil[i]!,
      pending: pending === null ? null : { person: pending, at: state.pendingAt[i]! },
      escort: escort === null ? null : { person: escort, at: state.escortAt[i]! },
    };
  });
  return { persons, occupancy, doors };
}

/** Rebuilds state for `snapshot` from its persisted form; records of removed people, zones or doors are dropped. */
export function restoreState(snapshot: AccessSnapshot, persisted: PersistedAccessState): AccessState {
  const state = createState(snapshot);
  const personIndex = new Map(snapshot.persons.ids.map((id, i) => [id, i]));
  const zoneIndex = new Map(snapshot.zones.ids.map((id, i) => [id, i]));
  for (const [id, record] of Object.entries(persisted.persons)) {
    const person = personIndex.get(id);
    const zone = record.zone === null ? undefined : zoneIndex.get(record.zone);
    if (person === undefined || zone === undefined) continue;
    state.personZone[person] = zone;
    state.personZoneAt[person] = record.at;
  }
  for (const [id, count] of Object.entries(persisted.occupancy)) {
    const zone = zoneIndex.get(id);
    if (zone !== undefined) state.occupancy[zone] = count;
  }
  for (const [id, door] of Object.entries(persisted.doors)) {
    const i = snapshot.doorIndex.get(id);
    if (i === undefined) continue;
    state.doorOpen[i] = door.open ? 1 : 0;
    state.releasedUntil[i] = door.releasedUntil;
    state.modeOverride[i] = door.modeOverride === null ? -1 : DOOR_MODES.indexOf(door.modeOverride);
    state.lockdown[i] = door.lockdown ? 1 : 0;
    state.fireEgress[i] = door.fireEgress ? 1 : 0;
    state.firstInUntil[i] = door.firstInUntil;
    const pending = door.pending && personIndex.get(door.pending.person);
    if (door.pending && pending !== undefined && pending !== null) {
      state.pendingPerson[i] = pending;
      state.pendingAt[i] = door.pending.at;
    }
    const escort = door.escort && personIndex.get(door.escort.person);
    if (door.escort && escort !== undefined && escort !== null) {
      state.escortPerson[i] = escort;
      state.escortAt[i] = door.escort.at;
    }
  }
  return state;
}

/** Moves state onto a newly loaded snapshot, matching people, zones and doors by id. */
export function carryState(state: AccessState, next: AccessSnapshot): AccessState {
  return restoreState(next, persistState(state));
}

export function assertStateFor(snapshot: AccessSnapshot, state: AccessState): void {
  if (state.snapshot !== snapshot) throw accessError('access.state_mismatch', 'The decision state belongs to another snapshot');
}

function doorOf(state: AccessState, doorId: string): number {
  const door = state.snapshot.doorIndex.get(doorId);
  if (door === undefined) throw accessError('access.unknown_reference', `Unknown door ${doorId}`, { kind: 'door', id: doorId });
  return door;
}

/** An operator's mode for one door, or null to return it to its configured mode. */
export function setDoorMode(state: AccessState, doorId: string, mode: DoorMode | null): void {
  state.modeOverride[doorOf(state, doorId)] = mode === null ? -1 : DOOR_MODES.indexOf(mode);
}

export interface DoorScope {
  readonly siteIds?: readonly string[];
  /** Doors leading into or out of these zones. */
  readonly zoneIds?: readonly string[];
  readonly doorIds?: readonly string[];
}

function doorsIn(state: AccessState, scope: DoorScope): number[] {
  const s = state.snapshot;
  const sites = new Set((scope.siteIds ?? []).map((id) => s.siteIds.indexOf(id)));
  const zones = new Set((scope.zoneIds ?? []).map((id) => s.zones.ids.indexOf(id)));
  const doors = new Set((scope.doorIds ?? []).map((id) => doorOf(state, id)));
  const out: number[] = [];
  for (let i = 0; i < s.doors.ids.length; i++) {
    if (sites.has(s.doors.site[i]!) || zones.has(s.doors.toZone[i]!) || zones.has(s.doors.fromZone[i]!) || doors.has(i)) out.push(i);
  }
  return out;
}

export function setLockdown(state: AccessState, scope: DoorScope, active: boolean): number {
  const doors = doorsIn(state, scope);
  for (const door of doors) state.lockdown[door] = active ? 1 : 0;
  return doors.length;
}

export function setFireEgress(state: AccessState, scope: DoorScope, active: boolean): number {
  const doors = doorsIn(state, scope);
  for (const door of doors) state.fireEgress[door] = active ? 1 : 0;
  return doors.length;
}

/** Operator forgiveness: forget where one person (or everyone) was last recorded. */
export function forgivePassback(state: AccessState, personId?: string): void {
  if (personId === undefined) {
    state.personZone.fill(-1);
    return;
  }
  const person = state.snapshot.persons.ids.indexOf(personId);
  if (person >= 0) state.personZone[person] = -1;
}

/** Door position switch reports: an open door of an interlock group holds the others shut. */
export function recordDoorOpened(state: AccessState, doorId: string): void {
  state.doorOpen[doorOf(state, doorId)] = 1;
}

export function recordDoorClosed(state: AccessState, doorId: string): void {
  const door = doorOf(state, doorId);
  state.doorOpen[door] = 0;
  state.releasedUntil[door] = 0;
}

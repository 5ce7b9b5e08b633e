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

/**
 * An operator's mode for one door, or null to return it to its configured mode. Returns false and
 * changes nothing when the snapshot does not know the door (a control may name a door removed since).
 */
export function setDoorMode(state: AccessState, doorId: string, mode: DoorMode | null): boolean {
  const door = state.snapshot.doorIndex.get(doorId);
  if (door === undefined) return false;
  state.modeOverride[door] = mode === null ? -1 : DOOR_MODES.indexOf(mode);
  return true;
}

export interface DoorScope {
  readonly siteIds?: readonly string[];
  /** Doors leading into or out of these zones. */
  readonly zoneIds?: readonly string[];
  readonly doorIds?: readonly string[];
}

export interface ScopeOutcome {
  /** How many doors the scope matched (and were set). */
  readonly doors: number;
  /** The ids of the scope this snapshot does not know: they match no door, and the rest of the scope still applies. */
  readonly unknown: { readonly siteIds: readonly string[]; readonly zoneIds: readonly string[]; readonly doorIds: readonly string[] };
}

/**
 * Indices of the known ids in `index`, and the unknown ids apart. An unknown id must match
 * nothing: as -1 it would match every door that leads to no zone.
 */
function known(ids: readonly string[] | undefined, index: (id: string) => number): { found: Set<number>; unknown: string[] } {
  const found = new Set<number>();
  const unknown: string[] = [];
  for (const id of ids ?? []) {
    const i = index(id);
    if (i >= 0) found.add(i);
    else unknown.push(id);
  }
  return { found, unknown };
}

/** Sets `flags` for every door in scope; a scope naming unknown ids still covers all the known ones. */
function setInScope(state: AccessState, flags: Uint8Array, scope: DoorScope, active: boolean): ScopeOutcome {
  const s = state.snapshot;
  const sites = known(scope.siteIds, (id) => s.siteIds.indexOf(id));
  const zones = known(scope.zoneIds, (id) => s.zones.ids.indexOf(id));
  const doors = known(scope.doorIds, (id) => s.doorIndex.get(id) ?? -1);
  let matched = 0;
  for (let i = 0; i < s.doors.ids.length; i++) {
    if (
      sites.found.has(s.doors.site[i]!) ||
      zones.found.has(s.doors.toZone[i]!) ||
      zones.found.has(s.doors.fromZone[i]!) ||
      doors.found.has(i)
    ) {
      flags[i] = active ? 1 : 0;
      matched++;
    }
  }
  return { doors: matched, unknown: { siteIds: sites.unknown, zoneIds: zones.unknown, doorIds: doors.unknown } };
}

export function setLockdown(state: AccessState, scope: DoorScope, active: boolean): ScopeOutcome {
  return setInScope(state, state.lockdown, scope, active);
}

export function setFireEgress(state: AccessState, scope: DoorScope, active: boolean): ScopeOutcome {
  return setInScope(state, state.fireEgress, scope, active);
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

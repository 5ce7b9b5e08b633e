/**
 * The policy the agent decides with: the last good signed snapshot, the stateful rule state over
 * it, and their persistence. A snapshot is loaded only when its signature verifies and it is
 * newer than the running one; anything else is refused and the running snapshot stays.
 */
import type { KeyObject } from 'node:crypto';
import {
  DOOR_MODES,
  carryState,
  credentialIdFor,
  decide,
  isVigilError,
  loadSnapshot,
  persistState,
  pinHashFor,
  restoreState,
  scheduleActiveAt,
  type AccessDecision,
  type AccessRequest,
  type AccessSnapshot,
  type AccessState,
  type CardRead,
  type DoorMode,
  type PersistedAccessState,
} from '@vigil/core';
import type { AgentStore, StateDelta } from './store.js';

const SNAPSHOT_KEY = 'snapshot';

export class PolicyRuntime {
  private current: { snapshot: AccessSnapshot; state: AccessState } | null = null;
  /** Person index by id for the running snapshot, built on first use. */
  private persons: Map<string, number> | null = null;

  constructor(
    private readonly store: AgentStore,
    private readonly publicKey: KeyObject,
  ) {}

  get snapshot(): AccessSnapshot | null {
    return this.current?.snapshot ?? null;
  }

  get state(): AccessState | null {
    return this.current?.state ?? null;
  }

  get version(): number | null {
    return this.current?.snapshot.version ?? null;
  }

  /** Loads the stored snapshot and rule state; returns the error code when the stored snapshot is unusable. */
  restore(): string | null {
    const bytes = this.store.getMeta(SNAPSHOT_KEY);
    if (!bytes) return null;
    try {
      const snapshot = loadSnapshot(bytes, { publicKey: this.publicKey });
      this.install({ snapshot, state: restoreState(snapshot, this.store.loadState()) });
      return null;
    } catch (error) {
      return isVigilError(error) ? error.code : 'access.snapshot_malformed';
    }
  }

  /**
   * Verifies and loads a snapshot, carrying the rule state over by id. Throws the snapshot's
   * `access.snapshot_*` error when it cannot be trusted; returns false when it is not newer.
   */
  prepare(bytes: Uint8Array): { snapshot: AccessSnapshot; state: AccessState } | false {
    const runningVersion = this.version;
    const snapshot = loadSnapshot(bytes, {
      publicKey: this.publicKey,
      ...(runningVersion !== null ? { currentVersion: runningVersion } : {}),
    });
    if (runningVersion !== null && snapshot.version <= runningVersion) return false;
    const state = this.current ? carryState(this.current.state, snapshot) : restoreState(snapshot, this.store.loadState());
    return { snapshot, state };
  }

  /** Makes a prepared snapshot the running one; the caller stores it with `storedForm`. */
  install(prepared: { snapshot: AccessSnapshot; state: AccessState }): void {
    this.current = prepared;
    this.persons = null;
  }

  storedForm(bytes: Uint8Array): Record<string, Buffer> {
    return { [SNAPSHOT_KEY]: Buffer.from(bytes) };
  }

  persisted(): PersistedAccessState | null {
    return this.current ? persistState(this.current.state) : null;
  }

  decide(request: AccessRequest, now: number): AccessDecision | null {
    const current = this.current;
    return current ? decide(current.snapshot, request, now, current.state) : null;
  }

  /** The PIN hash of the card's holder in the running snapshot (null: unknown card, no PIN, no snapshot). */
  pinHashFor(card: CardRead): string | null {
    const snapshot = this.current?.snapshot;
    return snapshot ? pinHashFor(snapshot, card) : null;
  }

  /** The credential carrying the card in the running snapshot (null: unknown card, no snapshot). */
  credentialIdFor(card: CardRead): string | null {
    const snapshot = this.current?.snapshot;
    return snapshot ? credentialIdFor(snapshot, card) : null;
  }

  /** Strike time from the snapshot, when it knows the door. */
  releaseMs(doorId: string): number | null {
    const s = this.current?.snapshot;
    const door = s?.doorIndex.get(doorId);
    return s && door !== undefined ? s.doors.releaseMs[door]! : null;
  }

  siteOf(doorId: string): string | null {
    const s = this.current?.snapshot;
    const door = s?.doorIndex.get(doorId);
    return s && door !== undefined ? s.siteIds[s.doors.site[door]!]! : null;
  }

  zoneOf(doorId: string, direction: 'entry' | 'exit'): string | null {
    const s = this.current?.snapshot;
    const door = s?.doorIndex.get(doorId);
    if (!s || door === undefined) return null;
    const zone = direction === 'entry' ? s.doors.toZone[door]! : s.doors.fromZone[door]!;
    return zone >= 0 ? s.zones.ids[zone]! : null;
  }

  /** The mode a door runs in now: fire egress, then lockdown, then an operator override, then its own. */
  modeOf(doorId: string): DoorMode | null {
    const current = this.current;
    const door = current?.snapshot.doorIndex.get(doorId);
    if (!current || door === undefined) return null;
    const { state, snapshot } = current;
    if (state.fireEgress[door]) return 'fire_egress';
    if (state.lockdown[door]) return 'lockdown';
    const override = state.modeOverride[door]!;
    return DOOR_MODES[override >= 0 ? override : snapshot.doors.mode[door]!]!;
  }

  /** Whether the door stands unlocked for everyone now (unlocked mode, open schedule, first person in). */
  freeAccess(doorId: string, now: number): boolean {
    const current = this.current;
    const door = current?.snapshot.doorIndex.get(doorId);
    if (!current || door === undefined) return false;
    const { snapshot: s, state } = current;
    const mode = this.modeOf(doorId);
    if (mode === 'unlocked') return true;
    if (mode !== 'scheduled' && mode !== 'first_person_in') return false;
    const schedule = s.doors.schedule[door]!;
    if (schedule < 0) return false;
    const active = scheduleActiveAt(s.schedules[schedule]!, s.calendars[s.doors.site[door]!]!, now);
    return active && (mode === 'scheduled' || state.firstInUntil[door]! > now);
  }

  /** The rows of rule state a decision (or a door event) touched, for the same transaction as its event. */
  delta(doorId: string, personIds: readonly (string | null)[]): StateDelta {
    const current = this.current;
    const door = current?.snapshot.doorIndex.get(doorId);
    if (!current || door === undefined) return {};
    const { snapshot: s, state } = current;
    const persisted = persistDoor(current.state, door);
    this.persons ??= new Map(s.persons.ids.map((id, i) => [id, i]));
    const index = this.persons;
    const persons = personIds.flatMap((id) => {
      const person = id === null ? undefined : index.get(id);
      if (person === undefined) return [];
      const zone = state.personZone[person]!;
      return [{ id: id!, zone: zone >= 0 ? s.zones.ids[zone]! : null, at: state.personZoneAt[person]! }];
    });
    const zones = [s.doors.fromZone[door]!, s.doors.toZone[door]!]
      .filter((z) => z >= 0)
      .map((z) => ({ id: s.zones.ids[z]!, occupancy: state.occupancy[z]! }));
    return { persons, zones, doors: [{ id: doorId, state: persisted }] };
  }
}

function persistDoor(state: AccessState, door: number): PersistedAccessState['doors'][string] {
  const s = state.snapshot;
  const person = (i: number) => (i >= 0 ? s.persons.ids[i]! : null);
  const pending = person(state.pendingPerson[door]!);
  const escort = person(state.escortPerson[door]!);
  return {
    open: state.doorOpen[door] === 1,
    releasedUntil: state.releasedUntil[door]!,
    modeOverride: state.modeOverride[door]! >= 0 ? DOOR_MODES[state.modeOverride[door]!]! : null,
    lockdown: state.lockdown[door] === 1,
    fireEgress: state.fireEgress[door] === 1,
    firstInUntil: state.firstInUntil[door]!,
    pending: pending === null ? null : { person: pending, at: state.pendingAt[door]! },
    escort: escort === null ? null : { person: escort, at: state.escortAt[door]! },
  };
}

/**
 * A door's live state as the console shows it. The server keeps what the door controller last
 * reported (open, locked, mode, alarm, when); the console reduces it to one look an operator reads
 * at a glance — forced, held, open, unlocked, locked or offline — and moves it with each live
 * `door` message the way the server moves its own record.
 */

export interface DoorOverride {
  mode: string;
  reason: string;
  setBy: string;
  setAt: string;
}

export interface DoorState {
  doorId: string;
  siteId: string;
  open: boolean | null;
  locked: boolean;
  mode: string;
  alarm: 'forced_open' | 'held_open' | null;
  reportedAt: string | null;
  agentId: string | null;
  override: DoorOverride | null;
}

export const DOOR_LOOKS = ['forced', 'held', 'open', 'unlocked', 'locked', 'offline'] as const;
export type DoorLook = (typeof DOOR_LOOKS)[number];

/**
 * A door whose controller has not reported for this long counts as offline. Agents report every
 * door with each heartbeat (5 s by default), and the console reloads states every 20 s.
 */
export const OFFLINE_AFTER_MS = 60_000;

export function lookOf(state: Pick<DoorState, 'open' | 'locked' | 'alarm' | 'reportedAt'>, now: number): DoorLook {
  if (state.reportedAt === null || now - Date.parse(state.reportedAt) > OFFLINE_AFTER_MS) return 'offline';
  if (state.alarm === 'forced_open') return 'forced';
  if (state.alarm === 'held_open') return 'held';
  if (state.open === true) return 'open';
  return state.locked ? 'locked' : 'unlocked';
}

export const LOOK_WORDS: Record<DoorLook, string> = {
  forced: 'Forced open',
  held: 'Held open',
  open: 'Open',
  unlocked: 'Unlocked',
  locked: 'Locked',
  offline: 'Offline',
};

/** How urgent a look is, for lists of doors that need attention (lower first). */
export const LOOK_RANK: Record<DoorLook, number> = { forced: 0, held: 1, offline: 2, open: 3, unlocked: 4, locked: 5 };

export type DoorPatch = Partial<Pick<DoorState, 'open' | 'locked' | 'alarm'>>;

/** What a live `door` message (its `state` is the event type after `door.`) changes; null: nothing visible. */
export function patchOf(state: string): DoorPatch | null {
  switch (state) {
    case 'opened':
      return { open: true };
    case 'closed':
      return { open: false, alarm: null };
    case 'forced_open':
      return { open: true, alarm: 'forced_open' };
    case 'held_open':
      return { alarm: 'held_open' };
    case 'unlocked':
      return { locked: false };
    case 'locked':
      return { locked: true };
    default:
      return null;
  }
}

/** Messages after which the door's mode or override may have changed: its state is read again. */
export function changesMode(state: string): boolean {
  return state === 'mode_changed' || state === 'mode_overridden';
}

/** The door's state after a live message reported at `at`. */
export function applyDoorMessage(state: DoorState, change: string, at: string): DoorState {
  const patch = patchOf(change);
  if (!patch) return state;
  // The controller just spoke: it is online, whatever the last heartbeat said.
  const reportedAt = state.reportedAt === null || Date.parse(at) > Date.parse(state.reportedAt) ? at : state.reportedAt;
  return { ...state, ...patch, reportedAt };
}

export function unknownDoorState(doorId: string, siteId: string): DoorState {
  return { doorId, siteId, open: null, locked: true, mode: 'unknown', alarm: null, reportedAt: null, agentId: null, override: null };
}

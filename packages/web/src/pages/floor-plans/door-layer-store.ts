/**
 * Live door states for a floor plan of up to thousands of doors. Changes (live messages, reloads)
 * are collected and applied once per animation frame, and only the doors whose look changed are
 * told, so 100 changes a second redraw a handful of markers per frame instead of the whole plan.
 * Listeners subscribe per door, to its look (markers) or to any change of its state (the door
 * panel), or to the whole layer (summaries, told at most once per frame).
 */
import { applyDoorMessage, lookOf, unknownDoorState, type DoorLook, type DoorState } from '../doors/door-state.ts';

/** Runs `flush` before the next frame is drawn (requestAnimationFrame in the browser). */
export type FrameScheduler = (flush: () => void) => void;

interface DoorEntry {
  state: DoorState;
  look: DoorLook;
}

function sameState(a: DoorState, b: DoorState): boolean {
  return (
    a.open === b.open &&
    a.locked === b.locked &&
    a.mode === b.mode &&
    a.alarm === b.alarm &&
    a.reportedAt === b.reportedAt &&
    a.override?.setAt === b.override?.setAt &&
    a.override?.mode === b.override?.mode
  );
}

export class DoorLayerStore {
  private readonly entries = new Map<string, DoorEntry>();
  private readonly pending = new Map<string, DoorState>();
  private readonly doorListeners = new Map<string, Set<() => void>>();
  private readonly lookListeners = new Map<string, Set<() => void>>();
  private readonly layerListeners = new Set<() => void>();
  private scheduled = false;
  private stopped = false;
  /** Bumped by every flush that changed something: the layer-wide snapshot. */
  version = 0;

  constructor(
    private readonly siteId: string,
    private readonly schedule: FrameScheduler,
    private readonly now: () => number = Date.now,
  ) {}

  look(doorId: string): DoorLook {
    return this.entries.get(doorId)?.look ?? 'offline';
  }

  /** The state as last drawn (stable between frames: a snapshot for React). */
  drawnState(doorId: string): DoorState | undefined {
    return this.entries.get(doorId)?.state;
  }

  /** The newest state known, drawn or still waiting for the next frame. */
  private state(doorId: string): DoorState | undefined {
    return this.pending.get(doorId) ?? this.entries.get(doorId)?.state;
  }

  /** Every door's look, for counts and lists (read after a layer notification). */
  looks(): ReadonlyMap<string, DoorLook> {
    return new Map([...this.entries].map(([id, entry]) => [id, entry.look]));
  }

  /** Told when anything about the door changed. */
  subscribe(doorId: string, listener: () => void): () => void {
    return listen(this.doorListeners, doorId, listener);
  }

  /** Told only when the door's look changed (most messages change a door's state, not its look). */
  subscribeLook(doorId: string, listener: () => void): () => void {
    return listen(this.lookListeners, doorId, listener);
  }

  subscribeLayer(listener: () => void): () => void {
    this.layerListeners.add(listener);
    return () => this.layerListeners.delete(listener);
  }

  /**
   * States read from the server. A door that reported something newer over the live stream
   * keeps it; its mode and operator override (never carried by the stream) are taken from the read.
   */
  load(states: readonly DoorState[]): void {
    for (const loaded of states) {
      const current = this.state(loaded.doorId);
      const newer = current?.reportedAt && loaded.reportedAt && Date.parse(current.reportedAt) > Date.parse(loaded.reportedAt);
      this.pending.set(loaded.doorId, newer && current ? { ...current, mode: loaded.mode, override: loaded.override } : loaded);
    }
    this.request();
  }

  /** A live `door` message: `change` is its state (`forced_open`, `closed`, …), `at` when it happened. */
  apply(doorId: string, change: string, at: string): void {
    const base = this.state(doorId) ?? unknownDoorState(doorId, this.siteId);
    const next = applyDoorMessage(base, change, at);
    if (next === base) return;
    this.pending.set(doorId, next);
    this.request();
  }

  /** Looks again at every door against the clock (a silent controller turns its doors offline). */
  recheck(): void {
    for (const [doorId, entry] of this.entries) if (lookOf(entry.state, this.now()) !== entry.look) this.pending.set(doorId, entry.state);
    if (this.pending.size > 0) this.request();
  }

  /** Applies everything collected since the last frame and tells the listeners of what changed. */
  flush(): void {
    this.scheduled = false;
    if (this.stopped || this.pending.size === 0) return;
    const now = this.now();
    const changed: string[] = [];
    const looked: string[] = [];
    for (const [doorId, state] of this.pending) {
      const previous = this.entries.get(doorId);
      const look = lookOf(state, now);
      if (previous && previous.look === look && sameState(previous.state, state)) continue;
      this.entries.set(doorId, { state, look });
      changed.push(doorId);
      if (previous?.look !== look) looked.push(doorId);
    }
    this.pending.clear();
    if (changed.length === 0) return;
    this.version++;
    for (const doorId of looked) for (const listener of this.lookListeners.get(doorId) ?? []) listener();
    for (const doorId of changed) for (const listener of this.doorListeners.get(doorId) ?? []) listener();
    for (const listener of this.layerListeners) listener();
  }

  /** Stops drawing (the plan is closed); `start` resumes with whatever arrived meanwhile. */
  stop(): void {
    this.stopped = true;
  }

  start(): void {
    this.stopped = false;
    if (this.pending.size > 0) this.request();
  }

  private request(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }
}

function listen(listeners: Map<string, Set<() => void>>, doorId: string, listener: () => void): () => void {
  let set = listeners.get(doorId);
  if (!set) listeners.set(doorId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(doorId);
  };
}

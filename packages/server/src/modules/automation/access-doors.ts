/**
 * The door-control port on modules/access. Fire egress and lockdown go through the site's
 * emergency controls (the edge ranks fire egress above lockdown above everything else, and exit
 * is never blocked); other modes are per-door overrides; lock and unlock are door commands. A
 * command resolves when the door controller confirms it (`door.mode_changed`,
 * `door.command_executed` on the bus), or rejects when the caller's signal aborts.
 *
 * Commands given in the same tick are coalesced into one controls change per site, so a plan
 * over hundreds of doors is one version the agents apply, not hundreds.
 *
 * Fire egress switched on for a site (by an operator, through door control) is never blocked from
 * here: door control's own check refuses, with `door_control.fire_egress_active`, a lock, a mode
 * override that locks, and lockdown on a door it covers, and a scope this port did not set is
 * never narrowed by it.
 */
import { isVigilError, type DoorMode, type VigilEvent } from '@vigil/core';
import type { EventBus } from '../../bus/index.js';
import type { AccessModule, AutomatedDoorCommands } from '../access/index.js';
import { automationError } from './errors.js';
import type { DoorCommandOptions, DoorCommandReceipt, DoorCommands, DoorStates } from './ports.js';

type DoorControl = Pick<AccessModule['doors'], 'setEmergency' | 'siteControls' | 'doorState' | 'unlock' | 'forAutomation'>;
type OutputControl = Pick<AccessModule['outputs'], 'command' | 'get'>;
type Emergency = 'fire_egress' | 'lockdown';

interface ModeChange {
  readonly mode: string;
  readonly override: string | null;
  readonly lockdown: boolean;
  readonly fireEgress: boolean;
}

interface Waiter {
  readonly matches: (event: VigilEvent) => boolean;
  readonly resolve: (at: Date) => void;
  readonly promise: Promise<Date>;
}

const OWNER = 'automation.doors';

/** Puts the door in the scope of `emergency` alone (none: in neither); true when that changed anything. */
function placeIn(sets: Record<Emergency, Set<string>>, doorId: string, emergency: Emergency | null): boolean {
  const was = { fire_egress: sets.fire_egress.has(doorId), lockdown: sets.lockdown.has(doorId) };
  sets.fire_egress.delete(doorId);
  sets.lockdown.delete(doorId);
  if (emergency) sets[emergency].add(doorId);
  return was.fire_egress !== sets.fire_egress.has(doorId) || was.lockdown !== sets.lockdown.has(doorId);
}

export class AccessDoorCommands implements DoorCommands, DoorStates {
  readonly emits = [
    'door.mode_overridden',
    'door.mode_changed',
    'door.lock_requested',
    'door.unlock_requested',
    'door.locked',
    'door.unlocked',
    'door.command_executed',
    'emergency_mode.changed',
    'output.command_requested',
    'output.command_executed',
  ];
  private readonly modes = new Map<string, DoorMode>();
  private readonly waiters = new Set<Waiter>();
  /** Doors this port put under each emergency mode, per site. */
  private readonly managed = new Map<string, Record<Emergency, Set<string>>>();
  /**
   * Doors this port added to a stored emergency scope, per site: they were not in it before, so
   * taking them out is ours to do. A door someone else (an operator) put in a scope stays in it.
   */
  private readonly added = new Map<string, Record<Emergency, Set<string>>>();
  /** Per site: the controls change still gathering this tick's commands, and the one being written. */
  private readonly flushes = new Map<string, Promise<void>>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Door control with the fire egress check every command of ours passes. */
  private readonly guarded: AutomatedDoorCommands;

  constructor(
    private readonly doors: DoorControl,
    bus: Pick<EventBus, 'subscribe'>,
    private readonly clock: () => Date,
    private readonly outputs?: OutputControl,
  ) {
    this.guarded = doors.forAutomation();
    bus.subscribe({ types: ['door.mode_changed', 'door.command_executed', 'output.command_executed'] }, this.onEvent, OWNER);
  }

  modeOf(doorId: string): DoorMode | undefined {
    return this.modes.get(doorId);
  }

  /**
   * Puts the door in the mode and resolves when its controller confirmed it. Lockdown, or an
   * override that locks, on a door fire egress covers is refused (`door_control.fire_egress_active`).
   * The door first leaves the fire egress this port held it in, so a fire plan that cleared is not
   * taken for fire egress over its own doors; fire egress switched on by anyone else still counts.
   */
  async setMode(
    doorId: string,
    mode: DoorMode,
    reason: string,
    actor: string,
    options: DoorCommandOptions = {},
  ): Promise<DoorCommandReceipt> {
    const state = await this.doors.doorState(doorId);
    const priorMode = state.override?.mode ?? 'scheduled';
    if (options.simulate) return { priorMode, confirmedAt: this.clock(), simulated: true };
    const site = state.siteId;
    const sets = this.setsOf(site);
    const emergency: Emergency | null = mode === 'fire_egress' || mode === 'lockdown' ? mode : null;
    const wanted = (c: ModeChange) =>
      emergency === 'fire_egress'
        ? c.fireEgress
        : emergency === 'lockdown'
          ? c.lockdown && !c.fireEgress
          : !c.fireEgress && !c.lockdown && (c.override ?? 'scheduled') === mode;
    const confirmed = this.waitFor(
      (e) => e.door === doorId && e.type === 'door.mode_changed' && wanted(e.data as ModeChange),
      options.signal,
    );
    const before = { fire: sets.fire_egress.has(doorId), lockdown: sets.lockdown.has(doorId) };
    try {
      // Out of the fire egress this port held the door in before anything that locks it is checked.
      if (emergency !== 'fire_egress' && sets.fire_egress.delete(doorId)) await this.flush(site, actor, reason);
      if (emergency === 'lockdown') await this.guarded.refuseInFireEgress(doorId, 'locked down');
      if (placeIn(sets, doorId, emergency)) await this.flush(site, actor, reason);
      if (!emergency) await this.guarded.setOverride(actor, doorId, mode === 'scheduled' ? null : mode, reason);
    } catch (e) {
      this.cancel(confirmed);
      throw e;
    }
    const changed = before.fire !== sets.fire_egress.has(doorId) || before.lockdown !== sets.lockdown.has(doorId);
    // Already in that mode (reported by its controller): nothing will change, so nothing will be reported.
    if (!changed && state.mode === mode) {
      this.cancel(confirmed);
      return { priorMode, confirmedAt: this.clock(), simulated: false };
    }
    return { priorMode, confirmedAt: await confirmed, simulated: false };
  }

  lock(doorId: string, reason: string, actor: string, options: DoorCommandOptions = {}): Promise<DoorCommandReceipt> {
    return this.command(doorId, options, (id) => this.guarded.lock(actor, id, reason));
  }

  unlock(
    doorId: string,
    reason: string,
    actor: string,
    options: DoorCommandOptions & { seconds?: number } = {},
  ): Promise<DoorCommandReceipt> {
    return this.command(doorId, options, (id) => this.doors.unlock(actor, id, options.seconds, reason));
  }

  /** Switches a named output on or off through its site's agent; a drill only simulates it. */
  async setOutput(
    outputId: string,
    active: boolean,
    reason: string,
    actor: string,
    options: DoorCommandOptions = {},
  ): Promise<{ confirmedAt: Date; simulated: boolean }> {
    const outputs = this.outputs;
    if (!outputs) throw automationError('automation.doors_unavailable', 'Auxiliary outputs are not connected on this server');
    if (options.simulate) return { confirmedAt: this.clock(), simulated: true };
    let commandId = '';
    const done = this.waitFor(
      (e) => e.type === 'output.command_executed' && (e.data as { commandId?: string }).commandId === commandId,
      options.signal,
    );
    try {
      commandId = (await outputs.command(actor, outputId, active ? 'on' : 'off', null, reason)).id;
    } catch (e) {
      this.cancel(done);
      throw e;
    }
    return { confirmedAt: await done, simulated: false };
  }

  async outputSite(outputId: string): Promise<string | undefined> {
    if (!this.outputs) return undefined;
    try {
      return (await this.outputs.get(outputId)).siteId;
    } catch (e) {
      if (isVigilError(e) && e.code === 'output_control.output_not_found') return undefined;
      throw e;
    }
  }

  private async command(
    doorId: string,
    options: DoorCommandOptions,
    send: (doorId: string) => Promise<{ id: string }>,
  ): Promise<DoorCommandReceipt> {
    const state = await this.doors.doorState(doorId);
    const priorMode = state.override?.mode ?? 'scheduled';
    if (options.simulate) return { priorMode, confirmedAt: this.clock(), simulated: true };
    let commandId = '';
    const done = this.waitFor(
      (e) => e.type === 'door.command_executed' && (e.data as { commandId?: string }).commandId === commandId,
      options.signal,
    );
    try {
      commandId = (await send(doorId)).id;
    } catch (e) {
      this.cancel(done);
      throw e;
    }
    return { priorMode, confirmedAt: await done, simulated: false };
  }

  private readonly onEvent = (event: VigilEvent): void => {
    if (event.type === 'door.mode_changed' && event.door) this.modes.set(event.door, (event.data as ModeChange).mode as DoorMode);
    for (const waiter of this.waiters) {
      if (!waiter.matches(event)) continue;
      const outcome = (event.data as { outcome?: string }).outcome;
      if ((event.type === 'door.command_executed' || event.type === 'output.command_executed') && outcome !== 'executed') continue;
      this.waiters.delete(waiter);
      waiter.resolve(event.at);
    }
  };

  private cancel(confirmation: Promise<Date>): void {
    confirmation.catch(() => undefined);
    for (const waiter of this.waiters) if (waiter.promise === confirmation) this.waiters.delete(waiter);
  }

  private waitFor(matches: (event: VigilEvent) => boolean, signal: AbortSignal | undefined): Promise<Date> {
    let waiter!: Waiter;
    const promise = new Promise<Date>((resolve, reject) => {
      waiter = { matches, resolve, promise: undefined as unknown as Promise<Date> };
      if (signal?.aborted) return reject(new Error('the door controller did not confirm in time'));
      this.waiters.add(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          this.waiters.delete(waiter);
          reject(new Error('the door controller did not confirm in time'));
        },
        { once: true },
      );
    });
    (waiter as { promise: Promise<Date> }).promise = promise;
    return promise;
  }

  private setsOf(site: string): Record<Emergency, Set<string>> {
    let sets = this.managed.get(site);
    if (!sets) this.managed.set(site, (sets = { fire_egress: new Set(), lockdown: new Set() }));
    return sets;
  }

  private addedOf(site: string): Record<Emergency, Set<string>> {
    let added = this.added.get(site);
    if (!added) this.added.set(site, (added = { fire_egress: new Set(), lockdown: new Set() }));
    return added;
  }

  /**
   * One controls change per site for the commands of this tick, keeping scopes others set: a door
   * an operator put in a scope (fire egress above all) stays in it, even one this port once held.
   * Changes of one site are written one after the other, each on the scopes the last one stored,
   * so a change never undoes a concurrent one by writing over it.
   */
  private flush(site: string, actor: string, reason: string): Promise<void> {
    const pending = this.flushes.get(site);
    if (pending) return pending;
    const previous = this.writing.get(site)?.catch(() => undefined) ?? Promise.resolve();
    const run = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(async () => {
        this.flushes.delete(site);
        const controls = await this.doors.siteControls(site);
        const sets = this.setsOf(site);
        const added = this.addedOf(site);
        for (const [mode, current] of [
          ['fire_egress', controls.fireEgress],
          ['lockdown', controls.lockdown],
        ] as const) {
          const stored = current?.doorIds ?? [];
          const others = stored.filter((id) => !added[mode].has(id));
          const doorIds = [...new Set([...others, ...sets[mode]])];
          // Ours from now on: doors we hold that were ours already or that this change adds.
          added[mode] = new Set([...sets[mode]].filter((id) => added[mode].has(id) || !stored.includes(id)));
          const scope = { ...(current ?? {}), doorIds };
          const active = doorIds.length > 0 || (current?.siteIds?.length ?? 0) > 0 || (current?.zoneIds?.length ?? 0) > 0;
          const unchanged = (current !== null) === active && [...stored].sort().join() === [...doorIds].sort().join();
          if (unchanged) continue;
          await this.doors.setEmergency(actor, site, mode, active, active ? scope : undefined, reason);
        }
      });
    this.flushes.set(site, run);
    this.writing.set(site, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.writing.get(site) === run) this.writing.delete(site);
      });
    return run;
  }
}

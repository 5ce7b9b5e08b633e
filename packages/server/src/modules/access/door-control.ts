/**
 * Operator door control and the controls in force per site. Each action is journaled with the
 * operator as source and the reason given, in the transaction that stores it, then reaches the
 * site's agents: one-off commands (momentary unlock, lock) through the command queue to the
 * agents that run the door (command-routing.ts), durable modes (operator overrides, fire egress,
 * lockdown) through the site's controls, which agents re-read until they report the version
 * applied. Agents waiting in a long poll are woken at once.
 */
import { newId } from '@vigil/core';
import type { Controls, DoorCommand } from '@vigil/edge';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { expirePendingCommands } from './command-expiry.js';
import { addressCommand, awaitingReport, doorAgentIds } from './command-routing.js';
import type { AccessDeps, Executor } from './context.js';
import { accessModuleError } from './errors.js';
import { doorLockRequested, doorModeOverridden, doorUnlockRequested, emergencyModeChanged } from './events.js';
import { afterId, pageFrom, type Page, type PageRequest } from './page.js';
import type { DoorCommandRecord, DoorScope, DoorState, SiteControls } from './schemas.js';
import type { AccessDoorCommandsTable } from './tables.js';

export interface DoorControlOptions {
  /** A command not carried out within this time is dropped: a late unlock must not open a door unasked. */
  readonly commandTtlMs: number;
  /** Auxiliary-output commands pending for a site, or for one agent of it (output-commands.ts); they travel with the door commands. */
  readonly outputCommands?: (siteId: string, agentId?: string) => Promise<DoorCommand[]>;
  /** Commands pending for one agent of the site (PIN lockout lifts, pin-lockout-commands.ts); they travel with the door commands. */
  readonly agentCommands?: (agentId: string) => Promise<DoorCommand[]>;
}

type DoorMode = Controls['overrides'][number]['mode'];

export interface FireHold {
  readonly activationId: string;
  readonly planName: string;
}

/**
 * Doors a live fire plan holds free: the automation module's emergency state, kept on every node
 * (drills hold nothing). The composition root hands it in; access does not depend on automation.
 */
export interface FireEgressHolds {
  fireHoldOf(doorId: string): FireHold | undefined;
  /** The live fire plans of a site with the doors each holds free. */
  fireHoldsOn(siteId: string): readonly (FireHold & { readonly doorIds: readonly string[] })[];
}

/** What operators (the door-control routes) may ask of a door or a site. */
export type OperatorDoorCommands = Pick<DoorControl, 'unlock' | 'lock' | 'setOverride' | 'setEmergency'>;

/** What automation (rules and plans, through its door-control port) may ask of a door; see `forAutomation`. */
export interface AutomatedDoorCommands extends Pick<DoorControl, 'lock' | 'setOverride'> {
  /** Throws `door_control.fire_egress_active` when fire egress switched on for the door's site covers the door. */
  refuseInFireEgress(doorId: string, what: string): Promise<void>;
}

/** Checks, inside the command's transaction, that the door may be commanded so; throws if not. */
type Guard = (ex: Executor, doorId: string, siteId: string) => Promise<void>;

/** Modes that leave a door free for people to leave through, as a fire plan needs it. */
const FREE_MODES: ReadonlySet<DoorMode | null> = new Set(['unlocked', 'fire_egress']);

/** The guard a mode override passes: none for a mode that leaves the door free, `guard` otherwise. */
function overrideGuard(mode: DoorMode | null, guard: (what: string) => Guard): Guard | undefined {
  if (FREE_MODES.has(mode)) return undefined;
  return guard(mode === null ? 'returned to its schedule' : `put in mode ${mode}`);
}

function toCommand(row: AccessDoorCommandsTable): DoorCommandRecord {
  return {
    id: row.id,
    doorId: row.door_id,
    command: row.command as DoorCommandRecord['command'],
    seconds: row.seconds,
    status: row.status as DoorCommandRecord['status'],
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
  };
}

export class DoorControl {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly deps: AccessDeps,
    private readonly options: DoorControlOptions,
  ) {}

  /** The door's site and unlock time (the facility's door record), or `door_control.door_not_found`. */
  async door(ex: Executor, doorId: string): Promise<{ siteId: string; unlockSeconds: number }> {
    const row = await ex.selectFrom('doors').select(['site_id', 'unlock_seconds']).where('id', '=', doorId).executeTakeFirst();
    if (!row) throw accessModuleError('door_control.door_not_found', `No door ${doorId}`, { doorId });
    return { siteId: row.site_id, unlockSeconds: row.unlock_seconds };
  }

  async siteOfDoor(doorId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('doors').select('site_id').where('id', '=', doorId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  /**
   * Door control for operators. Fire egress comes from two places, and both hold a door free: a
   * live fire plan (`door_control.fire_plan_active`, naming the plan) and the site's fire egress
   * mode switched on directly (`door_control.fire_egress_active`). A lock, or a mode override
   * other than unlocked (clearing one included), on a door either holds is refused until it ends;
   * a momentary unlock always passes. Fire egress a live plan holds cannot be ended or narrowed
   * from under the plan: ending it is refused, and a new scope keeps the plan's doors. Automation's
   * commands go through `forAutomation` instead, which applies the fire egress check alone:
   * automation knows its live fire plans and checks their holds itself.
   */
  forOperators(fire: FireEgressHolds): OperatorDoorCommands {
    const guard =
      (what: string): Guard =>
      async (ex, doorId, siteId) => {
        const hold = fire.fireHoldOf(doorId);
        if (hold) {
          throw accessModuleError(
            'door_control.fire_plan_active',
            `Door ${doorId} is held free by the fire plan “${hold.planName}”; it cannot be ${what} until the plan is cleared`,
            { doorId, activationId: hold.activationId, planName: hold.planName },
          );
        }
        await this.fireEgressGuard(what)(ex, doorId, siteId);
      };
    return {
      unlock: (actor, doorId, seconds, reason) => this.unlock(actor, doorId, seconds, reason),
      lock: (actor, doorId, reason) => this.command(actor, doorId, 'lock', undefined, reason, guard('locked')),
      setOverride: (actor, doorId, mode, reason) => this.override(actor, doorId, mode, reason, overrideGuard(mode, guard)),
      setEmergency: async (actor, siteId, mode, active, scope, reason) => {
        const holds = mode === 'fire_egress' ? fire.fireHoldsOn(siteId) : [];
        const [hold] = holds;
        if (!hold) return this.setEmergency(actor, siteId, mode, active, scope, reason);
        if (!active) {
          throw accessModuleError(
            'door_control.fire_plan_active',
            `Fire egress on this site is held by the fire plan “${hold.planName}”; it ends when the plan is cleared`,
            { siteId, activationId: hold.activationId, planName: hold.planName },
          );
        }
        const applied = scope ?? { siteIds: [siteId] };
        const held = holds.flatMap((h) => h.doorIds);
        const doorIds = [...new Set([...(applied.doorIds ?? []), ...held])];
        return this.setEmergency(actor, siteId, mode, true, { ...applied, doorIds }, reason);
      },
    };
  }

  /**
   * Door control for automation's rules and plans, held to the same fire egress check as
   * operators': a lock, or a mode override other than unlocked (clearing one included), on a door
   * the site's fire egress covers is refused with `door_control.fire_egress_active` inside the
   * command's transaction, and automation asks the same check before it puts a door in lockdown.
   * Live fire plans are automation's own; it checks their holds itself.
   */
  forAutomation(): AutomatedDoorCommands {
    const guard = (what: string) => this.fireEgressGuard(what);
    return {
      lock: (actor, doorId, reason) => this.command(actor, doorId, 'lock', undefined, reason, guard('locked')),
      setOverride: (actor, doorId, mode, reason) => this.override(actor, doorId, mode, reason, overrideGuard(mode, guard)),
      refuseInFireEgress: async (doorId, what) => {
        const door = await this.door(this.deps.db, doorId);
        await guard(what)(this.deps.db, doorId, door.siteId);
      },
    };
  }

  /** Refuses (`door_control.fire_egress_active`) while the site's fire egress mode covers the door. */
  private fireEgressGuard(what: string): Guard {
    return async (ex, doorId, siteId) => {
      if (await this.inFireEgress(ex, doorId, siteId)) {
        throw accessModuleError(
          'door_control.fire_egress_active',
          `Door ${doorId} is held free by fire egress on its site; it cannot be ${what} until fire egress is ended`,
          { doorId, siteId },
        );
      }
    };
  }

  /** Whether the site's fire egress mode, as stored, covers the door (by site, by either zone, or by id). */
  private async inFireEgress(ex: Executor, doorId: string, siteId: string): Promise<boolean> {
    const row = await ex.selectFrom('access_site_controls').select('fire_egress').where('site_id', '=', siteId).executeTakeFirst();
    if (!row?.fire_egress) return false;
    const scope = JSON.parse(row.fire_egress) as DoorScope;
    if (scope.siteIds?.includes(siteId) || scope.doorIds?.includes(doorId)) return true;
    if (!scope.zoneIds?.length) return false;
    const door = await ex.selectFrom('doors').select(['from_zone_id', 'to_zone_id']).where('id', '=', doorId).executeTakeFirst();
    return [door?.from_zone_id, door?.to_zone_id].some((zone) => zone != null && scope.zoneIds!.includes(zone));
  }

  unlock(actor: string, doorId: string, seconds: number | undefined, reason: string): Promise<DoorCommandRecord> {
    return this.command(actor, doorId, 'unlock', seconds, reason);
  }

  lock(actor: string, doorId: string, reason: string): Promise<DoorCommandRecord> {
    return this.command(actor, doorId, 'lock', undefined, reason);
  }

  private async command(
    actor: string,
    doorId: string,
    command: 'unlock' | 'lock',
    seconds: number | undefined,
    reason: string,
    guard?: Guard,
  ): Promise<DoorCommandRecord> {
    const { db, record, clock } = this.deps;
    const now = clock();
    const row = await db.transaction().execute(async (trx) => {
      const door = await this.door(trx, doorId);
      await guard?.(trx, doorId, door.siteId);
      await this.requireAgent(trx, door.siteId);
      const row: AccessDoorCommandsTable = {
        id: newId(),
        site_id: door.siteId,
        door_id: doorId,
        command,
        seconds: command === 'unlock' ? (seconds ?? door.unlockSeconds) : null,
        reason,
        requested_by: actor,
        requested_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.options.commandTtlMs).toISOString(),
        status: 'pending',
        completed_at: null,
      };
      await trx.insertInto('access_door_commands').values(row).execute();
      await addressCommand(trx, row.id, await doorAgentIds(trx, door.siteId, doorId));
      const envelope = { site: door.siteId, source: actor, door: doorId, correlationId: row.id };
      await record(
        trx,
        command === 'unlock'
          ? doorUnlockRequested.draft(envelope, { commandId: row.id, seconds: row.seconds!, reason })
          : doorLockRequested.draft(envelope, { commandId: row.id, reason }),
      );
      return row;
    });
    this.notify(row.site_id);
    return toCommand(row);
  }

  async getCommand(commandId: string): Promise<DoorCommandRecord> {
    const row = await this.deps.db.selectFrom('access_door_commands').selectAll().where('id', '=', commandId).executeTakeFirst();
    if (!row) throw accessModuleError('door_control.command_not_found', `No command ${commandId}`, { commandId });
    return toCommand(row);
  }

  /** Sets (or with `mode` null clears) an operator's mode for a door until further notice. */
  setOverride(actor: string, doorId: string, mode: DoorMode | null, reason: string): Promise<SiteControls> {
    return this.override(actor, doorId, mode, reason, undefined);
  }

  private async override(actor: string, doorId: string, mode: DoorMode | null, reason: string, guard: Guard | undefined) {
    const { db, record, clock } = this.deps;
    const siteId = await db.transaction().execute(async (trx) => {
      const door = await this.door(trx, doorId);
      await guard?.(trx, doorId, door.siteId);
      const previous = await trx.selectFrom('access_door_overrides').select('mode').where('door_id', '=', doorId).executeTakeFirst();
      await trx.deleteFrom('access_door_overrides').where('door_id', '=', doorId).execute();
      if (mode !== null) {
        await trx
          .insertInto('access_door_overrides')
          .values({ door_id: doorId, site_id: door.siteId, mode, reason, set_by: actor, set_at: clock().toISOString() })
          .execute();
      }
      await this.bumpControls(trx, door.siteId, {});
      await record(
        trx,
        doorModeOverridden.draft(
          { site: door.siteId, source: actor, door: doorId },
          { mode, previous: (previous?.mode ?? null) as DoorMode | null, reason },
        ),
      );
      return door.siteId;
    });
    this.notify(siteId);
    return this.siteControls(siteId);
  }

  /** Starts or ends fire egress or lockdown on a site (or the doors and zones of `scope`). */
  async setEmergency(
    actor: string,
    siteId: string,
    mode: 'fire_egress' | 'lockdown',
    active: boolean,
    scope: DoorScope | undefined,
    reason: string,
  ): Promise<SiteControls> {
    const { db, record } = this.deps;
    const applied = active ? (scope ?? { siteIds: [siteId] }) : null;
    await db.transaction().execute(async (trx) => {
      const site = await trx.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      if (!site) throw accessModuleError('access_policy.other_site', `No site ${siteId}`, { siteId });
      await this.bumpControls(trx, siteId, {
        [mode === 'fire_egress' ? 'fire_egress' : 'lockdown']: applied ? JSON.stringify(applied) : null,
      });
      await record(trx, emergencyModeChanged.draft({ site: siteId, source: actor }, { mode, active, scope: applied, reason }));
    });
    this.notify(siteId);
    return this.siteControls(siteId);
  }

  async siteControls(siteId: string, ex: Executor = this.deps.db): Promise<SiteControls> {
    const row = await ex.selectFrom('access_site_controls').selectAll().where('site_id', '=', siteId).executeTakeFirst();
    const overrides = await ex
      .selectFrom('access_door_overrides')
      .select(['door_id', 'mode'])
      .where('site_id', '=', siteId)
      .orderBy('door_id')
      .execute();
    return {
      siteId,
      version: row?.version ?? 0,
      fireEgress: row?.fire_egress ? (JSON.parse(row.fire_egress) as DoorScope) : null,
      lockdown: row?.lockdown ? (JSON.parse(row.lockdown) as DoorScope) : null,
      overrides: overrides.map((o) => ({ doorId: o.door_id, mode: o.mode as DoorMode })),
    };
  }

  /** A door's live state as its agent last reported it, with any operator override in force. */
  async doorState(doorId: string): Promise<DoorState> {
    const door = await this.door(this.deps.db, doorId);
    return (await this.states(door.siteId, [doorId]))[0]!;
  }

  /** Live state of a site's doors, a page at a time (doors never reported show `reportedAt` null). */
  async siteDoorStates(siteId: string, page: PageRequest): Promise<Page<DoorState>> {
    let query = this.deps.db.selectFrom('doors').select('id').where('site_id', '=', siteId);
    const after = afterId('door-states', page.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const result = pageFrom('door-states', page.limit, rows, (row) => row.id);
    return { items: await this.states(siteId, result.items), nextCursor: result.nextCursor };
  }

  private async states(siteId: string, doorIds: readonly string[]): Promise<DoorState[]> {
    if (doorIds.length === 0) return [];
    const { db } = this.deps;
    const states = await db
      .selectFrom('access_door_states')
      .selectAll()
      .where('door_id', 'in', [...doorIds])
      .execute();
    const overrides = await db
      .selectFrom('access_door_overrides')
      .selectAll()
      .where('door_id', 'in', [...doorIds])
      .execute();
    return doorIds.map((doorId) => {
      const state = states.find((s) => s.door_id === doorId);
      const override = overrides.find((o) => o.door_id === doorId);
      return {
        doorId,
        siteId,
        open: state?.open === null || state?.open === undefined ? null : state.open === 1,
        locked: state ? state.locked === 1 : true,
        mode: state?.mode ?? 'unknown',
        alarm: (state?.alarm ?? null) as DoorState['alarm'],
        reportedAt: state?.reported_at ?? null,
        agentId: state?.agent_id ?? null,
        override: override
          ? { mode: override.mode as DoorMode, reason: override.reason, setBy: override.set_by, setAt: override.set_at }
          : null,
      };
    });
  }

  async siteOfCommand(commandId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_door_commands').select('site_id').where('id', '=', commandId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  /** The controls in the agents' form. */
  async controls(siteId: string): Promise<Controls> {
    const { siteId: _, ...controls } = await this.siteControls(siteId);
    return controls;
  }

  /**
   * Commands the asking agent has still to carry out or report on (without an agent: every command
   * of the site still to be carried out); expired ones are marked so and left out.
   */
  async pendingCommands(siteId: string, agentId?: string): Promise<DoorCommand[]> {
    const { db, clock } = this.deps;
    await expirePendingCommands(db, 'access_door_commands', siteId, clock().toISOString());
    let query = db.selectFrom('access_door_commands').selectAll().where('site_id', '=', siteId).where('status', '=', 'pending');
    if (agentId !== undefined) query = query.where((eb) => eb.exists(awaitingReport(db, 'access_door_commands.id', agentId)));
    const rows = await query.orderBy('id').limit(100).execute();
    const doorCommands: DoorCommand[] = rows.map((row) => ({
      id: row.id,
      doorId: row.door_id,
      command: row.command as 'unlock' | 'lock',
      seconds: row.seconds,
      expiresAt: row.expires_at,
    }));
    const agentCommands = agentId === undefined ? [] : ((await this.options.agentCommands?.(agentId)) ?? []);
    return [...doorCommands, ...((await this.options.outputCommands?.(siteId, agentId)) ?? []), ...agentCommands];
  }

  /**
   * Waits up to `waitMs` for commands or a controls change of the site: woken at once by this
   * node's writes, and looking at the table every second for other nodes'.
   */
  async waitForCommands(
    siteId: string,
    knownControls: number,
    waitMs: number,
    signal?: AbortSignal,
    agentId?: string,
  ): Promise<{ commands: DoorCommand[]; controls: Controls }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const commands = await this.pendingCommands(siteId, agentId);
      const controls = await this.controls(siteId);
      if (commands.length > 0 || controls.version !== knownControls || Date.now() >= deadline || signal?.aborted)
        return { commands, controls };
      await this.wait(siteId, Math.min(1000, deadline - Date.now()), signal);
    }
  }

  /** Throws `door_control.no_agent` unless an active edge agent serves the site. */
  async requireAgent(ex: Executor, siteId: string): Promise<void> {
    const agent = await ex
      .selectFrom('edge_agents')
      .select('id')
      .where('site_id', '=', siteId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!agent) throw accessModuleError('door_control.no_agent', `No active edge agent serves site ${siteId}`, { siteId });
  }

  private async bumpControls(
    trx: Transaction<Database>,
    siteId: string,
    set: { fire_egress?: string | null; lockdown?: string | null },
  ): Promise<void> {
    const now = this.deps.clock().toISOString();
    await trx
      .insertInto('access_site_controls')
      .values({ site_id: siteId, version: 1, fire_egress: set.fire_egress ?? null, lockdown: set.lockdown ?? null, updated_at: now })
      .onConflict((oc) =>
        oc.column('site_id').doUpdateSet((eb) => ({ ...set, version: eb('access_site_controls.version', '+', 1), updated_at: now })),
      )
      .execute();
  }

  /** Wakes the site's agents waiting in a long poll (a command or a controls change for them). */
  wake(siteId: string): void {
    this.notify(siteId);
  }

  private notify(siteId: string): void {
    for (const wake of this.waiters.get(siteId) ?? []) wake();
  }

  private wait(siteId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(siteId);
      if (!set) this.waiters.set(siteId, (set = new Set()));
      const waiters = set;
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        signal?.removeEventListener('abort', done);
        if (waiters.size === 0) this.waiters.delete(siteId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }
}

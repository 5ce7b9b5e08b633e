/**
 * Which doors a plan covers, and the life-safety guard every automated door command passes
 * through: while a live fire plan holds a door, nothing but fire egress may be commanded on it.
 * Fire egress switched on for the site is door control's to check (modules/access); it refuses
 * with `door_control.fire_egress_active`, and plans and rules take that as the door held free.
 */
import { isVigilError, type DoorMode } from '@vigil/core';
import { automationError } from '../errors.js';
import type { DoorCommandOptions, DoorCommandReceipt, DoorCommands, DoorFact, FacilityFacts } from '../ports.js';
import type { Plan } from './model.js';

export function doorsOfPlan(plan: Plan, facts: FacilityFacts): DoorFact[] {
  const { buildingIds, zoneIds, zoneTypes } = plan.scope;
  const wholeSite = buildingIds.length === 0 && zoneIds.length === 0 && zoneTypes.length === 0;
  const zoneInScope = (zoneId: string | null): boolean => {
    if (zoneId === null) return false;
    if (wholeSite) return true;
    const zone = facts.zone(zoneId);
    if (!zone) return false;
    return zoneIds.includes(zoneId) || zoneTypes.includes(zone.type) || (zone.buildingId !== null && buildingIds.includes(zone.buildingId));
  };
  const doorInScope = (door: DoorFact): boolean =>
    wholeSite ||
    zoneInScope(door.fromZoneId) ||
    zoneInScope(door.toZoneId) ||
    (door.buildingId !== null && buildingIds.includes(door.buildingId));
  const selected = facts.doorsOfSite(plan.siteId).filter((door) => {
    if (plan.doors.exclude.includes(door.id)) return false;
    if (plan.doors.include.includes(door.id)) return true;
    if (!doorInScope(door)) return false;
    if (plan.doors.selection === 'all') return true;
    // Perimeter: one side inside the scope, the other outside it (or outdoors).
    return (
      zoneInScope(door.fromZoneId) !== zoneInScope(door.toZoneId) || (wholeSite && (door.fromZoneId === null || door.toZoneId === null))
    );
  });
  return selected.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Door control refused to lock the door because fire egress switched on for its site covers it. */
export function isFireEgressRefusal(error: unknown): boolean {
  return isVigilError(error) && error.code === 'door_control.fire_egress_active';
}

/** Doors held by live (not drill) fire activations, kept by the activation service on every node. */
export interface FireHolds {
  heldByFire(doorId: string): boolean;
}

/**
 * Wraps door control for rules and other automation: a command that would lock a door a fire plan
 * holds is refused with `automation.fire_plan_active`; unlocking (and fire egress) passes. One on a
 * door the site's fire egress covers reaches door control, which refuses it the same way.
 */
export function lifeSafetyGuard(doors: DoorCommands, fire: FireHolds): DoorCommands {
  const refuse = (doorId: string) =>
    Promise.reject(automationError('automation.fire_plan_active', `Door ${doorId} is held open by an active fire plan`, { door: doorId }));
  return {
    emits: doors.emits,
    setMode: (doorId: string, mode: DoorMode, reason: string, actor: string, options?: DoorCommandOptions): Promise<DoorCommandReceipt> =>
      mode !== 'fire_egress' && mode !== 'unlocked' && fire.heldByFire(doorId)
        ? refuse(doorId)
        : doors.setMode(doorId, mode, reason, actor, options),
    lock: (doorId, reason, actor, options) => (fire.heldByFire(doorId) ? refuse(doorId) : doors.lock(doorId, reason, actor, options)),
    unlock: (doorId, reason, actor, options) => doors.unlock(doorId, reason, actor, options),
    setOutput: (outputId, active, reason, actor, options) => doors.setOutput(outputId, active, reason, actor, options),
    outputSite: (outputId) => doors.outputSite(outputId),
  };
}

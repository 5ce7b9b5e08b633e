/** What a node knows of the plans running now: in memory, so door decisions never wait for storage. */
import type { DoorMode } from '@vigil/core';
import type { PlanKind } from '../tables.js';
import type { FireHolds } from './doors.js';
import { PRECEDENCE } from './model.js';

export interface DoorState {
  readonly doorId: string;
  readonly doorName: string;
  /** The door's mode before the first live plan took it. */
  priorMode: DoorMode | null;
  status: 'commanded' | 'secured' | 'failed' | 'held' | 'simulated';
  commandedAt: Date | null;
  confirmedAt: Date | null;
  attempts: number;
  error: string | null;
}

export interface LiveActivation {
  readonly id: string;
  readonly planId: string;
  readonly planName: string;
  readonly siteId: string;
  readonly kind: PlanKind;
  readonly drill: boolean;
  readonly mode: DoorMode;
  readonly startedAt: Date;
  readonly doorIds: readonly string[];
  /** Per-door state, for activations this node commands. */
  readonly doors: Map<string, DoorState>;
  /** Set when the activation is cleared: retries stop. */
  stopped: boolean;
}

export class LiveActivations implements FireHolds {
  private readonly byId = new Map<string, LiveActivation>();

  add(activation: LiveActivation): void {
    this.byId.set(activation.id, activation);
  }

  remove(id: string): LiveActivation | undefined {
    const a = this.byId.get(id);
    if (a) a.stopped = true;
    this.byId.delete(id);
    return a;
  }

  get(id: string): LiveActivation | undefined {
    return this.byId.get(id);
  }

  ofPlan(planId: string): LiveActivation | undefined {
    for (const a of this.byId.values()) if (a.planId === planId) return a;
    return undefined;
  }

  all(): LiveActivation[] {
    return [...this.byId.values()];
  }

  heldByFire(doorId: string): boolean {
    return this.fireHoldOf(doorId) !== undefined;
  }

  /** The live (not drill) fire activation holding the door, for messages that name it. */
  fireHoldOf(doorId: string): { activationId: string; planName: string } | undefined {
    for (const a of this.byId.values()) {
      if (a.kind === 'fire' && !a.drill && a.doorIds.includes(doorId)) return { activationId: a.id, planName: a.planName };
    }
    return undefined;
  }

  /** The live (not drill) fire activations of a site, with the doors each holds free. */
  fireHoldsOn(siteId: string): { activationId: string; planName: string; doorIds: readonly string[] }[] {
    return [...this.byId.values()]
      .filter((a) => a.kind === 'fire' && !a.drill && a.siteId === siteId)
      .map((a) => ({ activationId: a.id, planName: a.planName, doorIds: a.doorIds }));
  }

  /** The strongest other live (not drill) activation holding the door. */
  holder(doorId: string, except: string): LiveActivation | undefined {
    let best: LiveActivation | undefined;
    for (const a of this.byId.values()) {
      if (a.id === except || a.drill || !a.doorIds.includes(doorId)) continue;
      if (!best || PRECEDENCE[a.kind] > PRECEDENCE[best.kind]) best = a;
    }
    return best;
  }
}

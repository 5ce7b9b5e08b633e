/**
 * What automation needs from the rest of Vigil, as small ports the composition root wires:
 * door control (modules/access), facility facts (modules/facility), and the alarm workflow.
 */
import type { DoorMode } from '@vigil/core';
import { automationError } from './errors.js';

export interface DoorCommandOptions {
  /** Drill: go through the command path without moving the lock. */
  readonly simulate?: boolean;
  readonly signal?: AbortSignal;
}

export interface DoorCommandReceipt {
  /** The door's mode before this command (what clearing a plan restores). */
  readonly priorMode: DoorMode | null;
  /** When the door controller confirmed the command (or the drill simulated it). */
  readonly confirmedAt: Date;
  readonly simulated: boolean;
}

/** Door control. Implemented by modules/access; every call resolves once the door confirmed. */
export interface DoorCommands {
  /** Event types the door side journals when a command takes effect (the rule loop check follows them). */
  readonly emits: readonly string[];
  setMode(doorId: string, mode: DoorMode, reason: string, actor: string, options?: DoorCommandOptions): Promise<DoorCommandReceipt>;
  lock(doorId: string, reason: string, actor: string, options?: DoorCommandOptions): Promise<DoorCommandReceipt>;
  unlock(doorId: string, reason: string, actor: string, options?: DoorCommandOptions & { seconds?: number }): Promise<DoorCommandReceipt>;
  /** Switches a named auxiliary output (an elevator hold) on or off; resolves when its controller confirmed. */
  setOutput(
    outputId: string,
    active: boolean,
    reason: string,
    actor: string,
    options?: DoorCommandOptions,
  ): Promise<{ confirmedAt: Date; simulated: boolean }>;
  /** The site a named output belongs to, or undefined when there is no such output (plans check it). */
  outputSite(outputId: string): Promise<string | undefined>;
}

/** Until door control is wired, every door command fails with a clear error instead of pretending. */
export const DOORS_NOT_CONNECTED: DoorCommands = {
  emits: [],
  setMode: () => Promise.reject(automationError('automation.doors_unavailable', 'Door control is not connected on this server')),
  lock: () => Promise.reject(automationError('automation.doors_unavailable', 'Door control is not connected on this server')),
  unlock: () => Promise.reject(automationError('automation.doors_unavailable', 'Door control is not connected on this server')),
  setOutput: () => Promise.reject(automationError('automation.doors_unavailable', 'Door control is not connected on this server')),
  outputSite: () => Promise.resolve(undefined),
};

/** The door modes of doors, as door control last confirmed them (undefined: unknown). */
export interface DoorStates {
  modeOf(doorId: string): DoorMode | undefined;
}

export interface ZoneFact {
  readonly id: string;
  readonly siteId: string;
  readonly buildingId: string | null;
  readonly type: string;
  readonly name: string;
}

export interface DoorFact {
  readonly id: string;
  readonly siteId: string;
  readonly buildingId: string | null;
  readonly name: string;
  readonly fromZoneId: string | null;
  readonly toZoneId: string | null;
  readonly egress: boolean;
}

/** Synchronous look-ups rules and plans evaluate against (kept current from facility events). */
export interface FacilityFacts {
  timeZoneOf(siteId: string): string | undefined;
  siteName(siteId: string): string | undefined;
  zone(zoneId: string): ZoneFact | undefined;
  door(doorId: string): DoorFact | undefined;
  doorsOfSite(siteId: string): readonly DoorFact[];
  buildingName(buildingId: string): string | undefined;
}

/** Builds the access module's services from its ports; the composition root calls this once. */
import type { EventDraft } from '@vigil/core';
import type { KeyObject } from 'node:crypto';
import { AgentSupervision } from './agent-supervision.js';
import { EdgeAgents } from './agents.js';
import type { AccessDeps } from './context.js';
import { DoorControl } from './door-control.js';
import { EdgeSyncService, type ReaderHealthPort } from './edge-sync.js';
import { GroupMembershipService } from './group-members.js';
import { AccessGroupService } from './groups.js';
import { EdgeIngest } from './ingest.js';
import { OutputControl } from './output-commands.js';
import { PinLockoutCommands } from './pin-lockout-commands.js';
import { ScheduleService } from './schedules.js';
import { SnapshotService } from './snapshots.js';

export interface AccessModule {
  readonly schedules: ScheduleService;
  readonly groups: AccessGroupService;
  /** Many persons added to or removed from one group at once. */
  readonly members: GroupMembershipService;
  readonly snapshots: SnapshotService;
  readonly agents: EdgeAgents;
  /** Declares agents offline when they fall silent; the composition root starts and stops it. */
  readonly supervision: AgentSupervision;
  readonly doors: DoorControl;
  /** Named auxiliary outputs (elevator hold) and the commands that drive them. */
  readonly outputs: OutputControl;
  /** Operators lifting a credential's PIN lockout on a site's door controllers. */
  readonly pinLockouts: PinLockoutCommands;
  readonly sync: EdgeSyncService;
  readonly ingest: EdgeIngest;
  /** PEM of the snapshot signing key, handed to agents at registration. */
  readonly snapshotPublicKeyPem: string;
}

export interface AccessModuleOptions {
  readonly snapshotSigningKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  /** Validates a delivered event against the event catalogue. */
  readonly validate: (draft: EventDraft) => void;
  readonly readerHealth?: ReaderHealthPort;
  /** Zones at or above this facility security level (1..5) require a second factor (default 5). */
  readonly secondFactorLevel?: number;
  readonly snapshotRefreshMs?: number;
  readonly commandTtlSeconds?: number;
  readonly wallClock?: () => number;
  /** Silence after which an agent is declared offline (default 60 s). */
  readonly agentSupervisionSeconds?: number;
  /** How often to look for silent agents (default a quarter of the interval); 0: only when asked. */
  readonly agentSupervisionCheckMs?: number;
  readonly onSupervisionError?: (error: unknown) => void;
}

export function createAccessModule(deps: AccessDeps, options: AccessModuleOptions): AccessModule {
  const snapshots = new SnapshotService(deps, {
    signingKey: options.snapshotSigningKey.privateKey,
    secondFactorLevel: options.secondFactorLevel ?? 5,
    refreshMs: options.snapshotRefreshMs ?? 2000,
    maxAgeMs: 30 * 24 * 3600 * 1000,
  });
  const changed = (siteId: string) => snapshots.invalidate(siteId);
  const supervision = new AgentSupervision(deps, {
    supervisionSeconds: options.agentSupervisionSeconds ?? 60,
    ...(options.agentSupervisionCheckMs === undefined ? {} : { checkEveryMs: options.agentSupervisionCheckMs }),
    ...(options.onSupervisionError ? { onError: options.onSupervisionError } : {}),
  });
  const agents = new EdgeAgents(deps, { ...(options.wallClock ? { wallClock: options.wallClock } : {}), supervision });
  const commandTtlMs = (options.commandTtlSeconds ?? 60) * 1000;
  // Output commands reach the agents through door control's queue and wake-ups.
  const outputs: OutputControl = new OutputControl(deps, {
    commandTtlMs,
    requireAgent: (ex, siteId) => doors.requireAgent(ex, siteId),
    wake: (siteId) => doors.wake(siteId),
  });
  // So do PIN lockout lifts, each agent handed its own part.
  const pinLockouts: PinLockoutCommands = new PinLockoutCommands(deps, { commandTtlMs, wake: (siteId) => doors.wake(siteId) });
  const doors = new DoorControl(deps, {
    commandTtlMs,
    outputCommands: (siteId, agentId) => outputs.pending(siteId, agentId),
    agentCommands: (agentId) => pinLockouts.pending(agentId),
  });
  return {
    schedules: new ScheduleService(deps, changed),
    groups: new AccessGroupService(deps, changed),
    members: new GroupMembershipService(deps, changed),
    snapshots,
    agents,
    supervision,
    doors,
    outputs,
    pinLockouts,
    sync: new EdgeSyncService(deps, agents, snapshots, doors, options.readerHealth ?? null),
    ingest: new EdgeIngest({ ...deps, validate: options.validate }, pinLockouts),
    snapshotPublicKeyPem: options.snapshotSigningKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

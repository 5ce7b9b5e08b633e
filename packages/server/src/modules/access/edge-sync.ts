/**
 * What a signed-in agent asks of the server: heartbeat (health in; snapshot version, controls and
 * commands out), the current snapshot of its site, and the command long poll.
 */
import { isVigilError } from '@vigil/core';
import type { CommandsResponse, HealthReport, HeartbeatResponse, SnapshotResponse } from '@vigil/edge';
import type { EdgeAgents, EdgePrincipal } from './agents.js';
import type { AccessDeps } from './context.js';
import type { DoorControl } from './door-control.js';
import { accessModuleError } from './errors.js';
import type { SnapshotService } from './snapshots.js';

/** Reports a reader's reachability to the device registry (by the serial it is registered under). */
export type ReaderHealthPort = (serialNumber: string, online: boolean, reason: string | null) => Promise<void>;

export class EdgeSyncService {
  constructor(
    private readonly deps: AccessDeps,
    private readonly agents: EdgeAgents,
    private readonly snapshots: SnapshotService,
    private readonly doors: DoorControl,
    private readonly readerHealth: ReaderHealthPort | null,
  ) {}

  async heartbeat(agent: EdgePrincipal, report: HealthReport): Promise<HeartbeatResponse> {
    const previous = await this.agents.recordHealth(agent.agentId, report);
    await this.recordDoorStates(agent, report);
    await this.reportReaders(previous, report);
    const snapshot = await this.snapshots.latest(agent.siteId);
    return {
      serverTime: this.deps.clock().toISOString(),
      snapshotVersion: snapshot?.version ?? null,
      controls: await this.doors.controls(agent.siteId),
      commands: await this.doors.pendingCommands(agent.siteId, agent.agentId),
    };
  }

  async snapshot(agent: EdgePrincipal): Promise<SnapshotResponse> {
    const snapshot = await this.snapshots.latest(agent.siteId);
    if (!snapshot)
      throw accessModuleError('edge.snapshot_unavailable', `No snapshot for site ${agent.siteId} yet`, { siteId: agent.siteId });
    return { version: snapshot.version, compiledAt: snapshot.compiledAt, snapshot: snapshot.bytes };
  }

  commands(agent: EdgePrincipal, waitSeconds: number, controlsVersion: number, signal?: AbortSignal): Promise<CommandsResponse> {
    return this.doors.waitForCommands(agent.siteId, controlsVersion, waitSeconds * 1000, signal, agent.agentId);
  }

  /** The heartbeat's door list is the agent's current view: it replaces the stored state of its site's doors. */
  private async recordDoorStates(agent: EdgePrincipal, report: HealthReport): Promise<void> {
    if (report.doors.length === 0) return;
    const { db, clock } = this.deps;
    const ids = report.doors.map((d) => d.doorId);
    const known = new Set(
      (await db.selectFrom('doors').select('id').where('site_id', '=', agent.siteId).where('id', 'in', ids).execute()).map((r) => r.id),
    );
    const at = clock().toISOString();
    await db.transaction().execute(async (trx) => {
      for (const door of report.doors) {
        if (!known.has(door.doorId)) continue;
        const row = {
          door_id: door.doorId,
          site_id: agent.siteId,
          agent_id: agent.agentId,
          open: door.open === null ? null : door.open ? 1 : 0,
          locked: door.locked ? 1 : 0,
          mode: door.mode,
          alarm: door.alarm,
          reported_at: at,
        };
        await trx
          .insertInto('access_door_states')
          .values(row)
          .onConflict((oc) => oc.column('door_id').doUpdateSet(row))
          .execute();
      }
    });
  }

  /** Reader online/offline changes go to the device registry (readers registered under their serial). */
  private async reportReaders(previous: HealthReport | null, report: HealthReport): Promise<void> {
    if (!this.readerHealth) return;
    for (const reader of report.readers) {
      if (!reader.serialNumber) continue;
      const before = previous?.readers.find((r) => r.name === reader.name);
      if (before && before.online === reader.online) continue;
      try {
        await this.readerHealth(
          reader.serialNumber,
          reader.online,
          reader.online ? null : `reader ${reader.name} does not answer its door controller`,
        );
      } catch (error) {
        // A reader the registry does not know is the integrator's to register; the agent still runs it.
        if (!isVigilError(error) || error.kind !== 'not_found') throw error;
      }
    }
  }
}

/**
 * The hospital's door controllers: Vigil's own edge agent (`@vigil/edge`), one per building, run
 * by the simulator exactly as it runs on a controller box. Each agent makes its key on first
 * start, is registered for the site through the API (`POST /api/edge/agents`), talks OSDP over
 * TCP to the building's virtual readers and drives the doors through the simulated I/O backend,
 * which the simulator in turn plays the physical side of.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EdgeAgent, SimulatedIo, loadOrCreateAgentKey, parseAgentConfig, type AgentKey, type AgentLogger } from '@vigil/edge';
import type { ControllerWiring } from './wiring.js';
import { ReaderBus, VirtualReader } from './readers.js';
import { VirtualDoor } from './doors.js';
import type { VigilClient } from './vigil-client.js';

export interface ControllerTiming {
  /** Gap between polls of one reader; the agents' CPU and a card's latency both follow it. */
  readonly pollIntervalMs: number;
  readonly heartbeatSeconds: number;
  readonly commandWaitSeconds: number;
}

export interface ControllerOptions {
  readonly api: VigilClient;
  readonly siteId: string;
  /** The controller's key, event buffer and the snapshot signing key it was given. */
  readonly dataDir: string;
  readonly timing: ControllerTiming;
  readonly logger: AgentLogger;
}

interface RegisteredAgent {
  id: string;
  keyId: string;
  status: 'active' | 'revoked';
}

const SNAPSHOT_KEY_FILE = 'snapshot-key.pem';

/** One building's controller box: the agent, its reader buses and the doors it serves. */
export class BuildingController {
  private constructor(
    readonly wiring: ControllerWiring,
    readonly agent: EdgeAgent,
    readonly io: SimulatedIo,
    readonly buses: readonly ReaderBus[],
    readonly doors: readonly VirtualDoor[],
  ) {}

  static async start(wiring: ControllerWiring, options: ControllerOptions): Promise<BuildingController> {
    const buses: ReaderBus[] = [];
    try {
      for (let i = 0; i < wiring.buses; i++) buses.push(await ReaderBus.listen());
      const snapshotPublicKey = await ensureRegistered(wiring.name, options);
      const io = new SimulatedIo();
      const readers = new Map<string, VirtualReader>();
      const readerConfigs = wiring.doors.flatMap((door) => [door.entry, ...(door.exit ? [door.exit] : [])]);
      for (const reader of readerConfigs) {
        const virtual = new VirtualReader(reader.name, reader.address, reader.serialNumber);
        buses[reader.bus]!.attach(virtual);
        readers.set(reader.name, virtual);
      }
      const config = parseAgentConfig({
        siteId: options.siteId,
        dataDir: options.dataDir,
        server: {
          url: options.api.baseUrl,
          snapshotPublicKey,
          heartbeatSeconds: options.timing.heartbeatSeconds,
          commandWaitSeconds: options.timing.commandWaitSeconds,
          retryMaxSeconds: 10,
        },
        osdp: { pollIntervalMs: options.timing.pollIntervalMs, replyTimeoutMs: 200, offlineRetryMs: 2000 },
        readers: readerConfigs.map((reader) => ({
          name: reader.name,
          bus: { kind: 'tcp', host: '127.0.0.1', port: buses[reader.bus]!.port },
          address: reader.address,
          serialNumber: `SIM-${reader.serialNumber}`,
        })),
        doors: wiring.doors.map((door) => ({
          id: door.doorId,
          entryReader: door.entry.name,
          ...(door.exit ? { exitReader: door.exit.name } : {}),
          lock: { kind: 'simulated', point: door.lockPoint },
          doorPosition: { kind: 'simulated', point: door.positionPoint },
          ...(door.requestToExitPoint !== null ? { requestToExit: { kind: 'simulated', point: door.requestToExitPoint } } : {}),
          unlockSeconds: door.door.unlockSeconds,
          heldOpenSeconds: door.door.heldOpenSeconds,
          egress: door.door.egress,
        })),
      });
      const agent = new EdgeAgent({ config, io, logger: options.logger });
      const doors = wiring.doors.map(
        (door) =>
          new VirtualDoor(
            door.door,
            door.doorId,
            wiring.building,
            io,
            { lock: door.lockPoint, position: door.positionPoint, requestToExit: door.requestToExitPoint },
            readers.get(door.entry.name)!,
            door.exit ? readers.get(door.exit.name)! : null,
          ),
      );
      await agent.start();
      return new BuildingController(wiring, agent, io, buses, doors);
    } catch (e) {
      for (const bus of buses) await bus.close();
      throw e;
    }
  }

  /** Readers the agent has online now. */
  onlineReaders(): number {
    return this.agent.readers.statuses().filter((s) => s.online).length;
  }

  get readerCount(): number {
    return this.agent.readers.statuses().length;
  }

  async stop(): Promise<void> {
    await this.agent.stop();
    for (const bus of this.buses) await bus.close();
  }
}

/**
 * Makes sure the controller's key is registered for the site and returns the snapshot signing key
 * the server answered with. The key file and the answer are kept in the data directory, so a
 * restarted simulator is the same controller to Vigil. A key Vigil no longer knows (its data was
 * reset) is registered again; one whose registration answer was lost is replaced by a new key.
 */
async function ensureRegistered(name: string, options: ControllerOptions): Promise<string> {
  const keyFile = path.join(options.dataDir, 'agent.key');
  const snapshotKeyFile = path.join(options.dataDir, SNAPSHOT_KEY_FILE);
  let key = loadOrCreateAgentKey(keyFile);
  const registered = (await options.api.all<RegisteredAgent>('/api/edge/agents', { siteId: options.siteId })).find(
    (agent) => agent.keyId === key.keyId,
  );
  if (registered?.status === 'active' && fs.existsSync(snapshotKeyFile)) return fs.readFileSync(snapshotKeyFile, 'utf8');
  if (registered) {
    if (registered.status === 'active') await options.api.post(`/api/edge/agents/${registered.id}/revoke`);
    key = replaceKey(options.dataDir, keyFile);
  }
  return register(name, key, options, snapshotKeyFile);
}

async function register(name: string, key: AgentKey, options: ControllerOptions, snapshotKeyFile: string): Promise<string> {
  const answer = await options.api.post<{ snapshotPublicKey: string }>('/api/edge/agents', {
    siteId: options.siteId,
    name,
    publicKey: key.publicKeyPem,
  });
  fs.writeFileSync(snapshotKeyFile, answer.snapshotPublicKey, { mode: 0o600 });
  return answer.snapshotPublicKey;
}

/** A new key and an empty buffer: the old registration is revoked, nothing buffered under it can be delivered. */
function replaceKey(dataDir: string, keyFile: string): AgentKey {
  for (const file of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, file), { force: true, recursive: true });
  return loadOrCreateAgentKey(keyFile);
}

/**
 * The live hospital: its door controllers (one edge agent per building with the building's
 * readers and doors) and its MQTT sensors, started from a provisioned hospital. Everything reaches
 * Vigil through the interfaces real devices use: signed edge sync for the controllers, the MQTT
 * broker for the sensors. The rhythm and the scenarios act on it as people would.
 */
import path from 'node:path';
import type { AgentLogger } from '@vigil/edge';
import type { ProvisionedHospital } from '../model.js';
import { BuildingController, type ControllerTiming } from './controllers.js';
import { delay, type VirtualDoor } from './doors.js';
import { placeSensors } from './sensor-placement.js';
import { SensorNetwork } from './sensors.js';
import type { VigilClient } from './vigil-client.js';
import { wireHospital } from './wiring.js';

export type WorldLogger = AgentLogger;

export interface LiveWorldOptions {
  readonly hospital: ProvisionedHospital;
  readonly api: VigilClient;
  /** Controllers' keys and buffers live under `<stateDir>/<site id>/`. */
  readonly stateDir: string;
  /** The broker the sensors publish through; null: no MQTT sensors. */
  readonly mqttUrl: string | null;
  readonly logger: WorldLogger;
  /** Default: about 1,000 reader polls a second in all, within 200 ms–3 s per reader. */
  readonly pollIntervalMs?: number;
  readonly heartbeatSeconds?: number;
  readonly commandWaitSeconds?: number;
  /** Only these buildings' controllers (model keys); default all. */
  readonly buildings?: readonly string[];
}

/** Polls a second the reader buses of the whole hospital are given; the controllers' CPU follows it. */
export const TARGET_POLLS_PER_SECOND = 1000;

export function defaultPollIntervalMs(readers: number): number {
  return Math.min(3000, Math.max(200, Math.round((readers / TARGET_POLLS_PER_SECOND) * 1000)));
}

export class LiveWorld {
  /** People (model keys) who left the hospital during the run (a scenario terminated them). */
  readonly departed = new Set<string>();
  private readonly byKey = new Map<string, VirtualDoor>();

  private constructor(
    readonly hospital: ProvisionedHospital,
    readonly api: VigilClient,
    readonly controllers: readonly BuildingController[],
    readonly sensors: SensorNetwork | null,
    readonly pollIntervalMs: number,
  ) {
    for (const controller of controllers) for (const door of controller.doors) this.byKey.set(door.model.key, door);
  }

  static async start(options: LiveWorldOptions): Promise<LiveWorld> {
    const { hospital } = options;
    const wiring = wireHospital(hospital).filter((w) => !options.buildings || options.buildings.includes(w.building));
    const readers = wiring.reduce((n, w) => n + w.doors.reduce((m, d) => m + (d.exit ? 2 : 1), 0), 0);
    const timing: ControllerTiming = {
      pollIntervalMs: options.pollIntervalMs ?? defaultPollIntervalMs(readers),
      heartbeatSeconds: options.heartbeatSeconds ?? 5,
      commandWaitSeconds: options.commandWaitSeconds ?? 25,
    };
    const controllers: BuildingController[] = [];
    let sensors: SensorNetwork | null = null;
    try {
      for (const w of wiring) {
        const dataDir = path.join(options.stateDir, hospital.siteId, `controller-${w.building}`);
        controllers.push(
          await BuildingController.start(w, { api: options.api, siteId: hospital.siteId, dataDir, timing, logger: options.logger }),
        );
      }
      if (options.mqttUrl) {
        const buildings = new Set(wiring.map((w) => w.building));
        const placements = placeSensors(hospital).filter((s) => buildings.has(s.building));
        sensors = await SensorNetwork.connect({ url: options.mqttUrl, siteId: hospital.siteId, placements, logger: options.logger });
      }
    } catch (e) {
      for (const controller of controllers) await controller.stop();
      throw e;
    }
    const world = new LiveWorld(hospital, options.api, controllers, sensors, timing.pollIntervalMs);
    world.mirrorContacts();
    return world;
  }

  door(key: string): VirtualDoor {
    const door = this.byKey.get(key);
    if (!door) throw new Error(`door ${key} is not in the live world`);
    return door;
  }

  get doors(): VirtualDoor[] {
    return [...this.byKey.values()];
  }

  hasDoor(key: string): boolean {
    return this.byKey.has(key);
  }

  controllerOf(door: VirtualDoor): BuildingController {
    const controller = this.controllers.find((c) => c.doors.includes(door));
    if (!controller) throw new Error(`no controller serves door ${door.model.key}`);
    return controller;
  }

  /**
   * Resolves once every reader is online and every controller runs on a snapshot newer than
   * `afterVersion` (per controller; default: any). Rejects after `timeoutMs`.
   */
  async ready(timeoutMs: number, afterVersion: ReadonlyMap<BuildingController, number | null> = new Map()): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const done = () =>
      this.controllers.every((c) => {
        const version = c.agent.policy.version;
        const before = afterVersion.get(c) ?? null;
        return c.onlineReaders() === c.readerCount && version !== null && (before === null || version > before);
      });
    while (!done()) {
      if (Date.now() > deadline) {
        const state = this.controllers.map(
          (c) => `${c.wiring.building}: ${c.onlineReaders()}/${c.readerCount} readers, snapshot ${c.agent.policy.version ?? 'none'}`,
        );
        throw new Error(`the door controllers did not become ready in ${timeoutMs} ms (${state.join('; ')})`);
      }
      await delay(50);
    }
  }

  /** The snapshot version each controller runs now. */
  snapshotVersions(): Map<BuildingController, number | null> {
    return new Map(this.controllers.map((c) => [c, c.agent.policy.version]));
  }

  async stop(): Promise<void> {
    await this.sensors?.stop();
    for (const controller of this.controllers) await controller.stop();
  }

  /** Stairwell doors carry a wireless contact too: it reports whatever the door does. */
  private mirrorContacts(): void {
    const sensors = this.sensors;
    if (!sensors) return;
    for (const sensor of sensors.placements) {
      if (sensor.kind !== 'door_contact' || !sensor.doorKey || !this.byKey.has(sensor.doorKey)) continue;
      const door = this.door(sensor.doorKey);
      this.controllerOf(door)
        .io.doorPosition(door.points.position)
        .onChange((open) => {
          sensors.contact(sensor, open).catch(() => undefined);
        });
    }
  }
}

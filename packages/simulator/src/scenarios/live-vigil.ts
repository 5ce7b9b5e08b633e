/**
 * A real Vigil for the live tests, as a hospital runs it: the whole server (createApp, embedded
 * SQLite in a temp directory) on the real clock — door controllers sign their requests with the
 * time and Vigil refuses a clock five minutes off — listening on a free local port, with MQTT
 * sensors through a broker: Mosquitto when VIGIL_TEST_MQTT_URL is set (MQTT 5, as in production),
 * otherwise the embedded broker the quick-start demo runs (MQTT 3.1.1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../../server/src/app.js';
import { TEST_PASSWORD_COST } from '../../../server/src/api/test-harness.js';
import { startDemoBroker, type DemoBroker } from '../../../server/src/cli/commands/demo.js';
import { loadConfig } from '../../../server/src/kernel/config.js';
import { createLogger } from '../../../server/src/kernel/logger.js';
import { Principal, type RoleGrant } from '../../../server/src/modules/identity/index.js';
import { SIMULATOR_PERMISSIONS } from '../live/session.js';
import { VigilClient } from '../live/vigil-client.js';
import { LiveWorld } from '../live/world.js';
import type { HospitalModel } from '../model.js';
import { provisionHospital } from '../provision/index.js';
import { ensureScenarioSetup, type ScenarioSetup } from './setup.js';

export interface LiveVigil {
  readonly url: string;
  readonly mqttUrl: string;
  /** `mosquitto` (VIGIL_TEST_MQTT_URL) or `embedded`. */
  readonly broker: 'mosquitto' | 'embedded';
  /** A scratch directory for the door controllers' keys and buffers. */
  readonly stateDir: string;
  issueToken(permissions: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export const MQTT_DEVICES_FILE = fileURLToPath(new URL('../live/mqtt-devices.json', import.meta.url));

export async function startLiveVigil(): Promise<LiveVigil> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sim-live-'));
  const external = process.env['VIGIL_TEST_MQTT_URL'];
  const embedded: DemoBroker | null = external ? null : await startDemoBroker();
  const mqttUrl = external ?? embedded!.url;
  const config = loadConfig(
    {},
    {
      dataDir: path.join(dir, 'vigil'),
      http: { host: '127.0.0.1', port: 0 },
      // A group of its own: test servers sharing the CI broker must not take each other's share
      // of the sensor messages, as two installations sharing a broker must not.
      mqtt: {
        url: mqttUrl,
        devicesFile: MQTT_DEVICES_FILE,
        protocolVersion: external ? 5 : 4,
        sharedGroup: `simtest-${path.basename(dir).replace(/[^A-Za-z0-9_-]/g, '')}`,
      },
      // Each test server is its own MQTT client, whatever else shares the broker.
      bus: { nodeName: `simtest-${path.basename(dir).replace(/[^A-Za-z0-9_-]/g, '')}` },
    },
  );
  const app = await createApp(config, { logger: createLogger('silent'), passwordCost: TEST_PASSWORD_COST });
  try {
    const url = await app.start();
    const grants: RoleGrant[] = [{ role: 'admin', site: '*' }];
    const { operator } = await app.identity.operators.create(
      { actor: 'system:test', system: true },
      { username: 'simulator', displayName: 'Simulator token owner', roles: grants },
    );
    const owner = new Principal('operator', operator.id, operator.username, grants);
    let issued = 0;
    return {
      url,
      mqttUrl,
      broker: external ? 'mosquitto' : 'embedded',
      stateDir: path.join(dir, 'simulator'),
      async issueToken(permissions) {
        const { secret } = await app.identity.tokens.issue(owner, { name: `simulator ${++issued}`, permissions, sites: ['*'] });
        return secret;
      },
      async close() {
        await app.stop();
        await embedded?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await app.stop();
    await embedded?.close();
    throw e;
  }
}

export interface LiveHospital {
  readonly vigil: LiveVigil;
  readonly api: VigilClient;
  readonly world: LiveWorld;
  readonly setup: ScenarioSetup;
  close(): Promise<void>;
}

/**
 * A real Vigil with the hospital provisioned, the scenarios' rules and plans written, and the
 * hospital live (controllers polling fast, agents syncing every half second), ready for scenarios.
 */
export async function startLiveHospital(model: HospitalModel, options: { mqtt: boolean }): Promise<LiveHospital> {
  const vigil = await startLiveVigil();
  try {
    const token = await vigil.issueToken(SIMULATOR_PERMISSIONS);
    const api = new VigilClient({ baseUrl: vigil.url, token });
    const hospital = await provisionHospital(model, { baseUrl: vigil.url, apiToken: token });
    const setup = await ensureScenarioSetup(api, hospital);
    const world = await LiveWorld.start({
      hospital,
      api,
      stateDir: vigil.stateDir,
      mqttUrl: options.mqtt ? vigil.mqttUrl : null,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      pollIntervalMs: 100,
      heartbeatSeconds: 0.5,
      commandWaitSeconds: 2,
    });
    const close = async () => {
      await world.stop();
      await vigil.close();
    };
    try {
      await world.ready(60_000);
    } catch (e) {
      await close();
      throw e;
    }
    return { vigil, api, world, setup, close };
  } catch (e) {
    await vigil.close();
    throw e;
  }
}

/**
 * A simulation session against a running Vigil: check that Vigil answers and the token may do
 * what the simulator needs (within seconds, naming what is missing), generate and provision the
 * hospital, write the scenarios' rules and plans, and start the live world.
 */
import { generateHospital } from '../hospital/index.js';
import { simulatorError } from '../errors.js';
import type { PresetName, ProvisionedHospital } from '../model.js';
import { PROVISIONING_PERMISSIONS, provisionHospital } from '../provision/index.js';
import { ensureScenarioSetup, type ScenarioSetup } from '../scenarios/setup.js';
import { LIVE_PERMISSIONS } from './permissions.js';
import { VigilClient } from './vigil-client.js';
import { LiveWorld, type WorldLogger } from './world.js';

/** Everything the token of `vigil sim run` and `vigil sim scenario` must hold. */
export const SIMULATOR_PERMISSIONS: readonly string[] = [...new Set<string>([...PROVISIONING_PERMISSIONS, ...LIVE_PERMISSIONS])].sort();

/** How long the first contact may take before Vigil counts as not running. */
const PREFLIGHT_TIMEOUT_MS = 5000;

export interface SessionOptions {
  readonly url: string;
  readonly token: string;
  readonly preset: PresetName;
  readonly seed: number;
  readonly mqttUrl: string | null;
  readonly stateDir: string;
  readonly pollIntervalMs?: number;
  readonly heartbeatSeconds?: number;
  readonly commandWaitSeconds?: number;
  readonly logger: WorldLogger;
  readonly out: (line: string) => void;
}

export interface Session {
  readonly api: VigilClient;
  readonly hospital: ProvisionedHospital;
  readonly setup: ScenarioSetup;
  readonly world: LiveWorld;
}

/** Answers within seconds whether Vigil runs at `url` and the token holds every needed permission. */
export async function connect(url: string, token: string, needed: readonly string[] = SIMULATOR_PERMISSIONS): Promise<VigilClient> {
  const probe = new VigilClient({ baseUrl: url, token, timeoutMs: PREFLIGHT_TIMEOUT_MS });
  const me = await probe.get<{ permissions: string[] }>('/api/auth/me');
  const missing = needed.filter((p) => !me.permissions.includes(p));
  if (missing.length > 0) {
    throw simulatorError('simulator.permissions_missing', `The API token lacks ${missing.join(', ')}`, { missing, needed: [...needed] });
  }
  return new VigilClient({ baseUrl: url, token });
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const api = await connect(options.url, options.token);
  const model = generateHospital({ preset: options.preset, seed: options.seed });
  options.out(
    `Provisioning ${model.site.name} (${options.preset}, seed ${options.seed}): ${model.doors.length} doors, ${model.persons.length} people…`,
  );
  const hospital = await provisionHospital(model, {
    baseUrl: options.url,
    apiToken: options.token,
    onProgress: (m) => options.out(`  ${m}`),
  });
  const setup = await ensureScenarioSetup(api, hospital);
  options.out(
    `Starting ${model.buildings.length} door controller(s) and the sensors${options.mqttUrl ? '' : ' (MQTT off: no broker given)'}…`,
  );
  const world = await LiveWorld.start({
    hospital,
    api,
    stateDir: options.stateDir,
    mqttUrl: options.mqttUrl,
    logger: options.logger,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.heartbeatSeconds !== undefined ? { heartbeatSeconds: options.heartbeatSeconds } : {}),
    ...(options.commandWaitSeconds !== undefined ? { commandWaitSeconds: options.commandWaitSeconds } : {}),
  });
  try {
    await world.ready(120_000);
  } catch (e) {
    await world.stop();
    throw e;
  }
  const readers = world.controllers.reduce((n, c) => n + c.readerCount, 0);
  options.out(
    `Live: ${world.doors.length} doors, ${readers} readers polled every ${world.pollIntervalMs} ms, ${world.sensors?.placements.length ?? 0} MQTT sensors.`,
  );
  return { api, hospital, setup, world };
}

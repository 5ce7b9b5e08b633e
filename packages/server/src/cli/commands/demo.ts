/**
 * The quick start's live demo: the `community` hospital of `@vigil/simulator` run beside the
 * server, as a hospital's devices would be. Three parts:
 *
 * - an embedded MQTT broker (aedes) for the simulated sensors, so a machine with nothing but Node
 *   needs no Mosquitto. aedes speaks MQTT 3.1.1 only, so Vigil connects with protocol version 4;
 * - an API token for the simulator, made in-process for a service operator `simulator`, with
 *   exactly the permissions the simulator lists (`vigil sim permissions --json`); a new token each
 *   start, the previous ones revoked;
 * - the simulator itself as a child process (`vigil sim run`), so its readers, controllers and
 *   people never compete with the server's event loop. It provisions the hospital (idempotent:
 *   only the first start creates anything) and plays a scenario every few minutes.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { isVigilError } from '@vigil/core';
import type { App } from '../../app.js';
import { resolvePaths } from '../../kernel/config.js';
import { ALL_SITES, Principal } from '../../modules/identity/index.js';
import type { CliContext } from '../context.js';
import { exitOf, simulatorBin, spawnSimulator } from './sim.js';

export const DEMO_PRESET = 'community';
export const DEMO_SEED = 1;
export const DEMO_SCENARIO_MINUTES = 3;
const SIMULATOR_OPERATOR = 'simulator';
const TOKEN_NAME = 'demo simulator';

export interface DemoBroker {
  readonly url: string;
  close(): Promise<void>;
}

/** An in-process MQTT broker on a free loopback port. */
export async function startDemoBroker(): Promise<DemoBroker> {
  const broker = await Aedes.createBroker();
  const server = net.createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

/** The settings that point Vigil's MQTT adapter at the demo broker and the simulator's device mapping. */
export function demoMqttEnv(broker: DemoBroker): Record<string, string> {
  return {
    VIGIL_MQTT_URL: broker.url,
    VIGIL_MQTT_DEVICES_FILE: fileURLToPath(import.meta.resolve('@vigil/simulator/mqtt-devices.json')),
    VIGIL_MQTT_PROTOCOL_VERSION: '4',
  };
}

/** The permissions the simulator says its token needs. */
function simulatorPermissions(): string[] {
  const run = spawnSync(process.execPath, [simulatorBin(), 'permissions', '--json'], { encoding: 'utf8' });
  const parsed: unknown = run.status === 0 ? JSON.parse(run.stdout) : null;
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new Error(`the simulator did not list its permissions: ${run.stderr || run.stdout}`);
  }
  return parsed;
}

/** A fresh token for the simulator's service operator (created on first use; previous tokens revoked). */
export async function simulatorToken(app: App): Promise<string> {
  const grants = [{ role: 'admin' as const, site: ALL_SITES }];
  const system = new Principal('operator', 'system:quickstart', 'quickstart', grants);
  let operatorId: string | null = null;
  try {
    const created = await app.identity.operators.create(
      { actor: 'system:quickstart', system: true },
      { username: SIMULATOR_OPERATOR, displayName: 'Demo hospital simulator (API tokens only)', roles: grants },
    );
    operatorId = created.operator.id;
  } catch (e) {
    if (!isVigilError(e) || e.code !== 'operators.username_taken') throw e;
    let cursor: string | undefined;
    do {
      const page = await app.identity.operators.list(system, { limit: 500, ...(cursor ? { cursor } : {}) });
      operatorId = page.items.find((o) => o.username === SIMULATOR_OPERATOR)?.id ?? null;
      cursor = page.nextCursor ?? undefined;
    } while (!operatorId && cursor);
    if (!operatorId) throw e;
  }
  const owner = new Principal('operator', operatorId, SIMULATOR_OPERATOR, grants);
  for (const token of (await app.identity.tokens.list(owner, { limit: 500 })).items) {
    if (token.name === TOKEN_NAME && token.revokedAt === null) await app.identity.tokens.revoke(owner, token.id);
  }
  const { secret } = await app.identity.tokens.issue(owner, { name: TOKEN_NAME, permissions: simulatorPermissions(), sites: [ALL_SITES] });
  return secret;
}

/** Starts `vigil sim run` for the demo hospital; the token travels in the environment, not the process list. */
export function startDemoSimulator(app: App, url: string, token: string, mqttUrl: string | null, ctx: CliContext): ChildProcess {
  const args = [
    'run',
    '--preset',
    DEMO_PRESET,
    '--seed',
    String(DEMO_SEED),
    '--url',
    url,
    '--scenarios-every',
    String(DEMO_SCENARIO_MINUTES),
    '--state-dir',
    path.join(resolvePaths(app.config).dataDir, 'simulator'),
  ];
  const env: NodeJS.ProcessEnv = { ...ctx.env, VIGIL_SIM_TOKEN: token };
  if (mqttUrl) env['VIGIL_SIM_MQTT_URL'] = mqttUrl;
  const child = spawnSimulator(args, ctx, env);
  child.once('exit', (code, signal) => {
    if (signal === null && code !== 0) ctx.stderr.write(`The demo simulator stopped (exit ${code}); Vigil keeps running.\n`);
  });
  return child;
}

/** Asks the simulator to stop and waits for it (killing it if it hangs). */
export async function stopDemoSimulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exitOf(child);
  clearTimeout(killer);
}

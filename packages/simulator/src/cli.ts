/**
 * `vigil sim` (also `vigil-sim`): the virtual hospital from the command line.
 *
 *   vigil sim list
 *   vigil sim permissions [--json]
 *   vigil sim scenario <name> --url <url> --token <token> [--preset community --seed 1] [--mqtt-url …] [--pace N]
 *   vigil sim run --preset community --seed 1 --url <url> --token <token> [--accelerate N] [--scenarios-every MIN]
 *
 * The token may come from VIGIL_SIM_TOKEN instead (kept out of the process list), the broker
 * from VIGIL_SIM_MQTT_URL. Errors print `error <code>: <message>` and exit 2; anything unexpected
 * prints its stack and exits 1.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isVigilError, type VigilError } from '@vigil/core';
import { simulatorError } from './errors.js';
import { PRESET_NAMES } from './hospital/index.js';
import { assertPreset, assertSeed } from './hospital/presets.js';
import type { AgentLogger } from '@vigil/edge';
import { SCENARIOS, describeReport, findScenario, playScenario } from './scenarios/library.js';
import { SIMULATOR_PERMISSIONS, startSession } from './live/session.js';
import { Simulation } from './live/simulation.js';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_VIGIL_ERROR = 2;

export interface SimIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Resolves on SIGINT/SIGTERM, or when the process that started this one is gone (for `run`). */
  waitForStop(): Promise<string>;
}

interface ConnectionFlags {
  url: string;
  token?: string;
  preset: string;
  seed: string;
  mqttUrl?: string;
  stateDir: string;
  pollMs?: string;
}

const DEFAULT_URL = 'http://127.0.0.1:8080';

function number(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}.`);
    return n;
  };
}

function tokenOf(flags: ConnectionFlags, io: SimIo): string {
  const token = flags.token ?? io.env['VIGIL_SIM_TOKEN'];
  if (!token)
    throw simulatorError(
      'simulator.invalid_option',
      'An API token is needed: --token vgl_… or VIGIL_SIM_TOKEN (see `vigil sim permissions`)',
    );
  return token;
}

function seedOf(value: string): number {
  return assertSeed(/^\d+$/.test(value) ? Number(value) : value);
}

function consoleLogger(io: SimIo): AgentLogger {
  const write = (level: string) => (fields: object, message: string) => {
    const detail = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    io.stderr.write(`sim ${level}: ${message}${detail}\n`);
  };
  return { info: () => undefined, warn: write('warn'), error: write('error') };
}

function connection(command: Command): Command {
  return command
    .option('--url <url>', 'where Vigil runs', DEFAULT_URL)
    .option('--token <token>', 'API token (default: VIGIL_SIM_TOKEN)')
    .option('--preset <preset>', `hospital preset: ${PRESET_NAMES.join(', ')}`, 'community')
    .option('--seed <seed>', 'hospital seed (0–4294967295)', '1')
    .option('--mqtt-url <url>', 'MQTT broker for the sensors (default: VIGIL_SIM_MQTT_URL; none: sensors off)')
    .option('--state-dir <dir>', 'door controllers’ keys and buffers', path.join('data', 'simulator'))
    .option('--poll-ms <ms>', 'reader poll interval (default: about 1,000 polls a second in all)');
}

function sessionOptions(flags: ConnectionFlags, io: SimIo, stateSubdir: string) {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  return {
    url: flags.url,
    token: tokenOf(flags, io),
    preset: assertPreset(flags.preset),
    seed: seedOf(flags.seed),
    mqttUrl: flags.mqttUrl ?? io.env['VIGIL_SIM_MQTT_URL'] ?? null,
    stateDir: path.resolve(flags.stateDir, stateSubdir),
    ...(flags.pollMs !== undefined ? { pollIntervalMs: number('--poll-ms', 50, 60_000)(flags.pollMs) } : {}),
    logger: consoleLogger(io),
    out,
  };
}

export function buildSimProgram(io: SimIo, setExit: (code: number) => void): Command {
  const out = (line = '') => io.stdout.write(`${line}\n`);
  const program = new Command('vigil sim')
    .description('A virtual hospital driving Vigil through real device interfaces: OSDP readers, edge controllers, MQTT sensors.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command('list')
    .description('the scenarios, with the alarms and journal entries each should lead to')
    .action(() => {
      for (const s of SCENARIOS) {
        out(`${s.name.padEnd(22)} ${s.title}`);
        out(`${''.padEnd(22)} alarms: ${s.declares.alarms.join(', ')}; journal: ${s.declares.journal.join(', ')}`);
      }
    });

  program
    .command('permissions')
    .description('the permissions an API token for the simulator must hold')
    .option('--json', 'as a JSON array')
    .action((flags: { json?: boolean }) => {
      out(flags.json ? JSON.stringify(SIMULATOR_PERMISSIONS) : SIMULATOR_PERMISSIONS.join('\n'));
    });

  connection(program.command('scenario').argument('<name>', 'scenario name (see `vigil sim list`)'))
    .description('play one scenario against a running Vigil and check the alarms and journal entries it should cause')
    .option('--pace <n>', 'divide the human pauses of the script by n (device timings stay real)', number('--pace', 1, 1000), 1)
    .action(async (name: string, flags: ConnectionFlags & { pace: number }) => {
      const scenario = findScenario(name);
      const options = sessionOptions(flags, io, 'scenario');
      const session = await startSession(options);
      try {
        const report = await playScenario(scenario, { ...session, pace: flags.pace, log: (m) => out(`  ${m}`) });
        for (const line of describeReport(report)) out(line);
        if (!report.passed) {
          throw simulatorError('simulator.expectations_unmet', `Vigil did not show everything "${name}" should cause`, {
            missing: [
              ...report.alarms.filter((a) => !a.alarmId).map((a) => `alarm ${a.expected.type}`),
              ...report.journal.filter((e) => e.found < (e.expected.atLeast ?? 1)).map((e) => e.expected.description),
            ],
          });
        }
      } finally {
        await session.world.stop();
      }
    });

  connection(program.command('run'))
    .description('run the live hospital: daily rhythm, and a scenario every few minutes')
    .option('--accelerate <n>', 'simulated time runs n times faster', number('--accelerate', 1, 3600), 1)
    .option('--scenarios-every <minutes>', 'minutes between scenarios (0: none)', number('--scenarios-every', 0, 1440), 0)
    .option('--no-rhythm', 'no people badging through doors: devices, heartbeats and scenarios only')
    .action(async (flags: ConnectionFlags & { accelerate: number; scenariosEvery: number; rhythm: boolean }) => {
      const stop = io.waitForStop();
      const simulation = await Simulation.start({
        ...sessionOptions(flags, io, 'run'),
        accelerate: flags.accelerate,
        scenariosEveryMinutes: flags.scenariosEvery,
        rhythm: flags.rhythm,
      });
      out(`Running. Stop with Ctrl-C.`);
      const signal = await stop;
      out(`Stopping the simulated hospital (${signal})…`);
      await simulation.stop();
      setExit(EXIT_OK);
    });
  return program;
}

export function describeError(e: VigilError): string {
  const lines = [`error ${e.code}: ${e.message}`];
  for (const [key, value] of Object.entries(e.details))
    lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${lines.join('\n')}\n`;
}

/** Runs the command line; resolves to the exit code. `argv` excludes node and the script. */
export async function runSimCli(argv: readonly string[], io: SimIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildSimProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isVigilError(e)) {
      io.stderr.write(describeError(e));
      return EXIT_VIGIL_ERROR;
    }
    io.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_UNEXPECTED;
  }
}

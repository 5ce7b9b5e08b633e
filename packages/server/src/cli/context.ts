/**
 * What every command receives: the environment it reads its configuration from and the streams
 * it writes to (passed in, so commands never reach for process globals and tests can capture
 * them). Databases are opened through the composition root's `openDatabase`, one per command.
 */
import os from 'node:os';
import type { Writable } from 'node:stream';
import { createApp, openDatabase, type App } from '../app.js';
import { loadConfig, type Config } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { ping, type DatabaseHandle } from '../storage/database.js';

export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  /**
   * For long-running commands: from the call on, SIGINT/SIGTERM no longer kill the process but
   * resolve the promise (with the signal's name), so the command can stop cleanly. Other commands
   * never call it and are ended by a signal as usual.
   */
  waitForStop(): Promise<string>;
  /** The process exit code a command asks for without failing (`audit verify` finding a break). */
  exitCode: number;
}

/** Wraps a command body for commander: a returned number becomes the exit code; errors propagate. */
export function action<A extends unknown[]>(ctx: CliContext, body: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await body(...args);
    if (typeof code === 'number') ctx.exitCode = code;
  };
}

export function configOf(ctx: CliContext): Config {
  return loadConfig(ctx.env);
}

/** Opens the configured database, checks it answers, runs `body`, and always closes it. */
export async function withDatabase<T>(ctx: CliContext, body: (handle: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const config = configOf(ctx);
  const handle = openDatabase(config);
  try {
    await ping(handle);
    return await body(handle, config);
  } finally {
    await handle.close();
  }
}

/**
 * Builds the whole application (never listening) for commands that act through module services,
 * runs `body`, and stops it. Logs go to stderr, so stdout carries only the command's own output.
 */
export async function withApp<T>(ctx: CliContext, body: (app: App) => Promise<T>): Promise<T> {
  const config = configOf(ctx);
  const app = await createApp(config, { logger: createLogger(config.log.level, ctx.stderr) });
  try {
    return await body(app);
  } finally {
    await app.stop();
  }
}

/** Recorded as the source of events a command causes: `cli:<operating-system user>`. */
export function cliSource(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username || user;
  } catch {
    // No passwd entry for the uid (some containers): the source still says it came from the CLI.
  }
  return `cli:${user}`;
}

export function describeDatabase(handle: DatabaseHandle): string {
  return `${handle.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${handle.location}`;
}

const numbers = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numbers.format(n);
}

/** `1 row`, `2 rows`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Child processes for the crash tests: a Vigil entry point (the server's `vigil start`, the edge
 * agent's `vigil-edge`) run from source under tsx, and killed with SIGKILL — no signal handler,
 * no flush, no graceful stop — as a power cut or the OOM killer would.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';

export const SERVER_CLI = path.resolve(import.meta.dirname, '../cli/main.ts');

export function spawnTsx(entry: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {}) {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: options.stdio ?? 'ignore',
    ...(options.env ? { env: options.env } : {}),
  });
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Asks for a graceful stop (SIGTERM) and waits for the process to end. */
export function stopGracefully(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Runs `vigil start` with the given `VIGIL_*` settings (on top of the test's own environment,
 * from which other `VIGIL_*` variables are removed) and resolves with its URL once it listens.
 */
export function startServerProcess(settings: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VIGIL_')));
  const child = spawnTsx(SERVER_CLI, ['start'], { env: { ...env, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil start did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining, so a full pipe can never block the server.
      child.stdout?.resume();
      resolve({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`vigil start exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
}

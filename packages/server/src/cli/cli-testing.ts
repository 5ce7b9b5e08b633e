/**
 * Runs `vigil` as a real child process, the way an operator or a script does: a fresh process
 * per command, configuration only through VIGIL_* variables, output and exit code observed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const mainScript = path.join(import.meta.dirname, 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without the caller's VIGIL_* settings, plus the given ones. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VIGIL_')));
  return { ...clean, VIGIL_LOG_LEVEL: 'silent', ...env };
}

export function spawnVigil(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', mainScript, ...args], { cwd: repoRoot, env: environment(env) });
}

export function runVigil(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnVigil(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

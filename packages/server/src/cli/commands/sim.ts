/**
 * `vigil sim …`: the virtual hospital of `@vigil/simulator` (`vigil sim --help`). It runs as its
 * own process, as a real hospital's devices would: the simulated readers, controllers and sensors
 * never share the server's event loop, and they reach Vigil only through its public interfaces.
 * The exit code is the simulator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

/** The simulator's command-line entry (`vigil-sim`). */
export function simulatorBin(): string {
  return fileURLToPath(import.meta.resolve('@vigil/simulator/bin/vigil-sim.mjs'));
}

/**
 * Starts `vigil-sim <args>` with its output going where `ctx` writes. It runs in its own process
 * group, so it is stopped once, by us (a terminal's Ctrl-C reaches only this process), and over an
 * IPC channel, so it stops by itself if this process dies without stopping it.
 */
export function spawnSimulator(args: readonly string[], ctx: Pick<CliContext, 'stdout' | 'stderr'>, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [simulatorBin(), ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.pipe(ctx.stdout, { end: false });
  child.stderr?.pipe(ctx.stderr, { end: false });
  return child;
}

/** Resolves with the child's exit code (1 when it died of a signal we did not send). */
export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));
  });
}

export function registerSimCommands(program: Command, ctx: CliContext): void {
  program
    .command('sim')
    .description('the virtual hospital: `vigil sim list`, `vigil sim scenario <name>`, `vigil sim run` (see `vigil sim --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]', 'passed to the simulator')
    .action(
      action(ctx, async (args: string[]) => {
        const child = spawnSimulator(args, ctx, ctx.env);
        // The simulator has its own process group: Ctrl-C is passed on, once, and we wait for it.
        void ctx.waitForStop().then((signal) => {
          if (child.exitCode === null) child.kill(signal as NodeJS.Signals);
        });
        return exitOf(child);
      }),
    );
}

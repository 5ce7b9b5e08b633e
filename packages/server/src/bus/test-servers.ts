/**
 * Private service instances for restart tests: a test that must stop and start a server runs its
 * own on a free loopback port (never the shared one other suites use), with its own store.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function findBinary(name: string): string | null {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  const which = spawnSync('which', [name], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || null : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  /** Stops gracefully (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same store. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** A server process on `port` started by `command(port, dir)`, restartable with the same store. */
export async function privateServer(
  scheme: string,
  command: (port: number, dir: string) => { file: string; args: string[] },
): Promise<PrivateServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-server-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    const { file, args } = command(port, dir);
    child = spawn(file, args, { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (await portOpen(port)) return;
      if (child.exitCode !== null) throw new Error(`${file} exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${file} did not open port ${port}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds; fails with `what` if it never does (a liveness bound, not a timing assertion). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

#!/usr/bin/env node
// `vigil-sim` (and `vigil sim`): the virtual hospital. Runs from its TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runSimCli } = await import('../src/cli.ts');

function waitForStop() {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.once(signal, () => {
        resolve(signal);
        // A second signal while stopping means "now".
        process.once(signal, () => process.exit(130));
      });
    }
    // Started by `vigil` (quickstart, `vigil sim`) over an IPC channel: when it goes, so do we.
    if (process.send) process.once('disconnect', () => resolve('parent process gone'));
  });
}

const code = await runSimCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, waitForStop });
// Let buffered output drain, then end even if a library left a handle open.
process.stdout.write('', () => process.exit(code));

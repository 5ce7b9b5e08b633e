/**
 * Entry point of `vigil` (bin/vigil.mjs, `npm run vigil -- <args>`): wires the process's
 * environment, streams and signals into the command line and exits with its code.
 */
import { runProgram } from './program.js';

function waitForStop(): Promise<string> {
  return new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        resolve(signal);
        // A second signal while stopping means "now".
        process.once(signal, () => process.exit(130));
      });
    }
  });
}

const code = await runProgram(process.argv, {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  waitForStop,
  exitCode: 0,
});
process.exitCode = code;
// Let buffered output drain, then end even if a library left a handle open.
process.stdout.write('', () => process.exit(code));

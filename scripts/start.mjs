#!/usr/bin/env node
// `npm start`: the first command of the quick start. Installs dependencies on a fresh clone,
// then brings Vigil up with embedded storage (SQLite in ./data) beside the live simulated hospital
// (`--no-demo`: a sample one), and prints the API and console URL with the first sign-in path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci), once…');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/main.ts', 'quickstart', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);

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
// The console is served from its build; build it on first start and whenever its sources changed.
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
const web = path.join(root, 'packages', 'web');
const built = path.join(web, 'dist', 'index.html');
if (!fs.existsSync(built) || newestMtime(path.join(web, 'src')) > fs.statSync(built).mtimeMs) {
  console.log('Building the operator console…');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', '@vigil/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/main.ts', 'quickstart', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);

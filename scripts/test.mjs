#!/usr/bin/env node
// The test command: every *.test.ts under packages/ (and bench/ smoke tests) on Node's test
// runner. Suites that need a service (PostgreSQL, MQTT, NATS) run when its VIGIL_TEST_* URL is set
// and are reported as skipped, with the reason, when it is not.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  const install = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const filters = process.argv.slice(2);
function collect(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collect(full));
    else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}
const files = collect(path.join(root, 'packages'))
  .map((f) => path.relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

// The browser tests drive the built console; build it so they test the code that is checked out.
if (files.some((f) => f.startsWith(path.join('packages', 'web')))) {
  console.log('Building the console (packages/web)…');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', '@vigil/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const services = [
  ['VIGIL_TEST_DATABASE_URL', 'PostgreSQL'],
  ['VIGIL_TEST_MQTT_URL', 'MQTT broker'],
  ['VIGIL_TEST_NATS_URL', 'NATS JetStream'],
];
const chromium = process.env.VIGIL_TEST_CHROMIUM ?? '/usr/bin/chromium';
const browserNote = fs.existsSync(chromium)
  ? `Browser suites: on (${chromium})`
  : `Browser suites: SKIPPED (no Chromium at ${chromium}; apt-get install chromium or set VIGIL_TEST_CHROMIUM)`;
console.log(browserNote);
for (const [variable, name] of services) {
  console.log(process.env[variable] ? `${name} suites: on (${variable})` : `${name} suites: SKIPPED (set ${variable} to run them)`);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${process.env.VIGIL_TEST_TIMEOUT_MS ?? 300000}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, VIGIL_LOG_LEVEL: process.env.VIGIL_LOG_LEVEL ?? 'silent' } },
);
for (const [variable, name] of services) {
  if (!process.env[variable]) console.log(`note: ${name} suites were skipped (${variable} not set)`);
}
if (!fs.existsSync(chromium)) console.log(`note: ${browserNote}`);
process.exit(result.status ?? 1);

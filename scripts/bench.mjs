#!/usr/bin/env node
// `npm run bench [-- --quick] [-- NAME…]`: runs every bench/*.bench.ts (or those whose name
// contains one of the NAMEs), each in its own child process so its peak memory is its own, prints
// one table of figures against the baselines measured in the same run, and writes them to
// bench/results/<timestamp>.json. A benchmark that fails is reported, the others still run, and
// the command exits non-zero at the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const benchDir = path.join(root, 'bench');
const resultsDir = path.join(benchDir, 'results');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));

// The runner imports one benchmark, runs it, and reports its figures and the process's peak RSS
// over the IPC channel (stdout stays the benchmark's own, for its progress lines). The file and
// mode travel in the environment, not argv: with \`node -e\`, argv[1] would be the benchmark's own
// path and its "run when main" guard would start a second, full-size run.
const RUNNER = `
import { pathToFileURL } from 'node:url';
const file = process.env.BENCH_FILE;
const quick = process.env.BENCH_MODE;
try {
  const bench = await import(pathToFileURL(file).href);
  if (typeof bench.run !== 'function') throw new Error('exports no run({ quick }) function');
  const figures = await bench.run({ quick: quick === 'quick' });
  process.send({ figures, maxRssKiB: process.resourceUsage().maxRSS });
} catch (e) {
  process.send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exitCode = 1;
}
`;

function runBenchmark(file) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER], {
      cwd: root,
      env: { ...process.env, BENCH_FILE: file, BENCH_MODE: quick ? 'quick' : 'full' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report;
    child.on('message', (message) => (report = message));
    child.once('error', (e) => resolve({ error: e.message }));
    child.once('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (report?.figures && code === 0) resolve({ ...report, seconds });
      else resolve({ error: report?.error ?? `exited with ${signal ?? `code ${code}`} before reporting figures`, seconds });
    });
  });
}

function isFigure(f) {
  const numberOrNull = (v) => v === null || (typeof v === 'number' && Number.isFinite(v));
  return (
    f !== null &&
    typeof f === 'object' &&
    typeof f.name === 'string' &&
    typeof f.value === 'number' &&
    Number.isFinite(f.value) &&
    typeof f.unit === 'string' &&
    numberOrNull(f.baseline) &&
    numberOrNull(f.ratio) &&
    typeof f.goal === 'string'
  );
}

function formatNumber(n) {
  if (n === null) return '—';
  if (Number.isInteger(n) || Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

function printTable(figures) {
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'goal'];
  const rows = figures.map((f) => [
    f.name,
    formatNumber(f.value),
    f.unit,
    formatNumber(f.baseline),
    f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`,
    f.goal,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([1, 3, 4]);
  const line = (cells) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.log(filters.length > 0 ? `No benchmark in bench/ matches ${filters.join(', ')}.` : 'No benchmarks in bench/.');
  process.exit(filters.length > 0 ? 1 : 0);
}

const figures = [];
const failures = [];
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
  const result = await runBenchmark(path.join(benchDir, file));
  const bad = result.figures?.filter((f) => !isFigure(f)) ?? [];
  if (result.error || bad.length > 0 || result.figures.length === 0) {
    const reason = result.error ?? (bad.length > 0 ? `returned malformed figures: ${JSON.stringify(bad[0])}` : 'returned no figures');
    failures.push({ name, reason });
    console.log(`!! ${name} FAILED: ${reason}`);
    continue;
  }
  figures.push(
    ...result.figures.map(({ name: n, value, unit, baseline, ratio, goal }) => ({ name: n, value, unit, baseline, ratio, goal })),
  );
  figures.push({
    name: `${name}: peak RSS`,
    value: Math.round((result.maxRssKiB / 1024) * 10) / 10,
    unit: 'MiB',
    baseline: null,
    ratio: null,
    goal: `whole benchmark process, ${result.seconds.toFixed(1)} s`,
  });
}

console.log('');
if (figures.length > 0) printTable(figures);
fs.mkdirSync(resultsDir, { recursive: true });
// ISO 8601 in its basic form (no colons), so the name is valid on every file system.
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const out = path.join(resultsDir, `${stamp}.json`);
fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`\nFigures written to ${path.relative(root, out)}`);
if (failures.length > 0) {
  console.log(`\n${failures.length} benchmark${failures.length === 1 ? '' : 's'} failed: ${failures.map((f) => f.name).join(', ')}`);
  process.exit(1);
}

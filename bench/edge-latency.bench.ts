/**
 * Card read → grant → lock command through the door controller agent, OSDP over TCP loopback.
 *
 * A PD emulator listens on loopback; the agent's control panel polls it continuously. A card is
 * presented at the PD, the agent reads it on the next poll, decides from a signed snapshot,
 * writes the decision to its SQLite buffer (WAL, synchronous=FULL: one fsync on this disk) and
 * sends osdp_OUT to release the strike on the same PD. The figure is the time from presenting
 * the card to the PD receiving that OUT, per read, closed loop (the next card after the reader's
 * feedback). Baseline: the bare OSDP POLL/ACK round trip on the same link, measured first in the
 * same run with a control panel that only sends POLLs.
 *
 *   npx tsx bench/edge-latency.bench.ts [--quick]
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSnapshot, encodeWiegand, newId, signSnapshot } from '../packages/core/src/index.js';
import { EdgeAgent, parseAgentConfig } from '../packages/edge/src/index.js';
import { ControlPanel, Peripheral, TcpClientTransport, TcpServerTransport, fromHex, type Command } from '../packages/osdp/src/index.js';
import type { BenchFigure } from './figure.js';

const ADDRESS = 1;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function waitFor<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise(register);
}

/** POLL/ACK round trips of an otherwise idle control panel on the loopback link. */
async function pollRoundTrips(port: number, count: number): Promise<number[]> {
  const cp = new ControlPanel({
    transport: new TcpClientTransport({ host: '127.0.0.1', port, reconnectDelayMs: 50 }),
    peripherals: [{ address: ADDRESS }],
    pollIntervalMs: 60_000,
  });
  const online = cp.next('online');
  await cp.start();
  await online;
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await cp.send(ADDRESS, { type: 'poll' });
    samples.push(performance.now() - t0);
  }
  await cp.stop();
  return samples;
}

function policy(siteId: string, doorId: string) {
  return {
    version: 1,
    sites: [{ id: siteId, timeZone: 'Europe/London', holidays: [] }],
    zones: [{ id: 'ward', siteId, securityLevel: 2 }],
    doors: [{ id: doorId, siteId, fromZoneId: null, toZoneId: 'ward', mode: 'card_only' as const, releaseSeconds: 5 }],
    persons: [{ id: 'nurse', kind: 'staff' as const, status: 'active' as const, accessGroupIds: ['staff'] }],
    credentials: [
      {
        id: 'card-1',
        personId: 'nurse',
        card: { format: 'H10301' as const, facilityCode: 42, cardNumber: 1234 },
        status: 'active' as const,
      },
    ],
    accessGroups: [{ id: 'staff', doors: [{ doorId, scheduleId: 'always' }] }],
    schedules: [
      { id: 'always', intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const, start: '00:00', end: '24:00' }] },
    ],
  };
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const reads = options.quick ? 1_000 : 10_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-edge-bench-'));
  const server = new TcpServerTransport({ host: '127.0.0.1', port: 0 });
  await server.open();
  const pd = new Peripheral({
    address: ADDRESS,
    identity: { vendorCode: 0x0a0017, model: 1, version: 1, serialNumber: 77, firmware: { major: 1, minor: 0, build: 0 } },
    outputs: [0],
  });
  pd.attach(server);
  let onCommand: ((command: Command) => void) | null = null;
  pd.on('command', (command) => onCommand?.(command));

  const baseline = await pollRoundTrips(server.port, reads);

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const siteId = newId();
  const doorId = newId();
  const agent = new EdgeAgent({
    offline: true,
    config: parseAgentConfig({
      siteId,
      dataDir: dir,
      server: { url: 'http://127.0.0.1:9', snapshotPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      osdp: { pollIntervalMs: 0 },
      readers: [{ name: 'ward-in', bus: { kind: 'tcp', host: '127.0.0.1', port: server.port }, address: ADDRESS }],
      doors: [{ id: doorId, entryReader: 'ward-in', lock: { kind: 'osdp', reader: 'ward-in', point: 0 } }],
    }),
  });
  await agent.start();
  const applied = agent.applySnapshot(signSnapshot(compileSnapshot(policy(siteId, doorId), { now: new Date() }), privateKey));
  if (applied.status !== 'applied') throw new Error(`snapshot not applied: ${JSON.stringify(applied)}`);
  while (!agent.readers.isOnline('ward-in')) await new Promise((resolve) => setTimeout(resolve, 10));

  const encoded = encodeWiegand('H10301', { facilityCode: 42, cardNumber: 1234 });
  const card = { bitCount: encoded.bitCount, data: fromHex(encoded.hex) };
  const samples: number[] = [];
  for (let i = 0; i < reads; i++) {
    let lockedAt = 0;
    const feedbackDone = waitFor<void>((resolve) => {
      onCommand = (command) => {
        if (command.type === 'out' && lockedAt === 0) lockedAt = performance.now();
        if (command.type === 'buz') resolve();
      };
    });
    const t0 = performance.now();
    pd.presentCard(card);
    await feedbackDone;
    if (lockedAt === 0) throw new Error(`read ${i}: no lock command before the reader feedback`);
    samples.push(lockedAt - t0);
  }
  onCommand = null;
  const internal = agent.healthReport().decisionP99Ms;
  const granted = agent.store.pending(reads + 10).filter((e) => e.type === 'access.granted').length;
  await agent.stop();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (granted !== reads) throw new Error(`${granted} grants recorded for ${reads} reads`);

  const p99 = percentile(samples, 99);
  const baseP99 = percentile(baseline, 99);
  const p50 = percentile(samples, 50);
  const baseP50 = percentile(baseline, 50);
  return [
    {
      name: `edge card read → lock OUT p99 (${reads} reads, TCP loopback)`,
      value: p99,
      unit: 'ms',
      baseline: baseP99,
      ratio: p99 / baseP99,
      goal: 'p99 < 10 ms',
    },
    { name: 'edge card read → lock OUT p50', value: p50, unit: 'ms', baseline: baseP50, ratio: p50 / baseP50, goal: 'informational' },
    {
      name: 'edge agent: read received → lock command issued p99 (decide + fsync)',
      value: internal ?? Number.NaN,
      unit: 'ms',
      baseline: null,
      ratio: null,
      goal: 'informational',
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    const base =
      f.baseline === null ? '' : `  (baseline POLL/ACK round trip ${f.baseline.toFixed(3)} ${f.unit}, ratio ${f.ratio?.toFixed(2)})`;
    console.log(`${f.name}: ${f.value.toFixed(3)} ${f.unit}${base}  goal: ${f.goal}`);
  }
}

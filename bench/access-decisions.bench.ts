/**
 * Access decisions at health-system scale: five generated academic medical centres (the
 * simulator's `academic` preset, seeds 1–5: about 95k persons, 100k badges, 20k doors, 285 access
 * groups, each site's schedules and holidays in its own time zone), with every rule switched on
 * where a hospital uses it (anti-passback, occupancy, two-person, escort, interlock, competencies,
 * second factor, first-person-in; see hospital-policy.ts). Measures, on one core:
 * - decisions/s and p99 latency of `decide` with its state, against a bare hand-written Map/Set
 *   lookup of the same group -> door -> schedule policy (the floor any engine pays);
 * - snapshot compile time, and the memory of the snapshot as a controller holds it after loading
 *   the signed bytes;
 * - casbin enforcing the equivalent group -> door -> schedule RBAC policy on the same requests
 *   (a bounded number of them: casbin scans its policy lines for every request).
 *
 *   npx tsx bench/access-decisions.bench.ts [--quick]
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import {
  compileSnapshot,
  createState,
  decide,
  loadSnapshot,
  scheduleActiveAt,
  signSnapshot,
  encodeWiegand,
  type AccessPolicyInput,
  type AccessRequest,
  type AccessSnapshot,
} from '@vigil/core';
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { generateHospital } from '../packages/simulator/src/index.js';
import type { BenchFigure } from './figure.js';
import { hospitalPolicy, SECOND_FACTOR_LEVEL } from './hospital-policy.js';

const NOW = Date.parse('2025-06-02T09:00:00Z');
/** A health system: five academic medical centres, one site each, in the zones their seeds give them. */
const HOSPITAL_SEEDS = [1, 2, 3, 4, 5];

function random(seed: number): () => number {
  // mulberry32: a fixed seed makes every run decide the same requests.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dataset {
  readonly policy: AccessPolicyInput;
  readonly requests: AccessRequest[];
}

/**
 * A PIN hash of the stored shape and size (scrypt, 16-byte salt, 32-byte hash) for the snapshot to
 * carry; decisions only read the controller's verdict, so it need not be the hash of a real PIN.
 */
function pinHashOf(person: number): string {
  const bytes = createHash('sha512').update(`pin ${person}`).digest();
  return `scrypt$16384$8$1$${bytes.subarray(0, 16).toString('base64')}$${bytes.subarray(16, 48).toString('base64')}`;
}

export function buildDataset(requestCount: number): Dataset {
  const rnd = random(20250602);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const policy = hospitalPolicy(
    HOSPITAL_SEEDS.map((seed) => generateHospital({ preset: 'academic', seed })),
    pinHashOf,
  );
  const { doors, persons, credentials } = policy;

  const requests: AccessRequest[] = [];
  const zoneLevel = new Map(policy.zones.map((z) => [z.id, z.securityLevel]));
  const doorById = new Map(doors.map((d) => [d.id, d]));
  const personById = new Map(persons.map((p) => [p.id, p]));
  const groupDoors = new Map(policy.accessGroups.map((g) => [g.id, g.doors.map((d) => d.doorId)]));
  for (let i = 0; i < requestCount; i++) {
    const r = rnd();
    if (r < 0.05) {
      requests.push({ doorId: pick(doors).id, kind: 'exit_request' });
      continue;
    }
    const cred = pick(credentials);
    const person = personById.get(cred.personId)!;
    // Mostly where the badge's groups lead; otherwise anywhere in the health system.
    const doorId = rnd() < 0.8 && person.accessGroupIds.length > 0 ? pick(groupDoors.get(pick(person.accessGroupIds))!) : pick(doors).id;
    const encoded = 'format' in cred.card ? encodeWiegand(cred.card.format, cred.card) : null;
    const unknown = r > 0.97;
    const card = { bitCount: encoded!.bitCount, bits: unknown ? encoded!.bits ^ 0x2 : encoded!.bits };
    const door = doorById.get(doorId)!;
    const needsFactor = door.mode === 'card_and_pin' || (zoneLevel.get(door.toZoneId ?? '') ?? 0) >= SECOND_FACTOR_LEVEL;
    // The controller checked the typed PIN against the hash before asking; 5% typed none.
    const hasPin = needsFactor && Boolean(person.pin);
    requests.push({
      doorId,
      kind: 'card',
      direction: rnd() < 0.1 ? 'exit' : 'entry',
      card,
      pinMatch: hasPin && rnd() < 0.95 ? true : undefined,
      biometricMatch: needsFactor && !hasPin ? rnd() < 0.9 : undefined,
    });
  }
  return { policy, requests };
}

/** The bare hand-written lookup of the same group -> door -> schedule policy: no state, no other rule. */
export function handWritten(snapshot: AccessSnapshot, policy: AccessPolicyInput) {
  const doorIds = new Map(policy.doors.map((d, i) => [d.id, i]));
  const scheduleIds = new Map(policy.schedules.map((s, i) => [s.id, i]));
  const siteIds = new Map(policy.sites.map((s, i) => [s.id, i]));
  const doorSite = policy.doors.map((d) => siteIds.get(d.siteId)!);
  const groupIds = new Map(policy.accessGroups.map((g, i) => [g.id, i]));
  const groupDoor = policy.accessGroups.map((g) => new Map(g.doors.map((d) => [doorIds.get(d.doorId)!, scheduleIds.get(d.scheduleId)!])));
  const personGroups = policy.persons.map((p) => p.accessGroupIds.map((g) => groupIds.get(g)!));
  const personIds = new Map(policy.persons.map((p, i) => [p.id, i]));
  const cards: Map<number, number>[] = [];
  policy.credentials.forEach((c) => {
    if (!('format' in c.card)) return;
    const e = encodeWiegand(c.card.format, c.card);
    (cards[e.bitCount] ??= new Map()).set(e.bits, personIds.get(c.personId)!);
  });
  const personOf = (request: AccessRequest) => (request.card ? (cards[request.card.bitCount]?.get(request.card.bits!) ?? -1) : -1);
  const allowed = (person: number, door: number, now: number) => {
    for (const g of personGroups[person]!) {
      const schedule = groupDoor[g]!.get(door);
      if (schedule !== undefined && scheduleActiveAt(snapshot.schedules[schedule]!, snapshot.calendars[doorSite[door]!]!, now)) return true;
    }
    return false;
  };
  return {
    personOf,
    allowed,
    decide(request: AccessRequest, now: number): boolean {
      const door = doorIds.get(request.doorId);
      const person = personOf(request);
      return door !== undefined && person >= 0 && allowed(person, door, now);
    },
  };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Decisions per wall-clock second, and per second of this process's CPU time (what other processes on the machine do not take). */
function throughput(count: number, requests: readonly AccessRequest[], step: (request: AccessRequest, now: number) => unknown) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) step(requests[i % requests.length]!, NOW + i * 2000);
  const used = process.cpuUsage(cpu);
  return { wall: count / ((performance.now() - started) / 1000), cpu: count / ((used.user + used.system) / 1e6) };
}

function latencyP99Micros(
  count: number,
  requests: readonly AccessRequest[],
  step: (request: AccessRequest, now: number) => unknown,
): number {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    step(requests[i % requests.length]!, NOW + i * 2000);
    samples[i] = performance.now() - t0;
  }
  return percentile(samples.sort(), 0.99) * 1000;
}

const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, sched
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.obj == p.obj && g(r.sub, p.sub) && inSchedule(p.sched, r.obj, r.act)
`;

/**
 * casbin scans every policy line (`p`) per request, so all 80k group grants are loaded. Quick runs
 * load the person -> group links (`g`) of the sampled persons only: they decide which line matches
 * but not how many are scanned, and loading all 250k of them takes casbin over ten seconds.
 */
async function casbinRate(
  policy: AccessPolicyInput,
  snapshot: AccessSnapshot,
  requests: readonly AccessRequest[],
  count: number,
  quick: boolean,
) {
  const hand = handWritten(snapshot, policy);
  const sample = requests.filter((r) => r.kind === 'card' && hand.personOf(r) >= 0).slice(0, count);
  const sampled = new Set(sample.map((r) => hand.personOf(r)));
  const lines = [
    ...policy.accessGroups.flatMap((g) => g.doors.map((d) => `p, ${g.id}, ${d.doorId}, ${d.scheduleId}`)),
    ...policy.persons.flatMap((p, i) => (quick && !sampled.has(i) ? [] : p.accessGroupIds.map((g) => `g, ${p.id}, ${g}`))),
  ];
  const loadStarted = performance.now();
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL), new StringAdapter(lines.join('\n')));
  const scheduleIndex = new Map(snapshot.scheduleIds.map((id, i) => [id, i]));
  await enforcer.addFunction('inSchedule', (schedule: string, door: string, now: number) =>
    scheduleActiveAt(
      snapshot.schedules[scheduleIndex.get(schedule)!]!,
      snapshot.calendars[snapshot.doors.site[snapshot.doorIndex.get(door)!]!]!,
      now,
    ),
  );
  const loadMs = performance.now() - loadStarted;
  let mismatches = 0;
  const started = performance.now();
  sample.forEach((request, i) => {
    const verdict = enforcer.enforceSync(policy.persons[hand.personOf(request)]!.id, request.doorId, NOW + i * 2000);
    if (verdict !== hand.allowed(hand.personOf(request), snapshot.doorIndex.get(request.doorId)!, NOW + i * 2000)) mismatches++;
  });
  const rate = sample.length / ((performance.now() - started) / 1000);
  // Both sides must implement the same policy, or the ratio means nothing.
  if (mismatches > 0) throw new Error(`casbin and the hand-written lookup disagree on ${mismatches} of ${sample.length} requests`);
  return { rate, loadMs, requests: sample.length };
}

function heapMB(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const buildStarted = performance.now();
  const { policy, requests } = buildDataset(options.quick ? 100_000 : 400_000);
  const buildMs = performance.now() - buildStarted;
  const keys = generateKeyPairSync('ed25519');

  const compileStarted = performance.now();
  const compileCpu = process.cpuUsage();
  let compiled: AccessSnapshot | null = compileSnapshot(policy, { now: new Date(NOW) });
  const compileMs = performance.now() - compileStarted;
  const compileCpuMs = ((u) => (u.user + u.system) / 1000)(process.cpuUsage(compileCpu));
  const bytes = signSnapshot(compiled, keys.privateKey);
  compiled = null;
  const before = heapMB(gc);
  const loadStarted = performance.now();
  const snapshot = loadSnapshot(bytes, { publicKey: keys.publicKey });
  const loadMs = performance.now() - loadStarted;
  const snapshotMB = heapMB(gc) - before;

  const state = createState(snapshot);
  const engine = (request: AccessRequest, now: number) => decide(snapshot, request, now, state);
  const hand = handWritten(snapshot, policy);
  const handStep = (request: AccessRequest, now: number) => hand.decide(request, now);
  const decisions = options.quick ? 1_000_000 : 10_000_000;
  throughput(decisions / 4, requests, engine); // warm-up: let the JIT settle before measuring
  throughput(decisions / 4, requests, handStep);
  const hand1 = throughput(decisions, requests, handStep);
  const engine1 = throughput(decisions, requests, engine);
  const handRate = hand1.wall;
  const engineRate = engine1.wall;
  const engineP99 = latencyP99Micros(decisions / 4, requests, engine);
  const handP99 = latencyP99Micros(decisions / 4, requests, handStep);
  const casbin = await casbinRate(policy, snapshot, requests, options.quick ? 20 : 100, options.quick);

  const sampleState = createState(snapshot);
  const granted = requests.slice(0, 10_000).filter((r, i) => decide(snapshot, r, NOW + i * 2000, sampleState).granted).length;
  console.log(
    `dataset (built in ${buildMs.toFixed(0)} ms): ${policy.persons.length} persons, ${policy.credentials.length} credentials, ${policy.doors.length} doors, ${policy.accessGroups.length} groups, ` +
      `${policy.schedules.length} schedules; ${requests.length} distinct requests (${granted / 100}% of a fresh-state sample granted); ` +
      `signed snapshot ${(bytes.length / 1e6).toFixed(1)} MB, verified and loaded in ${loadMs.toFixed(0)} ms; casbin loaded in ${casbin.loadMs.toFixed(0)} ms, ${casbin.requests} requests; ` +
      `per CPU-second: engine ${engine1.cpu.toFixed(0)}, hand-written ${hand1.cpu.toFixed(0)} decisions; compile ${compileCpuMs.toFixed(0)} ms of CPU`,
  );
  const round = (n: number, digits = 0) => Number(n.toFixed(digits));
  return [
    {
      name: 'access decisions throughput (one core)',
      value: round(engineRate),
      unit: 'decisions/s',
      baseline: round(handRate),
      ratio: round(engineRate / handRate, 2),
      goal: '>= 2,000,000 decisions/s (issue: >= 1,000,000); baseline: bare hand-written Map/Set lookup',
    },
    {
      name: 'access decision p99 latency',
      value: round(engineP99, 2),
      unit: 'µs',
      baseline: round(handP99, 2),
      ratio: round(engineP99 / handP99, 2),
      goal: 'baseline: bare hand-written Map/Set lookup',
    },
    {
      name: 'access decisions vs casbin',
      value: round(engineRate),
      unit: 'decisions/s',
      baseline: round(casbin.rate, 1),
      ratio: round(engineRate / casbin.rate),
      goal: '>= 50x casbin',
    },
    { name: 'access snapshot compile time', value: round(compileMs), unit: 'ms', baseline: null, ratio: null, goal: '< 2000 ms' },
    { name: 'access snapshot memory (loaded)', value: round(snapshotMB, 1), unit: 'MB', baseline: null, ratio: null, goal: '< 150 MB' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    console.log(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio}, goal ${f.goal})`);
  }
}

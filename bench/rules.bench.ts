/**
 * Rule evaluation with 1,000 rules: the compiled automation rules (`RuleEngine`, predicates built
 * from the rule documents) against hand-written predicates for the same rules (the floor: what a
 * developer would type, indexed by event type the same way) and against json-rules-engine on
 * equivalent rules — both as it is usually run (one engine, every rule per event) and split into
 * one engine per trigger type. The three must agree on every match; the benchmark fails if not.
 *
 *   npx tsx bench/rules.bench.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { newId, type VigilEvent } from '@vigil/core';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { compileRule, RuleEngine, type RuleDocument } from '../packages/server/src/modules/automation/index.js';
import type { BenchFigure } from './figure.js';

const RULES = 1000;
const TYPES = 20;
const SITE = '0190c6a0-0000-7000-8000-000000000001';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Data = { temperatureC: number; priority: string; level: number };
type Predicate = (e: VigilEvent) => boolean;
interface BenchRule {
  document: RuleDocument;
  handWritten: Predicate;
  jre: RuleProperties;
}

const zone = (n: number) => `0190c6a0-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const door = (n: number) => `0190c6a0-0000-7000-8001-${n.toString(16).padStart(12, '0')}`;
const PRIORITIES = ['routine', 'staff_assist', 'emergency', 'code_blue'];

/** Six shapes of rule, each with its document, its hand-written predicate and its json-rules-engine form. */
function makeRule(i: number, rnd: () => number): BenchRule {
  const type = `bench.t${i % TYPES}`;
  const name = `rule ${i}`;
  const base = { name, site: SITE, actions: [{ raiseAlarm: { type: 'bench', priority: 3 } }] };
  const all = (...c: object[]) =>
    ({ conditions: { all: [{ fact: 'type', operator: 'equal', value: type }, ...c] }, event: { type: name } }) as RuleProperties;
  const z = zone(Math.floor(rnd() * 50));
  switch (i % 6) {
    case 0:
      return {
        document: { ...base, trigger: { event: type, where: { zone: z } } },
        handWritten: (e) => e.zone === z,
        jre: all({ fact: 'zone', operator: 'equal', value: z }),
      };
    case 1: {
      const t = 2 + Math.floor(rnd() * 10);
      return {
        document: { ...base, trigger: { event: type, where: { 'data.temperatureC': { gt: t } } } },
        handWritten: (e) => (e.data as Data).temperatureC > t,
        jre: all({ fact: 'temperatureC', operator: 'greaterThan', value: t }),
      };
    }
    case 2: {
      const zones = [z, zone(Math.floor(rnd() * 50)), zone(Math.floor(rnd() * 50))];
      const prefix = `device:S-${Math.floor(rnd() * 10)}`;
      return {
        document: { ...base, trigger: { event: type, where: { zone: { in: zones }, source: { prefix } } } },
        handWritten: (e) => e.zone !== null && zones.includes(e.zone) && e.source.startsWith(prefix),
        jre: all({ fact: 'zone', operator: 'in', value: zones }, { fact: 'source', operator: 'startsWith', value: prefix }),
      };
    }
    case 3: {
      const d = door(Math.floor(rnd() * 200));
      return {
        document: {
          ...base,
          trigger: { event: type, where: { door: d, 'data.priority': { in: ['emergency', 'code_blue'] } } },
        },
        handWritten: (e) => e.door === d && ((e.data as Data).priority === 'emergency' || (e.data as Data).priority === 'code_blue'),
        jre: all({ fact: 'door', operator: 'equal', value: d }, { fact: 'priority', operator: 'in', value: ['emergency', 'code_blue'] }),
      };
    }
    case 4:
      return {
        document: { ...base, trigger: { event: type, where: { site: SITE, zone: { ne: z } } } },
        handWritten: (e) => e.site === SITE && e.zone !== z,
        jre: all({ fact: 'site', operator: 'equal', value: SITE }, { fact: 'zone', operator: 'notEqual', value: z }),
      };
    default: {
      const lo = Math.floor(rnd() * 50);
      const hi = lo + 1 + Math.floor(rnd() * 20);
      return {
        document: { ...base, trigger: { event: type, where: { 'data.level': { gte: lo, lt: hi } } } },
        handWritten: (e) => (e.data as Data).level >= lo && (e.data as Data).level < hi,
        jre: all({ fact: 'level', operator: 'greaterThanInclusive', value: lo }, { fact: 'level', operator: 'lessThan', value: hi }),
      };
    }
  }
}

function makeEvents(n: number, rnd: () => number): VigilEvent[] {
  const at = new Date('2026-03-02T08:00:00Z');
  return Array.from({ length: n }, () => ({
    id: newId(),
    type: `bench.t${Math.floor(rnd() * TYPES)}`,
    at,
    site: SITE,
    source: `device:S-${Math.floor(rnd() * 100)}`,
    subject: null,
    zone: zone(Math.floor(rnd() * 50)),
    door: door(Math.floor(rnd() * 200)),
    correlationId: null,
    data: { temperatureC: rnd() * 12, priority: PRIORITIES[Math.floor(rnd() * 4)]!, level: Math.floor(rnd() * 70) },
  }));
}

function facts(e: VigilEvent): Record<string, unknown> {
  const d = e.data as Data;
  return {
    type: e.type,
    site: e.site,
    zone: e.zone,
    door: e.door,
    source: e.source,
    temperatureC: d.temperatureC,
    priority: d.priority,
    level: d.level,
  };
}

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

export async function run(options: { quick: boolean }): Promise<BenchFigure[]> {
  const rnd = random(42);
  const rules = Array.from({ length: RULES }, (_, i) => makeRule(i, rnd));
  const events = makeEvents(options.quick ? 100_000 : 1_000_000, rnd);
  const jreEvents = events.slice(0, options.quick ? 1000 : 5000);

  const ctx = { facts: { timeZoneOf: () => 'UTC', zone: () => undefined, door: () => undefined }, doors: { modeOf: () => undefined } };
  const engine = new RuleEngine();
  engine.load(rules.map((r, i) => compileRule(`r${i}`, 1, r.document, ctx)));
  const byType = new Map<string, Predicate[]>();
  rules.forEach((r, i) => {
    const type = `bench.t${i % TYPES}`;
    byType.set(type, [...(byType.get(type) ?? []), r.handWritten]);
  });
  const handWritten = (e: VigilEvent): number => {
    const list = byType.get(e.type);
    let n = 0;
    if (list) for (let i = 0; i < list.length; i++) if (list[i]!(e)) n++;
    return n;
  };
  const compiled = (e: VigilEvent): number => engine.handle(e, 0).length;

  // Warm up both, then measure each over the same events.
  for (const e of events.slice(0, 20_000)) {
    compiled(e);
    handWritten(e);
  }
  const c = timed(() => events.reduce((n, e) => n + compiled(e), 0));
  const h = timed(() => events.reduce((n, e) => n + handWritten(e), 0));
  if (c.result !== h.result) throw new Error(`compiled rules matched ${c.result} times, hand-written ${h.result}`);

  const options_ = { allowUndefinedFacts: true, replaceFactsInEventParams: false };
  const addStartsWith = (e: Engine) =>
    e.addOperator('startsWith', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b));
  const single = new Engine(
    rules.map((r) => r.jre),
    options_,
  );
  addStartsWith(single);
  const perType = new Map<string, Engine>();
  rules.forEach((r, i) => {
    const type = `bench.t${i % TYPES}`;
    let e = perType.get(type);
    if (!e) {
      perType.set(type, (e = new Engine([], options_)));
      addStartsWith(e);
    }
    e.addRule(r.jre);
  });
  const expected = jreEvents.reduce((n, e) => n + compiled(e), 0);
  let start = performance.now();
  let jreMatches = 0;
  for (const e of jreEvents) jreMatches += (await single.run(facts(e))).events.length;
  const jreMs = performance.now() - start;
  start = performance.now();
  let splitMatches = 0;
  for (const e of jreEvents) splitMatches += (await perType.get(e.type)!.run(facts(e))).events.length;
  const splitMs = performance.now() - start;
  if (jreMatches !== expected || splitMatches !== expected)
    throw new Error(`json-rules-engine matched ${jreMatches}/${splitMatches} times, compiled rules ${expected}`);

  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  const compiledRate = rate(events.length, c.ms);
  const handRate = rate(events.length, h.ms);
  const jreRate = rate(jreEvents.length, jreMs);
  const splitRate = rate(jreEvents.length, splitMs);
  const figures: BenchFigure[] = [
    {
      name: 'rules: compiled vs hand-written predicates (1,000 rules)',
      value: compiledRate,
      unit: 'events/s',
      baseline: handRate,
      ratio: compiledRate / handRate,
      goal: '≥ 0.5× hand-written predicates indexed by type',
    },
    {
      name: 'rules: compiled vs json-rules-engine (one engine)',
      value: compiledRate,
      unit: 'events/s',
      baseline: jreRate,
      ratio: compiledRate / jreRate,
      goal: '≥ 10× json-rules-engine on equivalent rules',
    },
    {
      name: 'rules: compiled vs json-rules-engine (one engine per type)',
      value: compiledRate,
      unit: 'events/s',
      baseline: splitRate,
      ratio: compiledRate / splitRate,
      goal: 'information: json-rules-engine given the same type index',
    },
  ];
  console.log(
    `${events.length.toLocaleString('en-US')} events through ${RULES} rules, ${c.result.toLocaleString('en-US')} matches (json-rules-engine on the first ${jreEvents.length.toLocaleString('en-US')})`,
  );
  for (const f of figures)
    console.log(
      `${f.name}: ${f.value.toLocaleString('en-US')} ${f.unit} vs ${f.baseline!.toLocaleString('en-US')} (${f.ratio!.toFixed(2)}×; goal ${f.goal})`,
    );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run({ quick: process.argv.includes('--quick') });
}

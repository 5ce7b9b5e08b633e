/**
 * The rule engine on its own: trigger filters, time of day in the site's zone, counts within a
 * window, absence before (with grace for late events) and after the trigger, cooldown, and the
 * run-time chain limit that stops rules feeding each other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId, type VigilEvent } from '@vigil/core';
import { compileRule, type CompileContext } from './compile.js';
import { RuleEngine } from './engine.js';
import { checkRuleDocument, type RuleDocument } from './schema.js';

const SITE = '0190c6a0-0000-7000-8000-000000000001';
const DOOR = '0190c6a0-0000-7000-8000-0000000000d1';
const T0 = Date.parse('2026-03-02T08:00:00.000Z');

const ctx: CompileContext = {
  facts: {
    timeZoneOf: () => 'Europe/Zurich',
    zone: (id) => (id === 'nicu' ? { id, siteId: SITE, buildingId: null, type: 'nicu', name: 'NICU' } : undefined),
    // Doors `a…` stand in building A, `b…` in building B; `x…` in none the view knows.
    door: (id) =>
      /^[ab]/.test(id)
        ? { id, siteId: SITE, buildingId: `building-${id[0]}`, name: id, fromZoneId: null, toZoneId: null, egress: false }
        : undefined,
  },
  doors: { modeOf: () => 'locked' },
};

function event(type: string, atMs: number, extra: Partial<VigilEvent> = {}): VigilEvent {
  return {
    id: newId(),
    type,
    at: new Date(atMs),
    site: SITE,
    source: 'device:X',
    subject: null,
    zone: null,
    door: DOOR,
    correlationId: null,
    data: {},
    ...extra,
  };
}

function engineWith(doc: Omit<RuleDocument, 'site'> & { site?: string | null }) {
  const document = { site: SITE, ...doc } as RuleDocument;
  assert.deepEqual(checkRuleDocument(document), []);
  const engine = new RuleEngine();
  engine.load([compileRule('r1', 1, document, ctx)]);
  return engine;
}

const raise = [{ raiseAlarm: { type: 'test', priority: 3 } }];

describe('rule engine', () => {
  it('fires on the trigger type only when the filters hold', () => {
    const engine = engineWith({
      name: 'hot fridge',
      trigger: { event: 'fridge.*', where: { 'data.temperatureC': { gt: 8 } } },
      actions: raise,
    });
    assert.equal(engine.handle(event('fridge.temperature_reported', T0, { data: { temperatureC: 5 } }), T0).length, 0);
    assert.equal(engine.handle(event('fridge.temperature_reported', T0, { data: { temperatureC: 9.5 } }), T0).length, 1);
    assert.equal(engine.handle(event('motion.detected', T0, { data: { temperatureC: 9.5 } }), T0).length, 0);
  });

  it('treats values in filters as data, never as code', () => {
    const hostile = "x'); globalThis.pwned = true; ('";
    const engine = engineWith({
      name: 'odd values',
      trigger: { event: 'panic.pressed', where: { source: hostile, 'data.note': { in: [hostile, '1', '2', '3', '4', '5'] } } },
      actions: raise,
    });
    assert.equal(engine.handle(event('panic.pressed', T0, { source: hostile, data: { note: hostile } }), T0).length, 1);
    assert.equal(engine.handle(event('panic.pressed', T0, { source: 'device:X', data: { note: hostile } }), T0).length, 0);
    assert.equal((globalThis as { pwned?: boolean }).pwned, undefined);
  });

  it('evaluates a time window in the site’s time zone, across midnight', () => {
    const engine = engineWith({
      name: 'night',
      trigger: { event: 'motion.detected' },
      conditions: [{ time: { from: '22:00', to: '06:00' } }],
      actions: raise,
    });
    // 08:00 UTC is 09:00 in Zurich (winter): outside. 22:30 UTC is 23:30 local: inside.
    assert.equal(engine.handle(event('motion.detected', T0), T0).length, 0);
    assert.equal(engine.handle(event('motion.detected', Date.parse('2026-03-02T22:30:00Z')), T0).length, 1);
    assert.equal(engine.handle(event('motion.detected', Date.parse('2026-03-03T04:30:00Z')), T0).length, 1);
  });

  it('counts events within a window, per door', () => {
    const engine = engineWith({
      name: 'denied burst',
      trigger: { event: 'access.denied' },
      conditions: [{ count: { event: 'access.denied', same: ['door'], withinSeconds: 60, atLeast: 3 } }],
      actions: raise,
    });
    assert.equal(engine.handle(event('access.denied', T0), T0).length, 0);
    assert.equal(engine.handle(event('access.denied', T0 + 10_000, { door: 'other' }), T0).length, 0);
    assert.equal(engine.handle(event('access.denied', T0 + 20_000), T0).length, 0);
    assert.equal(engine.handle(event('access.denied', T0 + 30_000), T0).length, 1);
    assert.equal(engine.handle(event('access.denied', T0 + 200_000), T0).length, 0, 'the earlier ones left the window');
  });

  it('counts only events whose building differs from the trigger’s (one rule for a cloned card)', () => {
    const engine = engineWith({
      name: 'cloned card',
      trigger: { event: 'access.granted', where: { subject: { exists: true } } },
      conditions: [{ count: { event: 'access.granted', same: ['subject'], differ: ['building'], withinSeconds: 600, atLeast: 1 } }],
      actions: raise,
    });
    const read = (at: number, door: string, subject = 'person:1') =>
      engine.handle(event('access.granted', at, { door, subject }), T0).length;
    assert.equal(read(T0, 'a1'), 0, 'a first read');
    assert.equal(read(T0 + 60_000, 'a2'), 0, 'another door of the same building');
    assert.equal(read(T0 + 120_000, 'b1', 'person:2'), 0, 'another person in the other building');
    assert.equal(read(T0 + 180_000, 'x1'), 0, 'a door of no known building never differs');
    assert.equal(read(T0 + 240_000, 'b1'), 1, 'the same card in building B four minutes after building A');
    assert.equal(read(T0 + 2_000_000, 'a1'), 0, 'building B’s read has left the window');
  });

  it('raises "door opened with no grant and no REX in the previous 2 s", waiting for late REX events', () => {
    const engine = engineWith({
      name: 'forced',
      trigger: { event: 'door.contact_opened' },
      conditions: [{ absent: { event: ['access.granted', 'door.rex'], same: ['door'], beforeSeconds: 2, graceMs: 500 } }],
      actions: raise,
    });
    // A grant one second earlier: a normal entry.
    engine.handle(event('access.granted', T0), T0);
    assert.equal(engine.handle(event('door.contact_opened', T0 + 1000), T0 + 1000).length, 0);
    assert.equal(engine.runDue(T0 + 2000).length, 0);
    // No grant: forced.
    engine.handle(event('door.contact_opened', T0 + 10_000), T0 + 10_000);
    assert.equal(engine.runDue(T0 + 10_100).length, 0, 'still within the grace period');
    assert.equal(engine.runDue(T0 + 10_600).length, 1);
    // A REX stamped before the opening but delivered just after it: not forced.
    engine.handle(event('door.contact_opened', T0 + 20_000), T0 + 20_000);
    engine.handle(event('door.rex', T0 + 19_900), T0 + 20_050);
    assert.equal(engine.runDue(T0 + 21_000).length, 0);
  });

  it('decides an absence after the trigger once its span passed (door held open)', () => {
    const engine = engineWith({
      name: 'held open',
      trigger: { event: 'door.contact_opened' },
      conditions: [{ absent: { event: 'door.contact_closed', same: ['door'], afterSeconds: 30 } }],
      actions: raise,
    });
    engine.handle(event('door.contact_opened', T0), T0);
    engine.handle(event('door.contact_closed', T0 + 5000), T0 + 5000);
    engine.handle(event('door.contact_opened', T0 + 60_000), T0 + 60_000);
    assert.equal(engine.runDue(T0 + 40_000).length, 0);
    assert.equal(engine.runDue(T0 + 95_000).length, 1, 'only the second opening stayed open');
  });

  it('stays quiet during its cooldown', () => {
    const engine = engineWith({
      name: 'panic',
      trigger: { event: 'panic.pressed' },
      cooldown: { seconds: 60, per: ['source'] },
      actions: raise,
    });
    assert.equal(engine.handle(event('panic.pressed', T0), T0).length, 1);
    assert.equal(engine.handle(event('panic.pressed', T0 + 5000), T0).length, 0);
    assert.equal(engine.handle(event('panic.pressed', T0 + 5000, { source: 'device:Y' }), T0).length, 1);
    assert.equal(engine.handle(event('panic.pressed', T0 + 61_000), T0).length, 1);
  });

  it('stops a chain of rule-caused events past the limit and reports it once', () => {
    const loops: number[] = [];
    const engine = new RuleEngine({ maxChainFirings: 3, onLoop: (_r, _e, _c, n) => loops.push(n) });
    const doc = { name: 'echo', site: SITE, trigger: { event: 'alarm.raised' }, actions: raise } as RuleDocument;
    engine.load([compileRule('r1', 1, doc, ctx)]);
    const chain = newId();
    const fired = Array.from(
      { length: 6 },
      () => engine.handle(event('alarm.raised', T0, { source: 'rule:r1', correlationId: chain }), T0).length,
    );
    assert.deepEqual(fired, [1, 1, 1, 0, 0, 0]);
    assert.deepEqual(loops, [4]);
  });

  it('evaluates a rule only for events of its door, zone or site, and fires in the order the rules were given', () => {
    const rule = (id: string, name: string, where: RuleDocument['trigger']['where'], site: string | null = SITE) =>
      compileRule(id, 1, { name, site, trigger: { event: 'door.contact_opened', where }, actions: raise }, ctx);
    const engine = new RuleEngine();
    engine.load([
      rule('r1', 'this door', { door: DOOR }),
      rule('r2', 'any door anywhere', undefined, null),
      rule('r3', 'NICU or lobby', { zone: { in: ['nicu', 'lobby'] } }),
      rule('r4', 'the other door', { door: { eq: 'other' } }),
      rule('r5', 'this site', undefined),
    ]);
    const fired = (extra: Partial<VigilEvent>) => engine.handle(event('door.contact_opened', T0, extra), T0).map((f) => f.rule.id);
    const before = engine.stats().evaluated;
    assert.deepEqual(fired({ zone: 'nicu' }), ['r1', 'r2', 'r3', 'r5']);
    assert.equal(engine.stats().evaluated - before, 4, 'the rule for the other door was not evaluated');
    assert.deepEqual(fired({ door: 'other', zone: 'lobby' }), ['r2', 'r3', 'r4', 'r5']);
    assert.deepEqual(fired({ door: 'other', site: 'another site' }), ['r2']);
  });

  it('counts an event once for rules sharing a history condition, and keeps the history when a rule changes', () => {
    const burst = (name: string, priority: number): RuleDocument => ({
      name,
      site: SITE,
      trigger: { event: 'access.denied' },
      conditions: [{ count: { event: 'access.denied', same: ['door'], withinSeconds: 60, atLeast: 3 } }],
      actions: [{ raiseAlarm: { type: 'denied_burst', priority } }],
    });
    const engine = new RuleEngine();
    engine.load([compileRule('r1', 1, burst('page the guard', 3), ctx), compileRule('r2', 1, burst('log it', 5), ctx)]);
    const fired = (at: number) => engine.handle(event('access.denied', at), at).map((f) => f.rule.id);
    assert.deepEqual(fired(T0), []);
    assert.deepEqual(fired(T0 + 1000), [], 'two denials are not three, however many rules count them');
    assert.deepEqual(fired(T0 + 2000), ['r1', 'r2']);
    engine.upsert(compileRule('r1', 2, burst('page the guard at once', 2), ctx));
    assert.deepEqual(fired(T0 + 3000), ['r1', 'r2'], 'the changed rule still sees the denials before its change');
    assert.equal(engine.stats().windowEntries, 4);
  });

  it('rejects a malformed document with the path of each problem', () => {
    const problems = checkRuleDocument({
      name: 'x',
      site: null,
      trigger: { event: 'Door Opened' },
      conditions: [{ absent: { event: 'door.rex', beforeSeconds: 2, afterSeconds: 2 } }, { sometimes: {} }],
      actions: [{ raiseAlarm: { type: 'x', priority: 9 } }],
    });
    assert.ok(
      problems.some((p) => p.path.startsWith('/trigger/event')),
      JSON.stringify(problems),
    );
    const second = checkRuleDocument({
      name: 'x',
      site: null,
      trigger: { event: 'door.rex' },
      conditions: [{ sometimes: {} }],
      actions: [{ raiseAlarm: { type: 'x', priority: 9 } }],
    });
    assert.deepEqual(
      second.map((p) => p.path),
      ['/conditions/0', '/actions/0/raiseAlarm/priority'],
    );
  });
});

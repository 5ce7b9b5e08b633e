import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { canonicalEnvelope, canonicalJson, recordHash, type ChainedRecord } from './chain.js';

// The reference RFC 8785 implementation (CommonJS), which canonicalJson must match byte for byte.
const reference = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

const base: ChainedRecord = {
  seq: 42,
  id: '0190a0e0-0000-7000-8000-000000000001',
  type: 'access.granted',
  at: '2025-03-30T01:30:00.000Z',
  recordedAt: '2025-03-30T01:30:00.123Z',
  site: 'site-1',
  source: 'device:OSDP-0001',
  subject: null,
  zone: null,
  door: 'door-7',
  correlationId: null,
  data: '{"reader":"r1"}',
};

describe('canonical envelope', () => {
  const awkward = [
    'plain',
    '',
    'quote " and backslash \\',
    'control \u0000 \u0001 \u001f tab\tnewline\n',
    'unicode é 中文 emoji 🚪',
    'lone surrogate \ud800 here',
    'lone low surrogate \udc00',
    'reversed pair \udc00\ud800',
    'delete \u007f and C1 \u0085',
    'line separator \u2028 and \u2029',
    '</script>',
  ];

  it('is byte-identical to the generic RFC 8785 encoder for awkward strings, nulls and large seq', () => {
    for (const value of awkward) {
      for (const record of [
        { ...base, source: value, site: value, subject: value },
        { ...base, zone: value, correlationId: value, type: value, seq: Number.MAX_SAFE_INTEGER },
      ]) {
        const { data: _data, ...envelope } = record;
        assert.equal(canonicalEnvelope(record), canonicalJson(envelope), JSON.stringify(value));
      }
    }
  });

  it('stays byte-identical for thousands of strings of random UTF-16 code units', () => {
    let state = 0x2545f491;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    // Mostly ASCII, with control characters, quotes, surrogate halves and other BMP characters mixed in.
    const unit = () =>
      [random() * 0x80, random() * 0x20, 0x22, 0x5c, 0xd800 + random() * 0x800, random() * 0x10000][Math.floor(random() * 6)]!;
    for (let i = 0; i < 5000; i++) {
      const value = String.fromCharCode(...Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(unit())));
      const record = { ...base, source: value, subject: value.split('').reverse().join('') };
      const { data: _data, ...envelope } = record;
      assert.equal(canonicalEnvelope(record), canonicalJson(envelope), JSON.stringify(value));
    }
  });

  it('refuses a seq that cannot be represented exactly', () => {
    assert.throws(() => canonicalEnvelope({ ...base, seq: 2 ** 53 }), TypeError);
    assert.throws(() => canonicalEnvelope({ ...base, seq: 1.5 }), TypeError);
  });

  it('changes the hash when any field, the data or the predecessor changes', () => {
    const prev = 'a'.repeat(64);
    const original = recordHash(prev, base);
    assert.match(original, /^[0-9a-f]{64}$/);
    assert.notEqual(recordHash('b'.repeat(64), base), original);
    for (const [key, value] of Object.entries({
      seq: 43,
      door: null,
      subject: 'p',
      data: '{"reader":"r2"}',
      at: '2025-03-30T01:30:00.001Z',
    })) {
      assert.notEqual(recordHash(prev, { ...base, [key]: value }), original, key);
    }
  });
});

describe('canonical JSON', () => {
  let state = 0x1b873593;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const randomString = () =>
    String.fromCharCode(
      ...Array.from({ length: Math.floor(random() * 8) }, () =>
        Math.floor(pick([random() * 0x80, random() * 0x20, 0x22, 0x5c, 0xd800 + random() * 0x800, random() * 0x10000])),
      ),
    );
  const numbers = [0, -0, 1, -1, 1.5, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER, -1e300, 2 ** 53 + 2];
  const randomValue = (depth: number): unknown => {
    const kind = Math.floor(random() * (depth > 3 ? 5 : 8));
    if (kind === 0) return randomString();
    if (kind === 1) return pick(numbers) * (random() < 0.5 ? 1 : random());
    if (kind === 2) return pick([true, false, null]);
    if (kind === 3) return undefined;
    if (kind === 4) return new Date(Math.floor(random() * 4e12));
    if (kind === 5) return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 6); i > 0; i--)
      object[pick([randomString(), 'a', 'b', 'A', '10', '2', 'é', '\ud83d\udeaa'])] = randomValue(depth + 1);
    return object;
  };

  it('is byte-identical to the reference encoder over thousands of generated values', () => {
    for (let i = 0; i < 5000; i++) {
      const value = { root: randomValue(0), list: [randomValue(1), randomValue(1)] };
      assert.equal(canonicalJson(value), reference(value));
    }
  });

  it('sorts keys by UTF-16 code units whatever order they were written in', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, é: 0, A: null }),
      '{"A":null,"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":0}',
    );
  });

  it('refuses what has no canonical form, and leaves out what JSON leaves out', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 10n]) {
      assert.throws(() => canonicalJson(value), TypeError);
      assert.throws(() => canonicalJson({ nested: [value] }), TypeError);
    }
    assert.throws(() => canonicalJson(undefined), TypeError);
    assert.equal(canonicalJson({ gone: undefined, fn: () => 1, list: [undefined] }), '{"list":[null]}');
  });
});

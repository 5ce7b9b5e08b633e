import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSnapshot } from './compile.js';
import { decide } from './decide.js';
import { dormantCredentials } from './dormant.js';
import { loadSnapshot, signSnapshot } from './envelope.js';
import { createState } from './state.js';
import { MONDAY_10AM, PINS, badge, badgeWithPin, signingKeys, testPolicy, testSnapshot } from './testing.js';

const keys = signingKeys();

describe('signed snapshots', () => {
  it('loads a signed snapshot that decides exactly as the compiled one', () => {
    const compiled = testSnapshot();
    const loaded = loadSnapshot(signSnapshot(compiled, keys.privateKey), { publicKey: keys.publicKey });
    const requests = [
      badge('main-entrance', 'alice'),
      badge('main-entrance', 'carol'),
      badge('records', 'alice', { pinMatch: true }),
      badge('records', 'alice', { pinMatch: false }),
      badge('mri', 'bob'),
      badge('main-entrance', 'stolen'),
      { doorId: 'main-entrance', kind: 'card' as const, card: { bitCount: 40, hex: '0102030405' } },
    ];
    for (const at of [MONDAY_10AM, Date.parse('2025-06-02T22:00:00Z'), Date.parse('2025-12-25T12:00:00Z')]) {
      const [a, b] = [createState(compiled), createState(loaded)];
      for (const request of requests) assert.deepEqual(decide(loaded, request, at, b), decide(compiled, request, at, a));
    }
  });

  it('refuses a snapshot with any byte changed', () => {
    const bytes = signSnapshot(testSnapshot(), keys.privateKey);
    for (const position of [0, 6, 20, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const corrupted = Buffer.from(bytes);
      corrupted[position]! ^= 0x01;
      assert.throws(() => loadSnapshot(corrupted, { publicKey: keys.publicKey }), {
        code:
          position < 9
            ? position < 4
              ? 'access.snapshot_malformed'
              : position === 4
                ? 'access.snapshot_unsupported_format'
                : 'access.snapshot_malformed'
            : 'access.snapshot_signature_invalid',
      });
    }
  });

  it('refuses a truncated snapshot and one signed by another key', () => {
    const bytes = signSnapshot(testSnapshot(), keys.privateKey);
    assert.throws(() => loadSnapshot(bytes.subarray(0, bytes.length - 10), { publicKey: keys.publicKey }), {
      code: 'access.snapshot_malformed',
    });
    assert.throws(() => loadSnapshot(bytes, { publicKey: signingKeys().publicKey }), {
      code: 'access.snapshot_signature_invalid',
    });
  });

  it('refuses a snapshot older than the running one, and accepts the same or newer', () => {
    const older = signSnapshot(testSnapshot(4), keys.privateKey);
    assert.throws(() => loadSnapshot(older, { publicKey: keys.publicKey, currentVersion: 5 }), {
      code: 'access.snapshot_rollback',
    });
    assert.equal(loadSnapshot(older, { publicKey: keys.publicKey, currentVersion: 4 }).version, 4);
    assert.equal(loadSnapshot(signSnapshot(testSnapshot(6), keys.privateKey), { publicKey: keys.publicKey, currentVersion: 5 }).version, 6);
  });

  it('carries each PIN only as its scrypt hash, which the loaded snapshot checks a typed PIN against', async () => {
    const compiled = testSnapshot();
    const bytes = signSnapshot(compiled, keys.privateKey);
    const loaded = loadSnapshot(bytes, { publicKey: keys.publicKey });
    assert.deepEqual(loaded.pins.hashes, compiled.pins.hashes);
    assert.ok(loaded.pins.hashes.every((hash) => hash.startsWith('scrypt$16384$8$1$')));
    const text = bytes.toString('latin1');
    assert.equal(text.includes(PINS.alice) || text.includes(PINS.bob), false);
    assert.equal((await badgeWithPin(loaded, 'records', 'alice', PINS.alice)).pinMatch, true);
    assert.equal((await badgeWithPin(loaded, 'records', 'alice', PINS.bob)).pinMatch, false);
  });
});

describe('snapshot compiler', () => {
  const compile = (policy: ReturnType<typeof testPolicy>) => compileSnapshot(policy, { now: new Date(MONDAY_10AM) });

  it('refuses dangling references, duplicate ids and two credentials with the same card', () => {
    const policy = testPolicy();
    assert.throws(
      () => compile({ ...policy, persons: [{ ...policy.persons[0]!, accessGroupIds: ['nope'] }, ...policy.persons.slice(1)] }),
      {
        code: 'access.unknown_reference',
      },
    );
    assert.throws(() => compile({ ...policy, doors: [...policy.doors, policy.doors[0]!] }), { code: 'access.duplicate_id' });
    assert.throws(() => compile({ ...policy, credentials: [...policy.credentials, { ...policy.credentials[0]!, id: 'copy' }] }), {
      code: 'access.duplicate_card',
    });
  });

  it('refuses a PIN that is not a scrypt hash, a scheduled door without a schedule and a bad instant', () => {
    const policy = testPolicy();
    const clearPin = { ...policy.persons[0]!, pin: { id: 'pin-alice', hash: PINS.alice } };
    assert.throws(() => compile({ ...policy, persons: [clearPin, ...policy.persons.slice(1)] }), { code: 'access.invalid_policy' });
    assert.throws(() => compile({ ...policy, doors: [{ ...policy.doors[1]!, scheduleId: null }, ...policy.doors.slice(2)] }), {
      code: 'access.invalid_policy',
    });
    assert.throws(
      () => compile({ ...policy, persons: [{ ...policy.persons[0]!, validUntil: 'next Tuesday' }, ...policy.persons.slice(1)] }),
      {
        code: 'access.invalid_instant',
      },
    );
  });
});

describe('use it or lose it', () => {
  it('lists active credentials unused for the given number of days, counting from issue when never used', () => {
    const now = new Date('2025-06-02T00:00:00Z');
    const credentials = [
      { id: 'used-recently', personId: 'p1', status: 'active' as const, card: { bitCount: 26, hex: '00000040' } },
      { id: 'used-long-ago', personId: 'p2', status: 'active' as const, card: { bitCount: 26, hex: '00000080' } },
      {
        id: 'new-unused',
        personId: 'p3',
        status: 'active' as const,
        card: { bitCount: 26, hex: '000000c0' },
        issuedAt: '2025-05-20T00:00:00Z',
      },
      {
        id: 'old-unused',
        personId: 'p4',
        status: 'active' as const,
        card: { bitCount: 26, hex: '00000100' },
        issuedAt: '2024-01-01T00:00:00Z',
      },
      { id: 'already-suspended', personId: 'p5', status: 'suspended' as const, card: { bitCount: 26, hex: '00000140' } },
    ];
    const lastUse = new Map([
      ['used-recently', new Date('2025-05-25T00:00:00Z')],
      ['used-long-ago', new Date('2025-01-01T00:00:00Z')],
    ]);
    const dormant = dormantCredentials(credentials, lastUse, now, 90);
    assert.deepEqual(
      dormant.map((d) => [d.credentialId, d.idleDays]),
      [
        ['old-unused', 518],
        ['used-long-ago', 152],
      ],
    );
  });
});

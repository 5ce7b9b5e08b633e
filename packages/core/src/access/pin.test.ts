import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSnapshot } from './compile.js';
import { decide } from './decide.js';
import { hashPin, parsePinHash, pinHashFor, verifyPin } from './pin.js';
import { createState } from './state.js';
import { MONDAY_10AM, PINS, badge, badgeWithPin, card, testPolicy, testSnapshot } from './testing.js';

describe('PIN hashes', () => {
  it('hashes with scrypt and a fresh salt, stores the parameters, and verifies only the right PIN', async () => {
    const [a, b] = [await hashPin('2580'), await hashPin('2580')];
    assert.match(a, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(a, b, 'two hashes of one PIN differ by their salt');
    assert.equal(await verifyPin('2580', a), true);
    assert.equal(await verifyPin('2580', b), true);
    assert.equal(await verifyPin('2581', a), false);
    assert.equal(await verifyPin('', a), false);
  });

  it('checks a hash made with other parameters by the parameters stored with it', async () => {
    const cheap = await hashPin('7391', { N: 1024, r: 4, p: 1 });
    assert.match(cheap, /^scrypt\$1024\$4\$1\$/);
    assert.equal(await verifyPin('7391', cheap), true);
  });

  it('never matches a malformed hash or one whose cost could not be run at a door', async () => {
    const good = await hashPin('7391', { N: 1024, r: 4, p: 1 });
    const parts = good.split('$');
    const variants = [
      '7391',
      'bcrypt$1024$4$1$aaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      parts.slice(0, 5).join('$'),
      ['scrypt', 1000, ...parts.slice(2)].join('$'), // N not a power of two
      ['scrypt', 2 ** 22, 32, ...parts.slice(3)].join('$'), // 16 GiB
      [...parts.slice(0, 4), 'not base64!', parts[5]].join('$'),
    ];
    for (const stored of variants) {
      assert.equal(parsePinHash(stored), null, stored);
      assert.equal(await verifyPin('7391', stored), false, stored);
    }
  });
});

describe('PINs in the snapshot', () => {
  it('finds the holder’s PIN hash from any of their cards, and none for an unknown card or a person without a PIN', () => {
    const snapshot = testSnapshot();
    const alice = pinHashFor(snapshot, card('alice'));
    assert.ok(alice?.startsWith('scrypt$'));
    assert.equal(pinHashFor(snapshot, card('lost')), alice, 'the lost card is Alice’s too');
    assert.equal(pinHashFor(snapshot, card('carol')), null);
    assert.equal(pinHashFor(snapshot, { bitCount: 26, hex: 'ffffffc0' }), null);
  });

  it('treats a PIN outside its validity window as no PIN', async () => {
    const policy = testPolicy();
    const [alice, ...others] = policy.persons;
    const expiring = { ...alice!, pin: { ...alice!.pin!, validUntil: '2025-06-02T09:30:00Z' } };
    const snapshot = compileSnapshot({ ...policy, persons: [expiring, ...others] }, { now: new Date(MONDAY_10AM) });
    const state = createState(snapshot);
    const request = await badgeWithPin(snapshot, 'records', 'alice', PINS.alice);
    assert.equal(decide(snapshot, request, MONDAY_10AM, state).granted, true);
    const later = decide(snapshot, request, Date.parse('2025-06-02T09:30:00Z'), state);
    assert.equal(later.reason, 'access.pin_not_enrolled');
    assert.equal(decide(snapshot, badge('records', 'alice'), Date.parse('2025-06-02T10:00:00Z'), state).reason, 'access.pin_not_enrolled');
  });
});

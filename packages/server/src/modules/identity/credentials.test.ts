/** Password hashing and policy, TOTP matching (RFC 6238 vectors) and the at-rest encryption of TOTP secrets. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { Secret } from 'otpauth';
import {
  DEFAULT_SCRYPT_COST,
  assertAcceptablePassword,
  generateOneTimePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords.js';
import { SecretBox } from './secret-box.js';
import { matchTotpStep, newTotpEnrolment } from './totp.js';

const CHEAP = { log2N: 10, r: 8, p: 1 };
const failsWith = (code: string) => (e: unknown) => isVigilError(e) && e.code === code;

describe('passwords', () => {
  it('stores scrypt with its parameters and a per-password salt, and verifies', async () => {
    const a = await hashPassword('correct horse battery', CHEAP);
    const b = await hashPassword('correct horse battery', CHEAP);
    assert.match(a, /^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.notEqual(a, b, 'a fresh salt each time');
    assert.equal(await verifyPassword('correct horse battery', a), true);
    assert.equal(await verifyPassword('correct horse batterY', a), false);
    assert.equal(await verifyPassword('correct horse battery', 'scrypt$10$8$1$bad'), false);
    assert.equal(await verifyPassword('correct horse battery', a.replace('scrypt$10', 'scrypt$40')), false, 'absurd costs are refused');
  });

  it('asks for a rehash when the stored cost is below the current one', async () => {
    const weak = await hashPassword('correct horse battery', CHEAP);
    assert.equal(needsRehash(weak, DEFAULT_SCRYPT_COST), true);
    assert.equal(needsRehash(weak, CHEAP), false);
    assert.deepEqual(DEFAULT_SCRYPT_COST, { log2N: 15, r: 8, p: 3 });
  });

  it('refuses short, long, common, repetitive and user-name passwords', () => {
    for (const weak of ['elevenchars', 'x'.repeat(257), 'Password1234', 'aaaaaaaaaaaaaaa', 'my-jdoe-password']) {
      assert.throws(() => assertAcceptablePassword(weak, 'jdoe'), failsWith('operators.weak_password'), weak);
    }
    assert.doesNotThrow(() => assertAcceptablePassword('twelve chars', 'jdoe'));
  });

  it('generates unguessable one-time passwords that pass the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const otp = generateOneTimePassword();
      assert.match(otp, /^[A-HJ-NP-Za-km-z2-9]{20}$/);
      assert.doesNotThrow(() => assertAcceptablePassword(otp, 'someone'));
      seen.add(otp);
    }
    assert.equal(seen.size, 200);
  });
});

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; six-digit codes are the last six digits.
  const rfcSecret = Secret.fromLatin1('12345678901234567890').base32;
  const vectors: [number, string][] = [
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ];

  it('matches the RFC 6238 test vectors and returns their time step', () => {
    for (const [seconds, code] of vectors) assert.equal(matchTotpStep(rfcSecret, code, new Date(seconds * 1000)), Math.floor(seconds / 30));
  });

  it('accepts one step of drift either way, not two', () => {
    const now = new Date(1111111109 * 1000);
    const step = Math.floor(1111111109 / 30);
    const shifted = (deltaSteps: number) => new Date(now.getTime() + deltaSteps * 30_000);
    assert.equal(matchTotpStep(rfcSecret, '081804', shifted(1)), step);
    assert.equal(matchTotpStep(rfcSecret, '081804', shifted(-1)), step);
    assert.equal(matchTotpStep(rfcSecret, '081804', shifted(2)), null);
    assert.equal(matchTotpStep(rfcSecret, '081804', shifted(-2)), null);
  });

  it('refuses anything but six digits', () => {
    for (const code of ['', '08180', '0818044', '08180a', ' 081804'])
      assert.equal(matchTotpStep(rfcSecret, code, new Date(1111111109000)), null);
  });

  it('enrols with a fresh 160-bit secret in an otpauth:// URI', () => {
    const a = newTotpEnrolment('Vigil', 'jdoe');
    const b = newTotpEnrolment('Vigil', 'jdoe');
    assert.notEqual(a.secret, b.secret);
    assert.equal(Secret.fromBase32(a.secret).bytes.length, 20);
    assert.match(a.uri, /^otpauth:\/\/totp\/Vigil:jdoe\?issuer=Vigil&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/);
  });
});

describe('secret box', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-secretbox-'));

  it('creates an owner-only key file and round-trips secrets bound to their operator', () => {
    const file = path.join(dir(), 'keys', 'secrets.key');
    const box = SecretBox.openOrCreate(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'operator-1');
    assert.equal(sealed.includes('JBSWY3DPEHPK3PXP'), false);
    assert.notEqual(sealed, box.seal('JBSWY3DPEHPK3PXP', 'operator-1'), 'a fresh IV each time');
    assert.equal(SecretBox.openOrCreate(file).open(sealed, 'operator-1'), 'JBSWY3DPEHPK3PXP');
    assert.throws(() => box.open(sealed, 'operator-2'), failsWith('auth.secret_undecryptable'));
    const [v, iv, tag, ct] = sealed.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    assert.throws(
      () => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'operator-1'),
      failsWith('auth.secret_undecryptable'),
    );
    assert.throws(() => box.open([v, iv, tag!.slice(0, 8), ct].join('.'), 'operator-1'), failsWith('auth.secret_undecryptable'));
  });

  it('refuses a key file others can read, or of the wrong size', () => {
    const loose = path.join(dir(), 'secrets.key');
    fs.writeFileSync(loose, Buffer.alloc(32, 1), { mode: 0o644 });
    assert.throws(() => SecretBox.openOrCreate(loose), failsWith('auth.secret_key_insecure'));
    const short = path.join(dir(), 'short.key');
    fs.writeFileSync(short, Buffer.alloc(16, 1), { mode: 0o600 });
    assert.throws(() => SecretBox.openOrCreate(short), failsWith('auth.secret_key_insecure'));
  });
});

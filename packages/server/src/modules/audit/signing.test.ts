import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import {
  checkpointSignatureValid,
  checkpointStatement,
  loadOrCreateSigningKey,
  publicKeyFileOf,
  readSigningKey,
  signCheckpoint,
} from './signing.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-signing-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('journal signing key', () => {
  it('is generated on first start as an owner-only Ed25519 PEM in an owner-only directory, then reused', () => {
    const file = path.join(root, 'fresh', 'keys', 'journal-signing.key');
    const first = loadOrCreateSigningKey(file);
    assert.equal(mode(file), 0o600);
    assert.equal(mode(path.dirname(file)), 0o700);
    assert.match(fs.readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(first.privateKey.asymmetricKeyType, 'ed25519');
    const second = loadOrCreateSigningKey(file);
    assert.equal(second.keyId, first.keyId);
  });

  it('names the key by the SHA-256 of its public key, and publishes that public key beside it', () => {
    const file = path.join(root, 'id', 'journal-signing.key');
    const key = loadOrCreateSigningKey(file);
    const published = createPublicKey(fs.readFileSync(publicKeyFileOf(file), 'utf8'));
    const fingerprint = createHash('sha256')
      .update(published.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    assert.equal(key.keyId, fingerprint);
  });

  it('refuses a key file that group or others can read', () => {
    const file = path.join(root, 'loose', 'journal-signing.key');
    loadOrCreateSigningKey(file);
    for (const loose of [0o640, 0o604, 0o660]) {
      fs.chmodSync(file, loose);
      assert.throws(
        () => loadOrCreateSigningKey(file),
        (e) => isVigilError(e) && e.code === 'audit.signing_key_insecure',
      );
    }
    fs.chmodSync(file, 0o600);
    assert.doesNotThrow(() => loadOrCreateSigningKey(file));
  });

  it('refuses a file that is not an Ed25519 private key', () => {
    const dir = fs.mkdtempSync(path.join(root, 'bad-'));
    const rsa = path.join(dir, 'rsa.key');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const garbage = path.join(dir, 'garbage.key');
    fs.writeFileSync(garbage, 'not a key', { mode: 0o600 });
    for (const file of [rsa, garbage]) {
      assert.throws(
        () => loadOrCreateSigningKey(file),
        (e) => isVigilError(e) && e.code === 'audit.signing_key_invalid',
      );
    }
  });

  it('is never created by a read', () => {
    const file = path.join(root, 'absent', 'journal-signing.key');
    assert.throws(
      () => readSigningKey(file),
      (e) => isVigilError(e) && e.code === 'audit.signing_key_missing',
    );
    assert.equal(fs.existsSync(file), false);
  });
});

describe('checkpoint statement', () => {
  const key = loadOrCreateSigningKey(path.join(root, 'statement', 'journal-signing.key'));
  const claim = { seq: 1000, hash: 'ab'.repeat(32), signedAt: '2025-01-01T00:00:00.000Z' };

  it('is domain-separated and names seq, hash and time', () => {
    assert.equal(
      checkpointStatement(claim).toString('utf8'),
      `vigil/journal-checkpoint/v1\nseq=1000\nhash=${'ab'.repeat(32)}\nsigned_at=2025-01-01T00:00:00.000Z\n`,
    );
  });

  it('verifies only the exact claim that was signed', () => {
    const signature = signCheckpoint(key, claim);
    assert.equal(checkpointSignatureValid(key.publicKey, claim, signature), true);
    assert.equal(checkpointSignatureValid(key.publicKey, { ...claim, seq: 1001 }, signature), false);
    assert.equal(checkpointSignatureValid(key.publicKey, { ...claim, hash: 'ac'.repeat(32) }, signature), false);
    assert.equal(checkpointSignatureValid(key.publicKey, { ...claim, signedAt: '2025-01-01T00:00:01.000Z' }, signature), false);
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.equal(checkpointSignatureValid(other, claim, signature), false);
    assert.equal(checkpointSignatureValid(key.publicKey, claim, 'not base64!'), false);
  });

  it('rejects fields that could make two statements collide', () => {
    assert.throws(() => checkpointStatement({ ...claim, hash: `${'ab'.repeat(32)}\nseq=1` }), TypeError);
    assert.throws(() => checkpointStatement({ ...claim, hash: 'AB'.repeat(32) }), TypeError);
    assert.throws(() => checkpointStatement({ ...claim, seq: 0 }), TypeError);
    assert.throws(() => checkpointStatement({ ...claim, signedAt: '2025-01-01 00:00:00' }), TypeError);
    assert.equal(checkpointSignatureValid(key.publicKey, { ...claim, hash: 'xyz' }, signCheckpoint(key, claim)), false);
  });
});

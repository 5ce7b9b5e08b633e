/**
 * The Ed25519 key that signs journal checkpoints, and the exact statement it signs.
 *
 * The key is generated on first start and kept as a PKCS#8 PEM file readable by the owner only;
 * a copy of the public key is written beside it (`<file>.pub`) for auditors. The key id is the
 * SHA-256 of the public key's DER SubjectPublicKeyInfo (the form RFC 7469 pins), in hex, so it can
 * be compared with a fingerprint kept out of band.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditError } from './errors.js';

export interface SigningKey {
  /** SHA-256 fingerprint (hex) of the public key. */
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const OWNER_ONLY = 0o077;

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Where the public half is written next to the private key file. */
export function publicKeyFileOf(signingKeyFile: string): string {
  return `${signingKeyFile}.pub`;
}

/**
 * Loads the signing key, generating it first when the file does not exist. Refuses
 * (`audit.signing_key_insecure`) a file that group or others may access, and
 * (`audit.signing_key_invalid`) one that is not an Ed25519 private key.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (!fs.existsSync(file)) createKeyFile(file);
  return readSigningKey(file);
}

/** Loads an existing signing key without ever creating one. */
export function readSigningKey(file: string): SigningKey {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw auditError('audit.signing_key_missing', `Journal signing key ${file} does not exist`, { file });
  }
  if (process.platform !== 'win32' && (stat.mode & OWNER_ONLY) !== 0) {
    throw auditError(
      'audit.signing_key_insecure',
      `Journal signing key ${file} has mode ${(stat.mode & 0o777).toString(8)}; it must be readable by its owner only (chmod 600)`,
      { file, mode: (stat.mode & 0o777).toString(8) },
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } catch (e) {
    throw auditError('audit.signing_key_invalid', `Journal signing key ${file} cannot be read: ${(e as Error).message}`, { file });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw auditError('audit.signing_key_invalid', `Journal signing key ${file} is a ${privateKey.asymmetricKeyType} key, not Ed25519`, {
      file,
    });
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** Parses a public key (PEM text or a KeyObject, public or private) into an Ed25519 public key. */
export function toPublicKey(key: KeyObject | string): KeyObject {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (object.asymmetricKeyType !== 'ed25519') {
    throw auditError('audit.signing_key_invalid', `Checkpoint public key is a ${object.asymmetricKeyType} key, not Ed25519`);
  }
  return object;
}

/**
 * Writes a new key so that the file appears complete or not at all: the PEM goes to a private
 * temporary file that is then hard-linked into place, which fails if another process won the
 * race (its key is then used).
 */
function createKeyFile(file: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  writeDurably(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  try {
    fs.linkSync(temporary, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const publicFile = publicKeyFileOf(file);
  const publicTemporary = `${temporary}.pub`;
  writeDurably(publicTemporary, publicKeyPem(publicKey), 0o644);
  fs.renameSync(publicTemporary, publicFile);
  syncDirectory(dir);
}

function writeDurably(file: string, content: string, mode: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Separates checkpoint signatures from anything else the key could ever be asked to sign. */
export const CHECKPOINT_DOMAIN = 'vigil/journal-checkpoint/v1';
/** Checkpoints that also name the `checkpointEvery` in force when they were signed. */
export const CHECKPOINT_DOMAIN_V2 = 'vigil/journal-checkpoint/v2';

export interface CheckpointClaim {
  seq: number;
  hash: string;
  /** ISO-8601 UTC instant of signing. */
  signedAt: string;
  /**
   * The count interval (`journal.checkpointEvery`) in force when signed. Signed with it, so it
   * cannot be changed to excuse a deleted checkpoint; absent on checkpoints written before it
   * was recorded (those have v1 statements).
   */
  every?: number | null;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

/**
 * The bytes a checkpoint signature covers: the domain line, then `seq=`, `hash=` and `signed_at=`
 * lines, and (v2) an `every=` line. Each field is checked against its strict form first (decimal
 * seq and interval, 64 lowercase hex digits, ISO-8601 UTC), so no two different checkpoints can
 * produce the same statement; the domain line tells the two versions apart.
 */
export function checkpointStatement(claim: CheckpointClaim): Buffer {
  if (!Number.isSafeInteger(claim.seq) || claim.seq < 1) throw new TypeError(`checkpoint seq ${claim.seq} is not a positive integer`);
  if (!HASH_PATTERN.test(claim.hash)) throw new TypeError('checkpoint hash is not 64 lowercase hex digits');
  if (!INSTANT_PATTERN.test(claim.signedAt)) throw new TypeError('checkpoint signed_at is not an ISO-8601 UTC instant');
  const fields = `seq=${claim.seq}\nhash=${claim.hash}\nsigned_at=${claim.signedAt}\n`;
  if (claim.every === undefined || claim.every === null) return Buffer.from(`${CHECKPOINT_DOMAIN}\n${fields}`, 'utf8');
  if (!Number.isSafeInteger(claim.every) || claim.every < 1)
    throw new TypeError(`checkpoint every ${claim.every} is not a positive integer`);
  return Buffer.from(`${CHECKPOINT_DOMAIN_V2}\n${fields}every=${claim.every}\n`, 'utf8');
}

/** Base64 Ed25519 signature over the checkpoint statement. */
export function signCheckpoint(key: SigningKey, claim: CheckpointClaim): string {
  return sign(null, checkpointStatement(claim), key.privateKey).toString('base64');
}

/** True only for a well-formed claim whose signature verifies under `publicKey`. */
export function checkpointSignatureValid(publicKey: KeyObject, claim: CheckpointClaim, signature: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  let statement: Buffer;
  try {
    statement = checkpointStatement(claim);
  } catch {
    return false;
  }
  return verify(null, statement, publicKey, Buffer.from(signature, 'base64'));
}

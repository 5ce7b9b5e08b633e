/**
 * The public keys that signed the journal's checkpoints, kept in the database (`journal_signers`,
 * written by the checkpointer) so that every backup carries them, and trusted on this machine as
 * files in `journal-trusted-keys/` beside the signing key.
 *
 * Verification never trusts a key merely because the database, or a backup of it, holds it:
 * whoever can write the database could add their own, and a forged backup could bring a journal
 * re-signed with the forger's key. An installation trusts its own signing key and the `.pub` files
 * in its trusted directory. A backup's other signers become trusted only when an operator names
 * them after comparing their fingerprints (`vigil restore --trust-signers`), and the file written
 * for each records that decision. The private key never enters the database, so never a backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { auditError } from './errors.js';
import { keyIdOf, publicKeyFileOf, publicKeyPem, readSigningKey, toPublicKey } from './signing.js';

/** A `journal_signers` row, checked. */
export interface RecordedSigner {
  /** SHA-256 of the key's DER SubjectPublicKeyInfo, hex: the key's fingerprint (signing.ts). */
  keyId: string;
  publicKeyPem: string;
  /** When the key signed its first checkpoint (ISO-8601 UTC). */
  firstSignedAt: string;
}

/** An operator's decision to trust a backup's signers, written into each key's file. */
export interface TrustDecision {
  /** Who confirmed the keys (`cli:<operating-system user>`). */
  by: string;
  /** When (ISO-8601 UTC). */
  at: string;
  /** The backup the keys came with. */
  backup: string;
}

export interface TrustedSigner {
  keyId: string;
  file: string;
}

/** Where the trusted public keys of an installation are, beside its signing key. */
export function trustedKeysDirOf(signingKeyFile: string): string {
  return path.join(path.dirname(signingKeyFile), 'journal-trusted-keys');
}

/** The public keys in the trusted directory (none when it does not exist). */
export function readTrustedKeys(signingKeyFile: string): KeyObject[] {
  const dir = trustedKeysDirOf(signingKeyFile);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.pub'))
    .sort()
    .map((name) => toPublicKey(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/**
 * Checks a `journal_signers` row, read from a database or a backup: its key must be an Ed25519
 * public key whose fingerprint is its id, else `audit.signer_invalid`.
 */
export function checkRecordedSigner(row: Readonly<Record<string, unknown>>): RecordedSigner {
  const keyId = String(row['key_id']);
  const invalid = (why: string) => auditError('audit.signer_invalid', `The recorded signer ${keyId} ${why}`, { keyId });
  const pem = row['public_key'];
  const firstSignedAt = row['first_signed_at'];
  if (typeof pem !== 'string' || typeof firstSignedAt !== 'string') throw invalid('is incomplete');
  let key: KeyObject;
  try {
    key = toPublicKey(pem);
  } catch (e) {
    throw invalid(`is not an Ed25519 public key: ${(e as Error).message}`);
  }
  if (keyIdOf(key) !== keyId) throw invalid('holds a public key with another fingerprint');
  return { keyId, publicKeyPem: publicKeyPem(key), firstSignedAt };
}

/**
 * The ids of the keys this installation trusts: its own signing key (or the `.pub` copy of it,
 * where only that is present) and the keys in its trusted directory.
 */
export function trustedKeyIds(signingKeyFile: string): Set<string> {
  const keys = readTrustedKeys(signingKeyFile);
  const publicFile = publicKeyFileOf(signingKeyFile);
  if (fs.existsSync(signingKeyFile)) keys.push(readSigningKey(signingKeyFile).publicKey);
  else if (fs.existsSync(publicFile)) keys.push(toPublicKey(fs.readFileSync(publicFile, 'utf8')));
  return new Set(keys.map(keyIdOf));
}

/** The signers among `signers` that this installation does not trust yet. */
export function untrustedSigners(signers: readonly RecordedSigner[], signingKeyFile: string): RecordedSigner[] {
  const trusted = trustedKeyIds(signingKeyFile);
  return signers.filter((signer) => !trusted.has(signer.keyId));
}

/** A key id in groups of four digits, easier to compare with a printed record. */
export function groupedFingerprint(keyId: string): string {
  return keyId.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * A key id as an operator may type it: whole, in either case, with or without the spaces or
 * colons of a grouped form. Null for anything else: an abbreviated id is refused, since a key whose
 * fingerprint begins with chosen digits can be generated at will.
 */
export function normalizeKeyId(text: string): string | null {
  const digits = text.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(digits) ? digits : null;
}

/**
 * Trusts the signers an operator confirmed: writes `<key id>.pub` into the trusted directory for
 * each, its PEM preceded by lines recording the decision (who, when, from which backup, first
 * signature). RFC 7468 allows text before the PEM boundary and PEM readers skip it, so the file
 * still works as a public key anywhere. An existing file of that name is never replaced.
 */
export function trustSigners(signers: readonly RecordedSigner[], signingKeyFile: string, decision: TrustDecision): TrustedSigner[] {
  const dir = trustedKeysDirOf(signingKeyFile);
  if (signers.length > 0) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return signers.map((signer) => {
    const file = path.join(dir, `${signer.keyId}.pub`);
    fs.writeFileSync(file, trustRecord(signer, decision) + signer.publicKeyPem, { mode: 0o644, flag: 'wx' });
    return { keyId: signer.keyId, file };
  });
}

/** The recorded values are JSON strings, so no name or path can break a line or the PEM boundary. */
function trustRecord(signer: RecordedSigner, decision: TrustDecision): string {
  return [
    '# Journal signing key trusted for checkpoint verification by `vigil restore --trust-signers`.',
    `# key id: ${signer.keyId}`,
    `# first signed: ${JSON.stringify(signer.firstSignedAt)}`,
    `# confirmed by: ${JSON.stringify(decision.by)}`,
    `# confirmed at: ${JSON.stringify(decision.at)}`,
    `# backup: ${JSON.stringify(decision.backup)}`,
    '',
  ].join('\n');
}

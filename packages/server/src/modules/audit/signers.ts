/**
 * The public keys that signed the journal's checkpoints, kept in the database (`journal_signers`,
 * written by the checkpointer) so that every backup carries them, and trusted on this machine as
 * files in `journal-trusted-keys/` beside the signing key.
 *
 * Verification never trusts a key merely because the database holds it: whoever can write the
 * database could add their own. Keys become trusted when an operator restores a backup (the
 * backup being the installation's own record, `vigil restore` copies its signers into the
 * directory and prints their ids to compare with the ones recorded when the keys were made) or
 * places a `.pub` file there. The private key never enters the database, so never a backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { auditError } from './errors.js';
import { keyIdOf, publicKeyPem, toPublicKey } from './signing.js';

export interface TrustedSigner {
  keyId: string;
  file: string;
  /** False when the file was already there. */
  added: boolean;
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
 * Trusts every signer the database records: writes `<key id>.pub` into the trusted directory for
 * each one not there yet. A recorded key whose fingerprint is not its id is refused
 * (`audit.signer_invalid`) and nothing is written.
 */
export async function trustRecordedSigners(db: Kysely<Database>, signingKeyFile: string): Promise<TrustedSigner[]> {
  const rows = await db.selectFrom('journal_signers').selectAll().orderBy('first_signed_at').execute();
  const keys = rows.map((row) => {
    let key: KeyObject;
    try {
      key = toPublicKey(row.public_key);
    } catch (e) {
      throw auditError('audit.signer_invalid', `The recorded signer ${row.key_id} is not an Ed25519 public key: ${(e as Error).message}`, {
        keyId: row.key_id,
      });
    }
    if (keyIdOf(key) !== row.key_id) {
      throw auditError('audit.signer_invalid', `The recorded signer ${row.key_id} holds a public key with another fingerprint`, {
        keyId: row.key_id,
      });
    }
    return { keyId: row.key_id, pem: publicKeyPem(key) };
  });
  const dir = trustedKeysDirOf(signingKeyFile);
  if (keys.length > 0) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return keys.map(({ keyId, pem }) => {
    const file = path.join(dir, `${keyId}.pub`);
    const added = !fs.existsSync(file);
    if (added) fs.writeFileSync(file, pem, { mode: 0o644 });
    return { keyId, file, added };
  });
}

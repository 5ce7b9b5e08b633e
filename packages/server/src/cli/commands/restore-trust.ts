/**
 * Which of a backup's journal signers `vigil restore` may trust. The installation trusts its own
 * signing key and the keys in `journal-trusted-keys/`; every other key that signed the backup's
 * checkpoints must be named with `--trust-signers`, after the operator compared its fingerprint
 * with the source installation's record, or nothing is restored. Otherwise a forged backup,
 * re-signed with the forger's own key, would restore and then pass `vigil audit verify`.
 *
 * The decision is taken from the backup file before the database is even opened, so a refusal
 * leaves the data directory untouched. Keys are written only after the restore succeeded, and only
 * the confirmed ones: a key id is its key's fingerprint, so a file changed between the check and
 * the restore cannot get another key trusted.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import {
  checkRecordedSigner,
  groupedFingerprint,
  normalizeKeyId,
  trustSigners,
  untrustedSigners,
  type RecordedSigner,
  type TrustedSigner,
} from '../../modules/audit/index.js';
import { backupError } from '../../storage/backup-errors.js';
import { readBackupTable } from '../../storage/backup-read.js';
import { cliSource, plural } from '../context.js';

export interface SignerPlan {
  /** Signers of the backup this installation already trusts. */
  trusted: RecordedSigner[];
  /** Signers the operator confirmed with `--trust-signers`, trusted once the restore succeeded. */
  confirmed: RecordedSigner[];
}

/** The key ids of `--trust-signers a,b` (each whole; see signers.ts `normalizeKeyId`). */
export function parseTrustSigners(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry) => {
    const keyId = normalizeKeyId(entry);
    if (!keyId) {
      throw backupError('backup.unknown_signer', `--trust-signers: "${entry}" is not a whole key id (64 hexadecimal digits)`, {
        keyId: entry,
      });
    }
    return keyId;
  });
}

/** `key <id>, first signed <when>` and its fingerprint in groups, one signer per listed item. */
function listed(signers: readonly RecordedSigner[]): { errors: { message: string }[] } {
  return {
    errors: signers.map((s) => ({
      message: `key ${s.keyId}, first signed ${s.firstSignedAt}\n    fingerprint ${groupedFingerprint(s.keyId)}`,
    })),
  };
}

/**
 * Reads the backup's signers and checks `confirmedIds` names exactly those this installation does
 * not trust yet: an id that is not one of them is `backup.unknown_signer`, an untrusted signer left
 * out is `backup.untrusted_signers` (listing each with its fingerprint and first signature).
 */
export async function planSignerTrust(file: string, signingKeyFile: string, confirmedIds: readonly string[]): Promise<SignerPlan> {
  const signers = (await readBackupTable(file, 'journal_signers')).map(checkRecordedSigner);
  const untrusted = untrustedSigners(signers, signingKeyFile);
  const untrustedIds = new Set(untrusted.map((s) => s.keyId));
  const signerIds = new Set(signers.map((s) => s.keyId));
  for (const keyId of confirmedIds) {
    if (untrustedIds.has(keyId)) continue;
    const why = signerIds.has(keyId) ? 'is already trusted by this installation' : 'did not sign this backup';
    const expected = untrusted.length === 0 ? 'The backup has no untrusted signer' : 'Its untrusted signers are listed below';
    throw backupError('backup.unknown_signer', `--trust-signers names key ${keyId}, which ${why}. ${expected}; nothing was restored.`, {
      keyId,
      ...listed(untrusted),
    });
  }
  const missing = untrusted.filter((s) => !confirmedIds.includes(s.keyId));
  if (missing.length > 0) {
    throw backupError(
      'backup.untrusted_signers',
      `The backup's journal checkpoints were signed by ${plural(missing.length, 'key')} this installation does not trust, ` +
        'so nothing was restored. Compare each fingerprint with the one recorded for the source installation ' +
        '(`vigil audit verify` there prints its key id) and confirm only keys that match.',
      { ...listed(missing), confirm: `repeat the command with --trust-signers ${untrusted.map((s) => s.keyId).join(',')}` },
    );
  }
  return { trusted: signers.filter((s) => !untrustedIds.has(s.keyId)), confirmed: untrusted };
}

/** Trusts the confirmed signers after the restore, recording the decision, and says what was trusted. */
export function applySignerTrust(plan: SignerPlan, file: string, signingKeyFile: string, out: Writable): TrustedSigner[] {
  for (const signer of plan.trusted) out.write(`Journal signing key ${signer.keyId} is already trusted.\n`);
  const by = cliSource();
  const at = new Date().toISOString();
  const written = trustSigners(plan.confirmed, signingKeyFile, { by, at, backup: path.resolve(file) });
  for (const [i, signer] of plan.confirmed.entries()) {
    out.write(
      `Trusted journal signing key ${signer.keyId} (first signed ${signer.firstSignedAt}), confirmed with --trust-signers ` +
        `by ${by} at ${at}; recorded in ${written[i]?.file}.\n`,
    );
  }
  return written;
}

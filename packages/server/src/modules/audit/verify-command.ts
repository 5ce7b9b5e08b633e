/**
 * `vigil audit verify`: verifies the journal of the configured database and prints one paragraph.
 * Exit code 0 when intact, 1 when broken (naming the first bad record). Key problems (missing or
 * insecure key file) are thrown as `audit.signing_key_*` errors for the CLI to report.
 */
import fs from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { DatabaseHandle } from '../../storage/database.js';
import { auditError } from './errors.js';
import { readTrustedKeys } from './signers.js';
import { publicKeyFileOf, readSigningKey, toPublicKey } from './signing.js';
import { verifyJournal, type JournalSummary, type VerifyProgress } from './verify.js';

export interface AuditVerifyPaths {
  /** The configured signing key (`resolvePaths(config).signingKeyFile`). */
  signingKeyFile: string;
}

export interface AuditVerifyOutput {
  write(text: string): unknown;
}

/** The configuration's default `journal.checkpointEvery`. */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

export interface AuditVerifyOptions {
  /**
   * The configured `journal.checkpointEvery` (default 1000, the configuration's default); a
   * checkpoint must exist at every multiple of it. Null skips that check.
   */
  checkpointEvery?: number | null;
  /** Further trusted public keys (PEM files), e.g. keys retired by rotation. */
  publicKeyFiles?: readonly string[];
  /** The event catalogue's `subjectsOf`, so the further-subject index is checked too (verify.ts). */
  subjectsOf?: (type: string) => ((data: unknown) => readonly string[]) | undefined;
  onProgress?: (progress: VerifyProgress) => void;
}

export async function runAuditVerify(
  handle: DatabaseHandle,
  paths: AuditVerifyPaths,
  output: AuditVerifyOutput,
  options: AuditVerifyOptions = {},
): Promise<number> {
  const publicKeys = trustedKeys(paths, options.publicKeyFiles ?? []);
  const every = options.checkpointEvery === undefined ? DEFAULT_CHECKPOINT_EVERY : options.checkpointEvery;
  const result = await verifyJournal(handle.db, {
    publicKeys,
    ...(every === null ? {} : { checkpointEvery: every }),
    ...(options.subjectsOf ? { subjectsOf: options.subjectsOf } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const where = `${handle.dialect} ${handle.location}`;
  if (result.intact) {
    output.write(`${intactParagraph(result.summary, where)}\n`);
    return 0;
  }
  const { problem, summary } = result;
  const verified =
    summary.events > 0
      ? `Records ${count(summary.firstSeq ?? 1)}–${count(summary.lastSeq ?? 0)} verified before it` +
        (summary.lastCheckpointSeq === null ? '.' : ` (last verified checkpoint at seq ${count(summary.lastCheckpointSeq)}).`)
      : 'No record before it verified.';
  output.write(`Journal BROKEN at seq ${count(problem.seq)} (${problem.reason}): ${problem.message} ${verified} Database: ${where}.\n`);
  return 1;
}

/**
 * The configured key's public half (from the private key file, or its `.pub` copy), the keys in
 * the trusted directory (signers.ts: those of a restored journal), plus any extra keys.
 */
export function trustedKeys(paths: AuditVerifyPaths, extraFiles: readonly string[]): KeyObject[] {
  const keys: KeyObject[] = readTrustedKeys(paths.signingKeyFile);
  const publicFile = publicKeyFileOf(paths.signingKeyFile);
  if (fs.existsSync(paths.signingKeyFile)) keys.push(readSigningKey(paths.signingKeyFile).publicKey);
  else if (fs.existsSync(publicFile)) keys.push(toPublicKey(fs.readFileSync(publicFile, 'utf8')));
  else if (extraFiles.length === 0 && keys.length === 0) {
    throw auditError(
      'audit.signing_key_missing',
      `Neither ${paths.signingKeyFile} nor ${publicFile} exists: no key to verify checkpoints with`,
      {
        file: paths.signingKeyFile,
      },
    );
  }
  for (const file of extraFiles) keys.push(toPublicKey(fs.readFileSync(file, 'utf8')));
  return keys;
}

function intactParagraph(s: JournalSummary, where: string): string {
  const seconds = (s.durationMs / 1000).toFixed(1);
  if (s.events === 0) return `Journal intact: no events yet. Database: ${where}.`;
  const checkpoints =
    s.checkpointsVerified === 0
      ? 'no signed checkpoint yet, so nothing is sealed by a signature'
      : `${count(s.checkpointsVerified)} signed checkpoint${s.checkpointsVerified === 1 ? '' : 's'} verified (key ${s.keyIds.join(', ')}` +
        `${s.checkpointEvery === null ? '' : `; one at every ${count(s.checkpointEvery)} events`})${sealed(s)}`;
  return (
    `Journal intact: ${count(s.events)} events, seq ${count(s.firstSeq ?? 0)}–${count(s.lastSeq ?? 0)}, ` +
    `recorded ${s.firstRecordedAt ?? '?'} to ${s.lastRecordedAt ?? '?'}; ${checkpoints}. ` +
    `Tip hash ${s.tipHash}.${subjectIndex(s)} Verified in ${seconds} s (${count(Math.round(s.eventsPerSecond))} events/s). Database: ${where}.`
  );
}

function subjectIndex(s: JournalSummary): string {
  return s.subjectEntries === null ? '' : ` Subject index: ${count(s.subjectEntries)} entries match the records.`;
}

function sealed(s: JournalSummary): string {
  if (s.lastCheckpointSeq === null) return '';
  const unsealed = s.unsealedEvents === 0 ? 'none after it' : `${count(s.unsealedEvents)} after it not yet sealed`;
  return `; last checkpoint at seq ${count(s.lastCheckpointSeq)}, ${unsealed}`;
}

const numberFormat = new Intl.NumberFormat('en-US');

function count(n: number): string {
  return numberFormat.format(n);
}

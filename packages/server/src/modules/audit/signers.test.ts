import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { isVigilError } from '@vigil/core';
import { createBackup, restoreBackup } from '../../storage/backup.js';
import { readBackupTable } from '../../storage/backup-read.js';
import { openSqlite, type DatabaseHandle } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrations.js';
import { Checkpointer } from './checkpoints.js';
import {
  checkRecordedSigner,
  groupedFingerprint,
  normalizeKeyId,
  readTrustedKeys,
  trustedKeyIds,
  trustSigners,
  trustedKeysDirOf,
  untrustedSigners,
  type RecordedSigner,
  type TrustDecision,
} from './signers.js';
import { keyIdOf, loadOrCreateSigningKey, publicKeyFileOf, publicKeyPem } from './signing.js';
import { noted, seedJournal } from './testing.js';
import { runAuditVerify } from './verify-command.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-signers-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A data directory as an installation has it: the database and, once it signs, the key. */
async function installation(name: string): Promise<{ handle: DatabaseHandle; keyFile: string; dir: string }> {
  const dir = path.join(root, name);
  const handle = openSqlite({ file: path.join(dir, 'vigil.db') });
  await migrateToLatest(handle.db, { dialect: 'sqlite' });
  return { handle, keyFile: path.join(dir, 'journal-signing.key'), dir };
}

function output() {
  let text = '';
  return { write: (s: string) => (text += s), text: () => text };
}

const withCode = (code: string) => (e: unknown) => isVigilError(e) && e.code === code;

const decision: TrustDecision = { by: 'cli:auditor', at: '2025-03-04T05:06:07.000Z', backup: '/backups/nightly.db' };

async function recordedSigners(handle: DatabaseHandle): Promise<RecordedSigner[]> {
  const rows = await handle.db.selectFrom('journal_signers').selectAll().orderBy('first_signed_at').execute();
  return rows.map(checkRecordedSigner);
}

/** A signer as a backup of another installation would record it. */
function strangerSigner(): RecordedSigner {
  const { publicKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), publicKeyPem: publicKeyPem(publicKey), firstSignedAt: '2025-01-02T03:04:05.000Z' };
}

describe('journal signers in backups', () => {
  for (const format of ['sqlite', 'logical'] as const) {
    it(`restores a ${format} backup onto a fresh machine whose journal then verifies, without the private key`, async () => {
      const source = await installation(`source-${format}`);
      const key = loadOrCreateSigningKey(source.keyFile);
      const checkpointer = new Checkpointer({ db: source.handle.db, key, every: 10, intervalSeconds: 3600 });
      await seedJournal(source.handle.db, { dialect: 'sqlite', key, events: 35, batch: 4, checkpointEvery: 10 });
      await checkpointer.checkpointTip();
      const file = path.join(root, `backup-${format}.${format === 'sqlite' ? 'db' : 'jsonl'}`);
      await createBackup(source.handle, { file, format, vigilVersion: 'test' });
      await source.handle.close();

      // The backup holds the public key, never the private one.
      const bytes = fs.readFileSync(file).toString('latin1');
      const body = (pem: string) => pem.split('\n').slice(1, -2).join('');
      assert.ok(bytes.includes(body(publicKeyPem(key.publicKey))), 'public key missing from the backup');
      assert.ok(!bytes.includes(body(fs.readFileSync(source.keyFile, 'utf8'))), 'the private key is in the backup');

      // The backup's signers can be read, and checked, before anything is restored.
      const inBackup = (await readBackupTable(file, 'journal_signers')).map(checkRecordedSigner);
      assert.deepEqual(
        inBackup.map((s) => s.keyId),
        [key.keyId],
      );

      const fresh = await installation(`fresh-${format}`);
      try {
        assert.deepEqual(untrustedSigners(inBackup, fresh.keyFile), inBackup, 'a fresh machine trusts no key of the backup');
        await restoreBackup(fresh.handle, file);
        // Restored but nothing trusted yet: there is no key to verify with.
        await assert.rejects(
          runAuditVerify(fresh.handle, { signingKeyFile: fresh.keyFile }, output()),
          withCode('audit.signing_key_missing'),
        );

        const trusted = trustSigners(inBackup, fresh.keyFile, decision);
        assert.deepEqual(
          trusted.map((s) => s.file),
          [path.join(trustedKeysDirOf(fresh.keyFile), `${key.keyId}.pub`)],
        );
        assert.deepEqual(untrustedSigners(inBackup, fresh.keyFile), []);
        const out = output();
        assert.equal(await runAuditVerify(fresh.handle, { signingKeyFile: fresh.keyFile }, out, { checkpointEvery: 10 }), 0, out.text());
        assert.match(out.text(), new RegExp(`^Journal intact: 35 events.*key ${key.keyId}`));

        // The restored server signs with a key of its own from now on; both verify.
        const newKey = loadOrCreateSigningKey(fresh.keyFile);
        const next = new Checkpointer({ db: fresh.handle.db, key: newKey, every: 10, intervalSeconds: 3600 });
        const { journal } = await seedJournal(fresh.handle.db, {
          dialect: 'sqlite',
          key: newKey,
          events: 0,
          batch: 1,
          checkpointEvery: 10,
        });
        await journal.appendNow(
          fresh.handle.db,
          Array.from({ length: 10 }, (_, n) => noted.draft({ site: null, source: 'test' }, { n })),
        );
        await next.checkpointTip();
        const again = output();
        assert.equal(
          await runAuditVerify(fresh.handle, { signingKeyFile: fresh.keyFile }, again, { checkpointEvery: 10 }),
          0,
          again.text(),
        );
        assert.match(again.text(), new RegExp(`key ${[key.keyId, newKey.keyId].sort().join(', ')}`));
        // The old key is trusted through its file, the new one as the installation's own.
        const signers = await recordedSigners(fresh.handle);
        assert.deepEqual(signers.map((s) => s.keyId).sort(), [key.keyId, newKey.keyId].sort());
        assert.deepEqual(untrustedSigners(signers, fresh.keyFile), []);
      } finally {
        await fresh.handle.close();
      }
    });
  }

  it('refuses a recorded signer whose key does not match its id', async () => {
    const source = await installation('tampered');
    try {
      const key = loadOrCreateSigningKey(source.keyFile);
      await seedJournal(source.handle.db, { dialect: 'sqlite', key, events: 10, batch: 5, checkpointEvery: 5 });
      assert.deepEqual(
        (await recordedSigners(source.handle)).map((s) => s.keyId),
        [key.keyId],
      );
      const stranger = publicKeyPem(generateKeyPairSync('ed25519').publicKey);
      await source.handle.db.updateTable('journal_signers').set({ public_key: stranger }).execute();
      await assert.rejects(recordedSigners(source.handle), withCode('audit.signer_invalid'));
      assert.throws(
        () => checkRecordedSigner({ key_id: key.keyId, public_key: 'not a key', first_signed_at: '' }),
        withCode('audit.signer_invalid'),
      );
    } finally {
      await source.handle.close();
    }
  });
});

describe('trusting signers', () => {
  it("trusts the installation's own key, from the private key or only its .pub copy, and the trusted directory's keys", () => {
    const dir = fs.mkdtempSync(path.join(root, 'own-'));
    const keyFile = path.join(dir, 'journal-signing.key');
    assert.deepEqual([...trustedKeyIds(keyFile)], [], 'a machine without keys trusts none');
    const own = loadOrCreateSigningKey(keyFile);
    assert.deepEqual([...trustedKeyIds(keyFile)], [own.keyId]);
    // An auditor's machine holds only the public half.
    fs.rmSync(keyFile);
    assert.deepEqual([...trustedKeyIds(keyFile)], [own.keyId]);
    fs.rmSync(publicKeyFileOf(keyFile));

    const stranger = strangerSigner();
    const other = strangerSigner();
    assert.deepEqual(untrustedSigners([stranger, other], keyFile), [stranger, other]);
    trustSigners([stranger], keyFile, decision);
    assert.deepEqual(untrustedSigners([stranger, other], keyFile), [other]);
  });

  it('records the decision in the key file, which stays a public key every PEM reader takes', () => {
    const dir = fs.mkdtempSync(path.join(root, 'record-'));
    const keyFile = path.join(dir, 'journal-signing.key');
    const signer = strangerSigner();
    // A backup path that tries to end the comment and slip in a key of its own.
    const sneaky = strangerSigner();
    const backup = `/backups/x\n${sneaky.publicKeyPem}`;
    const [written] = trustSigners([signer], keyFile, { ...decision, backup });
    const text = fs.readFileSync(written!.file, 'utf8');
    assert.ok(text.endsWith(signer.publicKeyPem), text);
    const comments = text.slice(0, text.length - signer.publicKeyPem.length).split('\n');
    assert.deepEqual(comments.slice(1, -1), [
      `# key id: ${signer.keyId}`,
      '# first signed: "2025-01-02T03:04:05.000Z"',
      '# confirmed by: "cli:auditor"',
      '# confirmed at: "2025-03-04T05:06:07.000Z"',
      `# backup: ${JSON.stringify(backup)}`,
    ]);
    assert.deepEqual(readTrustedKeys(keyFile).map(keyIdOf), [signer.keyId]);
    assert.equal((fs.statSync(written!.file).mode & 0o777).toString(8), '644');
    // A file of that name is never replaced.
    assert.throws(() => trustSigners([signer], keyFile, decision), /EEXIST/);
    assert.equal(fs.readFileSync(written!.file, 'utf8'), text);
  });

  it('reads a key id whole, in either case, grouped or not, and refuses an abbreviated one', () => {
    const { keyId } = strangerSigner();
    const grouped = groupedFingerprint(keyId);
    assert.match(grouped, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    assert.equal(grouped.replaceAll(' ', ''), keyId);
    assert.equal(normalizeKeyId(keyId), keyId);
    assert.equal(normalizeKeyId(grouped.toUpperCase()), keyId);
    assert.equal(normalizeKeyId(grouped.replaceAll(' ', ':')), keyId);
    assert.equal(normalizeKeyId(keyId.slice(0, 16)), null);
    assert.equal(normalizeKeyId(`${keyId}0`), null);
    assert.equal(normalizeKeyId(`${keyId.slice(0, 63)}g`), null);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { isVigilError } from '@vigil/core';
import { createBackup, restoreBackup } from '../../storage/backup.js';
import { openSqlite, type DatabaseHandle } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrations.js';
import { Checkpointer } from './checkpoints.js';
import { trustRecordedSigners, trustedKeysDirOf } from './signers.js';
import { loadOrCreateSigningKey, publicKeyPem } from './signing.js';
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

      const fresh = await installation(`fresh-${format}`);
      try {
        await restoreBackup(fresh.handle, file);
        // Restored but nothing trusted yet: there is no key to verify with.
        await assert.rejects(
          runAuditVerify(fresh.handle, { signingKeyFile: fresh.keyFile }, output()),
          withCode('audit.signing_key_missing'),
        );

        const trusted = await trustRecordedSigners(fresh.handle.db, fresh.keyFile);
        assert.deepEqual(
          trusted.map((s) => [s.keyId, s.added]),
          [[key.keyId, true]],
        );
        assert.equal(fs.readFileSync(path.join(trustedKeysDirOf(fresh.keyFile), `${key.keyId}.pub`), 'utf8'), publicKeyPem(key.publicKey));
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
        assert.deepEqual((await trustRecordedSigners(fresh.handle.db, fresh.keyFile)).map((s) => s.added).sort(), [false, true]);
      } finally {
        await fresh.handle.close();
      }
    });
  }

  it('refuses a recorded signer whose key does not match its id, trusting nothing', async () => {
    const source = await installation('tampered');
    try {
      const key = loadOrCreateSigningKey(source.keyFile);
      await seedJournal(source.handle.db, { dialect: 'sqlite', key, events: 10, batch: 5, checkpointEvery: 5 });
      const stranger = publicKeyPem(generateKeyPairSync('ed25519').publicKey);
      await source.handle.db.updateTable('journal_signers').set({ public_key: stranger }).execute();
      const keyFile = path.join(source.dir, 'elsewhere', 'journal-signing.key');
      await assert.rejects(trustRecordedSigners(source.handle.db, keyFile), withCode('audit.signer_invalid'));
      assert.equal(fs.existsSync(trustedKeysDirOf(keyFile)), false);
    } finally {
      await source.handle.close();
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { canonicalJson } from './chain.js';
import { loadOrCreateSigningKey, publicKeyFileOf } from './signing.js';
import { resetJournal, seedJournal } from './testing.js';
import { runAuditVerify } from './verify-command.js';

eachDatabase('vigil audit verify', (t, dialect) => {
  const capture = () => {
    let text = '';
    return { write: (chunk: string) => (text += chunk), text: () => text };
  };
  const keyFile = () => path.join(t().dir, 'data', 'journal-signing.key');

  beforeEach(async () => {
    const { db } = t().handle;
    await resetJournal(db);
    await seedJournal(db, { dialect, key: loadOrCreateSigningKey(keyFile()), events: 25, batch: 5, checkpointEvery: 10 });
  });

  it('exits 0 with a one-paragraph summary when the journal is intact', async () => {
    const output = capture();
    const code = await runAuditVerify(t().handle, { signingKeyFile: keyFile() }, output, { checkpointEvery: 10 });
    assert.equal(code, 0);
    const text = output.text();
    assert.match(text, /^Journal intact: 25 events, seq 1–25,/);
    assert.match(text, /2 signed checkpoints verified \(key [0-9a-f]{64}; one at every 10 events\)/);
    assert.match(text, /last checkpoint at seq 20, 5 after it not yet sealed/);
    assert.equal(text.trim().split('\n').length, 1);
  });

  it('exits 1 naming the first bad record', async () => {
    await t()
      .handle.db.updateTable('journal_events')
      .set({ data: canonicalJson({ n: -1 }) })
      .where('seq', '=', 12)
      .execute();
    const output = capture();
    const code = await runAuditVerify(t().handle, { signingKeyFile: keyFile() }, output);
    assert.equal(code, 1);
    assert.match(output.text(), /^Journal BROKEN at seq 12 \(modified\): Record 12 was modified/);
    assert.match(output.text(), /Records 1–11 verified before it \(last verified checkpoint at seq 10\)/);
  });

  it('exits 1 when a checkpoint due at a multiple of checkpointEvery is gone', async () => {
    await t().handle.db.deleteFrom('journal_checkpoints').where('seq', '=', 20).execute();
    const output = capture();
    assert.equal(await runAuditVerify(t().handle, { signingKeyFile: keyFile() }, output, { checkpointEvery: 10 }), 1);
    assert.match(output.text(), /^Journal BROKEN at seq 20 \(checkpoint_missing\)/);
  });

  it('verifies with the published public key alone, as an auditor without the private key would', async () => {
    const auditorDir = path.join(t().dir, 'auditor');
    fs.mkdirSync(auditorDir, { recursive: true });
    const copied = path.join(auditorDir, 'journal-signing.key');
    fs.copyFileSync(publicKeyFileOf(keyFile()), publicKeyFileOf(copied));
    assert.equal(await runAuditVerify(t().handle, { signingKeyFile: copied }, capture()), 0);
  });

  it('refuses to run without any key to check signatures with', async () => {
    await assert.rejects(
      runAuditVerify(t().handle, { signingKeyFile: path.join(t().dir, 'nowhere', 'journal-signing.key') }, capture()),
      (e) => isVigilError(e) && e.code === 'audit.signing_key_missing',
    );
  });
});

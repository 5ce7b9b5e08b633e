import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { eachDatabase } from '../../storage/testing.js';
import { signCheckpoint, type SigningKey } from './signing.js';
import { noted, resetJournal, seedJournal, testSigningKey } from './testing.js';
import { verifyJournal, type JournalVerification } from './verify.js';

// The journal is written with checkpointEvery 10 (seq 1–25: checkpoints at 10 and 20), then the
// operator lowers the setting to 3 and the server appends seq 26–40 (checkpoints at 27, 30, …, 39).
eachDatabase('journal checkpoint interval', (t, dialect) => {
  let key: SigningKey;
  let db: Kysely<Database>;

  const verify = (checkpointEvery: number) => verifyJournal(db, { publicKeys: [key.publicKey], pageSize: 4, checkpointEvery });
  const checkpoints = async () =>
    (await db.selectFrom('journal_checkpoints').select(['seq', 'checkpoint_every']).orderBy('seq').execute()).map((c) => [
      c.seq,
      c.checkpoint_every,
    ]);
  const assertIntact = (result: JournalVerification) => assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
  const assertBroken = (result: JournalVerification, reason: string, seq: number) => {
    assert.equal(result.intact, false, 'tampering went undetected');
    if (!result.intact) assert.deepEqual([result.problem.reason, result.problem.seq], [reason, seq], result.problem.message);
  };

  beforeEach(async () => {
    db = t().handle.db;
    key ??= testSigningKey(t().dir);
    await resetJournal(db);
    await seedJournal(db, { dialect, key, events: 25, batch: 4, checkpointEvery: 10 });
  });

  it('records the interval in force with each checkpoint', async () => {
    assert.deepEqual(await checkpoints(), [
      [10, 10],
      [20, 10],
    ]);
  });

  it('verifies a journal written with 10 after the setting was lowered to 3, before and after new appends', async () => {
    assertIntact(await verify(3));
    const { journal } = await seedJournal(db, { dialect, key, events: 0, batch: 1, checkpointEvery: 3 });
    await seedMore(journal, 15);
    assert.deepEqual(
      (await checkpoints()).map(([seq]) => seq),
      [10, 20, 27, 30, 33, 36, 39],
    );
    const result = await verify(3);
    assertIntact(result);
    assert.equal(result.summary.checkpointsVerified, 7);
    assert.equal(result.summary.checkpointEvery, 3);
    // Raising it again is followed the same way.
    assertIntact(await verify(1000));
  });

  it('still detects a deleted checkpoint on either side of the change', async () => {
    const { journal } = await seedJournal(db, { dialect, key, events: 0, batch: 1, checkpointEvery: 3 });
    await seedMore(journal, 15);
    await db.deleteFrom('journal_checkpoints').where('seq', '=', 33).execute();
    assertBroken(await verify(3), 'checkpoint_missing', 33);
    await db.deleteFrom('journal_checkpoints').where('seq', '>=', 20).execute();
    assertBroken(await verify(3), 'checkpoint_missing', 20);
  });

  it('detects a stored interval that was altered (it is signed)', async () => {
    await db.updateTable('journal_checkpoints').set({ checkpoint_every: 20 }).where('seq', '=', 20).execute();
    assertBroken(await verify(10), 'checkpoint_signature', 20);
    // Removing it instead makes the signature a v1 statement, which it is not.
    await db.updateTable('journal_checkpoints').set({ checkpoint_every: null }).where('seq', '=', 20).execute();
    assertBroken(await verify(10), 'checkpoint_signature', 20);
  });

  it('reads checkpoints written before the interval was recorded as the configured interval', async () => {
    // Re-sign both checkpoints the way they were signed before (v1 statement, no interval column).
    for (const checkpoint of await db.selectFrom('journal_checkpoints').selectAll().execute()) {
      const signature = signCheckpoint(key, { seq: checkpoint.seq, hash: checkpoint.hash, signedAt: checkpoint.signed_at });
      await db.updateTable('journal_checkpoints').set({ signature, checkpoint_every: null }).where('seq', '=', checkpoint.seq).execute();
    }
    assertIntact(await verify(10));
    assertBroken(await verify(5), 'checkpoint_missing', 5);
    await db.deleteFrom('journal_checkpoints').where('seq', '=', 10).execute();
    assertBroken(await verify(10), 'checkpoint_missing', 10);
  });

  async function seedMore(journal: Awaited<ReturnType<typeof seedJournal>>['journal'], events: number): Promise<void> {
    for (let i = 0; i < events; i += 2) {
      const size = Math.min(2, events - i);
      await journal.appendNow(
        db,
        Array.from({ length: size }, (_, k) => noted.draft({ site: null, source: 'test' }, { n: 100 + i + k })),
      );
    }
  }
});

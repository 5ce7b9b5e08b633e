import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { EventCatalogue } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { eachDatabase } from '../../storage/testing.js';
import { Checkpointer } from './checkpoints.js';
import { Journal } from './journal.js';
import { checkpointSignatureValid, type SigningKey } from './signing.js';
import { noted, resetJournal, testSigningKey } from './testing.js';

eachDatabase('journal checkpoints', (t, dialect) => {
  let key: SigningKey;
  let db: Kysely<Database>;
  const drafts = (count: number) => Array.from({ length: count }, (_, i) => noted.draft({ site: null, source: 'test' }, { n: i }));
  const checkpoints = () => db.selectFrom('journal_checkpoints').selectAll().orderBy('seq').execute();
  const head = () => db.selectFrom('journal_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  const setup = (options: { every?: number; intervalSeconds?: number; clock?: () => Date } = {}) => {
    const checkpointer = new Checkpointer({
      db,
      key,
      every: options.every ?? 5,
      intervalSeconds: options.intervalSeconds ?? 3600,
      ...options,
    });
    const journal = new Journal({ catalogue: new EventCatalogue().register(noted), afterAppend: checkpointer.afterAppend, dialect });
    return { checkpointer, journal };
  };

  beforeEach(async () => {
    db = t().handle.db;
    key ??= testSigningKey(t().dir);
    await resetJournal(db);
  });

  it('signs every multiple of checkpointEvery, in the append that reaches it', async () => {
    const signedAt = new Date('2025-06-01T12:00:00.000Z');
    const { journal } = setup({ every: 5, clock: () => signedAt });
    await journal.appendNow(db, drafts(3));
    assert.deepEqual(await checkpoints(), []);
    await journal.appendNow(db, drafts(3)); // 4..6 reaches 5
    await journal.appendNow(db, drafts(3)); // 7..9 reaches none
    await journal.appendNow(db, drafts(7)); // 10..16 reaches 10 and 15
    const rows = await checkpoints();
    assert.deepEqual(
      rows.map((c) => c.seq),
      [5, 10, 15],
    );
    for (const checkpoint of rows) {
      const record = await db.selectFrom('journal_events').select('hash').where('seq', '=', checkpoint.seq).executeTakeFirstOrThrow();
      assert.equal(checkpoint.hash, record.hash);
      assert.equal(checkpoint.key_id, key.keyId);
      assert.equal(checkpoint.signed_at, signedAt.toISOString());
      assert.equal(checkpoint.checkpoint_every, 5);
      const claim = { seq: checkpoint.seq, hash: checkpoint.hash, signedAt: checkpoint.signed_at, every: checkpoint.checkpoint_every };
      assert.equal(checkpointSignatureValid(key.publicKey, claim, checkpoint.signature), true);
    }
  });

  it('writes the checkpoint in the append transaction, so it rolls back with it', async () => {
    const { journal } = setup({ every: 2 });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await journal.record(trx, drafts(3));
        const inside = await trx.selectFrom('journal_checkpoints').select('seq').execute();
        assert.deepEqual(
          inside.map((c) => c.seq),
          [2],
        );
        throw new Error('state change failed');
      }),
      /state change failed/,
    );
    assert.deepEqual(await checkpoints(), []);
    assert.equal((await head()).seq, 0);
    await journal.appendNow(db, drafts(2));
    assert.deepEqual(
      (await checkpoints()).map((c) => c.seq),
      [2],
    );
  });

  it('signs a pending tip on demand, and only once', async () => {
    const { journal, checkpointer } = setup({ every: 1000 });
    assert.equal(await checkpointer.checkpointTip(), null, 'an empty journal has nothing to seal');
    await journal.appendNow(db, drafts(4));
    const sealed = await checkpointer.checkpointTip();
    assert.equal(sealed?.seq, 4);
    assert.equal(sealed.hash, (await head()).hash);
    assert.equal(await checkpointer.checkpointTip(), null);
    await journal.appendNow(db, drafts(1));
    assert.equal((await checkpointer.checkpointTip())?.seq, 5);
  });

  it('seals the tip on a timer while running, and once more when stopped', async () => {
    const { journal, checkpointer } = setup({ every: 1000, intervalSeconds: 0.02 });
    checkpointer.start();
    try {
      await journal.appendNow(db, drafts(2));
      for (let i = 0; i < 500 && (await checkpoints()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(
        (await checkpoints()).map((c) => c.seq),
        [2],
      );
      await journal.appendNow(db, drafts(1));
    } finally {
      await checkpointer.stop();
    }
    assert.equal((await checkpoints()).at(-1)?.seq, 3);
    await journal.appendNow(db, drafts(1));
    await new Promise((r) => setTimeout(r, 60));
    assert.equal((await checkpoints()).at(-1)?.seq, 3, 'a stopped checkpointer signs nothing more');
  });

  it('reports a failed timed checkpoint and keeps running', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const failing = {
      ...key,
      get privateKey() {
        if (fail) throw new Error('key unavailable');
        return key.privateKey;
      },
    } as SigningKey;
    const checkpointer = new Checkpointer({ db, key: failing, every: 1000, intervalSeconds: 0.02, onError: (e) => errors.push(e) });
    const journal = new Journal({ catalogue: new EventCatalogue().register(noted), dialect });
    await journal.appendNow(db, drafts(1));
    checkpointer.start();
    try {
      for (let i = 0; i < 500 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.match(String(errors[0]), /key unavailable/);
      fail = false;
      for (let i = 0; i < 500 && (await checkpoints()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal((await checkpoints())[0]?.seq, 1);
    } finally {
      await checkpointer.stop();
    }
  });
});

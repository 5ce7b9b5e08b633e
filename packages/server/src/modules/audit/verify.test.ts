import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { eachDatabase } from '../../storage/testing.js';
import { canonicalJson, recordHash } from './chain.js';
import { rowToChained } from './journal.js';
import { signCheckpoint, type SigningKey } from './signing.js';
import { noted, resetJournal, seedJournal, testSigningKey } from './testing.js';
import { verifyJournal, type BreakReason, type JournalVerification } from './verify.js';

// 20 events appended 3 at a time (the batches end at seq 3, 6, 9, 12, 15, 18, 20) with a
// checkpoint at every multiple of 4.
const EVENTS = 20;
const EVERY = 4;
const CHECKPOINTS = [4, 8, 12, 16, 20];

eachDatabase('journal verification', (t, dialect) => {
  let key: SigningKey;
  let db: Kysely<Database>;

  const verify = (publicKeys = [key.publicKey]) => verifyJournal(db, { publicKeys, pageSize: 3, checkpointEvery: EVERY });
  const row = (seq: number) => db.selectFrom('journal_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const setHead = async (seq: number, hash: string) => {
    await db.updateTable('journal_head').set({ seq, hash }).where('id', '=', 1).execute();
  };
  /** Adds `by` to the seq of every record from `from` on (in two steps, so no seq collides midway). */
  const shiftSeq = async (from: number, by: number) => {
    await db
      .updateTable('journal_events')
      .set((eb) => ({ seq: eb.neg(eb.ref('seq')) }))
      .where('seq', '>=', from)
      .execute();
    await db
      .updateTable('journal_events')
      .set((eb) => ({ seq: eb(eb.neg(eb.ref('seq')), '+', by) }))
      .where('seq', '<', 0)
      .execute();
  };
  const assertBroken = (result: JournalVerification, reason: BreakReason, seq: number) => {
    assert.equal(result.intact, false, 'tampering went undetected');
    if (result.intact) return;
    assert.deepEqual({ reason: result.problem.reason, seq: result.problem.seq }, { reason, seq }, result.problem.message);
    assert.match(result.problem.message, new RegExp(`\\b${seq}\\b`));
  };

  beforeEach(async () => {
    db = t().handle.db;
    key ??= testSigningKey(t().dir);
    await resetJournal(db);
    await seedJournal(db, { dialect, key, events: EVENTS, batch: 3, checkpointEvery: EVERY });
  });

  it('passes an intact journal with the right counts', async () => {
    const result = await verify();
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
    const head = await db.selectFrom('journal_head').selectAll().executeTakeFirstOrThrow();
    const { summary } = result;
    assert.equal(summary.events, EVENTS);
    assert.equal(summary.firstSeq, 1);
    assert.equal(summary.lastSeq, EVENTS);
    assert.equal(summary.checkpointsVerified, CHECKPOINTS.length);
    assert.deepEqual(
      (await db.selectFrom('journal_checkpoints').select('seq').orderBy('seq').execute()).map((c) => c.seq),
      CHECKPOINTS,
    );
    assert.equal(summary.lastCheckpointSeq, 20);
    assert.equal(summary.unsealedEvents, 0);
    assert.deepEqual(summary.keyIds, [key.keyId]);
    assert.equal(summary.tipHash, head.hash);
    assert.equal(summary.firstRecordedAt, (await row(1)).recorded_at);
    assert.equal(summary.lastRecordedAt, (await row(EVENTS)).recorded_at);
  });

  it('passes an empty journal', async () => {
    await resetJournal(db);
    const result = await verify();
    assert.equal(result.intact, true);
    assert.equal(result.summary.events, 0);
    assert.equal(result.summary.lastSeq, null);
  });

  it('reports progress page by page', async () => {
    const seen: number[] = [];
    await verifyJournal(db, { publicKeys: [key.publicKey], pageSize: 8, onProgress: (p) => seen.push(p.verified) });
    assert.deepEqual(seen, [8, 16, 20]);
  });

  it('detects a modified record', async () => {
    await db
      .updateTable('journal_events')
      .set({ data: canonicalJson({ n: 999 }) })
      .where('seq', '=', 7)
      .execute();
    assertBroken(await verify(), 'modified', 7);
  });

  it('detects a modified envelope field and a modified link', async () => {
    await db.updateTable('journal_events').set({ site: 'elsewhere' }).where('seq', '=', 13).execute();
    assertBroken(await verify(), 'modified', 13);
    await resetJournal(db);
    await seedJournal(db, { dialect, key, events: EVENTS, batch: 3, checkpointEvery: EVERY });
    await db
      .updateTable('journal_events')
      .set({ prev_hash: 'e'.repeat(64) })
      .where('seq', '=', 5)
      .execute();
    assertBroken(await verify(), 'modified', 5);
  });

  it('detects a deleted record in the middle (a gap in seq)', async () => {
    await db.deleteFrom('journal_events').where('seq', '=', 7).execute();
    assertBroken(await verify(), 'deleted', 7);
  });

  it('detects a deleted record even when the later ones were renumbered to close the gap', async () => {
    await db.deleteFrom('journal_events').where('seq', '=', 7).execute();
    await shiftSeq(8, -1);
    await setHead(EVENTS - 1, (await row(EVENTS - 1)).hash);
    assertBroken(await verify(), 'deleted', 7);
  });

  it('detects deleted records at the tail through the head', async () => {
    await db.deleteFrom('journal_events').where('seq', '>', 17).execute();
    assertBroken(await verify(), 'head_mismatch', 18);
  });

  it('detects deleted records at the tail through a signed checkpoint when the head was rewritten too', async () => {
    await db.deleteFrom('journal_events').where('seq', '>', 17).execute();
    await setHead(17, (await row(17)).hash);
    const result = await verify();
    assertBroken(result, 'checkpoint_beyond_tip', 18);
    assert.equal(result.intact ? null : result.problem.checkpointSeq, 20);
  });

  it('detects a forged record inserted in the middle, even one chained correctly', async () => {
    await shiftSeq(7, 1);
    const before = await row(6);
    const forged = { ...rowToChained(await row(8)), seq: 7, id: '0190a0e0-0000-7000-8000-00000000f0f0', data: canonicalJson({ n: 7000 }) };
    const hash = recordHash(before.hash, forged);
    await db
      .insertInto('journal_events')
      .values({
        seq: 7,
        id: forged.id,
        type: forged.type,
        at: forged.at,
        recorded_at: forged.recordedAt,
        site: forged.site,
        source: forged.source,
        subject: null,
        zone: null,
        door: null,
        correlation_id: null,
        data: forged.data,
        prev_hash: before.hash,
        hash,
      })
      .execute();
    await setHead(EVENTS + 1, (await row(EVENTS + 1)).hash);
    assertBroken(await verify(), 'inserted', 7);
  });

  it('detects a record appended behind the journal (the head does not name it)', async () => {
    const tip = await row(EVENTS);
    const forged = { ...rowToChained(tip), seq: EVENTS + 1, id: '0190a0e0-0000-7000-8000-00000000f0f1' };
    await db
      .insertInto('journal_events')
      .values({ ...tip, seq: forged.seq, id: forged.id, prev_hash: tip.hash, hash: recordHash(tip.hash, forged) })
      .execute();
    assertBroken(await verify(), 'head_mismatch', EVENTS + 1);
  });

  it('detects two records whose order was swapped', async () => {
    await db.updateTable('journal_events').set({ seq: -1 }).where('seq', '=', 7).execute();
    await db.updateTable('journal_events').set({ seq: 7 }).where('seq', '=', 8).execute();
    await db.updateTable('journal_events').set({ seq: 8 }).where('seq', '=', -1).execute();
    assertBroken(await verify(), 'reordered', 7);
  });

  it('detects a deleted checkpoint', async () => {
    await db.deleteFrom('journal_checkpoints').where('seq', '=', 12).execute();
    assertBroken(await verify(), 'checkpoint_missing', 12);
  });

  it('detects an altered checkpoint signature', async () => {
    const forgedSignature = signCheckpoint(key, { seq: 8, hash: 'ab'.repeat(32), signedAt: new Date().toISOString() });
    await db.updateTable('journal_checkpoints').set({ signature: forgedSignature }).where('seq', '=', 8).execute();
    assertBroken(await verify(), 'checkpoint_signature', 8);
  });

  it('detects history rewritten consistently after a checkpoint, at the next checkpoint', async () => {
    // An attacker without the key edits record 13 and recomputes every later hash and the head.
    await db
      .updateTable('journal_events')
      .set({ data: canonicalJson({ n: 1300 }) })
      .where('seq', '=', 13)
      .execute();
    let prev = (await row(12)).hash;
    for (let seq = 13; seq <= EVENTS; seq++) {
      const hash = recordHash(prev, rowToChained(await row(seq)));
      await db.updateTable('journal_events').set({ prev_hash: prev, hash }).where('seq', '=', seq).execute();
      prev = hash;
    }
    await setHead(EVENTS, prev);
    const result = await verify();
    assertBroken(result, 'checkpoint_mismatch', 16);
    assert.equal(result.summary.lastCheckpointSeq, 12);
    // Deleting the checkpoints that give it away does not help: one is due at every multiple of 4.
    await db.deleteFrom('journal_checkpoints').where('seq', '>', 12).execute();
    assertBroken(await verify(), 'checkpoint_missing', 16);
  });

  it('rejects checkpoints signed by a key that is not trusted', async () => {
    const stranger = testSigningKey(t().dir, 'stranger.key');
    assertBroken(await verify([stranger.publicKey]), 'checkpoint_unknown_key', 4);
  });

  it('detects an altered journal head', async () => {
    await setHead(EVENTS, 'f'.repeat(64));
    assertBroken(await verify(), 'head_mismatch', EVENTS);
  });

  it('verifies records appended while it runs, without a false alarm', async () => {
    const { journal } = await seedJournal(db, { dialect, key, events: 0, batch: 1, checkpointEvery: EVERY });
    const appends: Promise<unknown>[] = [];
    const result = await verifyJournal(db, {
      publicKeys: [key.publicKey],
      pageSize: 4,
      checkpointEvery: EVERY,
      onProgress: () => {
        if (appends.length < 3) appends.push(journal.appendNow(db, [noted.draft({ site: null, source: 'test' }, { n: 0 })]));
      },
    });
    await Promise.all(appends);
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
    assert.ok(result.summary.events >= EVENTS);
    const after = await verify();
    assert.equal(after.intact, true);
    assert.equal(after.summary.events, EVENTS + 3);
  });
});

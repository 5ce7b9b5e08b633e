import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EventCatalogue, Type, defineEvent, isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { Journal, rowToChained } from './journal.js';
import { verifyJournal } from './verify.js';

const noted = defineEvent('test.noted', 'A test fact', Type.Object({ n: Type.Integer() }, { additionalProperties: false }));

eachDatabase('journal append', (t, dialect) => {
  const journal = new Journal({ catalogue: new EventCatalogue().register(noted), dialect });

  it('chains each record to the previous one', async () => {
    const { db } = t().handle;
    await journal.appendNow(db, [
      noted.draft({ site: null, source: 'test' }, { n: 1 }),
      noted.draft({ site: 's1', source: 'test' }, { n: 2 }),
    ]);
    await journal.appendNow(db, [noted.draft({ site: null, source: 'test' }, { n: 3 })]);
    const rows = await db.selectFrom('journal_events').selectAll().orderBy('seq').execute();
    assert.deepEqual(
      rows.map((r) => r.seq),
      [1, 2, 3],
    );
    let prev = GENESIS_HASH;
    for (const row of rows) {
      assert.equal(row.prev_hash, prev);
      assert.equal(row.hash, recordHash(prev, rowToChained(row)));
      prev = row.hash;
    }
    const head = await db.selectFrom('journal_head').selectAll().executeTakeFirstOrThrow();
    assert.equal(head.seq, 3);
    assert.equal(head.hash, prev);
  });

  it('rejects a batch with one invalid event and writes none of it', async () => {
    const { db } = t().handle;
    const before = await db
      .selectFrom('journal_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(
      journal.appendNow(db, [
        noted.draft({ site: null, source: 'test' }, { n: 4 }),
        { type: 'test.noted', site: null, source: 'test', data: { n: 'x' } },
      ]),
      (e) => isVigilError(e) && e.code === 'validation.failed',
    );
    const afterCount = await db
      .selectFrom('journal_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });

  it('stores an event with a given id once, however often it is delivered', async () => {
    const { db } = t().handle;
    const draft = { ...noted.draft({ site: null, source: 'edge:1' }, { n: 9 }), id: '0190a0e0-0000-7000-8000-000000000001' };
    const first = await journal.appendNow(db, [draft]);
    const second = await journal.appendNow(db, [draft, draft]);
    assert.equal(first[0]?.id, draft.id);
    assert.equal(second[0]?.id, draft.id);
    const rows = await db.selectFrom('journal_events').select('id').where('id', '=', draft.id).execute();
    assert.equal(rows.length, 1);
  });

  it('rolls the event back with the state change when the transaction fails', async () => {
    const { db } = t().handle;
    const head = await db.selectFrom('journal_head').selectAll().executeTakeFirstOrThrow();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await journal.record(trx, noted.draft({ site: null, source: 'test' }, { n: 10 }));
        throw new Error('state change failed');
      }),
    );
    const after = await db.selectFrom('journal_head').selectAll().executeTakeFirstOrThrow();
    assert.equal(after.seq, head.seq);
  });

  it('keeps one gapless chain when several server nodes append in turn and at once', async () => {
    const { db } = t().handle;
    const nodes = [0, 1, 2].map(() => new Journal({ catalogue: new EventCatalogue().register(noted), dialect }));
    const before = await db.selectFrom('journal_head').select('seq').executeTakeFirstOrThrow();
    for (let round = 0; round < 3; round++) {
      for (const node of nodes) await node.appendNow(db, [noted.draft({ site: null, source: 'test' }, { n: round })]);
    }
    await Promise.all(
      nodes.flatMap((node, i) => [1, 2, 3].map((n) => node.appendNow(db, [noted.draft({ site: null, source: `node-${i}` }, { n })]))),
    );
    const result = await verifyJournal(db, { publicKeys: [] });
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
    assert.equal(result.summary.lastSeq, before.seq + 9 + 9);
  });
});

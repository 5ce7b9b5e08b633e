/**
 * Events that name further subjects (a batch event naming every person it covers): the journal
 * indexes them, a search by subject finds the event under each, and verification checks the
 * index against the hashed data.
 */
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { EventCatalogue, Type, defineEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { eachDatabase } from '../../storage/testing.js';
import { Journal } from './journal.js';
import { searchJournal } from './search.js';
import { noted, resetJournal } from './testing.js';
import { verifyJournal, type JournalVerification } from './verify.js';

const grouped = defineEvent(
  'test.grouped',
  'A test fact about several members',
  Type.Object({ members: Type.Array(Type.String()) }, { additionalProperties: false }),
  { subjects: (data) => data.members },
);
const catalogue = new EventCatalogue().register(noted, grouped);

eachDatabase('journal: further subjects', (t, dialect) => {
  let db: Kysely<Database>;
  let journal: Journal;
  const verify = (checkIndex = true) =>
    verifyJournal(db, { publicKeys: [], pageSize: 2, ...(checkIndex ? { subjectsOf: (type) => catalogue.subjectsOf(type) } : {}) });
  const subjectsOf = async (seq: number) =>
    (await db.selectFrom('journal_event_subjects').select('subject').where('seq', '=', seq).execute()).map((r) => r.subject).sort();
  const seqsFor = async (subject: string) => (await searchJournal(db, { subject })).events.map((e) => e.seq);
  const assertIndexBroken = (result: JournalVerification, seq: number, pattern: RegExp) => {
    assert.equal(result.intact, false, 'the index change went undetected');
    if (result.intact) return;
    assert.deepEqual({ reason: result.problem.reason, seq: result.problem.seq }, { reason: 'subject_index', seq }, result.problem.message);
    assert.match(result.problem.message, pattern);
  };

  beforeEach(async () => {
    db = t().handle.db;
    await resetJournal(db);
    journal = new Journal({ catalogue, dialect });
    // seq 1 noted about a; seq 2 grouped, subject a, members a b c (b repeated); seq 3 noted about
    // c; seq 4 grouped with no envelope subject, members d and b.
    await journal.appendNow(db, [
      noted.draft({ site: 's', source: 'test', subject: 'a' }, { n: 1 }),
      grouped.draft({ site: 's', source: 'test', subject: 'a' }, { members: ['a', 'b', 'c', 'b'] }),
    ]);
    await journal.appendNow(db, [noted.draft({ site: 's', source: 'test', subject: 'c' }, { n: 3 })]);
    await journal.appendNow(db, [grouped.draft({ site: 's', source: 'test' }, { members: ['d', 'b'] })]);
  });

  it('indexes each further subject once, leaving out the envelope subject', async () => {
    assert.deepEqual(await subjectsOf(2), ['b', 'c']);
    assert.deepEqual(await subjectsOf(4), ['b', 'd']);
    assert.deepEqual(await subjectsOf(1), []);
  });

  it('finds an event by its envelope subject and by each further subject, newest first', async () => {
    assert.deepEqual(await seqsFor('a'), [2, 1]);
    assert.deepEqual(await seqsFor('b'), [4, 2]);
    assert.deepEqual(await seqsFor('c'), [3, 2]);
    assert.deepEqual(await seqsFor('d'), [4]);
    assert.deepEqual(await seqsFor('nobody'), []);
    const typed = await searchJournal(db, { subject: 'b', types: ['test.noted'] });
    assert.deepEqual(typed.events, []);
    // Paging through a subject's events keeps the order and the filter.
    const first = await searchJournal(db, { subject: 'b', limit: 1 });
    assert.deepEqual(
      first.events.map((e) => e.seq),
      [4],
    );
    const second = await searchJournal(db, { subject: 'b', limit: 1, cursor: first.nextCursor! });
    assert.deepEqual(
      second.events.map((e) => e.seq),
      [2],
    );
  });

  it('verifies an intact index, and says how many entries it checked', async () => {
    const result = await verify();
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
    assert.equal(result.summary.subjectEntries, 4);
    const unchecked = await verify(false);
    assert.equal(unchecked.summary.subjectEntries, null);
  });

  it('finds an entry deleted to hide an event from a search for a person', async () => {
    await db.deleteFrom('journal_event_subjects').where('seq', '=', 4).where('subject', '=', 'd').execute();
    assert.deepEqual(await seqsFor('d'), [], 'the search no longer finds it');
    assertIndexBroken(await verify(), 4, /missing from the index \(d\)/);
  });

  it('finds an entry added to attribute an event to someone it does not name', async () => {
    await db.insertInto('journal_event_subjects').values({ seq: 3, subject: 'mallory' }).execute();
    assertIndexBroken(await verify(), 3, /added \(mallory\)/);
    await db.deleteFrom('journal_event_subjects').where('subject', '=', 'mallory').execute();
    await db.insertInto('journal_event_subjects').values({ seq: 2, subject: 'a' }).execute();
    assertIndexBroken(await verify(), 2, /added \(a\)/);
  });

  it('leaves the index unchecked when the catalogue is not given', async () => {
    await db.deleteFrom('journal_event_subjects').execute();
    const result = await verify(false);
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
  });

  it('writes no entries for an append that rolls back', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await journal.record(trx, grouped.draft({ site: 's', source: 'test' }, { members: ['e'] }));
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await seqsFor('e'), []);
    const result = await verify();
    assert.equal(result.intact, true, result.intact ? '' : result.problem.message);
  });
});

// Training records in bulk: one transaction with one journal event per record, all or nothing
// with every failing record named by position, and a re-sent batch that records nothing twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { MAX_TRAINING_PER_BATCH } from './schemas.js';
import { eventsAbout, journalLength, peopleModule, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:test';
const YEAR = 365 * 24 * 3600 * 1000;
const completedAt = new Date(Date.now() - YEAR / 2).toISOString();
const expiresAt = new Date(Date.now() + YEAR / 2).toISOString();

eachDatabase('people: training in bulk', (t) => {
  const people = () => peopleModule(t().handle.db);
  const newPerson = (sites: string[]) =>
    people().persons.create({ kind: 'staff', employeeId: uniqueEmployeeId('T'), givenName: 'Train', familyName: 'Ee', sites }, SOURCE);
  const count = async (personIds: string[]) =>
    Number(
      (
        await t()
          .handle.db.selectFrom('training_records')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('person_id', 'in', personIds)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rejection = async (run: Promise<unknown>) => {
    try {
      await run;
    } catch (e) {
      assert.ok(isVigilError(e), String(e));
      assert.equal(e.code, 'people.training_batch_rejected');
      return (e.details['errors'] as { index: number; code: string }[]).map(({ index, code }) => ({ index, code }));
    }
    assert.fail('expected the batch to be rejected');
  };

  it('records every record with its own journal event, and skips them all when the batch is sent again', async () => {
    const { training } = people();
    const ann = await newPerson(['site-1']);
    const bob = await newPerson(['site-2', 'site-1']);
    const batch = [
      { personId: ann.id, competency: 'mri_safety' as const, completedAt, expiresAt },
      { personId: ann.id, competency: 'infant_security' as const, completedAt, expiresAt },
      { personId: bob.id, competency: 'controlled_substances' as const, completedAt, expiresAt },
    ];
    const result = await training.recordMany(batch, { source: SOURCE, scope: 'all' });
    assert.deepEqual(
      result.recorded.map((r) => [r.personId, r.competency, r.current, r.recordedBy]),
      batch.map((b) => [b.personId, b.competency, true, SOURCE]),
    );
    assert.deepEqual(result.alreadyRecorded, []);
    assert.deepEqual(await training.currentCompetencies(ann.id), ['infant_security', 'mri_safety']);
    const bobEvents = (await eventsAbout(t().handle.db, bob.id)).filter((e) => e.type === 'training.recorded');
    assert.equal(bobEvents.length, 1);
    assert.equal(bobEvents[0]?.site, 'site-2', 'journaled on the person’s home site');
    assert.deepEqual(bobEvents[0]?.data, { recordId: result.recorded[2]!.id, competency: 'controlled_substances', completedAt, expiresAt });

    const journal = await journalLength(t().handle.db);
    const again = await training.recordMany(batch, { source: SOURCE, scope: 'all' });
    assert.deepEqual(again, { recorded: [], alreadyRecorded: [0, 1, 2] });
    assert.equal(await journalLength(t().handle.db), journal);
    assert.equal(await count([ann.id, bob.id]), 3);
  });

  it('records nothing when any record fails, naming each failing one by position', async () => {
    const { training } = people();
    const ann = await newPerson(['site-1']);
    const elsewhere = await newPerson(['site-9']);
    const good = { personId: ann.id, competency: 'mri_safety' as const, completedAt, expiresAt };
    const journal = await journalLength(t().handle.db);
    const errors = await rejection(
      training.recordMany(
        [
          good,
          { ...good, personId: randomUUID() },
          { ...good, competency: 'infant_security', completedAt: expiresAt, expiresAt: completedAt },
          { ...good },
          { ...good, personId: elsewhere.id },
        ],
        { source: SOURCE, scope: ['site-1'] },
      ),
    );
    assert.deepEqual(errors, [
      { index: 1, code: 'training.person_not_found' },
      { index: 2, code: 'training.dates_invalid' },
      { index: 3, code: 'training.duplicate' },
      { index: 4, code: 'training.site_not_permitted' },
    ]);
    assert.equal(await count([ann.id, elsewhere.id]), 0);
    assert.equal(await journalLength(t().handle.db), journal);
  });

  it(`takes a full batch of ${MAX_TRAINING_PER_BATCH} records in one request`, async () => {
    const { training } = people();
    const persons = await Promise.all([1, 2, 3, 4].map(() => newPerson(['site-1'])));
    // Distinct completion days make distinct records of the same competency.
    const day = 24 * 3600 * 1000;
    const batch = Array.from({ length: MAX_TRAINING_PER_BATCH }, (_, i) => ({
      personId: persons[i % persons.length]!.id,
      competency: 'mri_safety' as const,
      completedAt: new Date(Date.parse(completedAt) - i * day).toISOString(),
      expiresAt,
    }));
    const result = await training.recordMany(batch, { source: SOURCE, scope: 'all' });
    assert.equal(result.recorded.length, MAX_TRAINING_PER_BATCH);
    assert.equal(await count(persons.map((p) => p.id)), MAX_TRAINING_PER_BATCH);
  });
});

/**
 * What the people module journals reaches `publish` after the transaction committed, exactly once,
 * and never when the transaction rolled back after the events were already appended in it.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { VigilEvent } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import type { RecordEvents } from '../audit/index.js';
import { createPeopleModule } from './module.js';
import { eventsAbout, peopleDeps, silentLogger, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:publish-test';

eachDatabase('people: publishing committed changes', (t) => {
  function module(record?: (real: RecordEvents) => RecordEvents) {
    const published: VigilEvent[][] = [];
    const real = peopleDeps(t().handle.db);
    const deps = {
      ...real,
      record: record ? record(real.record) : real.record,
      publish: (events: readonly VigilEvent[]) => void published.push([...events]),
    };
    return { people: createPeopleModule(deps, { hrDropDir: '', hrPollSeconds: 60, logger: silentLogger }), published };
  }

  it('publishes each committed change once, after commit, with what the journal stored', async () => {
    const { people, published } = module();
    const person = await people.persons.create({ kind: 'staff', employeeId: uniqueEmployeeId(), givenName: 'A', familyName: 'B' }, SOURCE);
    const card = await people.credentials.issueMobile(person.id, { platform: 'android', enrolmentId: uniqueEmployeeId('m') }, SOURCE);
    await people.credentials.change(card.id, 'report_stolen', 'bag stolen', SOURCE);
    await people.persons.suspend(person.id, 'investigation', SOURCE);
    await people.persons.terminate(person.id, 'dismissed', SOURCE);

    assert.deepEqual(
      published.map((batch) => batch.map((e) => e.type)),
      [['person.created'], ['credential.issued'], ['credential.reported_stolen'], ['person.suspended'], ['person.terminated']],
    );
    const journaled = await eventsAbout(t().handle.db, person.id);
    assert.deepEqual(published.flat(), journaled, 'the same events, ids and all, in journal order');
  });

  it('publishes nothing when the transaction rolls back after its events were appended', async () => {
    const { people, published } = module((real) => async (trx, drafts) => {
      const events = await real(trx, drafts);
      if (events.some((e) => e.type === 'person.terminated')) throw new Error('commit failed');
      return events;
    });
    const person = await people.persons.create({ kind: 'staff', employeeId: uniqueEmployeeId(), givenName: 'C', familyName: 'D' }, SOURCE);
    published.length = 0;
    await assert.rejects(people.persons.terminate(person.id, 'dismissed', SOURCE), /commit failed/);
    await assert.rejects(people.hr.terminateBatch([{ employeeId: person.employeeId! }], { source: SOURCE, scope: 'all' }), /commit failed/);
    assert.deepEqual(published, []);
    assert.equal((await people.persons.get(person.id)).status, 'active');
  });
});

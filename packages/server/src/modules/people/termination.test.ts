import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { EventDraft } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import type { RecordEvents } from '../audit/index.js';
import { createPeopleModule } from './module.js';
import { eventsAbout, journalLength, peopleDeps, peopleModule, silentLogger, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:test';
let nextCard = 1_000 + (process.pid % 60_000);

eachDatabase('people: termination', (t) => {
  /** A person holding one credential of every kind, one suspended and one already lost. */
  async function fullyCredentialed() {
    const { persons, credentials } = peopleModule(t().handle.db);
    const person = await persons.create(
      { kind: 'staff', employeeId: uniqueEmployeeId(), givenName: 'T', familyName: 'Erm', sites: ['s9'] },
      SOURCE,
    );
    const card = await credentials.issueCard(person.id, { format: 'C1000-35', facilityCode: 77, cardNumber: nextCard++ }, SOURCE);
    const spare = await credentials.issueCard(person.id, { format: 'C1000-35', facilityCode: 77, cardNumber: nextCard++ }, SOURCE);
    await credentials.change(spare.id, 'suspend', null, SOURCE);
    const lost = await credentials.issueCard(person.id, { format: 'C1000-35', facilityCode: 77, cardNumber: nextCard++ }, SOURCE);
    await credentials.change(lost.id, 'report_lost', null, SOURCE);
    const pin = await credentials.issuePin(person.id, { pin: '4711' }, SOURCE);
    const mobile = await credentials.issueMobile(person.id, { platform: 'android', enrolmentId: `m${uniqueEmployeeId()}` }, SOURCE);
    const bio = await credentials.issueBiometric(person.id, { vendor: 'IDEMIA', templateRef: `t${uniqueEmployeeId()}` }, SOURCE);
    return { person, usable: [card, spare, pin, mobile, bio], lost };
  }

  const statuses = async (personId: string) =>
    Object.fromEntries(
      (await t().handle.db.selectFrom('person_credentials').select(['id', 'status']).where('person_id', '=', personId).execute()).map(
        (r) => [r.id, r.status],
      ),
    );

  it('disables every usable credential with the status change, one event each, tied by a correlation id', async () => {
    const { person, usable, lost } = await fullyCredentialed();
    const { persons } = peopleModule(t().handle.db);
    const terminated = await persons.terminate(person.id, 'dismissed', SOURCE);
    assert.equal(terminated.status, 'terminated');

    const after = await statuses(person.id);
    for (const credential of usable) assert.equal(after[credential.id], 'revoked', `${credential.type} credential revoked`);
    assert.equal(after[lost.id], 'lost', 'a lost card keeps its state');

    const events = (await eventsAbout(t().handle.db, person.id)).filter(
      (e) => e.type === 'person.terminated' || e.type === 'credential.revoked',
    );
    assert.equal(events[0]?.type, 'person.terminated');
    assert.equal((events[0]?.data as { credentialsDisabled: number }).credentialsDisabled, usable.length);
    const revoked = events.slice(1).map((e) => (e.data as { credentialId: string }).credentialId);
    assert.deepEqual(revoked.sort(), usable.map((c) => c.id).sort());
    assert.equal(new Set(events.map((e) => e.correlationId)).size, 1);
    assert.ok(events[0]?.correlationId);
  });

  it('writes nothing when the termination fails part-way (the journal append fails after the updates)', async () => {
    const { person } = await fullyCredentialed();
    const db = t().handle.db;
    const before = await statuses(person.id);
    const journalBefore = await journalLength(db);
    const real = peopleDeps(db);
    const failing: RecordEvents = async (trx, drafts) => {
      const list = ([] as EventDraft[]).concat(drafts);
      if (list.some((d) => d.type === 'person.terminated')) {
        // The person row and the credentials are updated in this transaction by now.
        const midway = await trx.selectFrom('persons').select('status').where('id', '=', person.id).executeTakeFirstOrThrow();
        assert.equal(midway.status, 'terminated');
        throw new Error('journal unavailable');
      }
      return real.record(trx, drafts);
    };
    const people = createPeopleModule({ ...real, record: failing }, { hrDropDir: '', hrPollSeconds: 60, logger: silentLogger });
    await assert.rejects(people.persons.terminate(person.id, 'dismissed', SOURCE), /journal unavailable/);

    assert.equal((await people.persons.get(person.id)).status, 'active');
    assert.deepEqual(await statuses(person.id), before);
    assert.equal(await journalLength(db), journalBefore);
  });
});

// Group membership in bulk: persons added and removed in one request, journaled once, idempotent,
// refused whole when an id names nobody, and seen by the next snapshot of the group's site.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { isVigilError, loadSnapshot } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { ACTOR, accessUnderTest, uniqueName, type AccessUnderTest } from './testing.js';

eachDatabase('access group members in bulk', (t) => {
  let a: AccessUnderTest;
  let siteId: string;
  let groupId: string;
  let persons: string[];

  const journaled = (type: string) =>
    t()
      .handle.db.selectFrom('journal_events')
      .select(['site', 'source', 'data'])
      .where('type', '=', type)
      .orderBy('seq')
      .execute()
      .then((rows) => rows.map((row) => ({ ...row, data: JSON.parse(row.data) as { groupId: string; personIds: string[] } })));
  const members = async () =>
    (
      await t()
        .handle.db.selectFrom('access_group_members')
        .select('person_id')
        .where('group_id', '=', groupId)
        .orderBy('person_id')
        .execute()
    ).map((row) => row.person_id);
  const snapshotMembers = async () => {
    const stored = await a.access.snapshots.check(siteId);
    assert.ok(stored);
    const snapshot = loadSnapshot(Buffer.from(stored.bytes, 'base64'), { publicKey: a.publicKey });
    return { version: stored.version, snapshot };
  };

  before(async () => {
    a = accessUnderTest(t().handle.db);
    siteId = (await a.facility.sites.create(ACTOR, { name: uniqueName('Members site'), timeZone: 'Europe/London' })).id;
    groupId = (await a.access.groups.create(ACTOR, { siteId, name: 'Night porters', doors: [] })).id;
    persons = [];
    // Persons of no site: they reach the site's snapshot only through the group.
    for (let i = 0; i < 4; i++) {
      persons.push((await a.persons.create({ kind: 'staff', givenName: `Porter${i}`, familyName: 'Bulk', sites: [] }, ACTOR)).id);
    }
  });

  it('adds persons in one journaled change, and counts those already in on a second request', async () => {
    const first = await a.access.members.add(ACTOR, groupId, persons.slice(0, 3));
    assert.deepEqual(first, { groupId, changed: persons.slice(0, 3).sort(), unchanged: 0 });
    assert.deepEqual(await members(), persons.slice(0, 3).sort());
    const events = await journaled('access_group.members_added');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0], { site: siteId, source: ACTOR, data: { groupId, personIds: persons.slice(0, 3).sort() } });

    const second = await a.access.members.add(ACTOR, groupId, persons);
    assert.deepEqual(second, { groupId, changed: [persons[3]], unchanged: 3 });
    assert.deepEqual((await journaled('access_group.members_added'))[1]?.data.personIds, [persons[3]]);

    const again = await a.access.members.add(ACTOR, groupId, persons);
    assert.deepEqual(again, { groupId, changed: [], unchanged: 4 });
    assert.equal((await journaled('access_group.members_added')).length, 2, 'a request that changes nothing journals nothing');
  });

  it('leaves a person’s other groups alone, as the person view shows', async () => {
    const other = (await a.access.groups.create(ACTOR, { siteId, name: 'Day porters', doors: [] })).id;
    await a.access.groups.setPersonAccess(ACTOR, persons[0]!, { groupIds: [groupId, other], privileges: ['escort'] });
    await a.access.members.add(ACTOR, other, [persons[1]!]);
    assert.deepEqual((await a.access.groups.personAccess(persons[0]!)).groupIds, [groupId, other].sort());
    assert.deepEqual((await a.access.groups.personAccess(persons[1]!)).groupIds, [groupId, other].sort());
    await a.access.members.remove(ACTOR, other, [persons[0]!, persons[1]!]);
    assert.deepEqual(await a.access.groups.personAccess(persons[0]!), {
      personId: persons[0],
      groupIds: [groupId],
      privileges: ['escort'],
    });
  });

  it('refuses the whole request when an id names no person, listing each unknown id', async () => {
    const stranger = (await a.persons.create({ kind: 'visitor', givenName: 'Vera', familyName: 'Bulk', sites: [] }, ACTOR)).id;
    const ghosts = [randomUUID(), randomUUID()];
    const before = await members();
    await assert.rejects(a.access.members.add(ACTOR, groupId, [stranger, ghosts[0]!, ghosts[1]!]), (e) => {
      assert.ok(isVigilError(e));
      assert.equal(e.code, 'access_policy.persons_not_found');
      assert.deepEqual(e.details['personIds'], ghosts);
      return true;
    });
    assert.deepEqual(await members(), before, 'the known person was not added either');
    await assert.rejects(a.access.members.remove(ACTOR, groupId, [ghosts[0]!]), { code: 'access_policy.persons_not_found' });
    await assert.rejects(a.access.members.add(ACTOR, randomUUID(), [stranger]), { code: 'access_policy.group_not_found' });
  });

  it('puts the change into the site’s next snapshot, and only a real change makes a new version', async () => {
    const before = await snapshotMembers();
    assert.deepEqual([...before.snapshot.persons.ids].sort(), [...persons].sort());
    const removed = await a.access.members.remove(ACTOR, groupId, [persons[2]!, persons[3]!]);
    assert.deepEqual(removed, { groupId, changed: [persons[2], persons[3]].sort(), unchanged: 0 });
    assert.deepEqual((await journaled('access_group.members_removed')).at(-1)?.data.personIds, [persons[2], persons[3]].sort());
    const after = await snapshotMembers();
    assert.equal(after.version, before.version + 1);
    assert.deepEqual([...after.snapshot.persons.ids].sort(), [persons[0], persons[1]].sort(), 'persons of no site leave with the group');

    const noop = await a.access.members.remove(ACTOR, groupId, [persons[2]!]);
    assert.deepEqual(noop, { groupId, changed: [], unchanged: 1 });
    assert.equal((await snapshotMembers()).version, after.version);
  });
});

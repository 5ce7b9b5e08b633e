// The bulk routes as an integrator loading a hospital's staff uses them, signed in for real: group
// members and training records many at a time, scoped to the caller's sites, refused whole (and
// said why) when an id is unknown, repeated, or the request is too large.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, problemOf, startHarness, type Harness, type TestOperator } from './test-harness.js';

interface MembersChange {
  groupId: string;
  changed: string[];
  unchanged: number;
}
interface ItemError {
  index: number;
  code: string;
}

describe('bulk routes', () => {
  let h: Harness;
  let north: string;
  let south: string;
  let manager: TestOperator;
  let guard: TestOperator;
  let northGroup: string;
  let southGroup: string;
  let northStaff: string[];
  let southPerson: string;

  const call = (op: TestOperator, url: string, payload: object) =>
    h.app.api.inject({ method: 'POST', url, headers: { cookie: op.cookie }, payload });
  const journalCount = async (type: string) =>
    Number(
      (
        await h.app.handle.db
          .selectFrom('journal_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('type', '=', type)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const training = (personId: string, competency = 'mri_safety') => ({
    personId,
    competency,
    completedAt: '2025-03-01T08:00:00Z',
    expiresAt: '2027-03-01T08:00:00Z',
  });

  before(async () => {
    h = await startHarness();
    north = await createSite(h, 'North campus');
    south = await createSite(h, 'South campus');
    manager = await createSignedInOperator(h, 'north-manager', [{ role: 'security-manager', site: north }]);
    guard = await createSignedInOperator(h, 'north-guard', [{ role: 'operator', site: north }]);
    northGroup = (await h.app.access.groups.create('system:test', { siteId: north, name: 'Ward staff', doors: [] })).id;
    southGroup = (await h.app.access.groups.create('system:test', { siteId: south, name: 'Ward staff', doors: [] })).id;
    const person = async (site: string, name: string) =>
      (await h.app.people.persons.create({ kind: 'staff', givenName: name, familyName: 'Bulk', sites: [site] }, 'system:test')).id;
    northStaff = [await person(north, 'Ada'), await person(north, 'Ben'), await person(north, 'Cy')];
    southPerson = await person(south, 'Dee');
  });
  after(async () => {
    await h.close();
  });

  it('adds and removes a group’s members, one journal event per request, harmlessly repeated', async () => {
    const added = await call(manager, `/api/access-groups/${northGroup}/members`, { personIds: northStaff });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json<MembersChange>(), { groupId: northGroup, changed: [...northStaff].sort(), unchanged: 0 });
    const again = await call(manager, `/api/access-groups/${northGroup}/members`, { personIds: northStaff });
    assert.deepEqual(again.json<MembersChange>(), { groupId: northGroup, changed: [], unchanged: 3 });
    assert.equal(await journalCount('access_group.members_added'), 1);

    const person = await h.app.api.inject({
      method: 'GET',
      url: `/api/people/persons/${northStaff[0]}/access`,
      headers: { cookie: manager.cookie },
    });
    assert.deepEqual(person.json<{ groupIds: string[] }>().groupIds, [northGroup]);

    const removed = await call(manager, `/api/access-groups/${northGroup}/members/remove`, { personIds: [northStaff[0]] });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.deepEqual(removed.json<MembersChange>(), { groupId: northGroup, changed: [northStaff[0]], unchanged: 0 });
    assert.equal(await journalCount('access_group.members_removed'), 1);
  });

  it('allows group members to be changed only with credentials.manage on the group’s site', async () => {
    const elsewhere = await call(manager, `/api/access-groups/${southGroup}/members`, { personIds: [southPerson] });
    assert.equal(elsewhere.statusCode, 403);
    assert.equal(problemOf(elsewhere.body)['site'], south);
    const readOnly = await call(guard, `/api/access-groups/${northGroup}/members`, { personIds: [northStaff[0]] });
    assert.equal(readOnly.statusCode, 403);
    assert.equal((await call(manager, `/api/access-groups/${randomUUID()}/members`, { personIds: [northStaff[0]] })).statusCode, 404);
  });

  it('refuses unknown, repeated or too many person ids and changes nothing', async () => {
    const ghost = randomUUID();
    const unknown = await call(manager, `/api/access-groups/${northGroup}/members`, { personIds: [northStaff[0], ghost] });
    assert.equal(unknown.statusCode, 400);
    assert.equal(problemOf(unknown.body).code, 'access_policy.persons_not_found');
    assert.deepEqual(problemOf(unknown.body)['personIds'], [ghost]);
    const repeated = await call(manager, `/api/access-groups/${northGroup}/members`, { personIds: [northStaff[0], northStaff[0]] });
    assert.equal(problemOf(repeated.body).code, 'request.invalid');
    const tooMany = await call(manager, `/api/access-groups/${northGroup}/members`, {
      personIds: Array.from({ length: 5001 }, () => randomUUID()),
    });
    assert.equal(problemOf(tooMany.body).code, 'request.invalid');
    assert.equal(
      problemOf((await call(manager, `/api/access-groups/${northGroup}/members`, { personIds: [] })).body).code,
      'request.invalid',
    );
    const members = await h.app.access.groups.personAccess(northStaff[0]!);
    assert.deepEqual(members.groupIds, [], 'still as the previous test left it');
  });

  it('records training for many persons at once, and nothing twice when re-sent', async () => {
    const records = northStaff.map((id) => training(id));
    const first = await call(manager, '/api/people/training/bulk', { records });
    assert.equal(first.statusCode, 200, first.body);
    const body = first.json<{ recorded: { personId: string; competency: string }[]; alreadyRecorded: number[] }>();
    assert.deepEqual(
      body.recorded.map((r) => r.personId),
      northStaff,
    );
    assert.equal(await journalCount('training.recorded'), 3);
    const again = await call(manager, '/api/people/training/bulk', { records });
    assert.deepEqual(again.json(), { recorded: [], alreadyRecorded: [0, 1, 2] });
    assert.equal(await journalCount('training.recorded'), 3);
  });

  it('refuses a training batch whole, naming each failing record, or when it is too large or not permitted', async () => {
    const before = await journalCount('training.recorded');
    const bad = await call(manager, '/api/people/training/bulk', {
      records: [
        training(northStaff[0]!, 'infant_security'),
        training(randomUUID()),
        training(southPerson),
        training(northStaff[0]!, 'infant_security'),
      ],
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const problem = problemOf(bad.body);
    assert.equal(problem.code, 'people.training_batch_rejected');
    assert.deepEqual(
      (problem['errors'] as ItemError[]).map(({ index, code }) => ({ index, code })),
      [
        { index: 1, code: 'training.person_not_found' },
        { index: 2, code: 'training.site_not_permitted' },
        { index: 3, code: 'training.duplicate' },
      ],
    );
    assert.equal(await journalCount('training.recorded'), before);

    const tooMany = await call(manager, '/api/people/training/bulk', {
      records: Array.from({ length: 5001 }, () => training(northStaff[1]!)),
    });
    assert.equal(problemOf(tooMany.body).code, 'request.invalid');
    const unknownCompetency = await call(manager, '/api/people/training/bulk', { records: [training(northStaff[1]!, 'juggling')] });
    assert.equal(problemOf(unknownCompetency.body).code, 'request.invalid');
    const guarded = await call(guard, '/api/people/training/bulk', { records: [training(northStaff[1]!)] });
    assert.equal(guarded.statusCode, 403);
    assert.equal(await journalCount('training.recorded'), before);
  });
});

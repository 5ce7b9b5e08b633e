import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eachDatabase } from '../../storage/testing.js';
import { code, eventsAbout, journalLength, peopleModule, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:test';

eachDatabase('people: persons', (t) => {
  const people = () => peopleModule(t().handle.db);

  it('registers a person with department, job roles and sites, and journals it without the name', async () => {
    const { persons, departments, jobRoles } = people();
    const icu = await departments.create({ name: `ICU ${uniqueEmployeeId()}` }, SOURCE);
    const nurse = await jobRoles.create({ name: `Nurse ${uniqueEmployeeId()}` }, SOURCE);
    const employeeId = uniqueEmployeeId();
    const created = await persons.create(
      {
        kind: 'staff',
        employeeId,
        givenName: 'Ada',
        familyName: 'Okafor',
        departmentId: icu.id,
        jobRoleIds: [nurse.id],
        sites: ['site-b', 'site-a'],
        validFrom: '2030-01-01T08:00:00+02:00',
      },
      SOURCE,
    );
    assert.equal(created.status, 'active');
    assert.equal(created.validFrom, '2030-01-01T06:00:00.000Z');
    assert.deepEqual(await persons.get(created.id), created);
    assert.deepEqual(created.sites, ['site-b', 'site-a']);

    const [event] = await eventsAbout(t().handle.db, created.id);
    assert.equal(event?.type, 'person.created');
    assert.equal(event?.site, 'site-b', 'events carry the home site');
    assert.equal(event?.source, SOURCE);
    assert.equal(JSON.stringify(event?.data).includes('Okafor'), false);
    assert.deepEqual((event?.data as { jobRoleIds: string[] }).jobRoleIds, [nurse.id]);
  });

  it('refuses a second person with the same employee id, naming the holder', async () => {
    const { persons } = people();
    const employeeId = uniqueEmployeeId();
    const first = await persons.create({ kind: 'contractor', employeeId, givenName: 'Li', familyName: 'Wei' }, SOURCE);
    await assert.rejects(persons.create({ kind: 'staff', employeeId, givenName: 'Other', familyName: 'Person' }, SOURCE), (e) => {
      code('people.employee_id_taken')(e);
      assert.equal((e as { details: { personId: string } }).details.personId, first.id);
      return true;
    });
  });

  it('refuses unknown departments, job roles and a window that ends before it starts, writing nothing', async () => {
    const { persons } = people();
    const before = await journalLength(t().handle.db);
    await assert.rejects(
      persons.create({ kind: 'staff', givenName: 'A', familyName: 'B', departmentId: '0190a0e0-0000-7000-8000-00000000dead' }, SOURCE),
      code('people.department_not_found'),
    );
    await assert.rejects(
      persons.create({ kind: 'staff', givenName: 'A', familyName: 'B', jobRoleIds: ['0190a0e0-0000-7000-8000-00000000beef'] }, SOURCE),
      code('people.job_role_not_found'),
    );
    await assert.rejects(
      persons.create(
        { kind: 'visitor', givenName: 'A', familyName: 'B', validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' },
        SOURCE,
      ),
      code('people.validity_window_invalid'),
    );
    assert.equal(await journalLength(t().handle.db), before);
  });

  it('goes active → suspended → active → terminated → active, journaling each step', async () => {
    const { persons } = people();
    const p = await persons.create({ kind: 'staff', employeeId: uniqueEmployeeId(), givenName: 'Sam', familyName: 'Reyes' }, SOURCE);
    assert.equal((await persons.suspend(p.id, 'investigation', SOURCE)).status, 'suspended');
    await assert.rejects(persons.suspend(p.id, 'again', SOURCE), code('people.invalid_transition'));
    assert.equal((await persons.reinstate(p.id, null, SOURCE)).status, 'active');
    await assert.rejects(persons.reinstate(p.id, null, SOURCE), code('people.invalid_transition'));
    const terminated = await persons.terminate(p.id, 'resigned', SOURCE);
    assert.equal(terminated.status, 'terminated');
    assert.equal(terminated.statusReason, 'resigned');
    await assert.rejects(persons.update(p.id, { givenName: 'Samuel' }, SOURCE), code('people.person_terminated'));
    await assert.rejects(persons.terminate(p.id, 'twice', SOURCE), code('people.invalid_transition'));
    assert.equal((await persons.reinstate(p.id, 'rehired', SOURCE)).status, 'active');
    const types = (await eventsAbout(t().handle.db, p.id)).map((e) => e.type);
    assert.deepEqual(types, ['person.created', 'person.suspended', 'person.reinstated', 'person.terminated', 'person.reinstated']);
  });

  it('updates only what changed and names the changed fields in the event', async () => {
    const { persons } = people();
    const p = await persons.create({ kind: 'visitor', givenName: 'Kim', familyName: 'Park', sites: ['s1'] }, SOURCE);
    const same = await persons.update(p.id, { givenName: 'Kim' }, SOURCE);
    assert.deepEqual(same, p);
    const updated = await persons.update(p.id, { familyName: 'Park-Lee', sites: ['s2', 's1'], kind: 'contractor' }, SOURCE);
    assert.equal(updated.familyName, 'Park-Lee');
    assert.deepEqual(updated.sites, ['s2', 's1']);
    const events = await eventsAbout(t().handle.db, p.id);
    assert.equal(events.length, 2);
    const data = events[1]?.data as { changed: string[]; sites: string[]; familyName?: string };
    assert.deepEqual([...data.changed].sort(), ['familyName', 'kind', 'sites']);
    assert.deepEqual(data.sites, ['s2', 's1']);
    assert.equal('familyName' in data, false);
  });

  it('searches by name, employee id, kind and status, and pages with a cursor', async () => {
    const { persons } = people();
    const tag = uniqueEmployeeId('Q').replace(/[^A-Za-z0-9]/g, '');
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await persons.create(
          { kind: i < 3 ? 'staff' : 'patient', employeeId: `${tag}-${i}`, givenName: `Given${i}`, familyName: `Fam${tag}`, sites: ['s1'] },
          SOURCE,
        ),
      );
    }
    await persons.suspend(made[0]!.id, 'x', SOURCE);

    const byName = await persons.list({ q: `given1 fam${tag.toLowerCase()}`, limit: 50 }, 'all');
    assert.deepEqual(
      byName.items.map((p) => p.id),
      [made[1]!.id],
    );
    const byEmployeeId = await persons.list({ q: `${tag}-4`, limit: 50 }, 'all');
    assert.deepEqual(
      byEmployeeId.items.map((p) => p.id),
      [made[4]!.id],
    );
    const staffActive = await persons.list({ q: tag, kind: 'staff', status: 'active', limit: 50 }, 'all');
    assert.deepEqual(
      staffActive.items.map((p) => p.id),
      [made[1]!.id, made[2]!.id],
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await persons.list({ q: tag, limit: 2, ...(cursor ? { cursor } : {}) }, 'all');
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(
      seen,
      made.map((p) => p.id),
    );
    await assert.rejects(persons.list({ limit: 2, cursor: 'not-a-cursor' }, 'all'), code('page.invalid_cursor'));
  });

  it('shows an operator only persons of their sites, and persons with no site', async () => {
    const { persons } = people();
    const tag = uniqueEmployeeId('S').replace(/[^A-Za-z0-9]/g, '');
    const north = await persons.create({ kind: 'staff', givenName: 'N', familyName: tag, sites: ['north'] }, SOURCE);
    const both = await persons.create({ kind: 'staff', givenName: 'B', familyName: tag, sites: ['south', 'north'] }, SOURCE);
    const south = await persons.create({ kind: 'staff', givenName: 'S', familyName: tag, sites: ['south'] }, SOURCE);
    const nowhere = await persons.create({ kind: 'visitor', givenName: 'V', familyName: tag }, SOURCE);
    const ids = async (scope: 'all' | string[], site?: string) =>
      (await persons.list({ q: tag, limit: 50, ...(site ? { site } : {}) }, scope)).items.map((p) => p.id).sort();
    assert.deepEqual(await ids(['north']), [north.id, both.id, nowhere.id].sort());
    assert.deepEqual(await ids([]), [nowhere.id]);
    assert.deepEqual(await ids('all', 'south'), [both.id, south.id].sort());
  });
});

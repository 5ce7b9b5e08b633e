// The access policy routes with operators who really sign in: a security manager of one site sets
// up schedules, holidays, groups, door modes and a person's access there, and nowhere else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, problemOf, startHarness, type Harness, type TestOperator } from './test-harness.js';

describe('access policy routes', () => {
  let h: Harness;
  let siteA: string;
  let siteB: string;
  let manager: TestOperator;
  let doorA: string;
  let doorB: string;
  let personId: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    h.app.api.inject({ method, url, headers: { cookie: manager.cookie }, ...(payload ? { payload } : {}) });

  before(async () => {
    h = await startHarness();
    siteA = await createSite(h, 'North campus');
    siteB = await createSite(h, 'South campus');
    manager = await createSignedInOperator(h, 'north-manager', [{ role: 'security-manager', site: siteA }]);
    const door = async (siteId: string) => {
      const zone = await h.app.facility.zones.create('system:test', { siteId, name: 'Ward', type: 'clinical' });
      return (await h.app.facility.doors.create('system:test', { siteId, name: 'Ward door', toZoneId: zone.id })).id;
    };
    doorA = await door(siteA);
    doorB = await door(siteB);
    personId = (await h.app.people.persons.create({ kind: 'staff', givenName: 'Nia', familyName: 'Okafor', sites: [siteA] }, 'system:test'))
      .id;
  });
  after(async () => {
    await h.close();
  });

  it('creates a schedule, a holiday and a group on the manager’s site, journaled as the manager', async () => {
    const schedule = await call('POST', '/api/access-schedules', {
      siteId: siteA,
      name: 'Weekdays',
      intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00' }],
      holidays: { public: 'exclude' },
    });
    assert.equal(schedule.statusCode, 201, schedule.body);
    const scheduleId = schedule.json<{ id: string }>().id;
    const holiday = await call('POST', `/api/sites/${siteA}/holidays`, { date: '2026-12-25', type: 'public', name: 'Christmas Day' });
    assert.equal(holiday.statusCode, 201, holiday.body);
    const again = await call('POST', `/api/sites/${siteA}/holidays`, { date: '2026-12-25', type: 'public', name: 'Twice' });
    assert.equal(problemOf(again.body).code, 'access_policy.holiday_exists');
    const group = await call('POST', '/api/access-groups', { siteId: siteA, name: 'Day staff', doors: [{ doorId: doorA, scheduleId }] });
    assert.equal(group.statusCode, 201, group.body);
    const groupId = group.json<{ id: string }>().id;

    const access = await call('PUT', `/api/people/persons/${personId}/access`, { groupIds: [groupId], privileges: ['escort'] });
    assert.equal(access.statusCode, 200, access.body);
    assert.deepEqual(access.json(), { personId, groupIds: [groupId], privileges: ['escort'] });

    const mode = await call('PUT', `/api/doors/${doorA}/access-mode`, { mode: 'scheduled', scheduleId });
    assert.equal(mode.statusCode, 200, mode.body);
    assert.equal((await call('GET', `/api/doors/${doorA}/access-mode`)).json<{ mode: string }>().mode, 'scheduled');

    const journal = await h.app.handle.db
      .selectFrom('journal_events')
      .select(['type', 'source'])
      .where('type', 'in', ['schedule.created', 'holiday.added', 'access_group.created', 'access_rights.changed', 'door_mode.configured'])
      .execute();
    assert.equal(journal.length, 5);
    assert.ok(journal.every((e) => e.source === `operator:${manager.id}`));
    const snapshot = await call('GET', `/api/sites/${siteA}/access-snapshot`);
    assert.equal(snapshot.statusCode, 200, snapshot.body);
    assert.equal(snapshot.json<{ version: number; compileError: unknown }>().version, 1);
    assert.equal(snapshot.json<{ compileError: unknown }>().compileError, null);
  });

  it('refuses the same changes on another site, and a schedule that is not a time of day', async () => {
    const schedule = await call('POST', '/api/access-schedules', { siteId: siteB, name: 'Elsewhere', intervals: [] });
    assert.equal(schedule.statusCode, 403);
    assert.equal(problemOf(schedule.body)['site'], siteB);
    assert.equal((await call('PUT', `/api/doors/${doorB}/access-mode`, { mode: 'locked' })).statusCode, 403);
    const bad = await call('POST', '/api/access-schedules', {
      siteId: siteA,
      name: 'Bad',
      intervals: [{ days: ['mon'], start: '25:00', end: '26:00' }],
    });
    assert.equal(bad.statusCode, 400);
    const groupB = await h.app.access.groups.create('system:test', { siteId: siteB, name: 'South staff', doors: [] });
    const grant = await call('PUT', `/api/people/persons/${personId}/access`, { groupIds: [groupB.id], privileges: [] });
    assert.equal(grant.statusCode, 403, 'a manager of site A cannot hand out site B’s groups');
  });
});

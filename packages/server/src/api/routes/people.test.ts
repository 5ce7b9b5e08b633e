/**
 * The people API as an operator uses it, signed in for real: persons, credentials, termination,
 * site scoping, the HR batch and the CSV upload.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, problemOf, startHarness, type Harness, type TestOperator } from '../test-harness.js';

interface PersonBody {
  id: string;
  status: string;
  sites: string[];
}
interface CredentialBody {
  id: string;
  status: string;
  card: { cardNumberMasked: string } | null;
}

describe('people API', () => {
  let h: Harness;
  let manager: TestOperator;
  let northManager: TestOperator;
  let guard: TestOperator;
  let north: string;
  let south: string;

  const call = (op: TestOperator | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    h.app.api.inject({ method, url, headers: op ? { cookie: op.cookie } : {}, ...(payload ? { payload } : {}) });
  const createPerson = async (op: TestOperator, body: object) => {
    const response = await call(op, 'POST', '/api/people/persons', body);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<PersonBody>();
  };

  before(async () => {
    h = await startHarness();
    north = (await h.app.facility.sites.create('system:test', { name: 'North campus', timeZone: 'America/Chicago' })).id;
    south = (await h.app.facility.sites.create('system:test', { name: 'South campus', timeZone: 'America/Chicago' })).id;
    manager = await createSignedInOperator(h, 'people-manager', [{ role: 'security-manager', site: '*' }]);
    northManager = await createSignedInOperator(h, 'north-manager', [{ role: 'security-manager', site: north }]);
    guard = await createSignedInOperator(h, 'people-guard', [{ role: 'operator', site: '*' }]);
  });
  after(async () => {
    await h.close();
  });

  it('registers a person, issues credentials answered masked, and terminates with every credential revoked', async () => {
    const person = await createPerson(manager, {
      kind: 'staff',
      employeeId: 'API-1',
      givenName: 'Rosa',
      familyName: 'Diaz',
      sites: [north],
    });
    const card = await call(manager, 'POST', `/api/people/persons/${person.id}/credentials/card`, {
      format: 'H10301',
      facilityCode: 18,
      cardNumber: 40_123,
    });
    assert.equal(card.statusCode, 201, card.body);
    assert.equal(card.json<CredentialBody>().card?.cardNumberMasked, '****23');
    assert.equal(card.body.includes('40123'), false);
    const pin = await call(manager, 'POST', `/api/people/persons/${person.id}/credentials/pin`, { pin: '582093' });
    assert.equal(pin.statusCode, 201);
    assert.equal(pin.body.includes('582093'), false);

    const duplicate = await call(manager, 'POST', `/api/people/persons/${person.id}/credentials/card`, {
      format: 'H10301',
      facilityCode: 18,
      cardNumber: 40_123,
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(problemOf(duplicate.body).code, 'people.card_duplicate');
    assert.equal(problemOf(duplicate.body)['credentialId'], card.json<CredentialBody>().id);

    const terminated = await call(manager, 'POST', `/api/people/persons/${person.id}/terminate`, { reason: 'dismissed' });
    assert.equal(terminated.statusCode, 200, terminated.body);
    assert.equal(terminated.json<PersonBody>().status, 'terminated');
    const list = await call(guard, 'GET', `/api/people/persons/${person.id}/credentials`);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json<{ items: CredentialBody[] }>().items.map((c) => c.status),
      ['revoked', 'revoked'],
    );
  });

  it('lets a read-only operator search but not change anything', async () => {
    await createPerson(manager, { kind: 'visitor', givenName: 'Quincy', familyName: 'Searchable' });
    const found = await call(guard, 'GET', '/api/people/persons?q=quincy%20search&limit=5');
    assert.equal(found.statusCode, 200);
    assert.equal(found.json<{ items: unknown[] }>().items.length, 1);
    const refused = await call(guard, 'POST', '/api/people/persons', { kind: 'staff', givenName: 'No', familyName: 'Way' });
    assert.equal(refused.statusCode, 403);
    assert.equal(problemOf(refused.body).code, 'auth.forbidden');
    assert.equal((await call(null, 'GET', '/api/people/persons')).statusCode, 401);
  });

  it('confines a site-scoped manager to persons of their site', async () => {
    const southern = await createPerson(manager, { kind: 'staff', givenName: 'S', familyName: 'South', sites: [south] });
    const both = await createPerson(manager, { kind: 'staff', givenName: 'B', familyName: 'Both', sites: [south, north] });

    const hidden = await call(northManager, 'GET', `/api/people/persons/${southern.id}`);
    assert.equal(hidden.statusCode, 403);
    assert.equal(problemOf(hidden.body)['site'], south);
    assert.equal((await call(northManager, 'GET', `/api/people/persons/${both.id}`)).statusCode, 200);
    const listed = await call(northManager, 'GET', '/api/people/persons?limit=500');
    const ids = listed.json<{ items: PersonBody[] }>().items.map((p) => p.id);
    assert.ok(ids.includes(both.id) && !ids.includes(southern.id));

    assert.equal(
      (await call(northManager, 'POST', '/api/people/persons', { kind: 'staff', givenName: 'X', familyName: 'Y', sites: [south] }))
        .statusCode,
      403,
    );
    assert.equal((await call(northManager, 'PATCH', `/api/people/persons/${both.id}`, { sites: [north] })).statusCode, 403);
    assert.equal((await call(northManager, 'PATCH', `/api/people/persons/${both.id}`, { familyName: 'Both-Renamed' })).statusCode, 200);
    assert.equal(
      (await call(northManager, 'POST', '/api/people/departments', { name: 'Global' })).statusCode,
      403,
      'departments span sites',
    );
  });

  it('keeps departments, job roles and training records', async () => {
    const dept = await call(manager, 'POST', '/api/people/departments', { name: 'Pharmacy' });
    assert.equal(dept.statusCode, 201);
    const person = await createPerson(manager, {
      kind: 'staff',
      givenName: 'P',
      familyName: 'Harm',
      departmentId: dept.json<{ id: string }>().id,
    });
    const inUse = await call(manager, 'DELETE', `/api/people/departments/${dept.json<{ id: string }>().id}`);
    assert.equal(problemOf(inUse.body).code, 'people.department_in_use');
    const record = await call(manager, 'POST', `/api/people/persons/${person.id}/training`, {
      competency: 'controlled_substances',
      completedAt: '2026-01-10T09:00:00Z',
      expiresAt: '2027-01-10T09:00:00Z',
    });
    assert.equal(record.statusCode, 201, record.body);
    assert.equal(record.json<{ current: boolean }>().current, true);
    const unknown = await call(manager, 'POST', `/api/people/persons/${person.id}/training`, {
      competency: 'juggling',
      completedAt: '2026-01-10T09:00:00Z',
      expiresAt: '2027-01-10T09:00:00Z',
    });
    assert.equal(unknown.statusCode, 400);
  });

  it('terminates an HR batch all-or-nothing', async () => {
    const a = await createPerson(manager, { kind: 'staff', employeeId: 'HR-API-1', givenName: 'A', familyName: 'A' });
    const rejected = await call(manager, 'POST', '/api/people/hr/terminations', {
      terminations: [{ employeeId: 'HR-API-1' }, { employeeId: 'HR-NOPE' }],
    });
    assert.equal(rejected.statusCode, 400);
    assert.equal(problemOf(rejected.body).code, 'people.hr_batch_rejected');
    assert.equal((await call(manager, 'GET', `/api/people/persons/${a.id}`)).json<PersonBody>().status, 'active');
    const done = await call(manager, 'POST', '/api/people/hr/terminations', { terminations: [{ employeeId: 'HR-API-1', reason: 'left' }] });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json<{ terminated: unknown[] }>().terminated.length, 1);
  });

  it('imports a CSV upload, with a dry run first, and refuses a file with errors', async () => {
    const admin = await createSignedInOperator(h, 'import-admin', [{ role: 'admin', site: '*' }]);
    const upload = (csv: string, dryRun: boolean) =>
      h.app.api.inject({
        method: 'POST',
        url: `/api/people/import?dryRun=${dryRun}`,
        headers: { cookie: admin.cookie, 'content-type': 'text/csv' },
        payload: csv,
      });
    const good =
      'kind,employee_id,given_name,family_name,card_format,facility_code,card_number\nstaff,CSV-1,C,S,H10301,99,1\nstaff,CSV-2,D,T,,,\n';
    const dry = await upload(good, true);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json<{ persons: number; credentials: number }>(), {
      ok: true,
      dryRun: true,
      rows: 2,
      persons: 2,
      credentials: 1,
      errorCount: 0,
      errors: [],
    });
    assert.equal((await call(admin, 'GET', '/api/people/persons?q=CSV-')).json<{ items: unknown[] }>().items.length, 0);

    const bad = await upload(`${good}staff,CSV-3,E,U,H10301,999,2\n`, false);
    assert.equal(bad.statusCode, 400);
    const problem = problemOf(bad.body);
    assert.equal(problem.code, 'people.import_rejected');
    assert.deepEqual(
      (problem['errors'] as { line: number; column: number; code: string }[]).map((e) => [e.line, e.column, e.code]),
      [[4, 6, 'import.card_out_of_range']],
    );
    assert.equal((await call(admin, 'GET', '/api/people/persons?q=CSV-')).json<{ items: unknown[] }>().items.length, 0);

    const real = await upload(good, false);
    assert.equal(real.statusCode, 200);
    assert.equal((await call(admin, 'GET', '/api/people/persons?q=CSV-')).json<{ items: unknown[] }>().items.length, 2);
    assert.equal((await call(manager, 'POST', '/api/people/import', {})).statusCode, 403, 'importing needs system.admin');
  });
});

/**
 * Operator administration through the API: creation with a one-time password, paging, disabling
 * (which ends sessions), role grants, MFA and password resets, the last-administrator guard, and
 * the journal entries each action leaves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, problemOf, signIn, startHarness, type Harness, type TestOperator } from './test-harness.js';

interface OperatorBody {
  id: string;
  username: string;
  disabled: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  grants: { role: string; site: string }[];
}

describe('operator administration', () => {
  let h: Harness;
  let admin: TestOperator;
  let campus: string;
  let northWing: string;

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = admin.cookie) =>
    h.app.api.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  before(async () => {
    h = await startHarness();
    campus = await createSite(h, 'Main campus');
    northWing = await createSite(h, 'North wing');
    admin = await createSignedInOperator(h, 'chief', [{ role: 'admin', site: '*' }]);
  });
  after(async () => {
    await h.close();
  });

  it('creates an operator with a one-time password shown once, and journals it', async () => {
    const created = await call('POST', '/api/operators', {
      username: 'Night.Guard',
      displayName: 'Night Guard',
      roles: [{ role: 'operator', site: campus }],
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json<{ operator: OperatorBody; oneTimePassword: string }>();
    assert.equal(body.operator.username, 'night.guard');
    assert.equal(body.operator.mustChangePassword, true);
    assert.deepEqual(body.operator.grants, [{ role: 'operator', site: campus }]);
    const again = await call('GET', `/api/operators/${body.operator.id}`);
    assert.equal(again.body.includes(body.oneTimePassword), false);

    const duplicate = await call('POST', '/api/operators', { username: 'night.guard', displayName: 'Other' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(problemOf(duplicate.body).code, 'operators.username_taken');
    const badRole = await call('POST', '/api/operators', { username: 'x-ray', displayName: 'X', roles: [{ role: 'root', site: '*' }] });
    assert.equal(badRole.statusCode, 400);
    const noSite = await call('POST', '/api/operators', {
      username: 'x-ray',
      displayName: 'X',
      roles: [{ role: 'operator', site: '9f0c6a52-0000-7000-8000-000000000000' }],
    });
    assert.equal(problemOf(noSite.body).code, 'operators.invalid_role');

    const events = await h.app.handle.db
      .selectFrom('journal_events')
      .select(['type', 'source', 'data'])
      .where('subject', '=', body.operator.id)
      .execute();
    assert.deepEqual(
      events.map((e) => e.type),
      ['operator.created'],
    );
    assert.equal(events[0]!.source, `operator:${admin.id}`);
  });

  it('pages through operators by user name with an opaque cursor', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await call('POST', '/api/operators', { username: name, displayName: name });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/operators?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call('GET', url)).json<{ items: OperatorBody[]; nextCursor: string | null }>();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((o) => o.username));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, seen.length);
    for (const name of ['chief', 'night.guard', 'page-a', 'page-b', 'page-c']) assert.ok(seen.includes(name), name);
  });

  it('disables an operator: sessions end, sign-in refused, tokens dead; enabling restores sign-in', async () => {
    const op = await createSignedInOperator(h, 'to-disable', [{ role: 'front-desk', site: '*' }]);
    const disabled = await call('POST', `/api/operators/${op.id}/disable`);
    assert.equal(disabled.json<OperatorBody>().disabled, true);
    assert.equal((await call('GET', '/api/auth/me', undefined, op.cookie)).statusCode, 401);
    const refused = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: op.username, password: op.password },
    });
    assert.equal(problemOf(refused.body).code, 'auth.account_disabled');
    const wrong = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: op.username, password: 'not-the-password' },
    });
    assert.equal(problemOf(wrong.body).code, 'auth.invalid_credentials', 'a wrong password does not learn the account is disabled');

    assert.equal((await call('POST', `/api/operators/${op.id}/enable`)).json<OperatorBody>().disabled, false);
    await signIn(h, op);
  });

  it('grants and revokes roles, refusing unknown ones', async () => {
    const op = await createSignedInOperator(h, 'rotating', [{ role: 'biomed', site: '*' }]);
    const granted = await call('POST', `/api/operators/${op.id}/roles`, { role: 'auditor', site: northWing });
    assert.deepEqual(
      granted.json<OperatorBody>().grants.map((g) => `${g.role}@${g.site}`),
      ['biomed@*', `auditor@${northWing}`],
    );
    const journalRead = await call('GET', '/api/auth/me', undefined, op.cookie);
    assert.ok(journalRead.json<{ permissions: string[] }>().permissions.includes('journal.read'), 'the new role applies at once');
    const revoked = await call('DELETE', `/api/operators/${op.id}/roles/auditor/${northWing}`);
    assert.deepEqual(
      revoked.json<OperatorBody>().grants.map((g) => g.role),
      ['biomed'],
    );
    const missing = await call('DELETE', `/api/operators/${op.id}/roles/auditor/${northWing}`);
    assert.equal(problemOf(missing.body).code, 'operators.grant_not_found');
    const types = (await h.app.handle.db.selectFrom('journal_events').select('type').where('subject', '=', op.id).execute()).map(
      (r) => r.type,
    );
    assert.ok(types.includes('operator.role_granted') && types.includes('operator.role_revoked'));
  });

  it('never leaves the system without an enabled administrator of every site', async () => {
    const self = await call('POST', `/api/operators/${admin.id}/disable`);
    assert.equal(problemOf(self.body).code, 'operators.self_disable');
    const lastGrant = await call('DELETE', `/api/operators/${admin.id}/roles/admin/*`);
    assert.equal(lastGrant.statusCode, 409);
    assert.equal(problemOf(lastGrant.body).code, 'operators.last_admin');
  });

  it('resets MFA: sessions end and the operator must enrol again', async () => {
    const op = await createSignedInOperator(h, 'lost-phone', [{ role: 'security-manager', site: '*' }]);
    const reset = await call('POST', `/api/operators/${op.id}/mfa/reset`);
    assert.equal(reset.json<OperatorBody>().mfaEnrolled, false);
    assert.equal((await call('GET', '/api/auth/me', undefined, op.cookie)).statusCode, 401);
    const cookie = await signIn(h, { ...op, totp: null });
    const who = (await call('GET', '/api/auth/me', undefined, cookie)).json<{ mfaEnrolmentPending: boolean }>();
    assert.equal(who.mfaEnrolmentPending, true);
    const blocked = await call('GET', '/api/tokens', undefined, cookie);
    assert.equal(blocked.statusCode, 403);
    assert.equal(problemOf(blocked.body).code, 'auth.mfa_enrolment_required');
  });

  it('resets a password to a new one-time password and ends the sessions', async () => {
    const op = await createSignedInOperator(h, 'forgetful', [{ role: 'pharmacy', site: '*' }]);
    const reset = await call('POST', `/api/operators/${op.id}/password/reset`);
    const { oneTimePassword } = reset.json<{ oneTimePassword: string }>();
    assert.equal((await call('GET', '/api/auth/me', undefined, op.cookie)).statusCode, 401);
    const old = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: op.username, password: op.password },
    });
    assert.equal(old.statusCode, 401);
    const cookie = await signIn(h, { username: op.username, password: oneTimePassword, totp: null });
    assert.equal(
      (await call('GET', '/api/auth/me', undefined, cookie)).json<{ passwordChangeRequired: boolean }>().passwordChangeRequired,
      true,
    );
  });
});

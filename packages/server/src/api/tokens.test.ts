/**
 * API tokens as an integration uses them: issued once, sent as a bearer, limited to the scopes
 * and sites they were issued with (never beyond their owner), and dead once revoked, expired or
 * when their owner is disabled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSignedInOperator, createSite, problemOf, signIn, startHarness, type Harness, type TestOperator } from './test-harness.js';

interface IssuedBody {
  token: { id: string; prefix: string; lastUsedAt: string | null; permissions: string[]; sites: string[] };
  secret: string;
}

describe('API tokens', () => {
  let h: Harness;
  let admin: TestOperator;
  let guard: TestOperator;
  let siteGuard: TestOperator;
  let siteA: string;
  let siteB: string;

  const issue = (cookie: string, payload: Record<string, unknown>) =>
    h.app.api.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload });
  const asBearer = (secret: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    h.app.api.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload ? { payload } : {}) });

  before(async () => {
    h = await startHarness();
    siteA = await createSite(h, 'Site A');
    siteB = await createSite(h, 'Site B');
    admin = await createSignedInOperator(h, 'token-admin', [{ role: 'admin', site: '*' }]);
    guard = await createSignedInOperator(h, 'guard', [{ role: 'operator', site: '*' }]);
    siteGuard = await createSignedInOperator(h, 'site-guard', [{ role: 'operator', site: siteA }]);
  });
  after(async () => {
    await h.close();
  });

  it('issues a token once and authenticates it as a bearer with exactly its scopes', async () => {
    const response = await issue(guard.cookie, { name: 'door panel bridge', permissions: ['account.self', 'doors.control'], sites: ['*'] });
    assert.equal(response.statusCode, 201, response.body);
    const { token, secret } = response.json<IssuedBody>();
    assert.match(secret, /^vgl_[A-Za-z0-9_-]{43}$/);
    assert.equal(token.prefix, secret.slice(0, 12));

    const me = await asBearer(secret, '/api/auth/me');
    assert.equal(me.statusCode, 200);
    const body = me.json<{ kind: string; id: string; permissions: string[] }>();
    assert.equal(body.kind, 'token');
    assert.equal(body.id, token.id);
    assert.deepEqual(body.permissions.sort(), ['account.self', 'doors.control']);

    const list = await h.app.api.inject({ method: 'GET', url: '/api/tokens', headers: { cookie: guard.cookie } });
    assert.equal(list.statusCode, 200);
    assert.equal(list.body.includes(secret), false, 'the secret is never shown again');
    const listed = list.json<{ items: IssuedBody['token'][] }>().items;
    assert.equal(listed.length, 1);
    assert.ok(listed[0]!.lastUsedAt, 'last use is recorded');
  });

  it('refuses a token carrying more than its owner holds', async () => {
    const tooMuch = await issue(guard.cookie, { name: 'escalate', permissions: ['operators.manage'], sites: ['*'] });
    assert.equal(tooMuch.statusCode, 403);
    assert.equal(problemOf(tooMuch.body).code, 'operators.scope_exceeds_owner');

    const otherSite = await issue(siteGuard.cookie, { name: 'elsewhere', permissions: ['doors.control'], sites: [siteB] });
    assert.equal(problemOf(otherSite.body).code, 'operators.scope_exceeds_owner');
    const everySite = await issue(siteGuard.cookie, { name: 'everywhere', permissions: ['doors.control'], sites: ['*'] });
    assert.equal(problemOf(everySite.body).code, 'operators.scope_exceeds_owner');
    const ownSite = await issue(siteGuard.cookie, { name: 'own site', permissions: ['doors.control'], sites: [siteA] });
    assert.equal(ownSite.statusCode, 201);
    const noSuchSite = await issue(admin.cookie, {
      name: 'nowhere',
      permissions: ['doors.control'],
      sites: ['9f0c6a52-0000-7000-8000-000000000000'],
    });
    assert.equal(problemOf(noSuchSite.body).code, 'tokens.invalid_scope');
  });

  it('denies a token what its scopes leave out, even when its owner could', async () => {
    const response = await issue(admin.cookie, { name: 'read-only export', permissions: ['facility.read'], sites: ['*'] });
    const { secret } = response.json<IssuedBody>();
    const operators = await asBearer(secret, '/api/operators');
    assert.equal(operators.statusCode, 403);
    assert.equal(problemOf(operators.body).code, 'auth.forbidden');
    assert.equal((await asBearer(secret, '/api/auth/me')).statusCode, 403, 'account.self was not granted to the token');
  });

  it('confines a token to its sites', async () => {
    const target = await h.app.identity.operators.create(
      { actor: 'system:test', system: true },
      { username: 'scoped-target', displayName: 'Target', roles: [] },
    );
    const response = await issue(admin.cookie, { name: 'site a only', permissions: ['operators.manage'], sites: [siteA] });
    const { secret } = response.json<IssuedBody>();
    const url = `/api/operators/${target.operator.id}/roles`;
    assert.equal((await asBearer(secret, url, 'POST', { role: 'front-desk', site: siteA })).statusCode, 200);
    const elsewhere = await asBearer(secret, url, 'POST', { role: 'front-desk', site: siteB });
    assert.equal(elsewhere.statusCode, 403);
    assert.equal(problemOf(elsewhere.body).code, 'auth.forbidden');
  });

  it('does not let a token mint or list tokens', async () => {
    const { secret } = (
      await issue(guard.cookie, { name: 'self-service', permissions: ['account.self'], sites: ['*'] })
    ).json<IssuedBody>();
    const minted = await asBearer(secret, '/api/tokens', 'POST', { name: 'child', permissions: ['account.self'], sites: ['*'] });
    assert.equal(minted.statusCode, 403);
    assert.equal((await asBearer(secret, '/api/tokens')).statusCode, 403);
  });

  it('lets an administrator issue for another operator, and nobody else', async () => {
    const forGuard = await issue(admin.cookie, { name: 'for guard', permissions: ['doors.control'], sites: ['*'], operatorId: guard.id });
    assert.equal(forGuard.statusCode, 201, forGuard.body);
    const byGuard = await issue(guard.cookie, { name: 'for admin', permissions: ['doors.control'], sites: ['*'], operatorId: admin.id });
    assert.equal(byGuard.statusCode, 403);
  });

  it('stops authenticating once revoked, expired, or its owner is disabled', async () => {
    const make = async (extra: Record<string, unknown> = {}) =>
      (await issue(guard.cookie, { name: 'temp', permissions: ['account.self'], sites: ['*'], ...extra })).json<IssuedBody>();

    const revoked = await make();
    assert.equal((await asBearer(revoked.secret, '/api/auth/me')).statusCode, 200);
    const other = await h.app.api.inject({
      method: 'DELETE',
      url: `/api/tokens/${revoked.token.id}`,
      headers: { cookie: siteGuard.cookie },
    });
    assert.equal(other.statusCode, 404, 'someone else’s token is not even confirmed to exist');
    const del = await h.app.api.inject({ method: 'DELETE', url: `/api/tokens/${revoked.token.id}`, headers: { cookie: guard.cookie } });
    assert.equal(del.statusCode, 204);
    const after = await asBearer(revoked.secret, '/api/auth/me');
    assert.equal(after.statusCode, 401);
    assert.equal(problemOf(after.body).code, 'auth.token_invalid');

    const past = await issue(guard.cookie, { name: 'x', permissions: ['account.self'], sites: ['*'], expiresAt: '2020-01-01T00:00:00Z' });
    assert.equal(problemOf(past.body).code, 'tokens.invalid_expiry');
    const expiring = await make({ expiresAt: new Date(h.clock.now().getTime() + 3_600_000).toISOString() });
    assert.equal((await asBearer(expiring.secret, '/api/auth/me')).statusCode, 200);
    h.clock.advanceMinutes(61);
    assert.equal((await asBearer(expiring.secret, '/api/auth/me')).statusCode, 401);
    // The hour also idled out both sessions.
    guard.cookie = await signIn(h, guard);
    admin.cookie = await signIn(h, admin);

    const ownerGone = await make();
    const disabled = await h.app.api.inject({
      method: 'POST',
      url: `/api/operators/${guard.id}/disable`,
      headers: { cookie: admin.cookie },
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal((await asBearer(ownerGone.secret, '/api/auth/me')).statusCode, 401);
  });

  it('refuses a malformed Authorization header', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-vigil-token']) {
      const response = await h.app.api.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
      assert.equal(response.statusCode, 401, authorization);
      assert.equal(problemOf(response.body).code, 'auth.token_invalid');
    }
  });
});

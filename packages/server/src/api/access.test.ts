/**
 * Deny by default, checked exhaustively: every route registered on the real app (including the
 * ones added after this test was written) is called without credentials and as an operator of
 * every role, each signed in for real. The route table comes from the app itself, so a new route
 * is covered the moment it is registered.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ROLES, ROLE_NAMES, type Permission, type RoleName } from '../modules/identity/index.js';
import type { RouteEntry } from './server.js';
import { createSignedInOperator, createSite, problemOf, signIn, startHarness, type Harness, type TestOperator } from './test-harness.js';

/** Fills path parameters: site parameters with `site`, role parameters with a real role, others with a fresh UUID. */
function concreteUrl(url: string, site: string): string {
  return url
    .replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => (/site/i.test(name) ? site : /role/i.test(name) ? 'operator' : randomUUID()))
    .replace(/\*/g, 'anything');
}

const AUTH_DENIALS = new Set(['auth.forbidden', 'auth.mfa_enrolment_required', 'auth.password_change_required']);

function protectedRoutes(h: Harness): RouteEntry[] {
  return h.app.api.routeTable.filter((r) => r.access && r.access.permission !== 'public');
}

describe('access control on every route', () => {
  let h: Harness;
  const operators = new Map<RoleName, TestOperator>();

  before(async () => {
    h = await startHarness();
    for (const role of ROLE_NAMES) operators.set(role, await createSignedInOperator(h, `every-${role}`, [{ role, site: '*' }]));
  });
  after(async () => {
    await h.close();
  });

  it('finds the registered routes, each declaring its access (only the API docs are exempt)', () => {
    const table = h.app.api.routeTable;
    const urls = new Set(table.map((r) => r.url));
    for (const known of ['/api/auth/sign-in', '/api/auth/me', '/api/operators', '/api/tokens', '/api/health'])
      assert.ok(urls.has(known), known);
    const undeclared = table.filter((r) => !r.access && !r.url.startsWith('/api/docs'));
    assert.deepEqual(undeclared, []);
    assert.ok(protectedRoutes(h).length >= 15, `only ${protectedRoutes(h).length} protected routes found`);
  });

  it('answers 401 auth.required on every non-public route without credentials', async () => {
    const wrong: string[] = [];
    for (const route of protectedRoutes(h)) {
      const response = await h.app.api.inject({ method: route.method as 'GET', url: concreteUrl(route.url, randomUUID()) });
      const code = response.statusCode === 401 && route.method !== 'HEAD' ? problemOf(response.body).code : 'auth.required';
      if (response.statusCode !== 401 || code !== 'auth.required')
        wrong.push(`${route.method} ${route.url} -> ${response.statusCode} ${code}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('answers 401 to a forged or unknown session cookie and bearer token', async () => {
    for (const route of protectedRoutes(h).filter((r) => r.method === 'GET')) {
      const url = concreteUrl(route.url, randomUUID());
      const forged = await h.app.api.inject({ method: 'GET', url, headers: { cookie: `vigil_session=${'A'.repeat(43)}` } });
      assert.equal(forged.statusCode, 401, `${route.url} with a forged cookie`);
      const bearer = await h.app.api.inject({ method: 'GET', url, headers: { authorization: `Bearer vgl_${'B'.repeat(43)}` } });
      assert.equal(bearer.statusCode, 401, `${route.url} with an unknown token`);
      assert.equal(problemOf(bearer.body).code, 'auth.token_invalid');
    }
  });

  for (const role of ROLE_NAMES) {
    it(`as ${role}: 403 exactly where the role lacks the route's permission`, async () => {
      const op = operators.get(role)!;
      const held = new Set<Permission>(ROLES[role].permissions);
      const wrong: string[] = [];
      let checked = 0;
      for (const route of protectedRoutes(h)) {
        const permission = route.access!.permission as Permission;
        const response = await h.app.api.inject({
          method: route.method as 'GET',
          url: concreteUrl(route.url, randomUUID()),
          headers: { cookie: op.cookie },
        });
        const json = String(response.headers['content-type'] ?? '').includes('json');
        const code = route.method === 'HEAD' || response.body === '' || !json ? '' : (problemOf(response.body).code ?? '');
        checked++;
        if (held.has(permission)) {
          // Any answer but an access denial: 400 for an empty body, 404 for a made-up id, 2xx...
          if (response.statusCode === 401 || (response.statusCode === 403 && (route.method === 'HEAD' || AUTH_DENIALS.has(code)))) {
            wrong.push(`${route.method} ${route.url} (${permission}, held) -> ${response.statusCode} ${code}`);
          }
        } else if (response.statusCode !== 403 || (route.method !== 'HEAD' && code !== 'auth.forbidden')) {
          wrong.push(`${route.method} ${route.url} (${permission}, not held) -> ${response.statusCode} ${code}`);
        }
        // A route may end the session (sign-out); sign in again so the next route is judged fairly.
        if (route.method !== 'GET' && route.method !== 'HEAD') {
          const me = await h.app.api.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: op.cookie } });
          if (me.statusCode === 401) op.cookie = await signIn(h, op);
        }
      }
      assert.ok(checked >= 15);
      assert.deepEqual(wrong, []);
    });
  }
});

describe('site scoping', () => {
  let h: Harness;
  let siteAdmin: TestOperator;
  let globalAdmin: TestOperator;
  let onSiteA: string;
  let siteA: string;
  let siteB: string;

  before(async () => {
    h = await startHarness();
    siteA = await createSite(h, 'Site A');
    siteB = await createSite(h, 'Site B');
    globalAdmin = await createSignedInOperator(h, 'global-admin', [{ role: 'admin', site: '*' }]);
    siteAdmin = await createSignedInOperator(h, 'site-a-admin', [{ role: 'admin', site: siteA }]);
    const created = await h.app.identity.operators.create(
      { actor: 'system:test', system: true },
      { username: 'nurse-a', displayName: 'Nurse A', roles: [{ role: 'front-desk', site: siteA }] },
    );
    onSiteA = created.operator.id;
  });
  after(async () => {
    await h.close();
  });

  it('lets an administrator of site A grant and revoke roles on site A only', async () => {
    const inject = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
      h.app.api.inject({ method, url, headers: { cookie: siteAdmin.cookie }, ...(payload ? { payload } : {}) });

    const onB = await inject('POST', `/api/operators/${onSiteA}/roles`, { role: 'operator', site: siteB });
    assert.equal(onB.statusCode, 403);
    assert.equal(problemOf(onB.body).code, 'auth.forbidden');
    assert.equal(problemOf(onB.body)['site'], siteB);
    const everywhere = await inject('POST', `/api/operators/${onSiteA}/roles`, { role: 'operator', site: '*' });
    assert.equal(everywhere.statusCode, 403);

    const onA = await inject('POST', `/api/operators/${onSiteA}/roles`, { role: 'operator', site: siteA });
    assert.equal(onA.statusCode, 200, onA.body);
    assert.equal(onA.json<{ grants: unknown[] }>().grants.length, 2);

    const revokeB = await inject('DELETE', `/api/operators/${onSiteA}/roles/operator/${siteB}`);
    assert.equal(revokeB.statusCode, 403);
    const revokeA = await inject('DELETE', `/api/operators/${onSiteA}/roles/operator/${siteA}`);
    assert.equal(revokeA.statusCode, 200, revokeA.body);
  });

  it('answers 403 for site B on every route whose site comes from the path, not for site A', async () => {
    const scoped = h.app.api.routeTable.filter((r) => r.access?.site && /:[A-Za-z]*site/i.test(r.url));
    assert.ok(scoped.length >= 1);
    for (const route of scoped) {
      const response = await h.app.api.inject({
        method: route.method as 'GET',
        url: concreteUrl(route.url, siteB),
        headers: { cookie: siteAdmin.cookie },
      });
      // Bodies are validated before the site check, so an empty body may be refused (400) first;
      // either way the handler is never reached.
      const expected = ['POST', 'PUT', 'PATCH'].includes(route.method) ? [400, 403] : [403];
      assert.ok(expected.includes(response.statusCode), `${route.method} ${route.url} for site B: ${response.statusCode}`);
      const own = await h.app.api.inject({
        method: route.method as 'GET',
        url: concreteUrl(route.url, siteA),
        headers: { cookie: siteAdmin.cookie },
      });
      assert.notEqual(own.statusCode, 403, `${route.method} ${route.url} for site A`);
    }
  });

  it('keeps operators with grants beyond site A out of the site administrator’s reach', async () => {
    const disable = await h.app.api.inject({
      method: 'POST',
      url: `/api/operators/${globalAdmin.id}/disable`,
      headers: { cookie: siteAdmin.cookie },
    });
    assert.equal(disable.statusCode, 403);
    const list = await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie: siteAdmin.cookie } });
    const names = list.json<{ items: { username: string }[] }>().items.map((o) => o.username);
    assert.deepEqual(names, ['nurse-a', 'site-a-admin']);
    const all = await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie: globalAdmin.cookie } });
    assert.equal(all.json<{ items: unknown[] }>().items.length, 3);
  });
});

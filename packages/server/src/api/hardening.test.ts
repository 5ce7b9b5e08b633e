/**
 * What every API answer carries (security headers, no caching) and how bad input is refused:
 * problem+json with a stable code and the location that failed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createSignedInOperator, problemOf, startHarness, type Harness, type TestOperator } from './test-harness.js';

interface ValidationProblem {
  code: string;
  errors: { location: string; message: string; field?: string }[];
}

function assertProblem(response: LightMyRequestResponse, status: number, code: string): ValidationProblem {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = problemOf(response.body);
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  assert.equal(problem['type'], `urn:vigil:error:${code}`);
  return problem as unknown as ValidationProblem;
}

describe('API hardening', () => {
  let h: Harness;
  let admin: TestOperator;
  before(async () => {
    h = await startHarness({ settings: { http: { bodyLimitBytes: 4096 } } });
    admin = await createSignedInOperator(h, 'hardening-admin', [{ role: 'admin', site: '*' }]);
  });
  after(async () => {
    await h.close();
  });

  it('sends CSP, frame denial, nosniff and no-store on every kind of answer', async () => {
    const answers = [
      await h.app.api.inject({ method: 'GET', url: '/api/health' }),
      await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie: admin.cookie } }),
      await h.app.api.inject({ method: 'GET', url: '/api/operators' }),
      await h.app.api.inject({ method: 'GET', url: '/api/no-such-route' }),
      await h.app.api.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'x' } }),
    ];
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 401, 404, 400],
    );
    for (const answer of answers) {
      const csp = String(answer.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.equal(answer.headers['x-frame-options'], 'DENY');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.ok(answer.headers['strict-transport-security']);
    }
  });

  it('refuses malformed JSON with request.malformed', async () => {
    const response = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", "password": ',
    });
    assertProblem(response, 400, 'request.malformed');
  });

  it('refuses wrong types, naming each failing location, without coercing', async () => {
    const response = await h.app.api.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 42, password: true } });
    const problem = assertProblem(response, 400, 'request.invalid');
    const locations = problem.errors.map((e) => e.location).sort();
    assert.deepEqual(locations, ['body/password', 'body/username']);

    const asAdmin = await h.app.api.inject({
      method: 'POST',
      url: '/api/operators',
      headers: { cookie: admin.cookie },
      payload: { username: 'valid-name', displayName: 7 },
    });
    assert.deepEqual(
      assertProblem(asAdmin, 400, 'request.invalid').errors.map((e) => e.location),
      ['body/displayName'],
    );

    const query = await h.app.api.inject({ method: 'GET', url: '/api/operators?limit=0', headers: { cookie: admin.cookie } });
    assert.deepEqual(
      assertProblem(query, 400, 'request.invalid').errors.map((e) => e.location),
      ['querystring/limit'],
    );
    const params = await h.app.api.inject({ method: 'GET', url: '/api/operators/not-a-uuid', headers: { cookie: admin.cookie } });
    assert.deepEqual(
      assertProblem(params, 400, 'request.invalid').errors.map((e) => e.location),
      ['params/id'],
    );
  });

  it('refuses unknown fields, naming them', async () => {
    const response = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'someone', password: 'something-long', isAdmin: true },
    });
    const problem = assertProblem(response, 400, 'request.invalid');
    assert.deepEqual(
      problem.errors.map((e) => [e.location, e.field]),
      [['body', 'isAdmin']],
    );
    const unknownQuery = await h.app.api.inject({
      method: 'GET',
      url: '/api/operators?limit=5&admin=1',
      headers: { cookie: admin.cookie },
    });
    assert.equal(assertProblem(unknownQuery, 400, 'request.invalid').errors[0]?.field, 'admin');
  });

  it('refuses an oversize body with 413 request.too_large', async () => {
    const response = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'someone', password: 'x'.repeat(5000) },
    });
    assertProblem(response, 413, 'request.too_large');
  });

  it('refuses a malformed or foreign pagination cursor', async () => {
    for (const cursor of ['%%%', Buffer.from('["tokens:x","a"]').toString('base64url')]) {
      const response = await h.app.api.inject({
        method: 'GET',
        url: `/api/operators?cursor=${encodeURIComponent(cursor)}`,
        headers: { cookie: admin.cookie },
      });
      assertProblem(response, 400, 'page.invalid_cursor');
    }
  });
});

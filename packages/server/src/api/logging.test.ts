/**
 * Credentials never reach a log line or the journal. Every secret an operator or integration can
 * send — password, wrong password, one-time password, TOTP code and secret, session id, MFA
 * challenge, API token, PIN, full card number — goes through the real API (in the fields where it
 * belongs and as unknown fields to every writable route and to a route that does not exist), with
 * the logger at its most verbose; then the captured output and the journal are searched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { URI, type TOTP } from 'otpauth';
import { capturingLogger, codeAt, createSignedInOperator, problemOf, sessionCookieOf, startHarness, type Harness } from './test-harness.js';

const WRONG_PASSWORD = 'Wrong-Horse-Battery-7Kq2';
const PIN = '482913';
const CARD_NUMBER = '4539578763621486';

/** Fields whose digits are noise (times, durations, request ids), removed before 6-digit values are searched. */
function withoutNoise(line: string): string {
  const { time: _t, responseTime: _r, reqId: _q, requestId: _i, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(rest);
}

describe('secrets never reach the log or the journal', () => {
  const { logger, lines } = capturingLogger();
  let h: Harness;
  const secrets = new Map<string, string>([
    ['wrong password', WRONG_PASSWORD],
    ['PIN', PIN],
    ['card number', CARD_NUMBER],
  ]);
  let requests = 0;

  const send = async (options: InjectOptions) => {
    requests++;
    return h.app.api.inject(options);
  };

  before(async () => {
    h = await startHarness({ logger });
    const admin = await createSignedInOperator(h, 'log-admin', [{ role: 'admin', site: '*' }]);
    requests += 6; // sign-in, password change, enrolment (2), sign-in with TOTP (2)
    secrets.set('password', admin.password);
    secrets.set('one-time password', admin.oneTimePassword);
    secrets.set('session id', admin.cookie.split('=')[1]!);

    // A wrong password, then the full MFA sign-in with the code recorded.
    await send({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'log-admin', password: WRONG_PASSWORD } });
    const first = await send({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'log-admin', password: admin.password } });
    const challenge = problemOf(first.body)['challenge'] as string;
    secrets.set('MFA challenge', challenge);
    h.clock.advance(30_000);
    const code = codeAt(h, admin.totp!);
    secrets.set('TOTP code', code);
    const second = await send({ method: 'POST', url: '/api/auth/mfa', payload: { challenge, code } });
    const cookie = sessionCookieOf(second.headers['set-cookie']);
    secrets.set('second session id', cookie.split('=')[1]!);

    // A TOTP secret and its confirmation code, for a second operator enrolling voluntarily.
    const enrolling = await createSignedInOperator(h, 'log-enrol', [{ role: 'operator', site: '*' }]);
    requests += 2;
    const started = await send({ method: 'POST', url: '/api/auth/mfa/enrolment', headers: { cookie: enrolling.cookie } });
    const totp = URI.parse(started.json<{ uri: string }>().uri) as TOTP;
    secrets.set('TOTP secret', totp.secret.base32);
    h.clock.advance(30_000);
    const enrolCode = codeAt(h, totp);
    secrets.set('enrolment code', enrolCode);
    await send({
      method: 'POST',
      url: '/api/auth/mfa/enrolment/confirm',
      headers: { cookie: enrolling.cookie },
      payload: { code: enrolCode },
    });

    // An API token, used in the header, in a query string and in bodies.
    const issued = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie },
      payload: { name: 'siem export', permissions: ['account.self', 'journal.read'], sites: ['*'] },
    });
    const token = issued.json<{ secret: string }>().secret;
    secrets.set('API token', token);
    await send({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    await send({ method: 'GET', url: `/api/auth/me?access_token=${token}&pin=${PIN}`, headers: { authorization: `Bearer ${token}` } });
    await send({ method: 'GET', url: '/api/operators', headers: { authorization: `Bearer ${token}` } });

    // Secrets as unknown fields: sign-in, a missing route, and every writable route there is.
    const everything = { password: admin.password, token, code, pin: PIN, cardNumber: CARD_NUMBER, card_number: CARD_NUMBER };
    await send({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'log-admin', ...everything } });
    await send({ method: 'POST', url: '/api/people/credentials', headers: { cookie }, payload: everything });
    await send({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: `{"password": "${WRONG_PASSWORD}", "pin": "${PIN}`,
    });
    for (const route of h.app.api.routeTable) {
      if (!['POST', 'PUT', 'PATCH'].includes(route.method) || route.url.includes('sign-out')) continue;
      const url = route.url.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-7000-8000-000000000000');
      await send({ method: route.method, url, headers: { cookie }, payload: everything });
    }
    // A password change carrying the old and new password in the right fields.
    await send({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: admin.password, newPassword: `${admin.password}-next` },
    });
    secrets.set('new password', `${admin.password}-next`);
  });
  after(async () => {
    await h.close();
  });

  it('logged every request, so the search below is not vacuous', () => {
    const incoming = lines.filter((l) => l.includes('"msg":"incoming request"'));
    const rejected = lines.filter((l) => l.includes('"msg":"request rejected"'));
    assert.ok(incoming.length >= requests, `${incoming.length} request lines for ${requests} requests`);
    assert.ok(rejected.some((l) => l.includes('"errorCode":"request.invalid"')));
    assert.ok(rejected.some((l) => l.includes('"errorCode":"auth.invalid_credentials"')));
    assert.ok(
      lines.some((l) => l.includes('access_token=')),
      'the query string parameter names are logged',
    );
  });

  it('has none of the secrets anywhere in the log output', () => {
    const raw = lines.join('\n');
    const denoised = lines.map(withoutNoise).join('\n');
    for (const [name, value] of secrets) {
      assert.ok(value.length >= 6, name);
      const haystack = /^[0-9]{6}$/.test(value) ? denoised : raw;
      assert.equal(haystack.includes(value), false, `the ${name} appears in the log`);
    }
  });

  it('has none of the secrets in the journal', async () => {
    const rows = await h.app.handle.db.selectFrom('journal_events').selectAll().execute();
    assert.ok(rows.some((r) => r.type === 'operator.signed_in'));
    assert.ok(rows.some((r) => r.type === 'token.issued'));
    const journal = JSON.stringify(rows.map(({ id: _i, at: _a, recorded_at: _r, hash: _h, prev_hash: _p, ...rest }) => rest));
    for (const [name, value] of secrets) assert.equal(journal.includes(value), false, `the ${name} appears in the journal`);
  });
});

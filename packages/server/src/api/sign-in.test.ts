/**
 * The sign-in flow as a client sees it: cookies, one-time passwords, mandatory MFA, the TOTP step
 * with replay protection, lockout, per-address throttling and session expiry (on an injected clock).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  codeAt,
  createSignedInOperator,
  enrolTotp,
  problemOf,
  sessionCookieOf,
  signIn,
  startHarness,
  type Harness,
  type TestOperator,
} from './test-harness.js';

function signInRequest(h: Harness, username: string, password: string, address = '127.0.0.1') {
  return h.app.api.inject({ method: 'POST', url: '/api/auth/sign-in', remoteAddress: address, payload: { username, password } });
}

function me(h: Harness, cookie: string) {
  return h.app.api.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
}

async function journalTypes(h: Harness, subject: string): Promise<string[]> {
  const rows = await h.app.handle.db.selectFrom('journal_events').select('type').where('subject', '=', subject).orderBy('seq').execute();
  return rows.map((r) => r.type);
}

describe('sign-in, first sign-in and MFA', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ settings: { security: { loginMaxFailures: 50, loginRatePerMinute: 100 } } });
  });
  after(async () => {
    await h.close();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie on Path=/ (not Secure over plain http)', async () => {
    const op = await createSignedInOperator(h, 'cookie-check', [{ role: 'operator', site: '*' }]);
    const response = await signInRequest(h, op.username, op.password);
    assert.equal(response.statusCode, 200);
    const header = String(response.headers['set-cookie']);
    assert.match(header, /^vigil_session=[A-Za-z0-9_-]{43};/);
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Strict/);
    assert.match(header, /; Path=\//);
    assert.doesNotMatch(header, /Secure/);
  });

  it('answers unknown user and wrong password identically', async () => {
    const op = await createSignedInOperator(h, 'uniform', [{ role: 'operator', site: '*' }]);
    const unknown = await signInRequest(h, 'nobody-here', 'Some-Password-123');
    const wrong = await signInRequest(h, op.username, 'Some-Password-123');
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.statusCode, 401);
    const strip = (body: string) => {
      const { requestId: _r, ...rest } = problemOf(body);
      return rest;
    };
    assert.deepEqual(strip(unknown.body), strip(wrong.body));
    assert.equal(problemOf(wrong.body).code, 'auth.invalid_credentials');
  });

  it('confines a one-time password to changing it, and refuses weak new passwords', async () => {
    const { oneTimePassword } = await h.app.identity.operators.createAdmin({ username: 'first-admin', displayName: 'First' });
    assert.match(oneTimePassword, /^[A-Za-z0-9]{20}$/);
    const cookie = sessionCookieOf((await signInRequest(h, 'first-admin', oneTimePassword)).headers['set-cookie']);
    const blocked = await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie } });
    assert.equal(blocked.statusCode, 403);
    assert.equal(problemOf(blocked.body).code, 'auth.password_change_required');
    assert.equal((await me(h, cookie)).json<{ passwordChangeRequired: boolean }>().passwordChangeRequired, true);

    for (const weak of ['short-pass', 'password1234', 'Qwerty123456', 'xfirst-adminx-long']) {
      const response = await h.app.api.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie },
        payload: { currentPassword: oneTimePassword, newPassword: weak },
      });
      assert.equal(response.statusCode, 400, weak);
      assert.equal(problemOf(response.body).code, 'operators.weak_password', weak);
    }
    const changed = await h.app.api.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: oneTimePassword, newPassword: 'A-much-better-passphrase' },
    });
    assert.equal(changed.statusCode, 204);

    // Admin requires MFA: until enrolled, only the set-up routes answer.
    const stillBlocked = await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie } });
    assert.equal(problemOf(stillBlocked.body).code, 'auth.mfa_enrolment_required');
    const totp = await enrolTotp(h, cookie);
    const open = await h.app.api.inject({ method: 'GET', url: '/api/operators', headers: { cookie } });
    assert.equal(open.statusCode, 200);

    // The old one-time password no longer works; the new one needs the second factor.
    assert.equal((await signInRequest(h, 'first-admin', oneTimePassword)).statusCode, 401);
    const next = await signInRequest(h, 'first-admin', 'A-much-better-passphrase');
    assert.equal(problemOf(next.body).code, 'auth.mfa_required');
    assert.equal(next.headers['set-cookie'], undefined);
    h.clock.advance(30_000);
    await signIn(h, { username: 'first-admin', password: 'A-much-better-passphrase', totp });
  });

  it('accepts a TOTP code once, within one step of now, and never a replay', async () => {
    const op = await createSignedInOperator(h, 'replay', [{ role: 'security-manager', site: '*' }]);
    const challenge = async () => {
      const response = await signInRequest(h, op.username, op.password);
      assert.equal(response.statusCode, 401);
      assert.equal(problemOf(response.body).code, 'auth.mfa_required');
      return problemOf(response.body)['challenge'] as string;
    };
    const verify = (c: string, code: string) => h.app.api.inject({ method: 'POST', url: '/api/auth/mfa', payload: { challenge: c, code } });

    // The challenge is not a session.
    const c1 = await challenge();
    assert.equal((await me(h, `vigil_session=${c1}`)).statusCode, 401);

    h.clock.advance(30_000);
    const code = codeAt(h, op.totp!);
    assert.equal((await verify(c1, code)).statusCode, 200);
    const replay = await verify(await challenge(), code);
    assert.equal(replay.statusCode, 401);
    assert.equal(problemOf(replay.body).code, 'auth.mfa_invalid');

    // A code from the previous step (clock drift) is accepted once; two steps back is not.
    h.clock.advance(60_000);
    const previousStep = op.totp!.generate({ timestamp: h.clock.now().getTime() - 30_000 });
    const twoBack = op.totp!.generate({ timestamp: h.clock.now().getTime() - 60_000 });
    const c2 = await challenge();
    assert.equal((await verify(c2, twoBack)).statusCode, 401);
    assert.equal((await verify(c2, previousStep)).statusCode, 200);

    // A challenge dies after five wrong codes, and after five minutes.
    const c3 = await challenge();
    for (let i = 0; i < 5; i++) await verify(c3, '000000');
    h.clock.advance(30_000);
    const exhausted = await verify(c3, codeAt(h, op.totp!));
    assert.equal(problemOf(exhausted.body).code, 'auth.mfa_challenge_invalid');
    const c4 = await challenge();
    h.clock.advanceMinutes(6);
    const late = await verify(c4, codeAt(h, op.totp!));
    assert.equal(problemOf(late.body).code, 'auth.mfa_challenge_invalid');

    const types = await journalTypes(h, op.id);
    assert.ok(types.includes('operator.mfa_enrolled'));
    assert.ok(types.filter((t) => t === 'operator.sign_in_failed').length >= 7);
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const op = await createSignedInOperator(h, 'leaver', [{ role: 'front-desk', site: '*' }]);
    const out = await h.app.api.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: op.cookie } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /^vigil_session=;/);
    assert.equal((await me(h, op.cookie)).statusCode, 401);
    assert.ok((await journalTypes(h, op.id)).includes('operator.signed_out'));
  });
});

describe('lockout, throttling and session expiry', () => {
  let h: Harness;
  let op: TestOperator;
  before(async () => {
    h = await startHarness({
      settings: {
        security: { loginMaxFailures: 3, lockoutMinutes: 15, loginRatePerMinute: 4, sessionTtlMinutes: 30, sessionIdleMinutes: 10 },
      },
    });
    op = await createSignedInOperator(h, 'target', [{ role: 'operator', site: '*' }]);
  });
  after(async () => {
    await h.close();
  });

  it('locks the account after the configured failures, until the lockout ends', async () => {
    const at = '10.1.0.1';
    assert.equal((await signInRequest(h, op.username, 'wrong-password-1', at)).statusCode, 401);
    assert.equal((await signInRequest(h, op.username, 'wrong-password-2', at)).statusCode, 401);
    const third = await signInRequest(h, op.username, 'wrong-password-3', '10.1.0.2');
    assert.equal(third.statusCode, 403);
    assert.equal(problemOf(third.body).code, 'auth.account_locked');
    const right = await signInRequest(h, op.username, op.password, '10.1.0.3');
    assert.equal(right.statusCode, 403, 'the right password does not open a locked account');
    assert.equal(problemOf(right.body).code, 'auth.account_locked');
    assert.ok(problemOf(right.body)['lockedUntil']);
    h.clock.advanceMinutes(16);
    assert.equal((await signInRequest(h, op.username, op.password, '10.1.0.3')).statusCode, 200);
    assert.ok((await journalTypes(h, op.id)).includes('operator.locked_out'));
  });

  it('throttles failed attempts per client address, and only that address', async () => {
    h.clock.advanceMinutes(5);
    const at = '10.2.0.1';
    for (let i = 0; i < 4; i++) assert.equal((await signInRequest(h, `ghost-${i}`, 'whatever-password', at)).statusCode, 401);
    const limited = await signInRequest(h, 'ghost-x', 'whatever-password', at);
    assert.equal(limited.statusCode, 429);
    assert.equal(problemOf(limited.body).code, 'auth.rate_limited');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Even the right password waits: the limit applies before any check.
    assert.equal((await signInRequest(h, op.username, op.password, at)).statusCode, 429);
    assert.equal((await signInRequest(h, 'ghost-y', 'whatever-password', '10.2.0.2')).statusCode, 401);
    h.clock.advanceMinutes(2);
    assert.equal((await signInRequest(h, op.username, op.password, at)).statusCode, 200);
  });

  it('does not count successful sign-ins against the address', async () => {
    h.clock.advanceMinutes(5);
    for (let i = 0; i < 8; i++) assert.equal((await signInRequest(h, op.username, op.password, '10.3.0.1')).statusCode, 200);
  });

  it('expires a session after the idle limit', async () => {
    h.clock.advanceMinutes(5);
    const cookie = await signIn(h, op);
    h.clock.advanceMinutes(9);
    assert.equal((await me(h, cookie)).statusCode, 200);
    h.clock.advanceMinutes(9);
    assert.equal((await me(h, cookie)).statusCode, 200, 'activity keeps the session alive');
    h.clock.advanceMinutes(11);
    const expired = await me(h, cookie);
    assert.equal(expired.statusCode, 401);
    assert.equal(problemOf(expired.body).code, 'auth.session_expired');
  });

  it('expires a session at its lifetime, however active', async () => {
    const cookie = await signIn(h, op);
    for (let minute = 8; minute < 30; minute += 8) {
      h.clock.advanceMinutes(8);
      assert.equal((await me(h, cookie)).statusCode, 200, `after ${minute} minutes`);
    }
    h.clock.advanceMinutes(7);
    const expired = await me(h, cookie);
    assert.equal(expired.statusCode, 401);
    assert.equal(problemOf(expired.body).code, 'auth.session_expired');
  });
});

describe('session cookie behind https', () => {
  it('marks the cookie Secure when the public URL is https://', async () => {
    const h = await startHarness({ settings: { http: { publicUrl: 'https://vigil.example-hospital.org' } } });
    try {
      const op = await createSignedInOperator(h, 'secure', [{ role: 'auditor', site: '*' }]);
      const response = await signInRequest(h, op.username, op.password);
      assert.match(String(response.headers['set-cookie']), /; Secure/);
    } finally {
      await h.close();
    }
  });
});

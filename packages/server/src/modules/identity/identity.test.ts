/**
 * The identity services on each database (SQLite and PostgreSQL): the queries behind sign-in,
 * lockout, TOTP replay protection, throttling under concurrency, sessions and tokens.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { EventCatalogue, isVigilError } from '@vigil/core';
import { URI, type TOTP } from 'otpauth';
import { eachDatabase } from '../../storage/testing.js';
import { Journal } from '../audit/index.js';
import { SESSION_COOKIE } from './authenticator.js';
import { identityEvents } from './events.js';
import { createIdentity, type Identity } from './service.js';

const CHEAP = { log2N: 10, r: 8, p: 1 };
const policy = { sessionTtlMinutes: 60, sessionIdleMinutes: 15, loginMaxFailures: 3, lockoutMinutes: 10, loginRatePerMinute: 5 };

const failsWith = (code: string) => (e: unknown) => isVigilError(e) && e.code === code;

eachDatabase('identity services', (t) => {
  let at = Date.parse('2026-04-01T06:00:00Z');
  const clock = () => new Date(at);
  let identity: Identity | undefined;
  const id = () => {
    identity ??= createIdentity({
      db: t().handle.db,
      record: new Journal({ catalogue: new EventCatalogue().register(...identityEvents), clock }).record,
      clock,
      policy,
      secretKeyFile: path.join(t().dir, 'secrets.key'),
      passwordCost: CHEAP,
    });
    return identity;
  };
  const cookie = (sessionId: string) => ({ headers: {}, cookies: { [SESSION_COOKIE]: sessionId } });

  let adminId = '';
  let adminPassword = '';
  let totp: TOTP | undefined;

  it('creates an admin whose one-time password must be changed, then enrols TOTP', async () => {
    const { operator, oneTimePassword } = await id().operators.createAdmin({ username: 'Root', displayName: 'Root' });
    adminId = operator.id;
    const result = await id().signIn.signIn({ username: 'root', password: oneTimePassword, address: '192.0.2.1' });
    assert.equal(result.kind, 'session');
    const sessionId = result.kind === 'session' ? result.session.id : '';
    const principal = (await id().authenticator.authenticate(cookie(sessionId)))!;
    assert.equal(principal.passwordChangeRequired, true);
    assert.equal(principal.mfaEnrolmentPending, true);

    adminPassword = 'Replacement-passphrase-1';
    await id().account.changePassword(principal, {
      currentPassword: oneTimePassword,
      newPassword: adminPassword,
      address: '192.0.2.1',
      currentSessionId: sessionId,
    });
    const { uri } = await id().account.startMfaEnrolment(principal);
    totp = URI.parse(uri) as TOTP;
    await assert.rejects(id().account.confirmMfaEnrolment(principal, '000000'), failsWith('auth.mfa_invalid'));
    await id().account.confirmMfaEnrolment(principal, totp.generate({ timestamp: at }));
    const after = (await id().authenticator.authenticate(cookie(sessionId)))!;
    assert.equal(after.setupPending, false);
    assert.equal(after.can('operators.manage', 'any-site'), true);

    const stored = await t().handle.db.selectFrom('operators').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow();
    assert.match(stored.password_hash, /^scrypt\$10\$8\$1\$/);
    assert.ok(stored.mfa_secret?.startsWith('v1.'));
    assert.equal(stored.mfa_secret!.includes(totp.secret.base32), false, 'the TOTP secret is encrypted at rest');
  });

  it('refuses a TOTP code it has already accepted', async () => {
    at += 30_000;
    const code = totp!.generate({ timestamp: at });
    const first = await id().signIn.signIn({ username: 'root', password: adminPassword, address: '192.0.2.2' });
    assert.equal(first.kind, 'mfa_required');
    const challenge = first.kind === 'mfa_required' ? first.challenge : '';
    const session = await id().signIn.verifyMfa({ challenge, code, address: '192.0.2.2' });
    assert.equal(session.kind, 'session');
    const second = await id().signIn.signIn({ username: 'root', password: adminPassword, address: '192.0.2.2' });
    const again = second.kind === 'mfa_required' ? second.challenge : '';
    await assert.rejects(id().signIn.verifyMfa({ challenge: again, code, address: '192.0.2.2' }), failsWith('auth.mfa_invalid'));
  });

  it('locks an account after the configured failures and journals it', async () => {
    const { operator } = await id().operators.createAdmin({ username: 'second', displayName: 'Second' }, 'system:test');
    for (let i = 1; i < policy.loginMaxFailures; i++) {
      await assert.rejects(
        id().signIn.signIn({ username: 'second', password: `wrong-${i}`, address: `198.51.100.${i}` }),
        failsWith('auth.invalid_credentials'),
      );
    }
    await assert.rejects(
      id().signIn.signIn({ username: 'second', password: 'wrong-x', address: '198.51.100.9' }),
      failsWith('auth.account_locked'),
    );
    const types = await t()
      .handle.db.selectFrom('journal_events')
      .select('type')
      .where('subject', '=', operator.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      types.map((r) => r.type),
      ['operator.created', 'operator.sign_in_failed', 'operator.sign_in_failed', 'operator.sign_in_failed', 'operator.locked_out'],
    );
  });

  it('lets only the configured number of parallel failures through per address', async () => {
    at += 10 * 60_000;
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => id().signIn.signIn({ username: 'nobody', password: 'whatever-pass', address: '203.0.113.7' })),
    );
    const limited = attempts.filter((a) => a.status === 'rejected' && failsWith('auth.rate_limited')(a.reason)).length;
    assert.equal(limited, 12 - policy.loginRatePerMinute);
  });

  it('expires idle sessions and deletes them', async () => {
    at += 10 * 60_000;
    const result = await id().signIn.signIn({ username: 'root', password: adminPassword, address: '192.0.2.3' });
    at += 30_000;
    const code = totp!.generate({ timestamp: at });
    const { session } = await id().signIn.verifyMfa({
      challenge: result.kind === 'mfa_required' ? result.challenge : '',
      code,
      address: '192.0.2.3',
    });
    at += 16 * 60_000;
    await assert.rejects(id().authenticator.authenticate(cookie(session.id)), failsWith('auth.session_expired'));
    assert.equal(await id().authenticator.authenticate(cookie(session.id)), null, 'the expired row is gone');
  });

  it('upgrades a password hash made with a lower cost at the next sign-in', async () => {
    const stronger = createIdentity({
      db: t().handle.db,
      record: new Journal({ catalogue: new EventCatalogue().register(...identityEvents), clock }).record,
      clock,
      policy,
      secretKeyFile: path.join(t().dir, 'secrets.key'),
      passwordCost: { log2N: 11, r: 8, p: 1 },
    });
    const hashOf = async () =>
      (await t().handle.db.selectFrom('operators').select('password_hash').where('id', '=', adminId).executeTakeFirstOrThrow())
        .password_hash;
    assert.match(await hashOf(), /^scrypt\$10\$/);
    await stronger.signIn.signIn({ username: 'root', password: adminPassword, address: '192.0.2.5' });
    assert.match(await hashOf(), /^scrypt\$11\$/);
  });

  it('resolves tokens to a principal narrowed to their scopes and sites, newest first in lists', async () => {
    const result = await id().signIn.signIn({ username: 'root', password: adminPassword, address: '192.0.2.4' });
    at += 30_000;
    const { session } = await id().signIn.verifyMfa({
      challenge: result.kind === 'mfa_required' ? result.challenge : '',
      code: totp!.generate({ timestamp: at }),
      address: '192.0.2.4',
    });
    const admin = (await id().authenticator.authenticate(cookie(session.id)))!;
    const a = await id().tokens.issue(admin, { name: 'a', permissions: ['doors.control'], sites: ['site-1'] });
    const b = await id().tokens.issue(admin, { name: 'b', permissions: ['journal.read'], sites: ['*'] });
    const principal = await id().tokens.resolve(a.secret);
    assert.equal(principal.kind, 'token');
    assert.equal(principal.can('doors.control', 'site-1'), true);
    assert.equal(principal.can('doors.control', 'site-2'), false);
    assert.equal(principal.can('journal.read', 'site-1'), false);
    const first = await id().tokens.list(admin, { limit: 1 });
    assert.deepEqual(
      first.items.map((x) => x.id),
      [b.token.id],
    );
    const second = await id().tokens.list(admin, { limit: 1, cursor: first.nextCursor! });
    assert.deepEqual(
      second.items.map((x) => x.id),
      [a.token.id],
    );
    assert.equal(second.nextCursor, null);
    await id().tokens.revoke(admin, a.token.id);
    await assert.rejects(id().tokens.resolve(a.secret), failsWith('auth.token_invalid'));
  });
});

/**
 * Shared set-up for the API security tests: the real app (createApp) on a fresh SQLite data
 * directory with an injected clock, and operators who really sign in — one-time password, password
 * change, TOTP enrolment where their role requires it — using codes generated with otpauth.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TOTP, URI } from 'otpauth';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger, type Logger } from '../kernel/logger.js';
import { ROLES, type RoleName } from '../modules/identity/index.js';

/** Cheap scrypt so suites stay fast; the stored hash carries its parameters, the code path is the same. */
export const TEST_PASSWORD_COST = { log2N: 10, r: 8, p: 1 };

export class TestClock {
  private at: number;
  constructor(start = '2026-03-02T08:00:00.000Z') {
    this.at = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}

export interface Harness {
  readonly app: App;
  readonly clock: TestClock;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startHarness(options: { settings?: Record<string, unknown>; logger?: Logger } = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-api-'));
  const clock = new TestClock();
  const config = loadConfig({}, { dataDir: dir, ...options.settings });
  const app = await createApp(config, {
    logger: options.logger ?? createLogger('silent'),
    clock: clock.now,
    passwordCost: TEST_PASSWORD_COST,
  });
  await app.api.ready();
  return {
    app,
    clock,
    dir,
    async close() {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real site (roles and tokens may only name existing sites); returns its id. */
export async function createSite(h: Harness, name: string): Promise<string> {
  const site = await h.app.facility.sites.create('system:test', { name, timeZone: 'Europe/Zurich' });
  return site.id;
}

/** A pino destination that keeps every line, for log-content assertions. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('trace', destination), lines };
}

export interface TestOperator {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  /** The one-time password the account was created with (already replaced). */
  readonly oneTimePassword: string;
  /** The operator's authenticator, when enrolled. */
  readonly totp: TOTP | null;
  /** `vigil_session=...` of the current session (refreshed by signIn). */
  cookie: string;
}

export function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const header = [setCookie ?? []].flat().find((c) => c.startsWith('vigil_session='));
  if (!header) throw new Error('no vigil_session cookie in the response');
  return header.split(';')[0]!;
}

export interface ProblemBody {
  code: string;
  status: number;
  detail: string;
  [key: string]: unknown;
}

export function problemOf(body: string): ProblemBody {
  return JSON.parse(body) as ProblemBody;
}

/** The TOTP code for the harness clock's current time. */
export function codeAt(h: Harness, totp: TOTP): string {
  return totp.generate({ timestamp: h.clock.now().getTime() });
}

/**
 * Signs in with password (and TOTP, moving the clock to a fresh 30-second step first so the code
 * has not been used before); returns the session cookie.
 */
export async function signIn(h: Harness, op: Pick<TestOperator, 'username' | 'password' | 'totp'>, address = '127.0.0.1'): Promise<string> {
  const first = await h.app.api.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    remoteAddress: address,
    payload: { username: op.username, password: op.password },
  });
  if (first.statusCode === 200) return sessionCookieOf(first.headers['set-cookie']);
  const problem = problemOf(first.body);
  if (problem.code !== 'auth.mfa_required' || !op.totp) throw new Error(`sign-in failed: ${first.statusCode} ${first.body}`);
  h.clock.advance(30_000);
  const second = await h.app.api.inject({
    method: 'POST',
    url: '/api/auth/mfa',
    remoteAddress: address,
    payload: { challenge: problem['challenge'], code: codeAt(h, op.totp) },
  });
  if (second.statusCode !== 200) throw new Error(`MFA step failed: ${second.statusCode} ${second.body}`);
  return sessionCookieOf(second.headers['set-cookie']);
}

/**
 * Creates an operator with the given grants and takes them through first sign-in: replace the
 * one-time password, and enrol TOTP when a role requires it (or `mfa` asks for it).
 */
export async function createSignedInOperator(
  h: Harness,
  username: string,
  grants: readonly { role: RoleName; site: string }[],
  options: { mfa?: boolean } = {},
): Promise<TestOperator> {
  const { operator, oneTimePassword } = await h.app.identity.operators.create(
    { actor: 'system:test', system: true },
    { username, displayName: `Test ${username}`, roles: grants },
  );
  const password = `Long-enough-${randomBytes(6).toString('hex')}-Passphrase!`;
  let cookie = await signIn(h, { username, password: oneTimePassword, totp: null });
  const change = await h.app.api.inject({
    method: 'POST',
    url: '/api/auth/password',
    headers: { cookie },
    payload: { currentPassword: oneTimePassword, newPassword: password },
  });
  if (change.statusCode !== 204) throw new Error(`password change failed: ${change.statusCode} ${change.body}`);
  let totp: TOTP | null = null;
  if (options.mfa ?? grants.some((g) => ROLES[g.role].mfaRequired)) {
    totp = await enrolTotp(h, cookie);
    // A fresh sign-in with the second factor, as the operator would do next time.
    cookie = await signIn(h, { username, password, totp });
  }
  return { id: operator.id, username, password, oneTimePassword, totp, cookie };
}

export async function enrolTotp(h: Harness, cookie: string): Promise<TOTP> {
  const start = await h.app.api.inject({ method: 'POST', url: '/api/auth/mfa/enrolment', headers: { cookie } });
  if (start.statusCode !== 201) throw new Error(`enrolment failed: ${start.statusCode} ${start.body}`);
  const totp = URI.parse((JSON.parse(start.body) as { uri: string }).uri);
  if (!(totp instanceof TOTP)) throw new Error('enrolment URI is not TOTP');
  const confirm = await h.app.api.inject({
    method: 'POST',
    url: '/api/auth/mfa/enrolment/confirm',
    headers: { cookie },
    payload: { code: codeAt(h, totp) },
  });
  if (confirm.statusCode !== 200) throw new Error(`enrolment confirmation failed: ${confirm.statusCode} ${confirm.body}`);
  return totp;
}

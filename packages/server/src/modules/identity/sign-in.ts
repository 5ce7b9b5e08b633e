/**
 * Signing in: password, then (when enrolled) a TOTP code against a short-lived challenge, then a
 * session. Unknown user and wrong password fail identically, and an unknown user still costs one
 * scrypt so the answer time does not tell them apart. Every outcome is journaled.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { IdentityContext } from './context.js';
import { identityError } from './errors.js';
import { operatorLockedOut, operatorSignedIn, operatorSignedOut, operatorSignInFailed } from './events.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import {
  findOperatorById,
  findOperatorByUsername,
  loadOperator,
  recordSignInFailure,
  type Operator,
  type OperatorRow,
} from './repository.js';
import { ChallengeStore, SessionStore, digest, type IssuedSession } from './sessions.js';
import { LoginThrottle } from './throttle.js';
import { matchTotpStep } from './totp.js';

export type SignInResult =
  | { readonly kind: 'session'; readonly session: IssuedSession; readonly operator: Operator }
  | { readonly kind: 'mfa_required'; readonly challenge: string; readonly expiresAt: string };

type FailureReason = 'unknown_user' | 'wrong_password' | 'wrong_totp' | 'locked' | 'disabled';

export class SignInService {
  private readonly sessions: SessionStore;
  private readonly challenges: ChallengeStore;
  private readonly throttle: LoginThrottle;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly ctx: IdentityContext) {
    this.sessions = new SessionStore(ctx.db, ctx.clock, {
      ttlMinutes: ctx.policy.sessionTtlMinutes,
      idleMinutes: ctx.policy.sessionIdleMinutes,
    });
    this.challenges = new ChallengeStore(ctx.db, ctx.clock);
    this.throttle = new LoginThrottle(ctx.db, ctx.clock, ctx.policy.loginRatePerMinute);
  }

  get sessionStore(): SessionStore {
    return this.sessions;
  }

  get loginThrottle(): LoginThrottle {
    return this.throttle;
  }

  /** A hash of a random password with the current cost, compared against when the user is unknown. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'), this.ctx.passwordCost);
    return this.dummyHash;
  }

  async signIn(input: { username: string; password: string; address: string }): Promise<SignInResult> {
    await this.throttle.consume(input.address);
    const now = this.ctx.clock();
    const row = await findOperatorByUsername(this.ctx.db, input.username);
    if (!row) {
      await verifyPassword(input.password, await this.dummy());
      await this.journalFailure(null, 'unknown_user', input.address);
      throw identityError('auth.invalid_credentials', 'User name or password is wrong');
    }
    if (row.locked_until !== null && row.locked_until > now.toISOString()) {
      await verifyPassword(input.password, await this.dummy());
      await this.journalFailure(row.id, 'locked', input.address);
      throw identityError('auth.account_locked', 'Too many failed sign-ins; the account is locked for a while', {
        lockedUntil: row.locked_until,
      });
    }
    if (!(await verifyPassword(input.password, row.password_hash))) {
      await this.countFailure(row, 'wrong_password', input.address);
      throw identityError('auth.invalid_credentials', 'User name or password is wrong');
    }
    if (row.disabled === 1) {
      await this.journalFailure(row.id, 'disabled', input.address);
      throw identityError('auth.account_disabled', 'This operator account is disabled');
    }
    await this.throttle.refund(input.address);
    if (needsRehash(row.password_hash, this.ctx.passwordCost)) {
      const upgraded = await hashPassword(input.password, this.ctx.passwordCost);
      await this.ctx.db.updateTable('operators').set({ password_hash: upgraded }).where('id', '=', row.id).execute();
    }
    if (row.mfa_secret !== null) {
      const { challenge, expiresAt } = await this.challenges.create(row.id, input.address);
      return { kind: 'mfa_required', challenge, expiresAt };
    }
    return this.openSession(row.id, 'password', input.address);
  }

  async verifyMfa(input: { challenge: string; code: string; address: string }): Promise<SignInResult & { kind: 'session' }> {
    await this.throttle.consume(input.address);
    const pending = await this.challenges.find(input.challenge);
    const row = await findOperatorById(this.ctx.db, pending.operatorId);
    const now = this.ctx.clock();
    if (!row || row.disabled === 1 || row.mfa_secret === null) {
      throw identityError('auth.mfa_challenge_invalid', 'The sign-in challenge is no longer valid; sign in again');
    }
    if (row.locked_until !== null && row.locked_until > now.toISOString()) {
      throw identityError('auth.account_locked', 'Too many failed sign-ins; the account is locked for a while', {
        lockedUntil: row.locked_until,
      });
    }
    const step = matchTotpStep(this.ctx.secrets.open(row.mfa_secret, row.id), input.code, now);
    const accepted =
      step !== null &&
      (await this.ctx.db.transaction().execute(async (trx) => {
        // Conditional update: of two requests racing with the same code, exactly one wins.
        const claimed = await trx
          .updateTable('operators')
          .set({ mfa_last_step: step })
          .where('id', '=', row.id)
          .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
        if (!(await this.challenges.consume(trx, pending.idHash))) {
          throw identityError('auth.mfa_challenge_invalid', 'The sign-in challenge was already used; sign in again');
        }
        return true;
      }));
    if (!accepted) {
      await this.countFailure(row, 'wrong_totp', input.address, pending.idHash);
      throw identityError('auth.mfa_invalid', 'The code is wrong, expired or was already used');
    }
    await this.throttle.refund(input.address);
    return this.openSession(row.id, 'password+totp', input.address);
  }

  async signOut(sessionId: string, actor: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const operatorId = await this.sessions.end(trx, digest(sessionId));
      if (operatorId) await this.ctx.record(trx, operatorSignedOut.draft({ site: null, source: actor, subject: operatorId }, {}));
    });
  }

  private async openSession(operatorId: string, method: 'password' | 'password+totp', address: string) {
    const now = this.ctx.clock();
    const session = await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('operators')
        .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: now.toISOString() })
        .where('id', '=', operatorId)
        .execute();
      const issued = await this.sessions.create(trx, operatorId, address);
      await this.ctx.record(
        trx,
        operatorSignedIn.draft({ site: null, source: `operator:${operatorId}`, subject: operatorId }, { method, address }),
      );
      return issued;
    });
    const operator = await loadOperator(this.ctx.db, operatorId, now);
    if (!operator) throw identityError('operators.not_found', 'The operator was removed while signing in');
    return { kind: 'session' as const, session, operator };
  }

  private async countFailure(row: OperatorRow, reason: FailureReason, address: string, challengeHash?: string): Promise<void> {
    const now = this.ctx.clock();
    const { failures, lockedUntil } = await this.ctx.db.transaction().execute(async (trx: Transaction<Database>) => {
      if (challengeHash) await this.challenges.failed(trx, challengeHash);
      const outcome = await recordSignInFailure(trx, row.id, now, this.ctx.policy.loginMaxFailures, this.ctx.policy.lockoutMinutes);
      const envelope = { site: null, source: `operator:${row.id}`, subject: row.id };
      await this.ctx.record(trx, operatorSignInFailed.draft(envelope, { reason, address }));
      if (outcome.lockedUntil) {
        await this.ctx.record(trx, operatorLockedOut.draft(envelope, { until: outcome.lockedUntil, failures: outcome.failures, address }));
        await trx.deleteFrom('mfa_challenges').where('operator_id', '=', row.id).execute();
      }
      return outcome;
    });
    if (lockedUntil) {
      throw identityError('auth.account_locked', `${failures} failed sign-ins; the account is locked for a while`, { lockedUntil });
    }
  }

  private async journalFailure(operatorId: string | null, reason: FailureReason, address: string): Promise<void> {
    const source = operatorId ? `operator:${operatorId}` : 'system:sign-in';
    await this.ctx.db
      .transaction()
      .execute((trx) => this.ctx.record(trx, operatorSignInFailed.draft({ site: null, source, subject: operatorId }, { reason, address })));
  }
}

/**
 * What an operator does to their own account: enrol a TOTP authenticator and change their
 * password. Both are open to an operator whose set-up is unfinished (see Principal.setupPending).
 */
import type { IdentityContext } from './context.js';
import { identityError } from './errors.js';
import { operatorMfaEnrolled, operatorPasswordChanged } from './events.js';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './passwords.js';
import { PERMISSIONS, type Permission, type RoleGrant } from './permissions.js';
import type { Principal } from './principal.js';
import { endAllSessions, findOperatorById, type OperatorRow } from './repository.js';
import { digest } from './sessions.js';
import type { LoginThrottle } from './throttle.js';
import { matchTotpStep, newTotpEnrolment } from './totp.js';

/** Who the caller is and what they may do, for the console to shape itself. */
export interface WhoAmI {
  readonly kind: Principal['kind'];
  readonly id: string;
  readonly name: string;
  readonly displayName: string | null;
  readonly grants: RoleGrant[];
  /** Permissions held on at least one site. */
  readonly permissions: Permission[];
  readonly mfaEnrolled: boolean | null;
  readonly mfaEnrolmentPending: boolean;
  readonly passwordChangeRequired: boolean;
}

export class AccountService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly throttle: LoginThrottle,
  ) {}

  async describe(principal: Principal): Promise<WhoAmI> {
    const row = principal.kind === 'operator' ? await findOperatorById(this.ctx.db, principal.id) : undefined;
    return {
      kind: principal.kind,
      id: principal.id,
      name: principal.name,
      displayName: row?.display_name ?? null,
      grants: [...principal.grants],
      permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => principal.can(p)),
      mfaEnrolled: row ? row.mfa_secret !== null : null,
      mfaEnrolmentPending: principal.mfaEnrolmentPending,
      passwordChangeRequired: principal.passwordChangeRequired,
    };
  }

  private async self(principal: Principal): Promise<OperatorRow> {
    if (principal.kind !== 'operator') throw identityError('auth.forbidden', 'Only a signed-in operator can change their own account');
    const row = await findOperatorById(this.ctx.db, principal.id);
    if (!row) throw identityError('operators.not_found', 'The operator no longer exists');
    return row;
  }

  /**
   * Generates a TOTP secret server-side and keeps it pending (encrypted) until confirmed; the
   * `otpauth://` URI is the only time the secret leaves the server.
   */
  async startMfaEnrolment(principal: Principal): Promise<{ uri: string }> {
    const row = await this.self(principal);
    if (row.mfa_secret !== null) {
      throw identityError('auth.mfa_already_enrolled', 'An authenticator is already active; an administrator must reset it first');
    }
    const enrolment = newTotpEnrolment(this.ctx.issuer, row.username);
    await this.ctx.db
      .updateTable('operators')
      .set({ mfa_pending_secret: this.ctx.secrets.seal(enrolment.secret, row.id), updated_at: this.ctx.clock().toISOString() })
      .where('id', '=', row.id)
      .execute();
    return { uri: enrolment.uri };
  }

  /** Activates the pending secret once a code generated from it is shown; that code is then spent. */
  async confirmMfaEnrolment(principal: Principal, code: string): Promise<void> {
    const row = await this.self(principal);
    if (row.mfa_secret !== null) throw identityError('auth.mfa_already_enrolled', 'An authenticator is already active');
    const pendingSecret = row.mfa_pending_secret;
    if (pendingSecret === null) throw identityError('auth.mfa_enrolment_not_started', 'Start an enrolment first');
    const now = this.ctx.clock();
    const step = matchTotpStep(this.ctx.secrets.open(pendingSecret, row.id), code, now);
    if (step === null) throw identityError('auth.mfa_invalid', 'The code does not match the new authenticator');
    await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('operators')
        .set({ mfa_secret: pendingSecret, mfa_pending_secret: null, mfa_last_step: step, updated_at: now.toISOString() })
        .where('id', '=', row.id)
        .where('mfa_secret', 'is', null)
        .where('mfa_pending_secret', '=', pendingSecret)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw identityError('auth.mfa_enrolment_not_started', 'The enrolment changed meanwhile');
      await this.ctx.record(trx, operatorMfaEnrolled.draft({ site: null, source: principal.actor, subject: row.id }, {}));
    });
  }

  /**
   * Replaces the password after checking the current one (throttled per address like sign-in,
   * so a stolen session cannot be used to guess it), clears a one-time password's restriction and
   * ends every other session of the operator.
   */
  async changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string; address: string; currentSessionId: string | null },
  ): Promise<void> {
    const row = await this.self(principal);
    await this.throttle.consume(input.address);
    if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
      throw identityError('auth.invalid_credentials', 'The current password is wrong');
    }
    await this.throttle.refund(input.address);
    assertAcceptablePassword(input.newPassword, row.username);
    if (input.newPassword === input.currentPassword) {
      throw identityError('operators.weak_password', 'The new password must differ from the current one', {});
    }
    const hash = await hashPassword(input.newPassword, this.ctx.passwordCost);
    const now = this.ctx.clock().toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('operators')
        .set({ password_hash: hash, password_changed_at: now, must_change_password: 0, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      await endAllSessions(trx, row.id, input.currentSessionId ? digest(input.currentSessionId) : undefined);
      await this.ctx.record(
        trx,
        operatorPasswordChanged.draft(
          { site: null, source: principal.actor, subject: row.id },
          { replacedOneTimePassword: row.must_change_password === 1 },
        ),
      );
    });
  }
}

/**
 * What the identity module records in the journal. None of these ever carries a password, a
 * one-time password, a TOTP code or secret, a session id, a challenge or an API token secret; the
 * user name typed at a failed sign-in is not recorded either when it matches no operator, because
 * people type their password into the user-name field.
 */
import { Type, defineEvent } from '@vigil/core';

const RoleName = Type.String({ minLength: 1, maxLength: 64 });
const SiteRef = Type.String({ minLength: 1, maxLength: 128 });
const Address = Type.String({ maxLength: 128 });

export const operatorSignedIn = defineEvent(
  'operator.signed_in',
  'An operator signed in and received a session.',
  Type.Object(
    { method: Type.Union([Type.Literal('password'), Type.Literal('password+totp')]), address: Address },
    { additionalProperties: false },
  ),
);

export const operatorSignInFailed = defineEvent(
  'operator.sign_in_failed',
  'A sign-in attempt failed (unknown user, wrong password, wrong or replayed TOTP code, locked or disabled account).',
  Type.Object(
    {
      reason: Type.Union([
        Type.Literal('unknown_user'),
        Type.Literal('wrong_password'),
        Type.Literal('wrong_totp'),
        Type.Literal('locked'),
        Type.Literal('disabled'),
      ]),
      address: Address,
    },
    { additionalProperties: false },
  ),
);

export const operatorLockedOut = defineEvent(
  'operator.locked_out',
  'Too many consecutive failed sign-ins locked the account for a while.',
  Type.Object(
    { until: Type.String({ format: 'date-time' }), failures: Type.Integer({ minimum: 1 }), address: Address },
    { additionalProperties: false },
  ),
);

export const operatorSignedOut = defineEvent(
  'operator.signed_out',
  'An operator ended their session.',
  Type.Object({}, { additionalProperties: false }),
);

export const operatorCreated = defineEvent(
  'operator.created',
  'An operator account was created with a one-time password.',
  Type.Object(
    {
      username: Type.String({ maxLength: 64 }),
      displayName: Type.String({ maxLength: 200 }),
      roles: Type.Array(Type.Object({ role: RoleName, site: SiteRef }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
);

export const operatorDisabled = defineEvent(
  'operator.disabled',
  'An operator account was disabled; its sessions ended and its API tokens stopped working.',
  Type.Object({}, { additionalProperties: false }),
);

export const operatorEnabled = defineEvent(
  'operator.enabled',
  'A disabled operator account was enabled again.',
  Type.Object({}, { additionalProperties: false }),
);

export const operatorRoleGranted = defineEvent(
  'operator.role_granted',
  'A role was granted to an operator on a site (or on every site, `*`).',
  Type.Object({ role: RoleName, site: SiteRef }, { additionalProperties: false }),
);

export const operatorRoleRevoked = defineEvent(
  'operator.role_revoked',
  'A role was taken away from an operator on a site.',
  Type.Object({ role: RoleName, site: SiteRef }, { additionalProperties: false }),
);

export const operatorMfaEnrolled = defineEvent(
  'operator.mfa_enrolled',
  'An operator confirmed a TOTP authenticator with a valid code; it is now required at sign-in.',
  Type.Object({}, { additionalProperties: false }),
);

export const operatorMfaReset = defineEvent(
  'operator.mfa_reset',
  'An administrator removed an operator’s TOTP authenticator; the operator must enrol again.',
  Type.Object({}, { additionalProperties: false }),
);

export const operatorPasswordChanged = defineEvent(
  'operator.password_changed',
  'An operator changed their own password; their other sessions ended.',
  Type.Object({ replacedOneTimePassword: Type.Boolean() }, { additionalProperties: false }),
);

export const operatorPasswordReset = defineEvent(
  'operator.password_reset',
  'An administrator issued a new one-time password; the operator’s sessions ended.',
  Type.Object({}, { additionalProperties: false }),
);

export const tokenIssued = defineEvent(
  'token.issued',
  'An API token was issued for an integration (its secret is shown once and never recorded).',
  Type.Object(
    {
      tokenId: Type.String(),
      name: Type.String({ maxLength: 100 }),
      owner: Type.String(),
      permissions: Type.Array(Type.String()),
      sites: Type.Array(SiteRef),
      expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    },
    { additionalProperties: false },
  ),
);

export const tokenRevoked = defineEvent(
  'token.revoked',
  'An API token was revoked; it no longer authenticates.',
  Type.Object({ tokenId: Type.String(), owner: Type.String() }, { additionalProperties: false }),
);

export const identityEvents = [
  operatorSignedIn,
  operatorSignInFailed,
  operatorLockedOut,
  operatorSignedOut,
  operatorCreated,
  operatorDisabled,
  operatorEnabled,
  operatorRoleGranted,
  operatorRoleRevoked,
  operatorMfaEnrolled,
  operatorMfaReset,
  operatorPasswordChanged,
  operatorPasswordReset,
  tokenIssued,
  tokenRevoked,
];

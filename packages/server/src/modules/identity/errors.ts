import { defineErrors, errorFactory } from '@vigil/core';

export const identityErrors = defineErrors({
  'auth.required': {
    kind: 'unauthenticated',
    description: 'The request carries no valid session cookie or API token; sign in or send a token.',
  },
  'auth.forbidden': {
    kind: 'forbidden',
    description: 'The signed-in operator or token lacks the permission this action needs on that site.',
  },
  'auth.invalid_credentials': { kind: 'unauthenticated', description: 'User name or password is wrong. The response does not say which.' },
  'auth.mfa_required': { kind: 'unauthenticated', description: 'The password was right; a TOTP code is needed to finish signing in.' },
  'auth.mfa_invalid': { kind: 'unauthenticated', description: 'The TOTP code is wrong, expired or was already used.' },
  'auth.mfa_enrolment_required': {
    kind: 'forbidden',
    description: 'This role requires MFA; enrol a TOTP authenticator before doing anything else.',
  },
  'auth.account_locked': { kind: 'forbidden', description: 'Too many failed sign-ins; the account is locked until `details.lockedUntil`.' },
  'auth.account_disabled': { kind: 'forbidden', description: 'The operator account is disabled.' },
  'auth.session_expired': { kind: 'unauthenticated', description: 'The session expired (lifetime or idle limit); sign in again.' },
  'auth.token_invalid': { kind: 'unauthenticated', description: 'The API token is unknown, revoked or expired.' },
  'auth.rate_limited': { kind: 'rate_limited', description: 'Too many sign-in attempts from this address; wait and retry.' },
  'auth.password_change_required': {
    kind: 'forbidden',
    description: 'The operator signed in with a one-time password; change it (POST /api/auth/password) before doing anything else.',
  },
  'auth.mfa_challenge_invalid': {
    kind: 'unauthenticated',
    description: 'The MFA challenge is unknown, expired or was used up by wrong codes; sign in with the password again.',
  },
  'auth.mfa_already_enrolled': {
    kind: 'conflict',
    description: 'A TOTP authenticator is already active for this operator; an administrator must reset MFA before a new one is enrolled.',
  },
  'auth.mfa_enrolment_not_started': { kind: 'conflict', description: 'There is no pending TOTP enrolment to confirm; start one first.' },
  'auth.secret_key_insecure': {
    kind: 'invalid',
    description:
      'The key file that encrypts TOTP secrets is readable or writable by group or others, or is not 32 bytes; restrict it to the owner (chmod 600) or restore it. Vigil refuses to use it.',
  },
  'auth.secret_undecryptable': {
    kind: 'integrity',
    description: 'A stored TOTP secret does not decrypt under the configured key (wrong key file or tampered row).',
  },
  'operators.not_found': { kind: 'not_found', description: 'No operator with that id.' },
  'operators.invalid_username': {
    kind: 'invalid',
    description:
      'A user name is 2–64 characters: letters (compared in lower case), digits, `.`, `_`, `@` or `-`, starting with a letter or digit.',
  },
  'operators.last_admin': {
    kind: 'conflict',
    description: 'The change would leave no enabled operator holding the admin role on all sites.',
  },
  'operators.self_disable': { kind: 'conflict', description: 'An operator cannot disable their own account.' },
  'operators.grant_not_found': { kind: 'not_found', description: 'The operator does not hold that role on that site.' },
  'tokens.not_found': { kind: 'not_found', description: 'No API token with that id (or it belongs to another operator).' },
  'tokens.invalid_scope': {
    kind: 'invalid',
    description: 'A token needs at least one permission and at least one site, each site `*` or an existing site.',
  },
  'tokens.invalid_expiry': { kind: 'invalid', description: 'A token expiry must be in the future.' },
  'operators.username_taken': { kind: 'conflict', description: 'An operator with that user name exists.' },
  'operators.weak_password': {
    kind: 'invalid',
    description: 'The password is too short (at least 12 characters), too long (at most 256), too common, or contains the user name.',
  },
  'operators.invalid_role': { kind: 'invalid', description: 'The role name is not one of the defined roles, or the site does not exist.' },
  'operators.scope_exceeds_owner': { kind: 'forbidden', description: 'An API token cannot carry a permission its owner does not hold.' },
});

export const identityError = errorFactory(identityErrors);

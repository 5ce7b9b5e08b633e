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
  'operators.not_found': { kind: 'not_found', description: 'No operator with that id.' },
  'operators.username_taken': { kind: 'conflict', description: 'An operator with that user name exists.' },
  'operators.weak_password': { kind: 'invalid', description: 'The password is too short or too common (at least 12 characters).' },
  'operators.invalid_role': { kind: 'invalid', description: 'The role name is not one of the defined roles, or the site does not exist.' },
  'operators.scope_exceeds_owner': { kind: 'forbidden', description: 'An API token cannot carry a permission its owner does not hold.' },
});

export const identityError = errorFactory(identityErrors);

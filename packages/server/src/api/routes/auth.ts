/**
 * Signing in and out, and what an operator does to their own account. Sign-in and the MFA step
 * are the only public routes; the others are open to any signed-in operator, including one who
 * must still change a one-time password or enrol MFA.
 */
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, identityError, type Identity, type SignInResult } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { NoContent, WhoAmISchema } from './identity-schemas.js';
import { principalOf } from './route-helpers.js';

export interface AuthRouteOptions {
  readonly identity: Identity;
  /** Mark the session cookie Secure (the public URL is https://). */
  readonly secureCookies: boolean;
}

const closed = { additionalProperties: false } as const;
const setup = { permission: 'account.self', allowDuringMfaEnrolment: true } as const;
const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code from the authenticator app.' });

export function authRoutes({ identity, secureCookies }: AuthRouteOptions) {
  const setSessionCookie = (reply: FastifyReply, result: SignInResult & { kind: 'session' }) =>
    reply.setCookie(SESSION_COOKIE, result.session.id, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: secureCookies,
      expires: new Date(result.session.expiresAt),
    });

  return (app: Api): void => {
    app.post(
      '/api/auth/sign-in',
      {
        config: { access: { permission: 'public' } },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with user name and password',
          description:
            'On success sets the `vigil_session` cookie. When the operator has MFA, answers 401 `auth.mfa_required` with `challenge` and `expiresAt`: post the challenge and a TOTP code to `/api/auth/mfa` within five minutes.',
          body: Type.Object(
            { username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
            closed,
          ),
          response: { 200: WhoAmISchema },
        },
      },
      async (request, reply) => {
        const result = await identity.signIn.signIn({ ...request.body, address: request.ip });
        if (result.kind === 'mfa_required') {
          throw identityError('auth.mfa_required', 'Enter the code from your authenticator app', {
            challenge: result.challenge,
            expiresAt: result.expiresAt,
          });
        }
        setSessionCookie(reply, result);
        return identity.account.describe(await principalFromSession(identity, result.session.id));
      },
    );

    app.post(
      '/api/auth/mfa',
      {
        config: { access: { permission: 'public' } },
        schema: {
          tags: ['auth'],
          summary: 'Finish signing in with a TOTP code',
          description: 'A code is accepted once, within one 30-second step of now. Wrong codes count towards the account lockout.',
          body: Type.Object({ challenge: Type.String({ minLength: 1, maxLength: 128 }), code: TotpCode }, closed),
          response: { 200: WhoAmISchema },
        },
      },
      async (request, reply) => {
        const result = await identity.signIn.verifyMfa({ ...request.body, address: request.ip });
        setSessionCookie(reply, result);
        return identity.account.describe(await principalFromSession(identity, result.session.id));
      },
    );

    app.post(
      '/api/auth/sign-out',
      {
        config: { access: setup },
        schema: { tags: ['auth'], summary: 'End the current session', response: { 204: NoContent } },
      },
      async (request, reply) => {
        const sessionId = request.cookies[SESSION_COOKIE];
        if (sessionId) await identity.signIn.signOut(sessionId, principalOf(request).actor);
        void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { access: setup },
        schema: { tags: ['auth'], summary: 'Who am I: identity, grants and permissions', response: { 200: WhoAmISchema } },
      },
      async (request) => identity.account.describe(principalOf(request)),
    );

    app.post(
      '/api/auth/mfa/enrolment',
      {
        config: { access: setup },
        schema: {
          tags: ['auth'],
          summary: 'Start enrolling a TOTP authenticator',
          description:
            'Generates a secret and returns it once as an `otpauth://` URI (show it as a QR code). It becomes active only when confirmed with a valid code.',
          response: { 201: Type.Object({ uri: Type.String() }, closed) },
        },
      },
      async (request, reply) => reply.code(201).send(await identity.account.startMfaEnrolment(principalOf(request))),
    );

    app.post(
      '/api/auth/mfa/enrolment/confirm',
      {
        config: { access: setup },
        schema: {
          tags: ['auth'],
          summary: 'Confirm the TOTP authenticator with a code from it',
          body: Type.Object({ code: TotpCode }, closed),
          response: { 200: WhoAmISchema },
        },
      },
      async (request) => {
        await identity.account.confirmMfaEnrolment(principalOf(request), request.body.code);
        return identity.account.describe(await reloadPrincipal(identity, request));
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: setup },
        schema: {
          tags: ['auth'],
          summary: 'Change one’s own password',
          description: 'At least 12 characters, not a common password. Every other session of the operator ends.',
          body: Type.Object(
            {
              currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
              newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
            },
            closed,
          ),
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await identity.account.changePassword(principalOf(request), {
          ...request.body,
          address: request.ip,
          currentSessionId: request.cookies[SESSION_COOKIE] ?? null,
        });
        return reply.code(204).send(null);
      },
    );
  };
}

/** The principal of a session just issued (its restrictions included), for the sign-in answer. */
async function principalFromSession(identity: Identity, sessionId: string) {
  const principal = await identity.authenticator.authenticate({ headers: {}, cookies: { [SESSION_COOKIE]: sessionId } });
  if (!principal) throw identityError('auth.required', 'The new session could not be read back');
  return principal;
}

/** The caller as they are after a change to their own account (e.g. MFA now enrolled). */
async function reloadPrincipal(identity: Identity, request: FastifyRequest) {
  const principal = await identity.authenticator.authenticate(request);
  if (!principal) throw identityError('auth.required', 'Sign in or send an API token');
  return principal;
}

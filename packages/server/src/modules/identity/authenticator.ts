/**
 * Turns a request's credentials into a Principal: `Authorization: Bearer vgl_…` (an integration)
 * or the `vigil_session` cookie (an operator). Only the parts of a request it reads are typed
 * here, so this module stays free of HTTP framework types; the API passes its request object.
 */
import { identityError } from './errors.js';
import { Principal } from './principal.js';
import { findOperatorById, grantsOf, requiresMfa } from './repository.js';
import type { SessionStore } from './sessions.js';
import type { TokenService } from './tokens.js';
import type { IdentityContext } from './context.js';

export const SESSION_COOKIE = 'vigil_session';

export interface CredentialSource {
  readonly headers: { readonly authorization?: string | undefined };
  readonly cookies: { readonly [name: string]: string | undefined };
}

/** A principal and, for cookie sessions, the digest of the session it came from. */
export interface Authenticated {
  readonly principal: Principal;
  readonly sessionHash: string | null;
}

export class IdentityAuthenticator {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenService,
  ) {}

  /** The Authenticator port of the API: null when the request carries no credentials at all. */
  async authenticate(request: CredentialSource): Promise<Principal | null> {
    return (await this.resolve(request))?.principal ?? null;
  }

  async resolve(request: CredentialSource): Promise<Authenticated | null> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
      if (!match) throw identityError('auth.token_invalid', 'The Authorization header must be `Bearer <token>`');
      return { principal: await this.tokens.resolve(match[1]!), sessionHash: null };
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (!sessionId) return null;
    const session = await this.sessions.resolve(sessionId);
    if (!session) return null;
    const row = await findOperatorById(this.ctx.db, session.operatorId);
    if (!row || row.disabled === 1) return null;
    const grants = (await grantsOf(this.ctx.db, [row.id])).get(row.id) ?? [];
    const principal = new Principal(
      'operator',
      row.id,
      row.username,
      grants,
      null,
      requiresMfa(grants) && row.mfa_secret === null,
      row.must_change_password === 1,
    );
    return { principal, sessionHash: session.idHash };
  }
}

/**
 * Route-level declarations every route must make (checked when the route is registered):
 * `permission` names what the caller needs, or `'public'` for the few routes that must work
 * before sign-in; `site` extracts the site the request acts on, for site-scoped roles.
 */
import type { Permission, Principal } from '../modules/identity/index.js';
import type { FastifyRequest } from 'fastify';

export interface RouteAccess {
  permission: Permission | 'public';
  /** The site the request acts on (from params, query or body, after validation); null: none. */
  site?: (request: FastifyRequest) => string | null | undefined | Promise<string | null | undefined>;
  /** Reachable by an operator who must still enrol MFA (the enrolment routes themselves). */
  allowDuringMfaEnrolment?: boolean;
  /** Answers a non-JSON body (uploads) up to the upload limit instead of the JSON limit. */
  upload?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Resolves the caller from the request's cookie or bearer token; null when neither is valid. */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Principal | null>;
}

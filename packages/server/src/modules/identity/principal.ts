import { ALL_SITES, ROLES, type Permission, type RoleGrant } from './permissions.js';

/**
 * Who is asking, resolved once per request: an operator with a session, or an integration token.
 * Answers "may this principal do X on site S" from its role grants; tokens are further limited to
 * the scopes they were issued with.
 */
export class Principal {
  private readonly bySite = new Map<string, Set<Permission>>();

  constructor(
    readonly kind: 'operator' | 'token' | 'edge',
    readonly id: string,
    readonly name: string,
    readonly grants: readonly RoleGrant[],
    /** For tokens: the permissions the token was issued with (a subset of its owner's). */
    readonly scopes: readonly Permission[] | null = null,
    /** An operator whose role requires MFA but who has not enrolled: may only enrol. */
    readonly mfaEnrolmentPending = false,
    /** An operator who signed in with a one-time password: may only change it. */
    readonly passwordChangeRequired = false,
  ) {
    for (const grant of grants) {
      const set = this.bySite.get(grant.site) ?? new Set<Permission>();
      for (const p of ROLES[grant.role].permissions) if (!scopes || scopes.includes(p)) set.add(p);
      this.bySite.set(grant.site, set);
    }
  }

  /** Account set-up is unfinished: only the routes that finish it (and who-am-I, sign-out) are open. */
  get setupPending(): boolean {
    return this.mfaEnrolmentPending || this.passwordChangeRequired;
  }

  /** The actor string recorded as an event's source. */
  get actor(): string {
    return `${this.kind}:${this.id}`;
  }

  /** With a site: granted there or everywhere. Without: granted on at least one site. */
  can(permission: Permission, site?: string | null): boolean {
    if (this.bySite.get(ALL_SITES)?.has(permission)) return true;
    if (site) return this.bySite.get(site)?.has(permission) ?? false;
    for (const set of this.bySite.values()) if (set.has(permission)) return true;
    return false;
  }

  /** Sites where the permission holds: `'all'` or a list (possibly empty) for filtering lists. */
  sitesFor(permission: Permission): 'all' | string[] {
    if (this.bySite.get(ALL_SITES)?.has(permission)) return 'all';
    return [...this.bySite.entries()].filter(([, set]) => set.has(permission)).map(([site]) => site);
  }
}

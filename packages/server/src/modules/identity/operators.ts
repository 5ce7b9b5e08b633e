/**
 * Managing operator accounts: create (with a one-time password), list, disable and enable, grant
 * and revoke roles per site, reset MFA or the password. Site-scoped administrators manage only
 * what lies within their sites: an operator holding any grant outside them (or on every site) is
 * beyond their reach, so no site administrator can lock out a global one.
 */
import { newId } from '@vigil/core';
import type { IdentityContext } from './context.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { identityError } from './errors.js';
import {
  operatorCreated,
  operatorDisabled,
  operatorEnabled,
  operatorMfaReset,
  operatorPasswordReset,
  operatorRoleGranted,
  operatorRoleRevoked,
} from './events.js';
import { generateOneTimePassword, hashPassword } from './passwords.js';
import { ALL_SITES, isRoleName, type RoleGrant, type RoleName } from './permissions.js';
import { Principal } from './principal.js';
import {
  countOtherGlobalAdmins,
  endAllSessions,
  findOperatorByUsername,
  grantsOf,
  listOperatorRows,
  loadOperator,
  normaliseUsername,
  toOperator,
  type Executor,
  type Operator,
} from './repository.js';

/** User names are compared in lower case; any case is accepted on input. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$';
const USERNAME = new RegExp(USERNAME_PATTERN);
const SITE = /^(\*|[A-Za-z0-9][A-Za-z0-9._:-]{0,127})$/;

export interface NewOperator {
  readonly username: string;
  readonly displayName: string;
  readonly roles?: readonly { role: string; site: string }[];
}

export interface CreatedOperator {
  readonly operator: Operator;
  /** Shown once; the operator must replace it at first sign-in. */
  readonly oneTimePassword: string;
}

export interface OperatorServiceOptions {
  /** Whether a site id names an existing site; without it, only the id's form is checked. */
  readonly siteExists?: (site: string) => Promise<boolean>;
}

/** Who performs a change: a signed-in principal, or the system (the `vigil create-admin` CLI). */
export type Actor = Principal | { readonly actor: string; readonly system: true };

export class OperatorService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly options: OperatorServiceOptions = {},
  ) {}

  /** An administrator on every site, with a generated one-time password; for first set-up. */
  async createAdmin(input: { username: string; displayName: string }, source = 'system:cli'): Promise<CreatedOperator> {
    return this.create({ actor: source, system: true }, { ...input, roles: [{ role: 'admin', site: ALL_SITES }] });
  }

  async create(by: Actor, input: NewOperator): Promise<CreatedOperator> {
    const username = normaliseUsername(input.username);
    if (!USERNAME.test(username)) {
      throw identityError('operators.invalid_username', 'A user name is 2–64 lower-case letters, digits or . _ @ -');
    }
    const grants = await this.validGrants(input.roles ?? []);
    if (by instanceof Principal) {
      if (grants.length === 0) this.assertManagesSomewhere(by);
      for (const grant of grants) this.assertManagesSite(by, grant.site);
    }
    if (await findOperatorByUsername(this.ctx.db, username)) {
      throw identityError('operators.username_taken', `An operator named ${username} exists`, { username });
    }
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword, this.ctx.passwordCost);
    const now = this.ctx.clock().toISOString();
    const id = newId();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('operators')
        .values({
          id,
          username,
          display_name: input.displayName.trim(),
          password_hash: passwordHash,
          password_changed_at: now,
          must_change_password: 1,
          disabled: 0,
          failed_attempts: 0,
          locked_until: null,
          mfa_secret: null,
          mfa_pending_secret: null,
          mfa_last_step: null,
          created_at: now,
          updated_at: now,
          last_sign_in_at: null,
        })
        .execute();
      for (const grant of grants) await this.insertGrant(trx, id, grant, by.actor, now);
      await this.ctx.record(
        trx,
        operatorCreated.draft(
          { site: null, source: by.actor, subject: id },
          { username, displayName: input.displayName.trim(), roles: grants.map((g) => ({ role: g.role, site: g.site })) },
        ),
      );
    });
    return { operator: await this.mustLoad(id), oneTimePassword };
  }

  /** Operators sorted by user name; a site-scoped administrator sees those with grants on their sites. */
  async list(principal: Principal, query: { limit: number; cursor?: string | undefined }): Promise<Page<Operator>> {
    this.assertManagesSomewhere(principal);
    const afterUsername = query.cursor ? decodeCursor('operators', query.cursor) : null;
    const sites = principal.sitesFor('operators.manage');
    const rows = await listOperatorRows(this.ctx.db, { afterUsername, limit: query.limit + 1, sites });
    const page = rows.slice(0, query.limit);
    const grants = await grantsOf(
      this.ctx.db,
      page.map((r) => r.id),
    );
    const now = this.ctx.clock();
    const items = page.map((row) => toOperator(row, grants.get(row.id) ?? [], now));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor('operators', last.username) : null };
  }

  async get(principal: Principal, id: string): Promise<Operator> {
    const operator = await this.mustLoad(id);
    this.assertManagesOperator(principal, operator);
    return operator;
  }

  async disable(principal: Principal, id: string): Promise<Operator> {
    const operator = await this.get(principal, id);
    if (operator.id === principal.id) throw identityError('operators.self_disable', 'You cannot disable your own account');
    await this.ctx.db.transaction().execute(async (trx) => {
      if (isGlobalAdmin(operator.grants)) await this.assertAnotherAdminRemains(trx, operator.id);
      await trx.updateTable('operators').set({ disabled: 1, updated_at: this.ctx.clock().toISOString() }).where('id', '=', id).execute();
      await endAllSessions(trx, id);
      await this.ctx.record(trx, operatorDisabled.draft({ site: null, source: principal.actor, subject: id }, {}));
    });
    return this.mustLoad(id);
  }

  async enable(principal: Principal, id: string): Promise<Operator> {
    await this.get(principal, id);
    await this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.clock().toISOString();
      await trx
        .updateTable('operators')
        .set({ disabled: 0, failed_attempts: 0, locked_until: null, updated_at: now })
        .where('id', '=', id)
        .execute();
      await this.ctx.record(trx, operatorEnabled.draft({ site: null, source: principal.actor, subject: id }, {}));
    });
    return this.mustLoad(id);
  }

  async grant(principal: Principal, id: string, role: string, site: string): Promise<Operator> {
    const [grant] = await this.validGrants([{ role, site }]);
    this.assertManagesSite(principal, grant!.site);
    const operator = await this.mustLoad(id);
    if (operator.grants.some((g) => g.role === grant!.role && g.site === grant!.site)) return operator;
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.insertGrant(trx, id, grant!, principal.actor, this.ctx.clock().toISOString());
      await this.ctx.record(
        trx,
        operatorRoleGranted.draft({ site: siteOf(grant!.site), source: principal.actor, subject: id }, { ...grant! }),
      );
    });
    return this.mustLoad(id);
  }

  async revoke(principal: Principal, id: string, role: string, site: string): Promise<Operator> {
    this.assertManagesSite(principal, site);
    const operator = await this.mustLoad(id);
    if (!operator.grants.some((g) => g.role === role && g.site === site)) {
      throw identityError('operators.grant_not_found', `The operator does not hold ${role} on ${site}`, { role, site });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      if (role === 'admin' && site === ALL_SITES && operator.disabled === false) await this.assertAnotherAdminRemains(trx, id);
      await trx.deleteFrom('operator_roles').where('operator_id', '=', id).where('role', '=', role).where('site', '=', site).execute();
      await this.ctx.record(trx, operatorRoleRevoked.draft({ site: siteOf(site), source: principal.actor, subject: id }, { role, site }));
    });
    return this.mustLoad(id);
  }

  /** Removes the authenticator (lost phone); the operator enrols again at next sign-in. */
  async resetMfa(principal: Principal, id: string): Promise<Operator> {
    await this.get(principal, id);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('operators')
        .set({ mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null, updated_at: this.ctx.clock().toISOString() })
        .where('id', '=', id)
        .execute();
      await endAllSessions(trx, id);
      await this.ctx.record(trx, operatorMfaReset.draft({ site: null, source: principal.actor, subject: id }, {}));
    });
    return this.mustLoad(id);
  }

  /** Issues a new one-time password (forgotten password); every session of the operator ends. */
  async resetPassword(principal: Principal, id: string): Promise<CreatedOperator> {
    await this.get(principal, id);
    const oneTimePassword = generateOneTimePassword();
    const hash = await hashPassword(oneTimePassword, this.ctx.passwordCost);
    await this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.clock().toISOString();
      await trx
        .updateTable('operators')
        .set({
          password_hash: hash,
          password_changed_at: now,
          must_change_password: 1,
          failed_attempts: 0,
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await endAllSessions(trx, id);
      await this.ctx.record(trx, operatorPasswordReset.draft({ site: null, source: principal.actor, subject: id }, {}));
    });
    return { operator: await this.mustLoad(id), oneTimePassword };
  }

  private async mustLoad(id: string): Promise<Operator> {
    const operator = await loadOperator(this.ctx.db, id, this.ctx.clock());
    if (!operator) throw identityError('operators.not_found', `No operator ${id}`, { id });
    return operator;
  }

  /** Throws `tokens.invalid_scope` unless every site is `*` or an existing site. */
  async assertSitesExist(sites: readonly string[]): Promise<void> {
    for (const site of sites) {
      const known = site === ALL_SITES || (SITE.test(site) && (!this.options.siteExists || (await this.options.siteExists(site))));
      if (!known) throw identityError('tokens.invalid_scope', `No site ${site}`, { site });
    }
  }

  private async validGrants(roles: readonly { role: string; site: string }[]): Promise<RoleGrant[]> {
    const grants: RoleGrant[] = [];
    for (const { role, site } of roles) {
      if (!isRoleName(role)) throw identityError('operators.invalid_role', `No role named ${role}`, { role });
      if (!SITE.test(site)) throw identityError('operators.invalid_role', `${site} is not a site id`, { site });
      if (site !== ALL_SITES && this.options.siteExists && !(await this.options.siteExists(site))) {
        throw identityError('operators.invalid_role', `No site ${site}`, { site });
      }
      if (!grants.some((g) => g.role === role && g.site === site)) grants.push({ role: role satisfies RoleName, site });
    }
    return grants;
  }

  private async insertGrant(trx: Executor, operatorId: string, grant: RoleGrant, by: string, now: string): Promise<void> {
    await trx
      .insertInto('operator_roles')
      .values({ operator_id: operatorId, role: grant.role, site: grant.site, granted_at: now, granted_by: by })
      .execute();
  }

  private async assertAnotherAdminRemains(trx: Executor, operatorId: string): Promise<void> {
    if ((await countOtherGlobalAdmins(trx, operatorId)) === 0) {
      throw identityError('operators.last_admin', 'This is the last enabled administrator of every site');
    }
  }

  private assertManagesSomewhere(principal: Principal): void {
    if (!principal.can('operators.manage')) throw forbidden();
  }

  private assertManagesSite(principal: Principal, site: string): void {
    if (!principal.can('operators.manage', site)) throw forbidden(site);
  }

  private assertManagesOperator(principal: Principal, operator: Operator): void {
    if (operator.grants.length === 0) this.assertManagesSomewhere(principal);
    for (const grant of operator.grants) this.assertManagesSite(principal, grant.site);
  }
}

export function isGlobalAdmin(grants: readonly RoleGrant[]): boolean {
  return grants.some((g) => g.role === 'admin' && g.site === ALL_SITES);
}

function siteOf(site: string): string | null {
  return site === ALL_SITES ? null : site;
}

function forbidden(site?: string) {
  return identityError('auth.forbidden', `Missing permission operators.manage${site ? ` on site ${site}` : ''}`, {
    permission: 'operators.manage',
    ...(site ? { site } : {}),
  });
}

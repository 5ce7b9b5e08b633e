/**
 * API tokens for integrations: `vgl_` and 256 random bits, shown once and stored as SHA-256 (a
 * high-entropy secret needs no slow hash). A token carries a subset of its owner's permissions on
 * a subset of the owner's sites, and is re-checked against the owner on every request, so taking
 * a role from the owner or disabling them takes it from the token too.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '@vigil/core';
import type { IdentityContext } from './context.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { identityError } from './errors.js';
import { tokenIssued, tokenRevoked } from './events.js';
import type { OperatorService } from './operators.js';
import { ALL_SITES, PERMISSIONS, type Permission, type RoleGrant } from './permissions.js';
import { Principal } from './principal.js';
import { findOperatorById, grantsOf } from './repository.js';
import { digest } from './sessions.js';
import type { ApiTokensTable } from './tables.js';

export const TOKEN_PREFIX = 'vgl_';
const TOKEN_PATTERN = /^vgl_[A-Za-z0-9_-]{43}$/;
/** last_used_at is rewritten at most this often. */
const TOUCH_EVERY_MS = 60_000;

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly operatorId: string;
  /** `vgl_` and the first 8 characters of the secret, to tell tokens apart. */
  readonly prefix: string;
  readonly permissions: Permission[];
  readonly sites: string[];
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface IssuedToken {
  readonly token: ApiToken;
  /** The bearer secret; shown once, never stored. */
  readonly secret: string;
}

export interface NewToken {
  readonly name: string;
  readonly permissions: readonly string[];
  readonly sites: readonly string[];
  readonly expiresAt?: string | null;
  /** Issue for another operator (needs operators.manage over them); default: the caller. */
  readonly operatorId?: string;
}

function toToken(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    name: row.name,
    operatorId: row.operator_id,
    prefix: row.prefix,
    permissions: JSON.parse(row.permissions) as Permission[],
    sites: JSON.parse(row.sites) as string[],
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** The owner's grants narrowed to the token's sites (a grant on every site becomes one per token site). */
export function tokenGrants(ownerGrants: readonly RoleGrant[], sites: readonly string[]): RoleGrant[] {
  if (sites.includes(ALL_SITES)) return [...ownerGrants];
  return ownerGrants.flatMap((g) =>
    g.site === ALL_SITES ? sites.map((site) => ({ role: g.role, site })) : sites.includes(g.site) ? [g] : [],
  );
}

export class TokenService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly operators: OperatorService,
  ) {}

  async issue(principal: Principal, input: NewToken): Promise<IssuedToken> {
    const ownerId = await this.ownerFor(principal, input.operatorId);
    const ownerGrants = (await grantsOf(this.ctx.db, [ownerId])).get(ownerId) ?? [];
    const owner = new Principal('operator', ownerId, ownerId, ownerGrants);
    const permissions = [...new Set(input.permissions)];
    const sites = [...new Set(input.sites)];
    if (permissions.length === 0 || sites.length === 0) {
      throw identityError('tokens.invalid_scope', 'A token needs at least one permission and one site');
    }
    await this.operators.assertSitesExist(sites);
    for (const permission of permissions) {
      if (!Object.hasOwn(PERMISSIONS, permission)) {
        throw identityError('operators.scope_exceeds_owner', `${permission} is not a permission`, { permission });
      }
      for (const site of sites) {
        if (!owner.can(permission as Permission, site)) {
          throw identityError(
            'operators.scope_exceeds_owner',
            `The owner does not hold ${permission} on ${site === ALL_SITES ? 'every site' : site}`,
            {
              permission,
              site,
            },
          );
        }
      }
    }
    const now = this.ctx.clock();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && !(expiresAt.getTime() > now.getTime())) {
      throw identityError('tokens.invalid_expiry', 'A token expiry must be in the future');
    }
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row: ApiTokensTable = {
      id: newId(),
      operator_id: ownerId,
      name: input.name.trim(),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 8),
      secret_hash: digest(secret),
      permissions: JSON.stringify(permissions),
      sites: JSON.stringify(sites),
      expires_at: expiresAt?.toISOString() ?? null,
      created_at: now.toISOString(),
      created_by: principal.actor,
      last_used_at: null,
      revoked_at: null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      await this.ctx.record(
        trx,
        tokenIssued.draft(
          { site: null, source: principal.actor, subject: ownerId },
          { tokenId: row.id, name: row.name, owner: ownerId, permissions, sites, expiresAt: row.expires_at },
        ),
      );
    });
    return { token: toToken(row), secret };
  }

  /** The caller's tokens, or another operator's (with operators.manage over them); newest first. */
  async list(
    principal: Principal,
    query: { limit: number; cursor?: string | undefined; operatorId?: string | undefined },
  ): Promise<Page<ApiToken>> {
    const ownerId = await this.ownerFor(principal, query.operatorId);
    let select = this.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('operator_id', '=', ownerId)
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor) select = select.where('id', '<', decodeCursor(`tokens:${ownerId}`, query.cursor));
    const rows = await select.execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toToken),
      nextCursor: rows.length > query.limit && last ? encodeCursor(`tokens:${ownerId}`, last.id) : null,
    };
  }

  async revoke(principal: Principal, tokenId: string): Promise<void> {
    const row = await this.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
    if (!row) throw identityError('tokens.not_found', `No token ${tokenId}`, { id: tokenId });
    try {
      await this.ownerFor(principal, row.operator_id);
    } catch {
      // Someone else's token the caller may not manage: do not confirm that it exists.
      throw identityError('tokens.not_found', `No token ${tokenId}`, { id: tokenId });
    }
    if (row.revoked_at !== null) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_tokens').set({ revoked_at: this.ctx.clock().toISOString() }).where('id', '=', tokenId).execute();
      await this.ctx.record(
        trx,
        tokenRevoked.draft({ site: null, source: principal.actor, subject: row.operator_id }, { tokenId, owner: row.operator_id }),
      );
    });
  }

  /**
   * The principal a bearer secret stands for, or `auth.token_invalid` when it is malformed,
   * unknown, revoked, expired, or its owner is disabled.
   */
  async resolve(secret: string): Promise<Principal> {
    const invalid = () => identityError('auth.token_invalid', 'The API token is unknown, revoked or expired');
    if (!TOKEN_PATTERN.test(secret)) throw invalid();
    const row = await this.ctx.db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', digest(secret)).executeTakeFirst();
    const now = this.ctx.clock();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now.toISOString())) throw invalid();
    const owner = await findOperatorById(this.ctx.db, row.operator_id);
    if (!owner || owner.disabled === 1) throw invalid();
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_EVERY_MS) {
      await this.ctx.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
    }
    const token = toToken(row);
    const ownerGrants = (await grantsOf(this.ctx.db, [owner.id])).get(owner.id) ?? [];
    return new Principal('token', token.id, token.name, tokenGrants(ownerGrants, token.sites), token.permissions);
  }

  /** Tokens act for operators only; a token cannot mint or manage tokens. */
  private async ownerFor(principal: Principal, operatorId: string | undefined): Promise<string> {
    if (principal.kind !== 'operator') throw identityError('auth.forbidden', 'Only a signed-in operator manages API tokens');
    if (operatorId === undefined || operatorId === principal.id) return principal.id;
    await this.operators.get(principal, operatorId);
    return operatorId;
  }
}

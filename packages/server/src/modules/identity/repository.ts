/**
 * Queries on operators and their role grants. Functions take the executor (database or the
 * caller's transaction) so a change and the event recording it commit together.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { ALL_SITES, ROLES, isRoleName, type RoleGrant } from './permissions.js';
import type { OperatorsTable } from './tables.js';

export type Executor = Kysely<Database> | Transaction<Database>;
export type OperatorRow = Selectable<OperatorsTable>;

/** An operator as the rest of Vigil sees it: no hashes, no secrets. */
export interface Operator {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly mfaEnrolled: boolean;
  /** Some granted role requires MFA and none is active yet. */
  readonly mfaRequired: boolean;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
  readonly lastSignInAt: string | null;
  readonly grants: RoleGrant[];
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function requiresMfa(grants: readonly RoleGrant[]): boolean {
  return grants.some((g) => ROLES[g.role].mfaRequired);
}

export function toOperator(row: OperatorRow, grants: RoleGrant[], now: Date): Operator {
  const locked = row.locked_until !== null && row.locked_until > now.toISOString() ? row.locked_until : null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    mfaEnrolled: row.mfa_secret !== null,
    mfaRequired: requiresMfa(grants),
    lockedUntil: locked,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    grants,
  };
}

export async function findOperatorById(db: Executor, id: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOperatorByUsername(db: Executor, username: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
}

/** Grants of each given operator; roles no longer defined in code are ignored, never honoured. */
export async function grantsOf(db: Executor, operatorIds: readonly string[]): Promise<Map<string, RoleGrant[]>> {
  const result = new Map<string, RoleGrant[]>(operatorIds.map((id) => [id, []]));
  if (operatorIds.length === 0) return result;
  const rows = await db
    .selectFrom('operator_roles')
    .select(['operator_id', 'role', 'site'])
    .where('operator_id', 'in', [...operatorIds])
    .orderBy('site')
    .orderBy('role')
    .execute();
  for (const row of rows) {
    if (isRoleName(row.role)) result.get(row.operator_id)?.push({ role: row.role, site: row.site });
  }
  return result;
}

export async function loadOperator(db: Executor, id: string, now: Date): Promise<Operator | undefined> {
  const row = await findOperatorById(db, id);
  if (!row) return undefined;
  const grants = await grantsOf(db, [id]);
  return toOperator(row, grants.get(id) ?? [], now);
}

export interface OperatorPageQuery {
  /** Return operators whose user name sorts after this one. */
  readonly afterUsername: string | null;
  readonly limit: number;
  /** `'all'`, or only operators holding some grant on one of these sites. */
  readonly sites: 'all' | readonly string[];
}

export async function listOperatorRows(db: Executor, query: OperatorPageQuery): Promise<OperatorRow[]> {
  let select = db.selectFrom('operators').selectAll().orderBy('username').limit(query.limit);
  if (query.afterUsername !== null) select = select.where('username', '>', query.afterUsername);
  if (query.sites !== 'all') {
    const sites = [...query.sites];
    if (sites.length === 0) return [];
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('operator_roles')
          .select('operator_roles.operator_id')
          .whereRef('operator_roles.operator_id', '=', 'operators.id')
          .where('operator_roles.site', 'in', sites),
      ),
    );
  }
  return select.execute();
}

/** Enabled operators other than `excluding` who hold admin on every site. */
export async function countOtherGlobalAdmins(db: Executor, excluding: string): Promise<number> {
  const row = await db
    .selectFrom('operator_roles')
    .innerJoin('operators', 'operators.id', 'operator_roles.operator_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('operator_roles.role', '=', 'admin')
    .where('operator_roles.site', '=', ALL_SITES)
    .where('operators.disabled', '=', 0)
    .where('operators.id', '!=', excluding)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface FailureOutcome {
  readonly failures: number;
  /** Set when this failure locked the account. */
  readonly lockedUntil: string | null;
}

/**
 * Counts one failed sign-in atomically; at `maxFailures` the account is locked until
 * `now + lockoutMinutes` and the counter starts again.
 */
export async function recordSignInFailure(
  trx: Transaction<Database>,
  operatorId: string,
  now: Date,
  maxFailures: number,
  lockoutMinutes: number,
): Promise<FailureOutcome> {
  const updated = await trx
    .updateTable('operators')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', operatorId)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  if (updated.failed_attempts < maxFailures) return { failures: updated.failed_attempts, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + lockoutMinutes * 60_000).toISOString();
  await trx
    .updateTable('operators')
    .set({ failed_attempts: 0, locked_until: lockedUntil, updated_at: now.toISOString() })
    .where('id', '=', operatorId)
    .execute();
  return { failures: updated.failed_attempts, lockedUntil };
}

export async function endAllSessions(db: Executor, operatorId: string, exceptIdHash?: string): Promise<void> {
  let query = db.deleteFrom('operator_sessions').where('operator_id', '=', operatorId);
  if (exceptIdHash) query = query.where('id_hash', '!=', exceptIdHash);
  await query.execute();
  await db.deleteFrom('mfa_challenges').where('operator_id', '=', operatorId).execute();
}

/**
 * Operator sessions and MFA challenges. Both are bearer secrets of 256 random bits handed to the
 * client once; only their SHA-256 is stored, so a database copy cannot be replayed as a cookie.
 * A session ends at a fixed lifetime or after an idle period, whichever comes first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { identityError } from './errors.js';
import type { Executor } from './repository.js';

const SECRET_BYTES = 32;
/** base64url of 32 bytes, without padding. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Last-seen is rewritten at most this often, so a busy console does not write on every request. */
const TOUCH_EVERY_MS = 30_000;
export const MFA_CHALLENGE_MINUTES = 5;
/** Wrong codes one challenge tolerates before the password must be entered again. */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function isWellFormedSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

export interface SessionPolicy {
  readonly ttlMinutes: number;
  readonly idleMinutes: number;
}

export interface IssuedSession {
  /** The cookie value; shown to the client once, stored only as a digest. */
  readonly id: string;
  readonly expiresAt: string;
}

export interface ActiveSession {
  readonly idHash: string;
  readonly operatorId: string;
  readonly expiresAt: string;
}

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
    private readonly policy: SessionPolicy,
  ) {}

  async create(trx: Executor, operatorId: string, clientAddress: string): Promise<IssuedSession> {
    const now = this.clock();
    const id = newSecret();
    const expiresAt = new Date(now.getTime() + this.policy.ttlMinutes * 60_000).toISOString();
    await trx
      .insertInto('operator_sessions')
      .values({
        id_hash: digest(id),
        operator_id: operatorId,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
        client_address: clientAddress,
      })
      .execute();
    // Opportunistic clean-up keeps the table to live sessions without a background job.
    await trx.deleteFrom('operator_sessions').where('expires_at', '<=', now.toISOString()).execute();
    return { id, expiresAt };
  }

  /**
   * The live session for a cookie value: null when unknown, `auth.session_expired` (and the row
   * deleted) when past its lifetime or idle limit; otherwise marks it seen.
   */
  async resolve(sessionId: string): Promise<ActiveSession | null> {
    if (!isWellFormedSecret(sessionId)) return null;
    const idHash = digest(sessionId);
    const row = await this.db.selectFrom('operator_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row) return null;
    const now = this.clock();
    const idleEnd = Date.parse(row.last_seen_at) + this.policy.idleMinutes * 60_000;
    if (now.getTime() >= Date.parse(row.expires_at) || now.getTime() >= idleEnd) {
      await this.db.deleteFrom('operator_sessions').where('id_hash', '=', idHash).execute();
      throw identityError('auth.session_expired', 'The session expired; sign in again');
    }
    if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
      await this.db.updateTable('operator_sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
    }
    return { idHash, operatorId: row.operator_id, expiresAt: row.expires_at };
  }

  /** Deletes the session; returns its operator, or null when it did not exist. */
  async end(trx: Executor, idHash: string): Promise<string | null> {
    const row = await trx.deleteFrom('operator_sessions').where('id_hash', '=', idHash).returning('operator_id').executeTakeFirst();
    return row?.operator_id ?? null;
  }
}

export interface IssuedChallenge {
  readonly challenge: string;
  readonly expiresAt: string;
}

export interface PendingChallenge {
  readonly idHash: string;
  readonly operatorId: string;
}

/** The step between a right password and a session, for operators with MFA. */
export class ChallengeStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date,
  ) {}

  async create(operatorId: string, clientAddress: string): Promise<IssuedChallenge> {
    const now = this.clock();
    const challenge = newSecret();
    const expiresAt = new Date(now.getTime() + MFA_CHALLENGE_MINUTES * 60_000).toISOString();
    await this.db.deleteFrom('mfa_challenges').where('expires_at', '<=', now.toISOString()).execute();
    await this.db
      .insertInto('mfa_challenges')
      .values({ id_hash: digest(challenge), operator_id: operatorId, expires_at: expiresAt, attempts: 0, client_address: clientAddress })
      .execute();
    return { challenge, expiresAt };
  }

  /** Throws `auth.mfa_challenge_invalid` for an unknown, expired or exhausted challenge. */
  async find(challenge: string): Promise<PendingChallenge> {
    const invalid = () => identityError('auth.mfa_challenge_invalid', 'The sign-in challenge is unknown or expired; sign in again');
    if (!isWellFormedSecret(challenge)) throw invalid();
    const idHash = digest(challenge);
    const row = await this.db.selectFrom('mfa_challenges').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row || row.expires_at <= this.clock().toISOString() || row.attempts >= MFA_CHALLENGE_MAX_ATTEMPTS) throw invalid();
    return { idHash, operatorId: row.operator_id };
  }

  /** Counts a wrong code; the challenge is dropped once it has seen too many. */
  async failed(trx: Executor, idHash: string): Promise<void> {
    const row = await trx
      .updateTable('mfa_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id_hash', '=', idHash)
      .returning('attempts')
      .executeTakeFirst();
    if (row && row.attempts >= MFA_CHALLENGE_MAX_ATTEMPTS) await trx.deleteFrom('mfa_challenges').where('id_hash', '=', idHash).execute();
  }

  /** Removes the challenge; false when another request consumed it first. */
  async consume(trx: Executor, idHash: string): Promise<boolean> {
    const result = await trx.deleteFrom('mfa_challenges').where('id_hash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}

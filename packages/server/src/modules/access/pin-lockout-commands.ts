/**
 * Lifting a credential's PIN lockout before it runs out. Each door controller keeps its own
 * lockouts (started by wrong PINs at its doors), so a lift is addressed to every active agent of
 * the site, each on its own: each agent is handed its part with the door commands (heartbeat and
 * long poll, woken at once), carries it out once and reports `access.pin_lockout_lift_executed`,
 * which marks its part done. The request is journaled with the operator and the reason in the
 * transaction that stores it. A part not carried out in time expires: a late lift must not cut
 * short a lockout a guesser started since.
 */
import { newId, type VigilEvent } from '@vigil/core';
import type { PinLockoutLiftCommand } from '@vigil/edge';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { activeAgentIds } from './command-routing.js';
import type { AccessDeps } from './context.js';
import { accessModuleError } from './errors.js';
import { pinLockoutLiftRequested } from './events.js';
import type { PinLockoutLiftOutcome, PinLockoutLiftRecord } from './pin-lockout-schemas.js';
import type { AccessPinLockoutLiftAgentsTable, AccessPinLockoutLiftsTable } from './tables.js';

export interface PinLockoutCommandPorts {
  /** A lift not carried out within this time is dropped. */
  readonly commandTtlMs: number;
  /** Wakes the site's agents waiting in a long poll. */
  readonly wake: (siteId: string) => void;
}

/**
 * The whole lift from its parts. Each controller keeps its own lockouts, so the lift is pending
 * until every controller answered, and expired when any did not carry it out in time (that one
 * may still refuse the card: the operator should lift again); only then lifted where any lifted.
 */
function overall(parts: readonly PinLockoutLiftOutcome[]): PinLockoutLiftOutcome {
  if (parts.includes('pending')) return 'pending';
  if (parts.includes('expired')) return 'expired';
  return parts.includes('lifted') ? 'lifted' : 'not_locked_out';
}

export class PinLockoutCommands {
  constructor(
    private readonly deps: AccessDeps,
    private readonly ports: PinLockoutCommandPorts,
  ) {}

  /** Asks every active agent of the site to lift the credential's PIN lockout. */
  async lift(actor: string, siteId: string, credentialId: string, reason: string): Promise<PinLockoutLiftRecord> {
    const now = this.deps.clock();
    let lift!: AccessPinLockoutLiftsTable;
    const recorded = await this.deps.db.transaction().execute(async (trx): Promise<VigilEvent[]> => {
      const site = await trx.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      if (!site) throw accessModuleError('access_policy.other_site', `No site ${siteId}`, { siteId });
      const credential = await trx
        .selectFrom('person_credentials')
        .select('person_id')
        .where('id', '=', credentialId)
        .where('type', '=', 'card')
        .executeTakeFirst();
      if (!credential) {
        throw accessModuleError('pin_lockout.credential_not_found', `No card credential ${credentialId}`, { credentialId });
      }
      const agentIds = await activeAgentIds(trx, siteId);
      if (agentIds.length === 0) throw accessModuleError('pin_lockout.no_agent', `No active edge agent serves site ${siteId}`, { siteId });
      lift = {
        id: newId(),
        site_id: siteId,
        credential_id: credentialId,
        person_id: credential.person_id,
        reason,
        requested_by: actor,
        requested_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.ports.commandTtlMs).toISOString(),
      };
      await trx.insertInto('access_pin_lockout_lifts').values(lift).execute();
      const parts: AccessPinLockoutLiftAgentsTable[] = agentIds.map((agentId) => ({
        lift_id: lift.id,
        agent_id: agentId,
        status: 'pending',
        completed_at: null,
      }));
      await trx.insertInto('access_pin_lockout_lift_agents').values(parts).execute();
      return this.deps.record(
        trx,
        pinLockoutLiftRequested.draft(
          { site: siteId, source: actor, subject: credential.person_id, correlationId: lift.id },
          { commandId: lift.id, credentialId, agentIds, reason },
        ),
      );
    });
    this.deps.publish(recorded);
    this.ports.wake(siteId);
    return this.get(lift.id);
  }

  /** The lift and how far each agent got with it. */
  async get(liftId: string): Promise<PinLockoutLiftRecord> {
    const { db, clock } = this.deps;
    const lift = await db.selectFrom('access_pin_lockout_lifts').selectAll().where('id', '=', liftId).executeTakeFirst();
    if (!lift) throw accessModuleError('pin_lockout.lift_not_found', `No PIN lockout lift ${liftId}`, { liftId });
    const rows = await db
      .selectFrom('access_pin_lockout_lift_agents')
      .selectAll()
      .where('lift_id', '=', liftId)
      .orderBy('agent_id')
      .execute();
    // An agent that never asked for its part since it expired has not had it marked so yet.
    const late = lift.expires_at < clock().toISOString();
    const agents = rows.map((row) => ({
      agentId: row.agent_id,
      status: (row.status === 'pending' && late ? 'expired' : row.status) as PinLockoutLiftOutcome,
      completedAt: row.completed_at,
    }));
    return {
      id: lift.id,
      siteId: lift.site_id,
      credentialId: lift.credential_id,
      personId: lift.person_id,
      status: overall(agents.map((a) => a.status)),
      requestedAt: lift.requested_at,
      expiresAt: lift.expires_at,
      agents,
    };
  }

  async siteOf(liftId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_pin_lockout_lifts').select('site_id').where('id', '=', liftId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  /** The agent's parts still to be carried out, in the agents' form; expired ones are marked so and left out. */
  async pending(agentId: string): Promise<PinLockoutLiftCommand[]> {
    const { db, clock } = this.deps;
    const now = clock().toISOString();
    const rows = await db
      .selectFrom('access_pin_lockout_lift_agents')
      .innerJoin('access_pin_lockout_lifts', 'access_pin_lockout_lifts.id', 'access_pin_lockout_lift_agents.lift_id')
      .select([
        'access_pin_lockout_lifts.id',
        'access_pin_lockout_lifts.credential_id',
        'access_pin_lockout_lifts.person_id',
        'access_pin_lockout_lifts.requested_by',
        'access_pin_lockout_lifts.expires_at',
      ])
      .where('access_pin_lockout_lift_agents.agent_id', '=', agentId)
      .where('access_pin_lockout_lift_agents.status', '=', 'pending')
      .orderBy('access_pin_lockout_lift_agents.lift_id')
      .limit(100)
      .execute();
    const expired = rows.filter((r) => r.expires_at < now).map((r) => r.id);
    if (expired.length > 0) {
      await db
        .updateTable('access_pin_lockout_lift_agents')
        .set({ status: 'expired', completed_at: now })
        .where('agent_id', '=', agentId)
        .where('status', '=', 'pending')
        .where('lift_id', 'in', expired)
        .execute();
    }
    return rows
      .filter((r) => r.expires_at >= now)
      .map((r) => ({
        id: r.id,
        command: 'lift_pin_lockout' as const,
        credentialId: r.credential_id,
        personId: r.person_id,
        requestedBy: r.requested_by,
        expiresAt: r.expires_at,
      }));
  }

  /** Marks the agent's part carried out as it reported (inside the ingest transaction). */
  async complete(trx: Transaction<Database>, agentId: string, liftId: string, outcome: string, at: string): Promise<void> {
    await trx
      .updateTable('access_pin_lockout_lift_agents')
      .set({ status: outcome, completed_at: at })
      .where('lift_id', '=', liftId)
      .where('agent_id', '=', agentId)
      .where('status', 'in', ['pending', 'expired'])
      .execute();
  }
}

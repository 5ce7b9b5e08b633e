/**
 * Edge agents: registration of an agent's public key for one site, and the authentication of its
 * signed requests. An agent is a principal of kind `edge` that holds `edge.sync` on its own site
 * and nothing else, so the API's permission checks treat it like any other caller.
 */
import { newId } from '@vigil/core';
import {
  EDGE_HEADERS,
  SIGNATURE_WINDOW_MS,
  keyIdOf,
  parseEdgePublicKey,
  signingString,
  verifyRequest,
  type HealthReport,
} from '@vigil/edge';
import { Principal, type Permission } from '../identity/index.js';
import type { AgentSupervision } from './agent-supervision.js';
import { isUniqueViolation, type AccessDeps } from './context.js';
import { accessModuleError } from './errors.js';
import { edgeAgentRegistered, edgeAgentRevoked } from './events.js';
import { afterId, pageFrom, type Page, type PageRequest } from './page.js';
import type { EdgeAgent, EdgeAgentRegister } from './schemas.js';
import type { EdgeAgentsTable } from './tables.js';

export class EdgePrincipal extends Principal {
  constructor(
    readonly agentId: string,
    name: string,
    readonly siteId: string,
    readonly keyId: string,
    /** The body digest the signature covers; the route checks the body against it. */
    readonly contentDigest: string,
  ) {
    super('edge', agentId, name, []);
  }

  override can(permission: Permission, site?: string | null): boolean {
    return permission === 'edge.sync' && (site === undefined || site === null || site === this.siteId);
  }

  override sitesFor(permission: Permission): string[] {
    return permission === 'edge.sync' ? [this.siteId] : [];
  }
}

/** The parts of a request authentication reads (kept free of HTTP framework types). */
export interface SignedRequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface EdgeAgentsOptions {
  /** Wall-clock milliseconds for the signature window (the real clock, whatever the domain clock). */
  readonly wallClock?: () => number;
  /** Ends a declared silence when the agent is heard again. */
  readonly supervision?: AgentSupervision;
}

function toAgent(row: EdgeAgentsTable): EdgeAgent {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    keyId: row.key_id,
    status: row.status as EdgeAgent['status'],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    offlineSince: row.offline_since,
    snapshotVersion: row.snapshot_version,
    controllerSerial: row.controller_serial,
    health: row.health === null ? null : (JSON.parse(row.health) as HealthReport),
  };
}

export class EdgeAgents {
  private readonly nonces = new Map<string, number>();
  private readonly wallClock: () => number;
  private readonly supervision: AgentSupervision | null;

  constructor(
    private readonly deps: AccessDeps,
    options: EdgeAgentsOptions = {},
  ) {
    this.wallClock = options.wallClock ?? Date.now;
    this.supervision = options.supervision ?? null;
  }

  async register(actor: string, input: EdgeAgentRegister): Promise<EdgeAgent> {
    const key = parseEdgePublicKey(input.publicKey);
    if (!key) throw accessModuleError('edge.public_key_invalid', 'The public key is not an Ed25519 SPKI PEM key');
    const { db, record, clock } = this.deps;
    const site = await db.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
    if (!site) throw accessModuleError('access_policy.other_site', `No site ${input.siteId}`, { siteId: input.siteId });
    const row: EdgeAgentsTable = {
      id: newId(),
      site_id: input.siteId,
      name: input.name.trim(),
      public_key: key.export({ type: 'spki', format: 'pem' }).toString(),
      key_id: keyIdOf(key),
      status: 'active',
      registered_by: actor,
      created_at: clock().toISOString(),
      revoked_at: null,
      last_seen_at: null,
      offline_since: null,
      health: null,
      snapshot_version: null,
      controls_version: null,
      controller_serial: null,
    };
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('edge_agents').values(row).execute();
        await record(
          trx,
          edgeAgentRegistered.draft({ site: row.site_id, source: actor }, { agentId: row.id, name: row.name, keyId: row.key_id }),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw accessModuleError('edge.agent_exists', 'An agent with this key is already registered', { keyId: row.key_id });
      throw error;
    }
    return toAgent(row);
  }

  async list(scope: 'all' | readonly string[], options: PageRequest & { siteId?: string | undefined }): Promise<Page<EdgeAgent>> {
    let query = this.deps.db.selectFrom('edge_agents').selectAll();
    if (scope !== 'all') query = scope.length === 0 ? query.where('id', '=', '') : query.where('site_id', 'in', [...scope]);
    if (options.siteId) query = query.where('site_id', '=', options.siteId);
    const after = afterId('edge-agents', options.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    return pageFrom('edge-agents', options.limit, rows, toAgent);
  }

  async get(agentId: string): Promise<EdgeAgent> {
    const row = await this.deps.db.selectFrom('edge_agents').selectAll().where('id', '=', agentId).executeTakeFirst();
    if (!row) throw accessModuleError('edge.agent_not_found', `No edge agent ${agentId}`, { agentId });
    return toAgent(row);
  }

  async siteOf(agentId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('edge_agents').select('site_id').where('id', '=', agentId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  async revoke(actor: string, agentId: string): Promise<EdgeAgent> {
    const { db, record, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('edge_agents').selectAll().where('id', '=', agentId).executeTakeFirst();
      if (!row) throw accessModuleError('edge.agent_not_found', `No edge agent ${agentId}`, { agentId });
      if (row.status === 'revoked') return toAgent(row);
      const revoked = { ...row, status: 'revoked', revoked_at: clock().toISOString() };
      await trx
        .updateTable('edge_agents')
        .set({ status: revoked.status, revoked_at: revoked.revoked_at })
        .where('id', '=', agentId)
        .execute();
      await record(trx, edgeAgentRevoked.draft({ site: row.site_id, source: actor }, { agentId, name: row.name, keyId: row.key_id }));
      return toAgent(revoked);
    });
  }

  /**
   * The agent behind a signed request; null when the request carries no agent headers (it is
   * then for the operator authenticator). Throws `edge.*` for a request that claims an agent
   * but does not prove it.
   */
  async authenticate(request: SignedRequestLike): Promise<EdgePrincipal | null> {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const keyId = header(EDGE_HEADERS.key);
    if (keyId === undefined) return null;
    const timestamp = header(EDGE_HEADERS.timestamp);
    const nonce = header(EDGE_HEADERS.nonce);
    const digest = header(EDGE_HEADERS.digest);
    const signature = header(EDGE_HEADERS.signature);
    if (!timestamp || !nonce || !digest || !signature || !/^[0-9a-f]{64}$/.test(digest) || nonce.length > 64) {
      throw accessModuleError('edge.signature_invalid', 'The request lacks a complete agent signature');
    }
    const now = this.wallClock();
    const at = Date.parse(timestamp);
    if (!Number.isFinite(at) || Math.abs(now - at) > SIGNATURE_WINDOW_MS) {
      throw accessModuleError('edge.request_expired', 'The request timestamp is outside the accepted window', {
        serverTime: new Date(now).toISOString(),
      });
    }
    const row = await this.deps.db.selectFrom('edge_agents').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    const key = row && row.status === 'active' ? parseEdgePublicKey(row.public_key) : null;
    if (!row || !key) throw accessModuleError('edge.agent_unknown', 'No active agent is registered with this key');
    if (!verifyRequest(key, signingString(request.method, request.url, timestamp, nonce, digest), signature)) {
      throw accessModuleError('edge.signature_invalid', 'The request signature does not verify');
    }
    this.rememberNonce(`${keyId}:${nonce}`, now);
    return new EdgePrincipal(row.id, row.name, row.site_id, row.key_id, digest);
  }

  /**
   * Stores what a heartbeat reported, and ends the agent's declared silence if there is one;
   * returns the previous report (for change detection).
   */
  async recordHealth(agentId: string, report: HealthReport): Promise<HealthReport | null> {
    const { db, clock, publish } = this.deps;
    const now = clock();
    const { previous, returned } = await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('edge_agents').select('health').where('id', '=', agentId).executeTakeFirst();
      await trx
        .updateTable('edge_agents')
        .set({
          last_seen_at: now.toISOString(),
          health: JSON.stringify(report),
          snapshot_version: report.snapshotVersion,
          controls_version: report.controlsVersion,
        })
        .where('id', '=', agentId)
        .execute();
      // After the write, which holds the row: a supervision check either declared the silence
      // before (seen and ended here) or finds this heartbeat and declares nothing.
      return { previous: before?.health ?? null, returned: (await this.supervision?.heard(trx, agentId, now)) ?? [] };
    });
    publish(returned);
    return previous ? (JSON.parse(previous) as HealthReport) : null;
  }

  /**
   * Notes the controller whose facility wiring the agent fetched (the serial it asked for, as the
   * device registry spells it): from then on the commands for that controller's doors go to it.
   */
  async runsController(agentId: string, controllerSerial: string): Promise<void> {
    await this.deps.db
      .updateTable('edge_agents')
      .set({ controller_serial: controllerSerial })
      .where('id', '=', agentId)
      .where((eb) => eb.or([eb('controller_serial', 'is', null), eb('controller_serial', '!=', controllerSerial)]))
      .execute();
  }

  private rememberNonce(nonce: string, now: number): void {
    if (this.nonces.has(nonce)) throw accessModuleError('edge.request_replayed', 'The request was already received');
    this.nonces.set(nonce, now + 2 * SIGNATURE_WINDOW_MS);
    if (this.nonces.size > 10_000) for (const [key, expiry] of this.nonces) if (expiry < now) this.nonces.delete(key);
  }
}

/**
 * Signed, versioned snapshots per site. The policy is read and compiled only when something it
 * depends on changed (a cheap fingerprint of the tables it reads, checked at most every
 * `refreshMs`), and a new version is stored only when the compiled input differs from the latest
 * stored one, so agents download a snapshot exactly when the policy changed. Versions grow by one
 * per site; the primary key (site, version) settles two nodes compiling at once.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { SNAPSHOT_FORMAT_VERSION, compileSnapshot, isVigilError, signSnapshot } from '@vigil/core';
import { sql } from 'kysely';
import { isUniqueViolation, type AccessDeps } from './context.js';
import { accessModuleError } from './errors.js';
import { readSitePolicy, type PolicySourceOptions } from './policy-source.js';

export interface StoredSnapshot {
  readonly siteId: string;
  readonly version: number;
  readonly compiledAt: string;
  readonly digest: string;
  /** Signed envelope, base64. */
  readonly bytes: string;
}

export interface SnapshotServiceOptions extends PolicySourceOptions {
  readonly signingKey: KeyObject;
  /** How long a fingerprint check is trusted before the tables are looked at again. */
  readonly refreshMs: number;
  /** A snapshot older than this is compiled again (its time-zone tables reach a year ahead). */
  readonly maxAgeMs: number;
}

export interface SnapshotStatus {
  readonly siteId: string;
  readonly version: number | null;
  readonly compiledAt: string | null;
  readonly compileError: { readonly code: string; readonly message: string; readonly at: string } | null;
}

interface CacheEntry {
  checkedAt: number;
  fingerprint: string;
  latest: StoredSnapshot | null;
}

export class SnapshotService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<StoredSnapshot | null>>();
  /** The last compile failure per site, for health and the API. */
  readonly failures = new Map<string, { code: string; message: string; at: string }>();

  constructor(
    private readonly deps: AccessDeps,
    private readonly options: SnapshotServiceOptions,
  ) {}

  /** The current snapshot of a site (compiling a new version first when the policy changed); null when nothing compiles. */
  latest(siteId: string): Promise<StoredSnapshot | null> {
    const running = this.inFlight.get(siteId);
    if (running) return running;
    const work = this.refresh(siteId).finally(() => this.inFlight.delete(siteId));
    this.inFlight.set(siteId, work);
    return work;
  }

  private async refresh(siteId: string): Promise<StoredSnapshot | null> {
    // The cache is timed on the process's monotonic clock: how often to look is not domain time.
    const tick = performance.now();
    const now = this.deps.clock().getTime();
    const entry = this.cache.get(siteId);
    if (entry && tick - entry.checkedAt < this.options.refreshMs) return entry.latest;
    const fingerprint = await this.fingerprint(siteId);
    if (entry && entry.fingerprint === fingerprint && entry.latest && !this.stale(entry.latest, now)) {
      entry.checkedAt = tick;
      return entry.latest;
    }
    const latest = await this.build(siteId, now);
    this.cache.set(siteId, { checkedAt: tick, fingerprint, latest });
    return latest;
  }

  private async build(siteId: string, now: number): Promise<StoredSnapshot | null> {
    const { db } = this.deps;
    const stored = await this.stored(siteId);
    const input = await readSitePolicy(db, siteId, this.options);
    if (!input) return stored;
    // The format is part of what is compared: after an upgrade agents get the new layout, not the stored old one.
    const digest = createHash('sha256').update(`${SNAPSHOT_FORMAT_VERSION}\0`).update(JSON.stringify(input)).digest('hex');
    if (stored && stored.digest === digest && !this.stale(stored, now)) return stored;
    const version = (stored?.version ?? 0) + 1;
    let bytes: string;
    try {
      const snapshot = compileSnapshot({ ...input, version }, { now: new Date(now) });
      bytes = signSnapshot(snapshot, this.options.signingKey).toString('base64');
      this.failures.delete(siteId);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      // Agents keep the last good snapshot; the fault is reported, not served.
      this.failures.set(siteId, { code: error.code, message: error.message, at: new Date(now).toISOString() });
      return stored;
    }
    const row = { site_id: siteId, version, digest, compiled_at: new Date(now).toISOString(), bytes };
    try {
      await db.insertInto('access_snapshots').values(row).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another node stored this version first; its snapshot is as good as ours.
      return this.stored(siteId);
    }
    // Agents fetch only the latest; two older versions stay for inspection.
    await db
      .deleteFrom('access_snapshots')
      .where('site_id', '=', siteId)
      .where('version', '<', version - 2)
      .execute();
    return { siteId, version, compiledAt: row.compiled_at, digest, bytes };
  }

  /** Throws `access_policy.compile_failed` when the site's policy does not compile (for operators). */
  async check(siteId: string): Promise<StoredSnapshot | null> {
    const latest = await this.latest(siteId);
    const failure = this.failures.get(siteId);
    if (failure)
      throw accessModuleError('access_policy.compile_failed', `The policy of site ${siteId} does not compile: ${failure.message}`, {
        cause: failure.code,
      });
    return latest;
  }

  /** What agents of the site get now, and why a newer policy is not there when it did not compile. */
  async status(siteId: string): Promise<SnapshotStatus> {
    const latest = await this.latest(siteId);
    return {
      siteId,
      version: latest?.version ?? null,
      compiledAt: latest?.compiledAt ?? null,
      compileError: this.failures.get(siteId) ?? null,
    };
  }

  /** Forgets cached checks so the next request looks at the tables (after a policy write on this node). */
  invalidate(siteId: string): void {
    this.cache.delete(siteId);
  }

  private stale(snapshot: StoredSnapshot, now: number): boolean {
    return now - Date.parse(snapshot.compiledAt) > this.options.maxAgeMs;
  }

  private async stored(siteId: string): Promise<StoredSnapshot | null> {
    const row = await this.deps.db
      .selectFrom('access_snapshots')
      .selectAll()
      .where('site_id', '=', siteId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { siteId, version: row.version, compiledAt: row.compiled_at, digest: row.digest, bytes: row.bytes } : null;
  }

  /** Counts and latest change times of everything the policy is read from. */
  private async fingerprint(siteId: string): Promise<string> {
    const { db } = this.deps;
    const stats = (table: string, column: string, where = sql`true`) =>
      sql<{ n: number; last: string | null }>`select count(*) as n, max(${sql.ref(column)}) as last from ${sql.table(table)} where ${where}`
        .execute(db)
        .then((r) => r.rows[0]);
    const bySite = sql`site_id = ${siteId}`;
    const parts = await Promise.all([
      stats('sites', 'updated_at', sql`id = ${siteId}`),
      stats('zones', 'updated_at', bySite),
      stats('doors', 'updated_at', bySite),
      stats('persons', 'updated_at'),
      stats('person_sites', 'site_id', bySite),
      stats('person_credentials', 'updated_at'),
      stats('training_records', 'created_at'),
      stats('access_policy_revisions', 'revision', bySite),
    ]);
    return JSON.stringify(parts.map((p) => [Number(p?.n ?? 0), p?.last === null || p?.last === undefined ? null : String(p.last)]));
  }
}

/**
 * The agent's durable store, one SQLite file in WAL mode with synchronous=FULL: a commit returns
 * only once it is on disk, so whatever the agent acted on survives a power cut or a kill -9.
 *
 * - `outbox`: events in the order they happened, until the server acknowledges them.
 * - `person_state`, `zone_state`, `door_state`: the decision engine's stateful rule state
 *   (anti-passback locations, occupancy, interlock, two-person, modes), written in the same
 *   transaction as the event that changed it.
 * - `executed_commands`: operator commands already carried out, so a re-delivery does nothing.
 * - `meta`: the last good snapshot (with the PIN hashes it carries), the controls version.
 * - `rejected_events`: events the server refused as invalid, kept for inspection.
 * - `pin_lockouts`: credentials whose PIN attempts are locked out, and until when, so a restart
 *   does not lift a lockout (written with the event that started it, removed with the one that
 *   reports an operator lifted it).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PersistedAccessState } from '@vigil/core';
import type { EdgeEvent } from './protocol.js';

type PersistedDoor = PersistedAccessState['doors'][string];

export interface CommitOptions {
  /** Rule state the events changed. */
  readonly delta?: StateDelta;
  /** An operator command carried out by these events. */
  readonly commandId?: string;
  /** Meta values to set (null: delete). */
  readonly meta?: Readonly<Record<string, Buffer | null>>;
  /** Replaces the whole rule state (a new snapshot). */
  readonly state?: PersistedAccessState;
  /** A credential's PIN attempts locked out until `until` (epoch ms). */
  readonly pinLockout?: { readonly credentialId: string; readonly until: number };
  /** A credential whose PIN lockout an operator lifted. */
  readonly pinLockoutLifted?: string;
}

export interface StateDelta {
  readonly persons?: readonly { readonly id: string; readonly zone: string | null; readonly at: number }[];
  readonly zones?: readonly { readonly id: string; readonly occupancy: number }[];
  readonly doors?: readonly { readonly id: string; readonly state: PersistedDoor }[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejected_events (id TEXT PRIMARY KEY, body TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS person_state (person_id TEXT PRIMARY KEY, zone_id TEXT, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS zone_state (zone_id TEXT PRIMARY KEY, occupancy INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS door_state (door_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executed_commands (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pin_lockouts (credential_id TEXT PRIMARY KEY, until REAL NOT NULL);
`;

export class AgentStore {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly upsertPerson: Database.Statement;
  private readonly upsertZone: Database.Statement;
  private readonly upsertDoor: Database.Statement;
  private readonly insertCommand: Database.Statement;
  private readonly setMeta: Database.Statement;
  private readonly deleteMeta: Database.Statement;
  private readonly upsertLockout: Database.Statement;
  private readonly deleteLockout: Database.Statement;
  private readonly commitTx: (events: readonly EdgeEvent[], options: CommitOptions) => void;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // The snapshot kept here carries PIN hashes: the file (and the WAL files SQLite makes with the
    // same mode) is created readable by the agent's user only.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.insertEvent = this.db.prepare('INSERT INTO outbox (id, at, body) VALUES (?, ?, ?)');
    this.upsertPerson = this.db.prepare(
      'INSERT INTO person_state (person_id, zone_id, at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET zone_id = excluded.zone_id, at = excluded.at',
    );
    this.upsertZone = this.db.prepare(
      'INSERT INTO zone_state (zone_id, occupancy) VALUES (?, ?) ON CONFLICT (zone_id) DO UPDATE SET occupancy = excluded.occupancy',
    );
    this.upsertDoor = this.db.prepare(
      'INSERT INTO door_state (door_id, body) VALUES (?, ?) ON CONFLICT (door_id) DO UPDATE SET body = excluded.body',
    );
    this.insertCommand = this.db.prepare('INSERT OR IGNORE INTO executed_commands (id, at) VALUES (?, ?)');
    this.setMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.deleteMeta = this.db.prepare('DELETE FROM meta WHERE key = ?');
    this.upsertLockout = this.db.prepare(
      'INSERT INTO pin_lockouts (credential_id, until) VALUES (?, ?) ON CONFLICT (credential_id) DO UPDATE SET until = excluded.until',
    );
    this.deleteLockout = this.db.prepare('DELETE FROM pin_lockouts WHERE credential_id = ?');
    this.commitTx = this.db.transaction((events: readonly EdgeEvent[], options: CommitOptions) => {
      for (const [key, value] of Object.entries(options.meta ?? {})) {
        if (value === null) this.deleteMeta.run(key);
        else this.setMeta.run(key, value);
      }
      if (options.state) this.replaceState(options.state);
      for (const event of events) this.insertEvent.run(event.id, event.at, JSON.stringify(event));
      if (options.delta) this.applyDelta(options.delta);
      if (options.commandId) this.insertCommand.run(options.commandId, Date.now());
      if (options.pinLockout) this.upsertLockout.run(options.pinLockout.credentialId, options.pinLockout.until);
      if (options.pinLockoutLifted) this.deleteLockout.run(options.pinLockoutLifted);
    });
  }

  /** Writes events with what they changed (rule state, a command, meta) in one durable transaction. */
  commit(events: readonly EdgeEvent[], options: CommitOptions = {}): void {
    this.commitTx(events, options);
  }

  /** The oldest undelivered events, in the order they were recorded. */
  pending(limit: number): EdgeEvent[] {
    const rows = this.db.prepare('SELECT body FROM outbox ORDER BY seq LIMIT ?').all(limit) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as EdgeEvent);
  }

  /** Removes events the server acknowledged; returns how many were removed. */
  acknowledge(ids: readonly string[]): number {
    const remove = this.db.prepare('DELETE FROM outbox WHERE id = ?');
    let removed = 0;
    this.db.transaction(() => {
      for (const id of ids) removed += remove.run(id).changes;
    })();
    return removed;
  }

  /** Moves an event the server refused as invalid out of the delivery queue, keeping it for inspection. */
  quarantine(id: string, reason: string): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT body FROM outbox WHERE id = ?').get(id) as { body: string } | undefined;
      if (!row) return;
      this.db.prepare('INSERT OR REPLACE INTO rejected_events (id, body, reason) VALUES (?, ?, ?)').run(id, row.body, reason);
      this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
    })();
  }

  depth(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  rejectedCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM rejected_events').get() as { n: number }).n;
  }

  oldestAt(): string | null {
    return (this.db.prepare('SELECT at FROM outbox ORDER BY seq LIMIT 1').get() as { at: string } | undefined)?.at ?? null;
  }

  hasExecuted(commandId: string): boolean {
    return this.db.prepare('SELECT 1 FROM executed_commands WHERE id = ?').get(commandId) !== undefined;
  }

  loadState(): PersistedAccessState {
    const persons: Record<string, { zone: string | null; at: number }> = {};
    for (const row of this.db.prepare('SELECT person_id, zone_id, at FROM person_state').all() as {
      person_id: string;
      zone_id: string | null;
      at: number;
    }[]) {
      persons[row.person_id] = { zone: row.zone_id, at: row.at };
    }
    const occupancy: Record<string, number> = {};
    for (const row of this.db.prepare('SELECT zone_id, occupancy FROM zone_state').all() as { zone_id: string; occupancy: number }[]) {
      occupancy[row.zone_id] = row.occupancy;
    }
    const doors: Record<string, PersistedDoor> = {};
    for (const row of this.db.prepare('SELECT door_id, body FROM door_state').all() as { door_id: string; body: string }[]) {
      doors[row.door_id] = JSON.parse(row.body) as PersistedDoor;
    }
    return { persons, occupancy, doors };
  }

  /** PIN lockouts still running at `now` (credential id → until); ended ones are dropped. */
  pinLockouts(now: number): Map<string, number> {
    this.db.prepare('DELETE FROM pin_lockouts WHERE until <= ?').run(now);
    const rows = this.db.prepare('SELECT credential_id, until FROM pin_lockouts').all() as { credential_id: string; until: number }[];
    return new Map(rows.map((row) => [row.credential_id, row.until]));
  }

  getMeta(key: string): Buffer | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: Buffer } | undefined)?.value ?? null;
  }

  close(): void {
    this.db.close();
  }

  private replaceState(state: PersistedAccessState): void {
    this.db.exec('DELETE FROM person_state; DELETE FROM zone_state; DELETE FROM door_state;');
    this.applyDelta({
      persons: Object.entries(state.persons).map(([id, p]) => ({ id, zone: p.zone, at: p.at })),
      zones: Object.entries(state.occupancy).map(([id, occupancy]) => ({ id, occupancy })),
      doors: Object.entries(state.doors).map(([id, door]) => ({ id, state: door })),
    });
  }

  private applyDelta(delta: StateDelta): void {
    for (const p of delta.persons ?? []) this.upsertPerson.run(p.id, p.zone, p.at);
    for (const z of delta.zones ?? []) this.upsertZone.run(z.id, z.occupancy);
    for (const d of delta.doors ?? []) this.upsertDoor.run(d.id, JSON.stringify(d.state));
  }
}

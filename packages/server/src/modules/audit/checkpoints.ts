/**
 * Signed checkpoints seal the chain: a checkpoint is the Ed25519 signature of (seq, hash) at some
 * point of the journal, so rewriting history before it needs the signing key, not just write
 * access to the database. Two triggers:
 * - count: every seq that is a multiple of `every` gets a checkpoint, written by the append that
 *   reaches it, inside the append transaction (it commits or rolls back with the events). Being
 *   at predictable places, a deleted checkpoint is itself detectable. Each checkpoint records
 *   (and signs) the interval in force, so verification follows the interval a stretch of the
 *   journal was written with, not today's configuration;
 * - time: every `intervalSeconds`, the tip is signed if events arrived since the last checkpoint,
 *   so a quiet journal is sealed soon after its last event too.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { AfterAppend } from './journal.js';
import { publicKeyPem, signCheckpoint, type SigningKey } from './signing.js';
import type { JournalCheckpointsTable } from './tables.js';

// Checkpoints per statement when one append reaches many multiples (a bulk import).
const LOOKUP_CHUNK = 500;

export interface CheckpointerOptions {
  db: Kysely<Database>;
  key: SigningKey;
  /** Sign after this many events (config `journal.checkpointEvery`). */
  every: number;
  /** Also sign a pending tip this often (config `journal.checkpointIntervalSeconds`). */
  intervalSeconds: number;
  clock?: () => Date;
  /** Receives a failed timed checkpoint (the database was unreachable, say); the timer keeps running. */
  onError?: (error: unknown) => void;
}

export class Checkpointer {
  private readonly db: Kysely<Database>;
  private readonly key: SigningKey;
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly clock: () => Date;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private readonly publicKeyPem: string;

  constructor(options: CheckpointerOptions) {
    if (!Number.isInteger(options.every) || options.every < 1) throw new RangeError('checkpoint every must be a positive integer');
    if (!(options.intervalSeconds > 0)) throw new RangeError('checkpoint interval must be positive');
    this.db = options.db;
    this.key = options.key;
    this.publicKeyPem = publicKeyPem(options.key.publicKey);
    this.every = options.every;
    this.intervalMs = options.intervalSeconds * 1000;
    this.clock = options.clock ?? (() => new Date());
    this.onError = options.onError ?? (() => {});
  }

  /** The journal's `afterAppend` hook: signs each multiple of `every` the batch reached. */
  readonly afterAppend: AfterAppend = async (trx, tip) => {
    const due: number[] = [];
    for (let k = Math.floor(tip.previousSeq / this.every) + 1; k * this.every <= tip.seq; k++) due.push(k * this.every);
    if (due.length === 0) return;
    const inside = due.filter((seq) => seq !== tip.seq);
    const hashes = new Map<number, string>([[tip.seq, tip.hash]]);
    for (let i = 0; i < inside.length; i += LOOKUP_CHUNK) {
      const rows = await trx
        .selectFrom('journal_events')
        .select(['seq', 'hash'])
        .where('seq', 'in', inside.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) hashes.set(row.seq, row.hash);
    }
    const signedAt = this.clock().toISOString();
    const rows = due.map((seq) => {
      const hash = hashes.get(seq);
      if (hash === undefined) throw new Error(`journal record ${seq} missing inside its own append`);
      return this.checkpointRow(seq, hash, signedAt);
    });
    await this.registerSigner(trx, signedAt);
    for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
      await trx
        .insertInto('journal_checkpoints')
        .values(rows.slice(i, i + LOOKUP_CHUNK))
        .execute();
    }
  };

  /**
   * Signs the current tip if it has no checkpoint yet; returns the checkpoint written, or null
   * when nothing was pending. Locks the journal head like an append, so it never races one.
   */
  async checkpointTip(): Promise<JournalCheckpointsTable | null> {
    return this.db.transaction().execute(async (trx) => {
      const head = await trx
        .updateTable('journal_head')
        .set((eb) => ({ seq: eb.ref('seq') }))
        .where('id', '=', 1)
        .returning(['seq', 'hash'])
        .executeTakeFirstOrThrow();
      if (head.seq === 0) return null;
      const last = await trx.selectFrom('journal_checkpoints').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (last && last.seq >= head.seq) return null;
      const row = this.checkpointRow(head.seq, head.hash, this.clock().toISOString());
      await this.registerSigner(trx, row.signed_at);
      await trx.insertInto('journal_checkpoints').values(row).execute();
      return row;
    });
  }

  /** Starts the timed checkpoints. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule();
  }

  /** Stops the timer, waits for a checkpoint in progress, then seals the tip one last time. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.tick();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (this.started) this.schedule();
      });
    }, this.intervalMs);
    // The composition root stops the checkpointer explicitly; the timer alone must not keep a
    // short-lived process (a CLI command) alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.checkpointTip();
    } catch (e) {
      this.onError(e);
    }
  }

  /**
   * Records the signing key's public half with the checkpoints it signs (in their transaction),
   * so a backup of the database carries every key needed to verify it (see signers.ts). Done
   * in every transaction that signs, not remembered: that transaction may still roll back.
   */
  private async registerSigner(trx: Transaction<Database>, signedAt: string): Promise<void> {
    await trx
      .insertInto('journal_signers')
      .values({ key_id: this.key.keyId, public_key: this.publicKeyPem, first_signed_at: signedAt })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
  }

  private checkpointRow(seq: number, hash: string, signedAt: string): JournalCheckpointsTable {
    const every = this.every;
    return {
      seq,
      hash,
      signed_at: signedAt,
      key_id: this.key.keyId,
      signature: signCheckpoint(this.key, { seq, hash, signedAt, every }),
      checkpoint_every: every,
    };
  }
}

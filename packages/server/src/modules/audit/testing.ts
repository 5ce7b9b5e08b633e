/** Test support for the audit module: a small event type, a journal with checkpoints, a reset. */
import path from 'node:path';
import { EventCatalogue, Type, defineEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import { GENESIS_HASH } from './chain.js';
import { Checkpointer } from './checkpoints.js';
import { Journal } from './journal.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing.js';

export const noted = defineEvent('test.noted', 'A test fact', Type.Object({ n: Type.Integer() }, { additionalProperties: false }));

export function testSigningKey(dir: string, name = 'journal-signing.key'): SigningKey {
  return loadOrCreateSigningKey(path.join(dir, 'keys', name));
}

/** Empties the journal (tests share one database per suite). */
export async function resetJournal(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('journal_checkpoints').execute();
  await db.deleteFrom('journal_event_subjects').execute();
  await db.deleteFrom('journal_events').execute();
  await db
    .updateTable('journal_head')
    .set({ seq: 0, hash: GENESIS_HASH, updated_at: new Date().toISOString() })
    .where('id', '=', 1)
    .execute();
}

export interface SeedOptions {
  dialect: Dialect;
  key: SigningKey;
  events: number;
  batch: number;
  checkpointEvery: number;
}

/** Appends `events` test events in batches, with count-based checkpoints. */
export async function seedJournal(db: Kysely<Database>, options: SeedOptions): Promise<{ journal: Journal; checkpointer: Checkpointer }> {
  const checkpointer = new Checkpointer({ db, key: options.key, every: options.checkpointEvery, intervalSeconds: 3600 });
  const journal = new Journal({
    catalogue: new EventCatalogue().register(noted),
    afterAppend: checkpointer.afterAppend,
    dialect: options.dialect,
  });
  for (let n = 1; n <= options.events; n += options.batch) {
    const size = Math.min(options.batch, options.events - n + 1);
    await journal.appendNow(
      db,
      Array.from({ length: size }, (_, i) => noted.draft({ site: `site-${(n + i) % 2}`, source: 'test' }, { n: n + i })),
    );
  }
  return { journal, checkpointer };
}

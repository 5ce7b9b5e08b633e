/**
 * Test support: a facility service over a test database with a real journal, and helpers to read
 * back what was journaled. Used by this module's tests and by route tests.
 */
import { EventCatalogue, type VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { Journal, rowToEvent, type RecordEvents } from '../audit/index.js';
import { facilityEvents } from './events.js';
import { FacilityService } from './service.js';
import type { SanitiseLimits } from './svg-sanitiser.js';

export interface FacilityUnderTest {
  readonly service: FacilityService;
  readonly journal: Journal;
  /** Events of this type (all facility events when omitted), oldest first. */
  events(type?: string): Promise<VigilEvent[]>;
  /** How many journal events exist in total. */
  journalLength(): Promise<number>;
}

export function facilityUnderTest(
  db: Kysely<Database>,
  options: { clock?: () => Date; record?: RecordEvents; planLimits?: Partial<SanitiseLimits> } = {},
): FacilityUnderTest {
  const journal = new Journal({
    catalogue: new EventCatalogue().register(...facilityEvents),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const service = new FacilityService({
    db,
    record: options.record ?? journal.record,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.planLimits ? { planLimits: options.planLimits } : {}),
  });
  return {
    service,
    journal,
    async events(type) {
      let q = db.selectFrom('journal_events').selectAll().orderBy('seq');
      if (type) q = q.where('type', '=', type);
      return (await q.execute()).map(rowToEvent);
    },
    async journalLength() {
      const row = await db
        .selectFrom('journal_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

let counter = 0;
/** A name no other test in the suite uses (suites share one database per dialect). */
export function uniqueName(prefix: string): string {
  return `${prefix} ${process.pid}-${++counter}`;
}

/** Test support: the alarms module on a suite database with a real journal and a settable clock. */
import { EventCatalogue, type VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import { createLogger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
import { Journal } from '../audit/index.js';
import { alarmEvents } from './events.js';
import { createAlarms, type AlarmsModule, type AlarmsOptions } from './index.js';

export class ManualClock {
  constructor(private at = Date.parse('2026-03-02T08:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.at);
  advanceSeconds(seconds: number): void {
    this.at += seconds * 1000;
  }
}

export interface AlarmsFixture {
  readonly module: AlarmsModule;
  readonly clock: ManualClock;
  /** Every event the module fanned out, in order. */
  readonly published: VigilEvent[];
}

export function alarmsFixture(db: Kysely<Database>, options: Partial<AlarmsOptions> = {}): AlarmsFixture {
  const clock = new ManualClock();
  const published: VigilEvent[] = [];
  const journal = new Journal({ catalogue: new EventCatalogue().register(...alarmEvents), clock: clock.now });
  const module = createAlarms({
    db,
    record: journal.record,
    publish: (events) => void published.push(...events),
    clock: clock.now,
    logger: createLogger('silent'),
    ...options,
  });
  return { module, clock, published };
}

/** Empties the alarm tables between tests that share a suite database. */
export async function resetAlarms(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('alarm_steps').execute();
  await db.deleteFrom('alarms').execute();
  await db.deleteFrom('alarm_procedures').execute();
  await db.deleteFrom('alarm_shelves').execute();
  await db.deleteFrom('incidents').execute();
}

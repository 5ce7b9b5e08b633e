/** A real intake on a fresh SQLite journal, for the adapter tests. */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventCatalogue } from '@vigil/core';
import { InProcessBus } from '../../bus/index.js';
import { Intake } from '../../intake/index.js';
import { createLogger } from '../../kernel/logger.js';
import { Journal } from '../../modules/audit/index.js';
import { openTestDatabase } from '../../storage/testing.js';
import { MqttAdapter, type MqttAdapterOptions } from './adapter.js';
import { mqttDeviceEvents } from './events.js';
import { compileDeviceMapping, type DeviceMappingFile } from './mapping.js';

export const logger = createLogger('silent');

/** The example mapping with every topic under a prefix of its own (the broker is shared). */
export function exampleMapping(prefix: string) {
  const file = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'devices.example.json'), 'utf8')) as DeviceMappingFile;
  return compileDeviceMapping({ ...file, mappings: file.mappings.map((m) => ({ ...m, topic: `${prefix}/${m.topic}` })) });
}

export async function adapterStack(url: string, options: { clientId?: string; prefix?: string } = {}) {
  const db = await openTestDatabase('sqlite');
  const catalogue = new EventCatalogue().register(...mqttDeviceEvents);
  const journal = new Journal({ catalogue });
  const bus = new InProcessBus({ logger });
  const intake = new Intake({
    db: db.handle.db,
    journal,
    catalogue,
    bus,
    logger,
    batchSize: 100,
    maxDelayMs: 1,
    queueLimit: 1000,
    sourceRate: { ratePerSecond: 0, burst: 1 },
  });
  const prefix = options.prefix ?? `vigiltest-${randomUUID().slice(0, 8)}`;
  let now = new Date('2026-03-01T10:00:00Z');
  const clock = {
    now: () => now,
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
  const mapping = exampleMapping(prefix);
  const make = (overrides: Partial<MqttAdapterOptions> = {}) =>
    new MqttAdapter({
      url,
      clientId: options.clientId ?? `vigil-test-${prefix}`,
      mapping,
      intake,
      logger,
      clock: clock.now,
      supervisionCheckMs: 0,
      reconnectPeriodMs: 200,
      ...overrides,
    });
  const rows = async (type?: string) => {
    let q = db.handle.db.selectFrom('journal_events').selectAll().orderBy('seq');
    if (type) q = q.where('type', '=', type);
    return q.execute();
  };
  return {
    db,
    intake,
    prefix,
    clock,
    make,
    rows,
    async dispose() {
      await intake.stop();
      await db.dispose();
    },
  };
}

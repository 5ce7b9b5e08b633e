/**
 * Two server nodes on one PostgreSQL and one NATS JetStream: a rule both nodes evaluate raises
 * one alarm; an operator acknowledges it on node B and node A shows (and streams) the same state;
 * a fire plan started on node A makes node B refuse to lock its doors.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVigilError, type VigilEvent } from '@vigil/core';
import { sql } from 'kysely';
import { connect } from 'nats';
import { panicPressed } from '../../adapters/mqtt/index.js';
import { createApp, type App } from '../../app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { openPostgres } from '../../storage/database.js';
import { postgresTestUrl } from '../../storage/testing.js';

const pgUrl = postgresTestUrl();
const natsUrl = process.env['VIGIL_TEST_NATS_URL'];
const SKIP =
  pgUrl && natsUrl
    ? false
    : 'Two-node alarm suite skipped: it needs VIGIL_TEST_DATABASE_URL (PostgreSQL) and VIGIL_TEST_NATS_URL (NATS JetStream)';

async function until<T>(probe: () => Promise<T | false | undefined> | T | false | undefined, what: string): Promise<T> {
  for (let i = 0; i < 750; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

void describe('alarms and plans across two nodes', { skip: SKIP }, () => {
  const schema = `vigil_alarm_nodes_${process.pid}_${randomUUID().slice(0, 8)}`;
  const prefix = `vigiltest.${randomUUID().slice(0, 8)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-alarm-nodes-'));
  let a: App;
  let b: App;
  let site: string;
  const heardOnA: VigilEvent[] = [];

  const configFor = (nodeName: string) => {
    const url = new URL(pgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return loadConfig(
      {},
      {
        dataDir,
        database: { url: url.toString(), poolSize: 4 },
        http: { port: 0 },
        bus: { natsUrl, natsSubjectPrefix: prefix, nodeName },
        automation: { doorConfirmTimeoutMs: 200 },
        log: { level: 'silent' },
      },
    );
  };

  before(async () => {
    const admin = openPostgres({ url: pgUrl!, poolSize: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    a = await createApp(configFor('alarm-node-a'), { logger: createLogger('silent') });
    b = await createApp(configFor('alarm-node-b'), { logger: createLogger('silent') });
    await a.start();
    await b.start();
    a.bus.subscribe({ types: ['alarm.*'] }, (e) => void heardOnA.push(e), 'test');
    site = (await a.facility.sites.create('system:test', { name: 'Two nodes', timeZone: 'UTC' })).id;
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    const nc = await connect({ servers: natsUrl! });
    await (await nc.jetstreamManager()).streams.delete(prefix.toUpperCase().replace(/\./g, '_')).catch(() => false);
    await nc.close();
    const admin = openPostgres({ url: pgUrl!, poolSize: 1 });
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
    await admin.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('raises one alarm from a rule both nodes run, acknowledged on B and seen so on A', async () => {
    // Both nodes already run the installation's default rules.
    const running = a.automation.runtime.engine.size;
    const rule = await a.automation.rules.create('system:test', {
      document: {
        name: 'Panic',
        site,
        trigger: { event: 'panic.pressed' },
        actions: [{ raiseAlarm: { type: 'panic', priority: 1, title: 'Panic button {source}' } }],
      },
    });
    await until(
      () => b.automation.runtime.engine.size === running + 1 && a.automation.runtime.engine.size === running + 1,
      `both nodes run rule ${rule.id}`,
    );
    const [event] = await a.intake.submit(panicPressed.draft({ site, source: 'device:PB-9' }, {}));
    const alarm = await until(async () => (await b.alarms.queries.list({ limit: 10, sites: 'all' })).items[0], 'the alarm on node B');
    assert.equal(alarm.triggerEventId, event!.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      (await a.alarms.queries.list({ limit: 10, sites: 'all' })).items.length,
      1,
      'one alarm, although both nodes fired the rule',
    );
    await b.alarms.alarms.acknowledge('operator:on-b', alarm.id);
    assert.equal((await a.alarms.queries.get(alarm.id)).state, 'acknowledged');
    await until(
      () => heardOnA.some((e) => e.type === 'alarm.acknowledged' && (e.data as { alarm: { id: string } }).alarm.id === alarm.id),
      'node A heard the acknowledgement',
    );
    await assert.rejects(
      a.alarms.alarms.acknowledge('operator:on-a', alarm.id),
      (e: unknown) => isVigilError(e) && e.code === 'alarms.invalid_transition',
    );
  });

  it('makes node B refuse to lock a door held by a fire plan started on node A', async () => {
    const zone = (await a.facility.zones.create('system:test', { siteId: site, name: 'Hall', type: 'public' })).id;
    const door = (
      await a.facility.doors.create('system:test', { siteId: site, name: 'Hall exit', fromZoneId: zone, toZoneId: null, egress: true })
    ).id;
    const plan = await a.automation.plans.save('system:test', { siteId: site, name: 'Fire', kind: 'fire' });
    await until(() => b.automation.plans.cached(plan.id), 'node B knows the plan');
    await a.automation.facts.load();
    const activation = await a.automation.activations.start({ planId: plan.id, actor: 'device:FACP', trigger: 'button', drill: false });
    await until(() => b.automation.live.heldByFire(door), 'node B knows the fire holds the door');
    await assert.rejects(
      b.automation.guardedDoors.lock(door, 'test', 'rule:x'),
      (e: unknown) => isVigilError(e) && e.code === 'automation.fire_plan_active',
    );
    await b.automation.activations.clear('operator:on-b', activation.id, 'Fire out');
    await until(() => !a.automation.live.heldByFire(door), 'node A heard the fire plan cleared');
  });
});

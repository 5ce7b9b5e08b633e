/**
 * Door controller agent supervision on two server nodes sharing one PostgreSQL and one NATS
 * JetStream (as a cluster runs): a real agent
 * heartbeats to node A; a registered agent that never called is left alone for the first interval
 * after the nodes start; an agent that falls silent is declared offline once (one event, one
 * alarm from the installation's default rule, which both nodes run) however many nodes check; the API shows it offline; its
 * return is declared once. The nodes' clocks are moved by hand and their checks called directly.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VigilEvent } from '@vigil/core';
import { EdgeAgent, loadOrCreateAgentKey, parseAgentConfig } from '@vigil/edge';
import { sql } from 'kysely';
import { connect } from 'nats';
import { createApp, type App } from '../../app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { openPostgres } from '../../storage/database.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../storage/testing.js';

const pgUrl = postgresTestUrl();
const natsUrl = process.env['VIGIL_TEST_NATS_URL'];
const SKIP =
  pgUrl && natsUrl ? false : `${POSTGRES_SKIP_REASON}; the two-node supervision suite also needs VIGIL_TEST_NATS_URL (NATS JetStream)`;
const ACTOR = 'system:test';
const SUPERVISION_MS = 60_000;

async function until<T>(probe: () => Promise<T | false | undefined> | T | false | undefined, what: string): Promise<T> {
  for (let i = 0; i < 750; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

void describe('edge agent supervision across two nodes', { skip: SKIP, timeout: 120_000 }, () => {
  const schema = `vigil_agent_sup_${process.pid}_${randomUUID().slice(0, 8)}`;
  const prefix = `vigiltest.${randomUUID().slice(0, 8)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-agent-sup-'));
  // One clock for both nodes, moved by hand; it starts at the real time, which the agent signs with.
  let at = Date.now();
  const clock = { now: () => new Date(at), advance: (ms: number) => void (at += ms) };
  let a: App;
  let b: App;
  let url: string;
  let siteId: string;
  let spareId: string;
  let liveId: string;
  let agent: EdgeAgent | undefined;
  /** What each node's bus delivered to it. */
  const published = new Map<string, VigilEvent[]>();

  const node = async (name: string) => {
    const dbUrl = new URL(pgUrl!);
    dbUrl.searchParams.set('options', `-c search_path=${schema}`);
    const config = loadConfig(
      {},
      {
        dataDir: path.join(dataDir, name),
        database: { url: dbUrl.toString(), poolSize: 4 },
        http: { port: 0 },
        bus: { natsUrl, natsSubjectPrefix: prefix, nodeName: `agent-sup-${name}` },
        log: { level: 'silent' },
      },
    );
    const app = await createApp(config, { logger: createLogger('silent'), clock: clock.now });
    published.set(name, []);
    app.bus.subscribe({ types: ['edge.agent_offline', 'edge.agent_online'] }, (e) => void published.get(name)!.push(e), 'test');
    return app;
  };
  const agentDir = path.join(dataDir, 'agent');
  const startAgent = async () => {
    const config = parseAgentConfig({
      siteId,
      dataDir: agentDir,
      server: { url, snapshotPublicKey: a.access.snapshotPublicKeyPem, heartbeatSeconds: 0.1, retryMaxSeconds: 0.5, commandWaitSeconds: 1 },
    });
    agent = new EdgeAgent({ config });
    await agent.start();
  };
  const stopAgent = async () => {
    await agent?.stop();
    agent = undefined;
  };
  const journaled = async (type: string) =>
    a.handle.db.selectFrom('journal_events').select(['id', 'data', 'source']).where('type', '=', type).orderBy('seq').execute();
  const checkBoth = () => Promise.all([a.access.supervision.check(), b.access.supervision.check()]);

  before(async () => {
    const admin = openPostgres({ url: pgUrl!, poolSize: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    a = await node('a');
    url = await a.start();
    b = await node('b');
    await b.start();
    // The checks are called by hand below; the nodes' own timers would race them.
    await a.access.supervision.stop();
    await b.access.supervision.stop();
    siteId = (await a.facility.sites.create(ACTOR, { name: 'Two nodes', timeZone: 'UTC' })).id;
    const key = loadOrCreateAgentKey(path.join(agentDir, 'agent.key'));
    liveId = (await a.access.agents.register(ACTOR, { siteId, name: 'Ward controller', publicKey: key.publicKeyPem })).id;
    const spareKey = loadOrCreateAgentKey(path.join(dataDir, 'spare', 'agent.key'));
    spareId = (await a.access.agents.register(ACTOR, { siteId, name: 'Spare controller', publicKey: spareKey.publicKeyPem })).id;
    await startAgent();
    await until(async () => (await a.access.agents.get(liveId)).lastSeenAt !== null, 'the agent heard');
  });

  after(async () => {
    await stopAgent();
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

  it('leaves alone, for the first interval after the nodes start, an agent that has not called yet', async () => {
    clock.advance(SUPERVISION_MS / 2);
    assert.deepEqual(await checkBoth(), [0, 0]);
    const now = clock.now().toISOString();
    await until(async () => (await a.access.agents.get(liveId)).lastSeenAt === now, 'a heartbeat at the moved clock');
    assert.equal((await a.access.agents.get(spareId)).offlineSince, null);
    assert.deepEqual(await journaled('edge.agent_offline'), []);
  });

  it('declares an agent never heard from offline once the interval has passed, and keeps a heartbeating one online', async () => {
    clock.advance(SUPERVISION_MS / 2 + 1000);
    assert.equal(
      (await checkBoth()).reduce((x, y) => x + y),
      1,
      'one node declared it',
    );
    const [offline] = await journaled('edge.agent_offline');
    assert.ok(offline);
    assert.deepEqual(JSON.parse(offline.data), { agentId: spareId, name: 'Spare controller', lastSeenAt: null, supervisionSeconds: 60 });
    assert.equal((await b.access.agents.get(liveId)).offlineSince, null, 'the live agent is not declared');
  });

  it('declares a silent agent offline once for both nodes, raises one alarm, and shows it offline', async () => {
    await stopAgent();
    // A heartbeat the agent gave up on at stop may still be under way at the server: let it land.
    let lastSeenAt: string | null = null;
    await until(async () => {
      const before = (await a.access.agents.get(liveId)).lastSeenAt;
      await new Promise((r) => setTimeout(r, 300));
      lastSeenAt = (await a.access.agents.get(liveId)).lastSeenAt;
      return before === lastSeenAt;
    }, 'the last heartbeat landed');
    clock.advance(SUPERVISION_MS + 1000);
    assert.deepEqual((await checkBoth()).sort(), [0, 1], 'one node declared it, the other found it declared');
    assert.deepEqual(await checkBoth(), [0, 0], 'declared once until heard again');
    const offline = (await journaled('edge.agent_offline')).filter((e) => (JSON.parse(e.data) as { agentId: string }).agentId === liveId);
    assert.equal(offline.length, 1);
    assert.deepEqual(JSON.parse(offline[0]!.data), { agentId: liveId, name: 'Ward controller', lastSeenAt, supervisionSeconds: 60 });
    const shown = await b.access.agents.get(liveId);
    assert.equal(shown.offlineSince, clock.now().toISOString());
    const heard = (name: string) =>
      published.get(name)!.filter((e) => e.type === 'edge.agent_offline' && (e.data as { agentId: string }).agentId === liveId).length;
    await until(() => heard('a') > 0 && heard('b') > 0, 'both nodes hear it');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([heard('a'), heard('b')], [1, 1], 'each node heard it once');
    const offlineAlarms = async (app: App) =>
      (await app.alarms.queries.list({ limit: 50, sites: 'all' })).items.filter((alarm) => alarm.type === 'edge_agent_offline');
    await until(async () => (await offlineAlarms(a)).length >= 2, 'the alarms raised');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await offlineAlarms(b)).length, 2, 'one alarm per silent agent, not one per node');
  });

  it('declares its return once, when it is heard again', async () => {
    await startAgent();
    await until(async () => (await a.access.agents.get(liveId)).offlineSince === null, 'back online');
    await until(async () => (await journaled('edge.agent_online')).length === 1, 'the return journaled');
    const [online] = await journaled('edge.agent_online');
    assert.equal((JSON.parse(online!.data) as { agentId: string }).agentId, liveId);
    assert.equal(online!.source, `edge:${(await a.access.agents.get(liveId)).keyId}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await journaled('edge.agent_online')).length, 1, 'later heartbeats declare nothing');
    assert.deepEqual(await checkBoth(), [0, 0]);
  });
});

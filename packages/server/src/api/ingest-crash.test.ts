// kill -9 of the server (a child process running `vigil start` on SQLite in a temporary data
// directory) in the middle of a sustained ingest burst, then a restart on the same data:
//
// - edge agents: several agents deliver signed event batches over HTTP, as `vigil-edge` does; a
//   batch the server answered is acknowledged, one cut off by the kill is re-sent after the restart;
// - MQTT sensors (when VIGIL_TEST_MQTT_URL is set): a door contact publishes numbered readings at
//   QoS 1 while the server journals them through the intake's group commit.
//
// Afterwards every acknowledged event is in the journal exactly once, no batch is half-written, and
// the journal verifies (`vigil audit verify`, hash chain and signed checkpoints).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId } from '@vigil/core';
import { ServerClient, keyIdOf, type EdgeEvent } from '@vigil/edge';
import mqtt from 'mqtt';
import { derivedEventId } from '../adapters/mqtt/translate.js';
import { loadConfig, resolvePaths } from '../kernel/config.js';
import { runAuditVerify } from '../modules/audit/index.js';
import { openSqlite } from '../storage/database.js';
import { killHard, startServerProcess, stopGracefully, type ServerProcess } from './crash-harness.js';
import { createWorld, eventually, registerAgent, type EdgeWorld } from './edge-harness.js';

const AGENTS = 6;
const BATCH = 20;
/** The kill comes once this many events were acknowledged: past three checkpoints (one per 1,000). */
const ACKNOWLEDGED_BEFORE_KILL = 3_500;

interface Sender {
  readonly keyId: string;
  readonly privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'];
}

interface JournalState {
  /** How many times each id is stored. */
  copies(id: string): number;
  readonly rows: number;
}

/** Reads the journal of a stopped (or killed) server straight from its SQLite file, and verifies it. */
async function inspect(dataDir: string): Promise<JournalState & { verified: string; intact: boolean }> {
  const config = loadConfig({}, { dataDir });
  const handle = openSqlite({ file: resolvePaths(config).sqliteFile });
  try {
    const rows = await handle.db.selectFrom('journal_events').select('id').execute();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
    let verified = '';
    const code = await runAuditVerify(handle, { signingKeyFile: resolvePaths(config).signingKeyFile }, { write: (s) => (verified += s) });
    return { copies: (id) => counts.get(id) ?? 0, rows: rows.length, verified, intact: code === 0 };
  } finally {
    await handle.close();
  }
}

function serverSettings(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { VIGIL_DATA_DIR: dataDir, VIGIL_HTTP_HOST: '127.0.0.1', VIGIL_HTTP_PORT: '0', VIGIL_LOG_LEVEL: 'error', ...extra };
}

describe('server killed with SIGKILL during an edge ingest burst', { timeout: 240_000 }, () => {
  let world: EdgeWorld;
  let server: ServerProcess | undefined;
  const senders: Sender[] = [];

  before(async () => {
    world = await createWorld([]);
    for (let i = 0; i < AGENTS; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      await registerAgent(world, publicKey.export({ type: 'spki', format: 'pem' }).toString());
      senders.push({ keyId: keyIdOf(publicKey), privateKey });
    }
    await world.app.stop();
  });
  after(async () => {
    if (server) await killHard(server.child);
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  const batchOf = (sender: Sender): EdgeEvent[] =>
    Array.from({ length: BATCH }, () => ({
      id: newId(),
      type: 'door.opened',
      at: new Date().toISOString(),
      site: world.siteId,
      source: `edge:${sender.keyId}`,
      subject: null,
      zone: null,
      door: world.doorId,
      correlationId: null,
      data: { cause: 'grant' },
    }));
  const clientOf = (sender: Sender, url: string) =>
    new ServerClient({ url, privateKey: sender.privateKey, keyId: sender.keyId, timeoutMs: 30_000 });

  it('keeps every acknowledged batch exactly once and whole, and the journal verifies', async (t) => {
    server = await startServerProcess(serverSettings(world.dir));
    const acknowledged: EdgeEvent[][] = [];
    const cutOff: { sender: Sender; batch: EdgeEvent[] }[] = [];
    let ackedEvents = 0;
    let killed = false;
    const running = server;
    // Each agent delivers batch after batch, as fast as the server answers, until the kill.
    const delivering = senders.map(async (sender) => {
      const client = clientOf(sender, running.url);
      while (!killed) {
        const batch = batchOf(sender);
        try {
          await client.deliver(batch);
          acknowledged.push(batch);
          ackedEvents += batch.length;
        } catch {
          cutOff.push({ sender, batch });
          return;
        }
      }
    });
    await eventually('enough of the burst acknowledged', () => ackedEvents >= ACKNOWLEDGED_BEFORE_KILL, 120_000);
    killed = true;
    await killHard(running.child);
    server = undefined;
    const ackedAtKill = acknowledged.length;
    await Promise.all(delivering);
    t.diagnostic(`at the kill: ${ackedAtKill} batches acknowledged, ${cutOff.length} cut off in flight`);
    assert.ok(cutOff.length > 0, 'the kill came while deliveries were in flight');

    const afterKill = await inspect(world.dir);
    assert.equal(afterKill.intact, true, afterKill.verified);
    for (const batch of acknowledged.slice(0, ackedAtKill))
      for (const event of batch) assert.equal(afterKill.copies(event.id), 1, `acknowledged event ${event.id} stored once`);
    for (const { batch } of cutOff) {
      const stored = batch.filter((e) => afterKill.copies(e.id) === 1).length;
      assert.ok(stored === 0 || stored === BATCH, `a batch cut off by the kill is stored whole or not at all (${stored} of ${BATCH})`);
    }

    // Restarted, the server takes the cut-off batches again, as the agents re-send them.
    server = await startServerProcess(serverSettings(world.dir));
    const restarted = server;
    for (const { sender, batch } of cutOff) await clientOf(sender, restarted.url).deliver(batch);
    await clientOf(senders[0]!, restarted.url).deliver(batchOf(senders[0]!));
    assert.equal(await stopGracefully(restarted.child), 0);
    server = undefined;

    const final = await inspect(world.dir);
    assert.equal(final.intact, true, final.verified);
    for (const batch of [...acknowledged, ...cutOff.map((c) => c.batch)])
      for (const event of batch) assert.equal(final.copies(event.id), 1, `event ${event.id} stored exactly once`);
    t.diagnostic(final.verified.trim());
  });
});

const brokerUrl = process.env['VIGIL_TEST_MQTT_URL'];
const MQTT_SKIP = brokerUrl ? false : 'MQTT crash suite skipped: set VIGIL_TEST_MQTT_URL (e.g. mqtt://127.0.0.1:1883) to run it';

describe('server killed with SIGKILL while journaling MQTT sensor readings', { skip: MQTT_SKIP, timeout: 240_000 }, () => {
  // Below Mosquitto's default queue of 1,000 messages per offline client (`max_queued_messages`):
  // beyond it the broker itself drops readings, which no subscriber could recover.
  const READINGS = 800;
  const prefix = `vigilcrash-${newId().slice(-12)}`;
  let world: EdgeWorld;
  let server: ServerProcess | undefined;
  let settings: Record<string, string>;

  before(async () => {
    world = await createWorld([]);
    await world.app.stop();
    const mapping = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../adapters/mqtt/devices.example.json'), 'utf8')) as {
      mappings: { topic: string }[];
    };
    const devicesFile = path.join(world.dir, 'devices.json');
    fs.writeFileSync(
      devicesFile,
      JSON.stringify({ ...mapping, mappings: mapping.mappings.map((m) => ({ ...m, topic: `${prefix}/${m.topic}` })) }),
    );
    settings = serverSettings(world.dir, {
      VIGIL_MQTT_URL: brokerUrl!,
      VIGIL_MQTT_DEVICES_FILE: devicesFile,
      VIGIL_NODE_NAME: prefix,
      // A group of its own: other suites' servers on the shared broker are other installations.
      VIGIL_MQTT_SHARED_GROUP: prefix,
      VIGIL_INTAKE_SOURCE_RATE: '0',
    });
  });
  after(async () => {
    if (server) await killHard(server.child);
    // The persistent session would keep queueing for a client id that never returns.
    const cleaner = await mqtt.connectAsync(brokerUrl!, { clientId: `vigil-${prefix}`, clean: true, protocolVersion: 5 });
    await cleaner.endAsync();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('journals every reading the broker accepted exactly once, and the journal verifies', async (t) => {
    server = await startServerProcess(settings);
    const device = await mqtt.connectAsync(brokerUrl!, { clientId: `contact-${prefix}` });
    const topic = `${prefix}/sites/main/doors/${world.doorId}/contact/DC-CRASH`;
    // The mapping names the device's message id (`seq`), so each reading has a known event id.
    const expected = Array.from({ length: READINGS }, (_, i) => derivedEventId('DC-CRASH', String(i + 1)));
    const journaled = async () => {
      const handle = openSqlite({ file: resolvePaths(loadConfig({}, { dataDir: world.dir })).sqliteFile });
      try {
        return await handle.db
          .selectFrom('journal_events')
          .select('id')
          .where('source', '=', 'device:DC-CRASH')
          .where('type', 'in', ['door.contact_opened', 'door.contact_closed'])
          .execute();
      } finally {
        await handle.close();
      }
    };
    // The device publishes the whole burst; the broker holds what the server has not taken yet.
    const publishing = (async () => {
      for (let seq = 1; seq <= READINGS; seq++) {
        await device.publishAsync(topic, JSON.stringify({ state: seq % 2 ? 'open' : 'closed', seq }), { qos: 1 });
      }
    })();
    await eventually('a third of the readings journaled', async () => (await journaled()).length >= READINGS / 3, 120_000);
    await killHard(server.child);
    server = undefined;
    const atKill = (await journaled()).length;
    t.diagnostic(`at the kill: ${atKill} of ${READINGS} readings journaled`);
    assert.ok(atKill < READINGS, 'the kill came in the middle of the burst');
    await publishing;
    await device.endAsync();

    server = await startServerProcess(settings);
    // Readings are journaled in order, so once the last is in, any duplicate would be too.
    await eventually(
      'the last reading journaled after the restart',
      async () => (await journaled()).some((r) => r.id === expected.at(-1)),
      120_000,
    );
    assert.equal(await stopGracefully(server.child), 0);
    server = undefined;

    const rows = await journaled();
    const stored = new Set(rows.map((r) => r.id));
    assert.deepEqual(
      expected.filter((id) => !stored.has(id)),
      [],
      'no reading lost',
    );
    assert.equal(rows.length, READINGS, 'no reading journaled twice');
    const final = await inspect(world.dir);
    assert.equal(final.intact, true, final.verified);
  });
});

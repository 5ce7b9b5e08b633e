// kill -9 of the agent (a child process running the `vigil-edge` entry point) in the middle of a
// burst of card reads, then a restart on the same data directory: every decision the agent had
// acknowledged at the door reaches the server, and none arrives twice. The uplink is cut for the
// first part of the burst, so the kill comes with a backlog in the buffer and its delivery under way.
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { killHard, spawnTsx } from './crash-harness.js';
import {
  agentConfig,
  createWorld,
  eventually,
  journalIdCount,
  journaled,
  ReaderEmulator,
  registerAgent,
  TcpGate,
  type EdgeWorld,
} from './edge-harness.js';

const GREEN = 2;
const CLI = path.resolve(import.meta.dirname, '../../../edge/src/cli.ts');
const CARDS = Array.from({ length: 150 }, (_, i) => 2001 + i);

function spawnAgent(configFile: string): ChildProcess {
  return spawnTsx(CLI, ['--config', configFile, '--log-level', 'silent']);
}

describe('agent killed with SIGKILL in a burst of reads', { timeout: 180_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let gate: TcpGate;
  let child: ChildProcess | null = null;
  let configFile: string;
  let dataDir: string;
  let agentId: string;

  before(async () => {
    world = await createWorld(CARDS);
    reader = await ReaderEmulator.listen();
    gate = await TcpGate.open(world.url);
    dataDir = path.join(world.dir, 'agent');
    configFile = path.join(world.dir, 'edge.json');
    fs.writeFileSync(configFile, JSON.stringify(agentConfig(world, dataDir, reader, { url: gate.url, commandWaitSeconds: 0 })));
    const key = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', CLI, '--config', configFile, '--print-key'], { encoding: 'utf8' }),
    ) as {
      publicKey: string;
    };
    agentId = await registerAgent(world, key.publicKey);
  });
  after(async () => {
    if (child && child.exitCode === null) await killHard(child);
    await reader.close();
    await gate.stop();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('loses no acknowledged decision and duplicates none', async (t) => {
    child = spawnAgent(configFile);
    await eventually(
      'agent running on the snapshot with its reader online',
      async () => {
        const agent = await world.app.access.agents.get(agentId);
        return agent.snapshotVersion === 1 && agent.health?.readers[0]?.online === true;
      },
      60_000,
    );

    gate.close();
    for (const card of CARDS) reader.present(card);
    await eventually('a fifth of the burst granted offline', () => reader.leds(GREEN) >= 30, 60_000);
    gate.reopen();
    await eventually('delivery of the backlog under way', async () => (await journaled(world.app, 'access.granted')).length > 0, 60_000);
    await killHard(child);
    const acknowledged = reader.leds(GREEN);
    const deliveredAtKill = new Set((await journaled(world.app, 'access.granted')).map((e) => e.id));
    const buffer = new Database(path.join(dataDir, 'buffer.db'));
    const bufferedAtKill = (buffer.prepare('SELECT id FROM outbox WHERE body LIKE \'%"access.granted"%\'').all() as { id: string }[]).map(
      (r) => r.id,
    );
    buffer.close();
    const recordedAtKill = new Set([...deliveredAtKill, ...bufferedAtKill]);
    t.diagnostic(
      `at the kill: ${acknowledged} grants shown at the reader, ${deliveredAtKill.size} on the server, ${bufferedAtKill.length} in the buffer`,
    );
    assert.ok(acknowledged < CARDS.length, 'the kill came in the middle of the burst');
    assert.ok(recordedAtKill.size >= acknowledged, `${recordedAtKill.size} decisions recorded, ${acknowledged} acknowledged at the reader`);

    child = spawnAgent(configFile);
    await eventually(
      'the rest of the burst decided and everything delivered',
      async () => {
        const agent = await world.app.access.agents.get(agentId);
        const granted = await journaled(world.app, 'access.granted');
        return granted.length >= CARDS.length - 1 && agent.health?.bufferDepth === 0 && reader.pd.stats.commands > 0;
      },
      90_000,
    );

    const granted = await journaled(world.app, 'access.granted');
    const ids = new Set(granted.map((e) => e.id));
    for (const id of recordedAtKill) assert.ok(ids.has(id), `decision ${id} recorded before the kill reached the server`);
    const perHolder = new Map<string, number>();
    for (const event of granted) perHolder.set(event.subject!, (perHolder.get(event.subject!) ?? 0) + 1);
    assert.deepEqual(
      [...perHolder.values()].filter((n) => n > 1),
      [],
      'no card decided twice',
    );
    // At most the one read the control panel had taken from the reader but not yet recorded is lost.
    assert.ok(granted.length >= CARDS.length - 1 && granted.length <= CARDS.length, `${granted.length} grants for ${CARDS.length} cards`);
    const counts = await journalIdCount(world.app);
    assert.equal(counts.rows, counts.distinct);
    assert.equal((await journaled(world.app, 'edge.agent_started')).length, 2);
  });
});

// The server stopped for a simulated hour (the agent's clock moves on a minute per read): the door
// keeps deciding from its snapshot, every decision is buffered, and when the server is started
// again on the same data every event arrives exactly once, in order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EdgeAgent, SimulatedIo, parseAgentConfig } from '@vigil/edge';
import type { Clock } from '@vigil/osdp';
import {
  agentConfig,
  createWorld,
  eventually,
  journalIdCount,
  journaled,
  ReaderEmulator,
  registerAgent,
  startServer,
  type EdgeWorld,
} from './edge-harness.js';

const GREEN = 2;
const RED = 1;
const HOUR_OF_READS = 60;

describe('server unreachable for an hour', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let agent: EdgeAgent;
  let offsetMs = 0;
  const clock: Clock = {
    now: () => Date.now() + offsetMs,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };

  before(async () => {
    world = await createWorld([3001, 3002, 3003]);
    reader = await ReaderEmulator.listen();
    agent = new EdgeAgent({
      config: parseAgentConfig(agentConfig(world, path.join(world.dir, 'agent'), reader)),
      io: new SimulatedIo(clock),
      clock,
    });
    await registerAgent(world, agent.key.publicKeyPem);
    await agent.start();
    await eventually('snapshot loaded and reader online', () => agent.policy.version === 1 && agent.readers.isOnline('ward-in'));
  });
  after(async () => {
    await agent.stop();
    await reader.close();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('keeps deciding while the server is down and delivers every event once when it is back', async () => {
    const port = Number(new URL(world.url).port);
    await world.app.stop();
    const outageStartedAt = clock.now();
    for (let i = 0; i < HOUR_OF_READS; i++) {
      offsetMs += 60_000;
      const granted = reader.leds(GREEN);
      const denied = reader.leds(RED);
      // Every tenth read is a card the site does not know: refusals are recorded as well.
      reader.present(i % 10 === 9 ? 9999 : 3001 + (i % 3));
      await eventually(`read ${i} answered`, () => reader.leds(GREEN) > granted || reader.leds(RED) > denied);
    }
    assert.ok(clock.now() - outageStartedAt >= 3_600_000);
    const buffered = agent.store.pending(10_000).filter((e) => e.type.startsWith('access.'));
    assert.equal(buffered.length, HOUR_OF_READS);
    assert.equal(buffered.filter((e) => e.type === 'access.granted').length, 54);

    ({ app: world.app, url: world.url } = await startServer(world.dir, world.clock, port));
    await eventually('backlog delivered', () => agent.store.depth() === 0, 30_000);

    const decisions = (await journaled(world.app)).filter((e) => e.type.startsWith('access.'));
    assert.deepEqual(
      decisions.map((e) => e.id),
      buffered.map((e) => e.id),
      'every decision of the outage, once each, in the order it was made',
    );
    const at = decisions.map((e) => Date.parse(e.at));
    assert.ok(at.at(-1)! - at[0]! >= 59 * 60_000, 'the decisions span the simulated hour');
    const counts = await journalIdCount(world.app);
    assert.equal(counts.rows, counts.distinct);

    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(
      (await journaled(world.app)).filter((e) => e.type.startsWith('access.')).length,
      HOUR_OF_READS,
      'nothing delivered twice later',
    );
  });
});

// Emergency modes, operator commands and snapshot updates on a running agent, and what survives a
// restart (the last good snapshot, the stateful rule state, commands already carried out).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { newId } from '@vigil/core';
import { EdgeAgent } from './agent.js';
import { SimulatedIo } from './io/simulated.js';
import type { Controls, EdgeEvent } from './protocol.js';
import {
  DOORS,
  EmulatedReader,
  SITE,
  ZONES,
  eventually,
  policy,
  signedSnapshot,
  signingKeys,
  tempDir,
  testConfig,
} from './test-support.js';

const GREEN = 2;
const RED = 1;
const controls = (version: number, extra: Partial<Controls> = {}): Controls => ({
  version,
  fireEgress: null,
  lockdown: null,
  overrides: [],
  ...extra,
});

describe('edge agent modes, commands and snapshots', { timeout: 30_000 }, () => {
  const keys = signingKeys();
  const dir = tempDir();
  let io = new SimulatedIo();
  let reader: EmulatedReader;
  let agent: EdgeAgent;
  const events = (type: string): EdgeEvent[] => agent.store.pending(10_000).filter((e) => e.type === type);
  const start = async () => {
    agent = new EdgeAgent({ config: testConfig(dir, keys, { 'main-in': reader }), io, offline: true });
    await agent.start();
    await eventually('reader online', () => agent.readers.isOnline('main-in'));
  };
  const badge = async (card: 'alice' | 'guard' | 'carol', expect: 'granted' | 'denied') => {
    const color = expect === 'granted' ? GREEN : RED;
    const before = reader.leds(color);
    reader.present(card);
    await eventually(`${card} ${expect}`, () => reader.leds(color) > before);
    return events(`access.${expect}`).at(-1)!;
  };

  before(async () => {
    reader = await EmulatedReader.listen(1);
    await start();
    agent.applySnapshot(signedSnapshot(keys, policy(1)));
  });
  after(async () => {
    await agent.stop();
    await reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('locks entry in lockdown except for the override privilege, and never blocks exit', async () => {
    agent.applyControls(controls(1, { lockdown: { siteIds: [SITE] } }));
    assert.equal(events('door.mode_changed').find((e) => e.door === DOORS.main)?.data['mode'], 'lockdown');
    assert.equal((await badge('alice', 'denied')).data['reason'], 'access.lockdown');
    assert.equal((await badge('guard', 'granted')).data['reason'], 'access.lockdown_override');
    io.pressRequestToExit(22);
    await eventually('stairs released for exit', () => io.isReleased(2));
    assert.equal(events('access.granted').at(-1)!.data['reason'], 'access.free_egress');
  });

  it('lets fire egress beat lockdown: egress doors stand unlocked, entry follows card rules, exit stays free', async () => {
    await eventually('stairs relocked', () => !io.isReleased(2));
    agent.applyControls(controls(2, { lockdown: { siteIds: [SITE] }, fireEgress: { siteIds: [SITE] } }));
    await eventually('egress door held unlocked', () => io.isReleased(2));
    assert.equal(agent.healthReport().doors.find((d) => d.doorId === DOORS.stairs)?.mode, 'fire_egress');
    assert.equal(io.isReleased(0), false, 'a door that is not an egress door stays locked');
    assert.equal((await badge('alice', 'granted')).data['reason'], 'access.granted');
    agent.applyControls(controls(3));
    await eventually('egress door locked again', () => !io.isReleased(2));
    assert.equal(events('door.locked').at(-1)?.door, DOORS.stairs);
  });

  it('applies fire egress to every known door in scope even when the controls also name a door and a zone it does not know', async () => {
    await eventually('stairs locked', () => !io.isReleased(2));
    agent.applyControls(
      controls(4, {
        fireEgress: { zoneIds: [newId(), ZONES.lobby], doorIds: [newId()] },
        overrides: [{ doorId: newId(), mode: 'locked' }],
      }),
    );
    await eventually('egress door held unlocked', () => io.isReleased(2));
    assert.equal(agent.healthReport().doors.find((d) => d.doorId === DOORS.stairs)?.mode, 'fire_egress');
    agent.applyControls(controls(5));
    await eventually('egress door locked again', () => !io.isReleased(2));
  });

  it('carries out an operator unlock once, and reports an expired one without opening', async () => {
    await eventually('main relocked', () => !io.isReleased(0));
    const command = {
      id: newId(),
      doorId: DOORS.main,
      command: 'unlock' as const,
      seconds: 1,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    agent.execute(command);
    await eventually('main released by the operator', () => io.isReleased(0));
    const executed = events('door.command_executed').filter((e) => e.data['commandId'] === command.id);
    assert.deepEqual(
      executed.map((e) => e.data['outcome']),
      ['executed'],
    );
    agent.execute(command);
    assert.equal(events('door.command_executed').filter((e) => e.data['commandId'] === command.id).length, 1);

    agent.execute({ ...command, id: newId(), command: 'lock' });
    await eventually('relocked by the operator', () => !io.isReleased(0));
    const stale = { ...command, id: newId(), expiresAt: new Date(Date.now() - 1000).toISOString() };
    agent.execute(stale);
    assert.equal(events('door.command_executed').at(-1)!.data['outcome'], 'expired');
    assert.equal(io.isReleased(0), false);
  });

  it('refuses a corrupted, a foreign and an older snapshot, keeps deciding on the last good one and raises a health alarm', async () => {
    assert.equal(agent.applySnapshot(signedSnapshot(keys, policy(3))).status, 'applied');
    const corrupted = signedSnapshot(keys, policy(4));
    corrupted[corrupted.length - 100]! ^= 0x01;
    assert.deepEqual(agent.applySnapshot(corrupted), { status: 'rejected', code: 'access.snapshot_signature_invalid' });
    assert.ok(agent.healthReport().alarms.includes('snapshot_rejected'));
    const foreign = signedSnapshot(signingKeys(), policy(5));
    assert.deepEqual(agent.applySnapshot(foreign), { status: 'rejected', code: 'access.snapshot_signature_invalid' });
    assert.deepEqual(agent.applySnapshot(signedSnapshot(keys, policy(2))), {
      status: 'rejected',
      code: 'access.snapshot_rollback',
    });
    assert.equal(agent.policy.version, 3);
    assert.deepEqual(
      events('edge.snapshot_rejected').map((e) => e.data['code']),
      ['access.snapshot_signature_invalid', 'access.snapshot_signature_invalid', 'access.snapshot_rollback'],
    );
    assert.equal((await badge('alice', 'granted')).data['snapshotVersion'], 3);
    assert.equal(agent.applySnapshot(signedSnapshot(keys, policy(6))).status, 'applied');
    assert.ok(!agent.healthReport().alarms.includes('snapshot_rejected'));
  });

  it('keeps its snapshot, anti-passback state and executed commands across a restart', async () => {
    const toPharmacy = policy(7, { doors: { main: { toZoneId: policy(7).doors.find((d) => d.id === DOORS.pharmacy)!.toZoneId } } });
    assert.equal(agent.applySnapshot(signedSnapshot(keys, toPharmacy)).status, 'applied');
    await badge('carol', 'granted');
    assert.equal((await badge('carol', 'denied')).data['reason'], 'access.passback_violation');
    const executedBefore = events('door.command_executed').length;
    const command = {
      id: newId(),
      doorId: DOORS.main,
      command: 'lock' as const,
      seconds: null,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    agent.execute(command);

    await agent.stop();
    io = new SimulatedIo();
    await start();
    assert.equal(agent.policy.version, 7);
    assert.equal((await badge('carol', 'denied')).data['reason'], 'access.passback_violation');
    agent.execute(command);
    assert.equal(events('door.command_executed').length, executedBefore + 1);
    assert.equal(events('edge.agent_started').length, 2);
  });
});

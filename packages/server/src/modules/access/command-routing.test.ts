// Door and output commands on a site with several door controllers: a command goes to the agents
// known to run its door (or to every agent when none is known), an agent without the door cannot
// close it for the one that has it, and a command no agent can carry out fails rather than hanging.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { newId } from '@vigil/core';
import type { EdgeEvent, HealthReport } from '@vigil/edge';
import { eachDatabase } from '../../storage/testing.js';
import type { EdgePrincipal } from './agents.js';
import { ACTOR, TestAgentKey, accessUnderTest, uniqueName, type AccessUnderTest } from './testing.js';

const CONTROLLER_SERIAL = `CTL-${process.pid}-ROUTING`;

function health(doorIds: readonly string[]): HealthReport {
  return {
    agentVersion: '0.1.0',
    snapshotVersion: null,
    controlsVersion: 0,
    alarms: [],
    readers: [],
    doors: doorIds.map((doorId) => ({ doorId, open: false, locked: true, mode: 'card_only', alarm: null })),
    bufferDepth: 0,
    oldestBufferedAt: null,
    decisionP99Ms: null,
  };
}

eachDatabase('door and output commands on a site with several controllers', (t) => {
  let a: AccessUnderTest;
  let siteId: string;
  let zoneId: string;
  let towerA: EdgePrincipal;
  let towerB: EdgePrincipal;

  const register = async (name: string): Promise<EdgePrincipal> => {
    const key = new TestAgentKey();
    const registered = await a.access.agents.register(ACTOR, { siteId, name, publicKey: key.publicKeyPem });
    return (await a.access.agents.authenticate(key.request(registered.keyId, 'GET', '/api/edge/snapshot')))!;
  };
  const door = async (name: string, wiring: { controllerId?: string; lockOutput?: number } = {}) =>
    (await a.facility.doors.create(ACTOR, { siteId, name: uniqueName(name), toZoneId: zoneId, ...wiring })).id;
  const report = (agent: EdgePrincipal, type: string, door: string | null, data: Record<string, unknown>): EdgeEvent => ({
    id: newId(),
    type,
    at: new Date().toISOString(),
    site: siteId,
    source: `edge:${agent.keyId}`,
    subject: null,
    zone: null,
    door,
    correlationId: String(data['commandId']),
    data,
  });
  const doorReport = (agent: EdgePrincipal, doorId: string, commandId: string, outcome: string) =>
    a.access.ingest.ingest(agent, [report(agent, 'door.command_executed', doorId, { commandId, command: 'unlock', outcome })]);
  const handed = async (agent: EdgePrincipal) => (await a.access.doors.pendingCommands(siteId, agent.agentId)).map((c) => c.id);
  const status = async (commandId: string) => (await a.access.doors.getCommand(commandId)).status;

  before(async () => {
    a = accessUnderTest(t().handle.db);
    siteId = (await a.facility.sites.create(ACTOR, { name: uniqueName('Hospital'), timeZone: 'Europe/London' })).id;
    zoneId = (await a.facility.zones.create(ACTOR, { siteId, name: 'Ward 7', type: 'clinical' })).id;
    towerA = await register('Tower A controller');
    towerB = await register('Tower B controller');
  });

  it('sends a door no agent is known to run to every agent; one without it cannot close it for the one that has it', async () => {
    const doorId = await door('Ward 7 entrance');
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Patient transfer');
    const waiting = await a.access.doors.waitForCommands(siteId, 0, 1000, undefined, towerB.agentId);
    assert.deepEqual(
      waiting.commands.map((c) => c.id),
      [unlock.id],
      'tower B is handed it',
    );

    await doorReport(towerB, doorId, unlock.id, 'unknown_door');
    assert.equal(await status(unlock.id), 'pending', 'tower A may still carry it out');
    assert.deepEqual(await handed(towerB), [], 'tower B, having answered, is not handed it again');
    assert.deepEqual(await handed(towerA), [unlock.id]);

    await doorReport(towerA, doorId, unlock.id, 'executed');
    const done = await a.access.doors.getCommand(unlock.id);
    assert.equal(done.status, 'executed');
    assert.deepEqual(await handed(towerA), []);
  });

  it('fails a command every agent it went to said it has no such door for, rather than leaving it pending', async () => {
    const doorId = await door('Store room');
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Delivery');
    await doorReport(towerA, doorId, unlock.id, 'unknown_door');
    assert.equal(await status(unlock.id), 'pending');
    await doorReport(towerB, doorId, unlock.id, 'unknown_door');
    assert.equal(await status(unlock.id), 'unknown_door');
    assert.deepEqual(await a.access.doors.pendingCommands(siteId), [], 'no agent is handed it any more');
  });

  it('fails it as well when the last two agents say so at once', async () => {
    const doorId = await door('Linen room');
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Linen delivery');
    await Promise.all([doorReport(towerA, doorId, unlock.id, 'unknown_door'), doorReport(towerB, doorId, unlock.id, 'unknown_door')]);
    assert.equal(await status(unlock.id), 'unknown_door');
  });

  it('does not wait for an agent revoked since the command went out', async () => {
    const spare = await register('Spare controller');
    const doorId = await door('Plant room');
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Boiler service');
    assert.deepEqual(await handed(spare), [unlock.id]);
    await a.access.agents.revoke(ACTOR, spare.agentId);
    await doorReport(towerA, doorId, unlock.id, 'unknown_door');
    await doorReport(towerB, doorId, unlock.id, 'unknown_door');
    assert.equal(await status(unlock.id), 'unknown_door');
  });

  it('sends a command for a door an agent reports in its heartbeat to that agent only', async () => {
    const doorId = await door('Theatre 2');
    await a.access.sync.heartbeat(towerA, health([doorId]));
    const unlock = await a.access.doors.unlock(ACTOR, doorId, undefined, 'Surgeon locked out');
    assert.deepEqual(await handed(towerB), []);
    const heartbeat = await a.access.sync.heartbeat(towerA, health([doorId]));
    assert.deepEqual(
      heartbeat.commands.map((c) => c.id),
      [unlock.id],
    );
    await doorReport(towerA, doorId, unlock.id, 'executed');
    assert.equal(await status(unlock.id), 'executed');

    // Its own agent saying it no longer has the door settles it: no other agent was asked.
    const lock = await a.access.doors.lock(ACTOR, doorId, 'End of list');
    await a.access.ingest.ingest(towerA, [
      report(towerA, 'door.command_executed', doorId, { commandId: lock.id, command: 'lock', outcome: 'unknown_door' }),
    ]);
    assert.equal(await status(lock.id), 'unknown_door');
  });

  it('sends a command for a door wired to a controller to the agent running that controller’s wiring', async () => {
    const controller = await a.facility.devices.register(ACTOR, {
      siteId,
      kind: 'controller',
      name: uniqueName('Tower B panel'),
      serialNumber: CONTROLLER_SERIAL,
    });
    const doorId = await door('Pharmacy vault', { controllerId: controller.id, lockOutput: 3 });
    await a.access.agents.runsController(towerB.agentId, CONTROLLER_SERIAL);
    assert.equal((await a.access.agents.get(towerB.agentId)).controllerSerial, CONTROLLER_SERIAL);
    const unlock = await a.access.doors.unlock(ACTOR, doorId, 3, 'Controlled drug delivery');
    assert.deepEqual(await handed(towerA), []);
    assert.deepEqual(await handed(towerB), [unlock.id]);
    await doorReport(towerB, doorId, unlock.id, 'executed');
    assert.equal(await status(unlock.id), 'executed');
  });

  it('treats output commands alike: unknown_output waits for the others, the agent with the output closes it', async () => {
    const output = await a.access.outputs.define(ACTOR, siteId, { name: uniqueName('Elevator hold'), point: 7 });
    const outputReport = (agent: EdgePrincipal, commandId: string, outcome: string) =>
      a.access.ingest.ingest(agent, [
        report(agent, 'output.command_executed', null, { commandId, outputId: output.id, action: 'on', pulseMs: null, outcome }),
      ]);
    const hold = await a.access.outputs.command(ACTOR, output.id, 'on', null, 'Code Pink');
    await outputReport(towerA, hold.id, 'unknown_output');
    assert.equal((await a.access.outputs.getCommand(hold.id)).status, 'pending');
    assert.deepEqual(await handed(towerA), [], 'tower A is not handed it again');
    assert.deepEqual(await handed(towerB), [hold.id]);
    await outputReport(towerB, hold.id, 'failed');
    assert.equal((await a.access.outputs.getCommand(hold.id)).status, 'failed', 'the agent with the output reported its fault');

    const release = await a.access.outputs.command(ACTOR, output.id, 'off', null, 'Code Pink cleared');
    await outputReport(towerB, release.id, 'unknown_output');
    await outputReport(towerA, release.id, 'unknown_output');
    assert.equal((await a.access.outputs.getCommand(release.id)).status, 'unknown_output');
  });
});

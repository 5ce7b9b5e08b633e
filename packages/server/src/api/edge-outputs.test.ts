/**
 * Auxiliary outputs end to end, with a real edge agent: a Code Pink plan holds the elevators
 * through a named controller output while it runs and releases them when cleared, journaling how
 * long the controller took; its drill goes through the same steps and records the same timings
 * without touching the output. An operator can pulse a reader's output (osdp_OUT with the PD's own
 * timer); the command is journaled and needs `doors.control`, and one the reader refuses is
 * reported failed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EdgeAgent, SimulatedIo, parseAgentConfig } from '@vigil/edge';
import { agentConfig, createWorld, eventually, harnessOf, ReaderEmulator, registerAgent, type EdgeWorld } from './edge-harness.js';
import { createSignedInOperator, type TestOperator } from './test-harness.js';

type Json = Record<string, unknown>;
const ELEVATOR_POINT = 7;

describe('auxiliary outputs through the edge agent', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let reader: ReaderEmulator;
  let agent: EdgeAgent;
  let manager: TestOperator;
  let operator: TestOperator;
  let frontDesk: TestOperator;
  let elevatorHold: string;
  let codePink: string;
  const io = new SimulatedIo();

  const call = async (method: 'GET' | 'POST', url: string, who: TestOperator, payload?: Json) => {
    const response = await world.app.api.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? JSON.parse(response.body) : {}) as Json };
  };
  const driven = async (activationId: string) =>
    (await world.app.handle.db.selectFrom('journal_events').select('data').where('type', '=', 'emergency.output_driven').execute())
      .map((row) => JSON.parse(row.data) as Json)
      .filter((data) => data['activationId'] === activationId);
  const outputRequests = async () =>
    (await world.app.handle.db.selectFrom('journal_events').select('id').where('type', '=', 'output.command_requested').execute()).length;
  const startPlan = async (drill: boolean) => {
    const started = await call('POST', `/api/emergency/plans/${codePink}/start`, operator, { drill });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    return String(started.body['id']);
  };
  const clearPlan = async (activationId: string) => {
    const cleared = await call('POST', `/api/emergency/activations/${activationId}/clear`, operator, { reason: 'Infant found' });
    assert.equal(cleared.body['state'], 'cleared', JSON.stringify(cleared.body));
  };

  before(async () => {
    world = await createWorld([]);
    reader = await ReaderEmulator.listen();
    const harness = harnessOf(world);
    manager = await createSignedInOperator(harness, 'soc-manager', [{ role: 'security-manager', site: world.siteId }]);
    operator = await createSignedInOperator(harness, 'soc-operator', [{ role: 'operator', site: world.siteId }]);
    frontDesk = await createSignedInOperator(harness, 'lobby', [{ role: 'front-desk', site: world.siteId }]);
    agent = new EdgeAgent({ config: parseAgentConfig(agentConfig(world, path.join(world.dir, 'agent'), reader)), io });
    await registerAgent(world, agent.key.publicKeyPem);
    await agent.start();
    await eventually('the agent reported in', async () =>
      (await world.app.access.agents.list([world.siteId], { limit: 10 })).items.some((a) => a.lastSeenAt),
    );

    const output = await call('POST', `/api/sites/${world.siteId}/outputs`, manager, {
      name: 'Elevator hold, Tower B',
      point: ELEVATOR_POINT,
    });
    assert.equal(output.status, 201, JSON.stringify(output.body));
    elevatorHold = String(output.body['id']);
    const plan = await call('POST', '/api/emergency/plans', manager, {
      siteId: world.siteId,
      name: 'Code Pink, maternity',
      kind: 'code_pink',
      outputs: [{ outputId: elevatorHold, label: 'Hold elevators' }],
    });
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    codePink = String(plan.body['id']);
  });
  after(async () => {
    await agent?.stop();
    await reader.close();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('a drill simulates the elevator hold and records its timing, without touching the output', async () => {
    const requestsBefore = await outputRequests();
    const drill = await startPlan(true);
    await eventually('the drill recorded the output', async () => (await driven(drill)).length === 1);
    await clearPlan(drill);
    await eventually('the drill recorded the release', async () => (await driven(drill)).length === 2);

    const [on, off] = await driven(drill);
    assert.deepEqual([on!['active'], on!['drill'], off!['active'], off!['drill']], [true, true, false, true]);
    assert.equal(typeof on!['seconds'], 'number');
    assert.equal(on!['error'], null);
    assert.equal(await outputRequests(), requestsBefore, 'no command went to the controller');
    assert.ok(!io.lockHistory.some((change) => change.point === ELEVATOR_POINT), 'the relay never moved');
  });

  it('Code Pink holds the elevators through the output while it runs and releases them when cleared', async () => {
    const pink = await startPlan(false);
    await eventually('the elevator hold is on', () => io.isReleased(ELEVATOR_POINT));
    await eventually('the plan recorded the confirmed hold', async () => (await driven(pink)).length === 1);
    const [on] = await driven(pink);
    assert.equal(on!['active'], true);
    assert.equal(on!['drill'], false);
    assert.notEqual(on!['confirmedAt'], null, JSON.stringify(on));

    await clearPlan(pink);
    await eventually('the elevator hold is released', () => !io.isReleased(ELEVATOR_POINT));
    await eventually('the plan recorded the release', async () => (await driven(pink)).length === 2);
    const executed = await world.app.handle.db
      .selectFrom('access_output_commands')
      .select(['action', 'status', 'requested_by'])
      .where('output_id', '=', elevatorHold)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      executed.map((c) => [c.action, c.status, c.requested_by]),
      [
        ['on', 'executed', `plan:${pink}`],
        ['off', 'executed', `plan:${pink}`],
      ],
    );
  });

  it('lets an operator pulse a reader output, journaled and confirmed, and refuses one without door control', async () => {
    const defined = await call('POST', `/api/sites/${world.siteId}/outputs`, manager, {
      name: 'Lobby sounder',
      reader: 'ward-in',
      point: 0,
    });
    assert.equal(defined.status, 201, JSON.stringify(defined.body));
    const sounder = String(defined.body['id']);
    const duplicate = await call('POST', `/api/sites/${world.siteId}/outputs`, manager, { name: 'Lobby sounder', point: 3 });
    assert.equal(duplicate.body['code'], 'output_control.name_taken');
    // A door's lock output belongs to door control: naming it an output would let it lock the door
    // past the fire-egress checks.
    const controller = await world.app.facility.devices.register('test', {
      siteId: world.siteId,
      kind: 'controller',
      name: 'Ward controller',
      serialNumber: 'WARD-CTRL-1',
    });
    const stores = await world.app.facility.zones.create('test', { siteId: world.siteId, name: 'Stores', type: 'clinical' });
    await world.app.facility.doors.create('test', {
      siteId: world.siteId,
      name: 'Ward 3 stores',
      toZoneId: stores.id,
      controllerId: controller.id,
      lockOutput: 6,
    });
    const lockPoint = await call('POST', `/api/sites/${world.siteId}/outputs`, manager, { name: 'Not a sounder', point: 6 });
    assert.equal(lockPoint.body['code'], 'output_control.point_is_door_lock', JSON.stringify(lockPoint.body));

    const refused = await call('POST', `/api/outputs/${sounder}/command`, frontDesk, {
      action: 'pulse',
      pulseMs: 1500,
      reason: 'Test the sounder',
    });
    assert.equal(refused.status, 403);
    const noDuration = await call('POST', `/api/outputs/${sounder}/command`, operator, { action: 'pulse', reason: 'Test the sounder' });
    assert.equal(noDuration.body['code'], 'output_control.pulse_needs_duration');

    const queued = await call('POST', `/api/outputs/${sounder}/command`, operator, {
      action: 'pulse',
      pulseMs: 1500,
      reason: 'Test the sounder',
    });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    const pulses = () =>
      reader.commands.filter((c) => c.type === 'out' && c.outputs.some((o) => o.output === 0 && o.controlCode === 5 && o.timer === 15));
    await eventually('the reader was told to pulse its output for 1.5 s', () => pulses().length === 1);
    await eventually('the command is reported done', async () => {
      const command = await call('GET', `/api/output-commands/${String(queued.body['id'])}`, operator);
      return command.body['status'] === 'executed';
    });
    const requested = await world.app.handle.db
      .selectFrom('journal_events')
      .select(['source', 'data'])
      .where('type', '=', 'output.command_requested')
      .where('correlation_id', '=', String(queued.body['id']))
      .executeTakeFirstOrThrow();
    assert.match(requested.source, /^operator:/);
    assert.equal((JSON.parse(requested.data) as Json)['reason'], 'Test the sounder');
  });

  it('reports an output the reader refuses as failed, with the reader’s answer', async () => {
    const defined = await call('POST', `/api/sites/${world.siteId}/outputs`, manager, {
      name: 'Miswired relay',
      reader: 'ward-in',
      point: 2,
    });
    const queued = await call('POST', `/api/outputs/${String(defined.body['id'])}/command`, operator, {
      action: 'on',
      reason: 'Commissioning',
    });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    await eventually('the command is reported failed', async () => {
      const command = await call('GET', `/api/output-commands/${String(queued.body['id'])}`, operator);
      return command.body['status'] === 'failed';
    });
    const executed = await world.app.handle.db
      .selectFrom('journal_events')
      .select('data')
      .where('type', '=', 'output.command_executed')
      .where('correlation_id', '=', String(queued.body['id']))
      .executeTakeFirstOrThrow();
    assert.match(String((JSON.parse(executed.data) as Json)['error']), /NAK/);
  });
});

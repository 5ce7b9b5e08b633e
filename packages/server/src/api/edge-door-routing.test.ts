// Door commands on a site with two door controllers, end to end: the real server and two real
// agents. Tower A runs the ward door from its own file; tower B runs the doors the facility wires
// to its controller. An unlock for a door the server cannot place reaches both: tower B answers
// first that it has no such door, and the command waits for tower A, which carries it out once its
// uplink is back. Once placed (tower A's heartbeat, tower B's wiring), a door's commands go to its
// own controller only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EdgeAgent, SimulatedIo, WiredAgent, loadOrCreateAgentKey, parseAgentConfig } from '@vigil/edge';
import { createWorld, eventually, harnessOf, journaled, registerAgent, TcpGate, type EdgeWorld } from './edge-harness.js';
import { createSignedInOperator, type TestOperator } from './test-harness.js';

const ACTOR = 'system:test';
const TOWER_B_SERIAL = 'VIGIL-TWR-B-0001';
const WARD_LOCK = 0;
const PHARMACY_LOCK = 4;

describe('door commands on a site with two door controllers', { timeout: 120_000 }, () => {
  let world: EdgeWorld;
  let gate: TcpGate;
  let towerA: EdgeAgent;
  let towerB: WiredAgent;
  let towerAId: string;
  let towerBId: string;
  let pharmacyDoor: string;
  let operator: TestOperator;
  const ioA = new SimulatedIo();
  const ioB = new SimulatedIo();

  const unlock = async (doorId: string, reason: string): Promise<string> => {
    const response = await world.app.api.inject({
      method: 'POST',
      url: `/api/doors/${doorId}/unlock`,
      headers: { cookie: operator.cookie },
      payload: { seconds: 5, reason },
    });
    assert.equal(response.statusCode, 202, response.body);
    return response.json<{ id: string }>().id;
  };
  const status = async (commandId: string) =>
    (await world.app.api.inject({ method: 'GET', url: `/api/door-commands/${commandId}`, headers: { cookie: operator.cookie } })).json<{
      status: string;
    }>().status;
  /** The agents' reports on a command, as the journal has them: [reporting agent's source, outcome]. */
  const reports = async (commandId: string) =>
    (
      await world.app.handle.db
        .selectFrom('journal_events')
        .select(['source', 'data'])
        .where('type', '=', 'door.command_executed')
        .execute()
    )
      .map((row) => ({ source: row.source, data: JSON.parse(row.data) as { commandId: string; outcome: string } }))
      .filter((row) => row.data.commandId === commandId)
      .map((row) => [row.source, row.data.outcome]);
  const sourceOf = async (agentId: string) => `edge:${(await world.app.access.agents.get(agentId)).keyId}`;
  const server = (url: string) => ({
    url,
    snapshotPublicKey: world.app.access.snapshotPublicKeyPem,
    heartbeatSeconds: 0.2,
    retryMaxSeconds: 0.5,
    commandWaitSeconds: 2,
  });

  before(async () => {
    world = await createWorld([]);
    operator = await createSignedInOperator(harnessOf(world), 'soc-operator', [{ role: 'operator', site: world.siteId }]);
    const ward = await world.app.facility.doors.get(world.doorId);
    const panel = await world.app.facility.devices.register(ACTOR, {
      siteId: world.siteId,
      kind: 'controller',
      name: 'Tower B door panel',
      serialNumber: TOWER_B_SERIAL,
    });
    pharmacyDoor = (
      await world.app.facility.doors.create(ACTOR, {
        siteId: world.siteId,
        name: 'Pharmacy vault',
        toZoneId: ward.toZoneId!,
        controllerId: panel.id,
        lockOutput: PHARMACY_LOCK,
      })
    ).id;

    // Tower A's uplink starts cut: the server has never heard which doors it runs.
    gate = await TcpGate.open(world.url);
    gate.close();
    const dirA = path.join(world.dir, 'tower-a');
    towerA = new EdgeAgent({
      config: parseAgentConfig({
        siteId: world.siteId,
        dataDir: dirA,
        server: server(gate.url),
        doors: [{ id: world.doorId, lock: { kind: 'simulated', point: WARD_LOCK } }],
      }),
      io: ioA,
    });
    towerAId = await registerAgent(world, towerA.key.publicKeyPem);
    await towerA.start();

    const dirB = path.join(world.dir, 'tower-b');
    fs.mkdirSync(dirB, { recursive: true });
    towerBId = await registerAgent(world, loadOrCreateAgentKey(path.join(dirB, 'agent.key')).publicKeyPem);
    towerB = new WiredAgent({
      config: parseAgentConfig({
        siteId: world.siteId,
        dataDir: dirB,
        server: server(world.url),
        wiring: { controllerSerial: TOWER_B_SERIAL, pollSeconds: 0.2 },
      }),
      io: ioB,
    });
    await towerB.start();
    await eventually('tower B runs the pharmacy door from its wiring', () => towerB.agent.doors.has(pharmacyDoor));
  });
  after(async () => {
    await towerA?.stop();
    await towerB?.stop();
    await gate?.stop();
    await world.app.stop();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });

  it('keeps an unlock tower B does not have the door for, until tower A carries it out', async () => {
    const commandId = await unlock(world.doorId, 'Patient transfer to theatre');
    const towerBSource = await sourceOf(towerBId);
    await eventually('tower B answered', async () => (await reports(commandId)).length > 0);
    assert.deepEqual(await reports(commandId), [[towerBSource, 'unknown_door']]);
    assert.equal(await status(commandId), 'pending', 'tower A may still carry it out');

    gate.reopen();
    await eventually('tower A released the ward door', () => ioA.isReleased(WARD_LOCK));
    await eventually('command reported executed', async () => (await status(commandId)) === 'executed');
    assert.deepEqual(await reports(commandId), [
      [towerBSource, 'unknown_door'],
      [await sourceOf(towerAId), 'executed'],
    ]);
  });

  it('sends the commands of a door to the controller running it once the server knows which', async () => {
    assert.equal((await world.app.access.agents.get(towerBId)).controllerSerial, TOWER_B_SERIAL, 'tower B runs its panel’s wiring');
    await eventually(
      'tower A reported the ward door',
      async () => (await world.app.access.doors.doorState(world.doorId)).agentId === towerAId,
    );

    for (const [doorId, runs, other, io, lock] of [
      [world.doorId, towerAId, towerBId, ioA, WARD_LOCK],
      [pharmacyDoor, towerBId, towerAId, ioB, PHARMACY_LOCK],
    ] as const) {
      await eventually('the door is locked again', () => !io.isReleased(lock));
      const commandId = await unlock(doorId, 'Controlled drug delivery');
      const handed = async (agentId: string) => (await world.app.access.doors.pendingCommands(world.siteId, agentId)).map((c) => c.id);
      assert.deepEqual(await handed(other), [], 'the other controller is not handed it');
      await eventually('the door’s controller released it', () => io.isReleased(lock));
      await eventually('command reported executed', async () => (await status(commandId)) === 'executed');
      assert.deepEqual(await reports(commandId), [[await sourceOf(runs), 'executed']]);
    }
    const journal = await journaled(world.app, 'door.command_executed');
    assert.equal(
      journal.filter((e) => e.data.includes('unknown_door')).length,
      1,
      'only the first unlock went to a controller without the door',
    );
  });
});

// The embedded tier end to end: a server started with a door controller agent inside it, on a
// TCP OSDP bus to PD emulators (two readers and an I/O module on one line). Doors are created
// through the API with their wiring; the agent takes them from the facility, grants a card,
// drives the lock output on the I/O module and delivers the decision to the journal; an unlock
// time changed through the API reaches it; wiring that cannot work is refused with its code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerClient, WiredAgent, isWiring } from '@vigil/edge';
import { Peripheral, type Command, type TcpServerTransport } from '@vigil/osdp';
import { createApp, type App } from '../app.js';
import { FACILITY_CODE, ReaderEmulator, eventually, journaled } from './edge-harness.js';
import { TEST_PASSWORD_COST, TestClock, createSignedInOperator, problemOf, type TestOperator } from './test-harness.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';

const ACTOR = 'system:test';
const CONTROLLER_SERIAL = 'VIGIL-EMB-0001';
const GREEN = 2;
const LOCK_OUTPUT = 2;

/** An OSDP I/O module on the same line as the readers: four relays, four contacts. */
function ioModule(transport: TcpServerTransport) {
  const pd = new Peripheral({
    address: 5,
    identity: { vendorCode: 0x0a0017, model: 9, version: 1, serialNumber: 5005, firmware: { major: 1, minor: 0, build: 0 } },
    outputs: [0, 0, 0, 0],
    inputs: [0, 0, 0, 0],
  });
  const commands: Command[] = [];
  pd.attach(transport);
  pd.on('command', (command) => commands.push(command));
  return { pd, commands };
}

describe('embedded door controller', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-edge-embedded-'));
  const clock = new TestClock(new Date().toISOString());
  let app: App;
  let reader: ReaderEmulator;
  let io: ReturnType<typeof ioModule>;
  let admin: TestOperator;
  let siteId: string;
  let zoneId: string;
  let readerIds: string[];
  let doorId: string;
  let personId: string;

  const start = async (settings: Record<string, unknown>) => {
    const config = loadConfig({}, { dataDir: dir, http: { port: 0 }, edge: { embedded: settings } });
    app = await createApp(config, { logger: createLogger('silent'), passwordCost: TEST_PASSWORD_COST, clock: clock.now });
    await app.start();
  };
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.api.inject({ method, url, headers: { cookie: admin.cookie }, ...(payload ? { payload } : {}) });
  const runner = () => app.edge!.runner;

  before(async () => {
    reader = await ReaderEmulator.listen();
    io = ioModule(reader.transport);
    // The site, its people and the controller's devices exist before the embedded tier is configured for it.
    await start({});
    const site = await app.facility.sites.create(ACTOR, { name: 'St Elsewhere', timeZone: 'Europe/Zurich' });
    siteId = site.id;
    zoneId = (await app.facility.zones.create(ACTOR, { siteId, name: 'Pharmacy', type: 'clinical' })).id;
    await app.facility.devices.register(ACTOR, {
      siteId,
      kind: 'edge_agent',
      name: 'Server door controller',
      serialNumber: CONTROLLER_SERIAL,
    });
    readerIds = [];
    for (const serial of ['RDR-4242', 'RDR-4243']) {
      readerIds.push((await app.facility.devices.register(ACTOR, { siteId, kind: 'reader', name: serial, serialNumber: serial })).id);
    }
    const person = await app.people.persons.create({ kind: 'staff', givenName: 'Ada', familyName: 'Pharmacist', sites: [siteId] }, ACTOR);
    personId = person.id;
    await app.people.credentials.issueCard(person.id, { format: 'H10301', facilityCode: FACILITY_CODE, cardNumber: 1001 }, ACTOR);
    await app.stop();
    await start({
      enabled: true,
      siteId,
      controllerSerial: CONTROLLER_SERIAL,
      buses: `main=tcp:127.0.0.1:${reader.port}`,
      io: 'osdp:main/5',
      heartbeatSeconds: 0.2,
      wiringPollSeconds: 0.2,
    });
    admin = await createSignedInOperator({ app, clock, dir, close: () => app.stop() }, 'site-admin', [{ role: 'admin', site: siteId }]);
  });
  after(async () => {
    await app.stop();
    await reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers its own key for the site, like any agent', async () => {
    const listed = await api('GET', `/api/edge/agents?siteId=${siteId}`);
    assert.equal(listed.statusCode, 200, listed.body);
    const agents = listed.json<{ items: { keyId: string; name: string; status: string }[] }>().items;
    assert.deepEqual(
      agents.map((a) => [a.keyId, a.status]),
      [[runner().agent.key.keyId, 'active']],
    );
    const [registered] = await app.handle.db
      .selectFrom('journal_events')
      .select(['source'])
      .where('type', '=', 'edge_agent.registered')
      .execute();
    assert.equal(registered?.source, 'system:edge-embedded');
  });

  it('takes a door wired through the API, grants a card at it, fires the lock output and journals the grant', async () => {
    const created = await api('POST', '/api/doors', {
      siteId,
      name: 'Pharmacy store',
      toZoneId: zoneId,
      controllerId: (await app.facility.devices.find({ serialNumber: CONTROLLER_SERIAL })).id,
      entryReaderId: readerIds[0],
      osdpBus: 'main',
      entryReaderAddress: 1,
      lockOutput: LOCK_OUTPUT,
      doorPositionInput: 0,
      unlockSeconds: 2,
    });
    assert.equal(created.statusCode, 201, created.body);
    doorId = created.json<{ id: string }>().id;
    const schedule = await app.access.schedules.create(ACTOR, {
      siteId,
      name: 'Always',
      intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }],
    });
    const group = await app.access.groups.create(ACTOR, { siteId, name: 'Pharmacy staff', doors: [{ doorId, scheduleId: schedule.id }] });
    await app.access.groups.setPersonAccess(ACTOR, personId, { groupIds: [group.id], privileges: [] });

    await eventually('door wired into the agent', () => runner().agent.doors.has(doorId));
    await eventually(
      'reader and I/O module online',
      () => runner().agent.readers.isOnline('main/1') && runner().agent.readers.isOnline('main/5'),
    );
    await eventually('snapshot with the grant loaded', () => runner().agent.policy.snapshot?.doorIndex.has(doorId) === true);
    const greens = reader.leds(GREEN);
    reader.present(1001);
    await eventually('card granted', () => reader.leds(GREEN) > greens);
    await eventually('lock output fired on the I/O module', () => io.pd.outputs[LOCK_OUTPUT] === 1);
    const out = io.commands.find((c) => c.type === 'out');
    assert.equal(out?.type === 'out' && out.outputs[0]?.output, LOCK_OUTPUT);
    await eventually('grant journaled', async () => (await journaled(app, 'access.granted')).length === 1);
    const [granted] = await journaled(app, 'access.granted');
    assert.equal(granted!.subject, personId);
  });

  it('applies an unlock time changed through the API', async () => {
    // The snapshot notices a change by the rows' update instants; the test clock stands still otherwise.
    clock.advance(1000);
    const changed = await api('PATCH', `/api/doors/${doorId}`, { unlockSeconds: 7 });
    assert.equal(changed.statusCode, 200, changed.body);
    await eventually('wiring carries the new time', () => runner().agent.doors.get(doorId)?.config.unlockSeconds === 7);
    await eventually('snapshot carries the new time', () => runner().agent.policy.releaseMs(doorId) === 7000);
  });

  it('refuses wiring that cannot work, with its code', async () => {
    const controllerId = (await app.facility.devices.find({ serialNumber: CONTROLLER_SERIAL })).id;
    const door = (name: string, extra: object) => api('POST', '/api/doors', { siteId, name, toZoneId: zoneId, controllerId, ...extra });

    const sameAddress = await door('Pharmacy office', { osdpBus: 'main', entryReaderAddress: 1, lockOutput: 3 });
    assert.equal(sameAddress.statusCode, 409, sameAddress.body);
    assert.equal(problemOf(sameAddress.body).code, 'facility.reader_address_in_use');
    const noLock = await door('Pharmacy office', { osdpBus: 'main', entryReaderAddress: 2 });
    assert.equal(noLock.statusCode, 400, noLock.body);
    assert.equal(problemOf(noLock.body).code, 'facility.door_wiring_invalid');
    const sameOutput = await door('Pharmacy office', { osdpBus: 'main', entryReaderAddress: 2, lockOutput: LOCK_OUTPUT });
    assert.equal(sameOutput.statusCode, 409, sameOutput.body);
    assert.equal(problemOf(sameOutput.body).code, 'facility.controller_point_in_use');

    // Bus names belong to the box, so only the agent can tell that this one does not exist.
    const before = runner().wiringVersion;
    const unknownBus = await door('Pharmacy office', {
      osdpBus: 'west',
      entryReaderAddress: 2,
      entryReaderId: readerIds[1],
      lockOutput: 3,
    });
    assert.equal(unknownBus.statusCode, 201, unknownBus.body);
    await eventually('wiring refused', () => runner().refusedWiring?.code === 'agent.wiring_bus_unknown');
    assert.equal(runner().wiringVersion, before, 'the last good wiring stays');
    assert.ok(runner().agent.health.has('wiring_rejected'));
    assert.equal(runner().agent.doors.size, 1);

    const office = unknownBus.json<{ id: string }>().id;
    const fixed = await api('PATCH', `/api/doors/${office}`, { osdpBus: 'main' });
    assert.equal(fixed.statusCode, 200, fixed.body);
    await eventually('fixed wiring applied', () => runner().agent.doors.has(office));
    assert.equal(runner().refusedWiring, null);
    assert.equal(runner().agent.doors.get(office)?.config.entryReader, 'main/2');
  });

  it('gives an agent only the wiring of controllers on its own site', async () => {
    const other = await app.facility.sites.create(ACTOR, { name: 'Other hospital', timeZone: 'Europe/Zurich' });
    await app.facility.devices.register(ACTOR, { siteId: other.id, kind: 'edge_agent', name: 'Other box', serialNumber: 'OTHER-BOX' });
    const { port } = app.api.server.address() as { port: number };
    const key = runner().agent.key;
    // Over the network, as an agent on its own box would ask.
    const client = new ServerClient({ url: `http://127.0.0.1:${port}`, privateKey: key.privateKey, keyId: key.keyId, timeoutMs: 5000 });
    const own = await client.wiring(CONTROLLER_SERIAL);
    assert.ok(isWiring(own));
    assert.equal(own.version, runner().wiringVersion);
    await assert.rejects(
      client.wiring('OTHER-BOX'),
      (error: { details?: { code?: string } }) => error.details?.code === 'facility.device_not_found',
    );
    const anonymous = await app.api.inject({ method: 'GET', url: `/api/edge/wiring?controllerSerial=${CONTROLLER_SERIAL}` });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
  });

  it('starts on its last good wiring without the server', async () => {
    const config = app.edge!.config;
    const version = runner().wiringVersion;
    const doors = [...runner().agent.doors.keys()].sort();
    await app.stop();
    const offline = new WiredAgent({ config, offline: true });
    await offline.start();
    try {
      assert.equal(offline.wiringVersion, version);
      assert.deepEqual([...offline.agent.doors.keys()].sort(), doors);
    } finally {
      await offline.stop();
      await start({});
    }
  });
});

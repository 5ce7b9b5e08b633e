/**
 * Set-up for the edge agent end-to-end tests: the real server (createApp on a fresh SQLite data
 * directory, listening on loopback) with a site, a door, an access group and card holders created
 * through the facility, people and access services; PD emulators for the agent's readers; and
 * agent configurations pointing at both.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encodeWiegand } from '@vigil/core';
import { Peripheral, TcpServerTransport, fromHex, type Command } from '@vigil/osdp';
import { sql } from 'kysely';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { TEST_PASSWORD_COST, TestClock, type Harness } from './test-harness.js';

const ACTOR = 'system:test';
export const FACILITY_CODE = 42;

export interface EdgeWorld {
  readonly dir: string;
  /** The server's clock: starts at the real time (agents run on it), moved on by MFA sign-ins. */
  readonly clock: TestClock;
  app: App;
  url: string;
  readonly siteId: string;
  readonly doorId: string;
  readonly groupId: string;
  /** Card number → person id, for the holders created. */
  readonly holders: Map<number, string>;
}

/** Starts (or, with `dir`, restarts on the same data) the server listening on `port` (0: any). */
export async function startServer(dir: string, clock: TestClock, port = 0): Promise<{ app: App; url: string }> {
  const config = loadConfig({}, { dataDir: dir });
  const app = await createApp(config, { logger: createLogger('silent'), passwordCost: TEST_PASSWORD_COST, clock: clock.now });
  await app.api.ready();
  const url = await app.api.listen({ host: '127.0.0.1', port });
  return { app, url };
}

export async function createWorld(cardNumbers: readonly number[]): Promise<EdgeWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-edge-e2e-'));
  const clock = new TestClock(new Date().toISOString());
  const { app, url } = await startServer(dir, clock);
  const site = await app.facility.sites.create(ACTOR, { name: 'St Elsewhere', timeZone: 'Europe/Zurich' });
  const zone = await app.facility.zones.create(ACTOR, { siteId: site.id, name: 'Ward 3', type: 'clinical' });
  const door = await app.facility.doors.create(ACTOR, {
    siteId: site.id,
    name: 'Ward 3 entrance',
    toZoneId: zone.id,
    unlockSeconds: 1,
    heldOpenSeconds: 5,
  });
  const always = await app.access.schedules.create(ACTOR, {
    siteId: site.id,
    name: 'Always',
    intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }],
  });
  const group = await app.access.groups.create(ACTOR, {
    siteId: site.id,
    name: 'Ward staff',
    doors: [{ doorId: door.id, scheduleId: always.id }],
  });
  const holders = new Map<number, string>();
  for (const cardNumber of cardNumbers) {
    const person = await app.people.persons.create(
      { kind: 'staff', givenName: 'Holder', familyName: `No${cardNumber}`, sites: [site.id] },
      ACTOR,
    );
    await app.people.credentials.issueCard(person.id, { format: 'H10301', facilityCode: FACILITY_CODE, cardNumber }, ACTOR);
    await app.access.groups.setPersonAccess(ACTOR, person.id, { groupIds: [group.id], privileges: [] });
    holders.set(cardNumber, person.id);
  }
  return { dir, clock, app, url, siteId: site.id, doorId: door.id, groupId: group.id, holders };
}

/** The world as the API test harness sees it, for real operator sign-in. */
export function harnessOf(world: EdgeWorld): Harness {
  return { app: world.app, clock: world.clock, dir: world.dir, close: () => world.app.stop() };
}

export async function registerAgent(world: EdgeWorld, publicKeyPem: string): Promise<string> {
  const agent = await world.app.access.agents.register(ACTOR, { siteId: world.siteId, name: 'Ward 3 controller', publicKey: publicKeyPem });
  return agent.id;
}

/** The edge events the server journaled, in journal order. */
export async function journaled(
  app: App,
  type?: string,
): Promise<{ id: string; type: string; at: string; subject: string | null; data: string }[]> {
  let query = app.handle.db
    .selectFrom('journal_events')
    .select(['id', 'type', 'at', 'subject', 'data'])
    .where('source', 'like', 'edge:%')
    .orderBy('seq');
  if (type) query = query.where('type', '=', type);
  return query.execute();
}

export async function journalIdCount(app: App): Promise<{ rows: number; distinct: number }> {
  const row = await sql<{ rows: number; ids: number }>`select count(*) as rows, count(distinct id) as ids from journal_events`.execute(
    app.handle.db,
  );
  return { rows: Number(row.rows[0]!.rows), distinct: Number(row.rows[0]!.ids) };
}

/** A reader on a loopback port, counting the grant (green) and refusal (red) LEDs it was sent. */
export class ReaderEmulator {
  readonly pd: Peripheral;
  readonly commands: Command[] = [];
  private constructor(readonly transport: TcpServerTransport) {
    this.pd = new Peripheral({
      address: 1,
      identity: { vendorCode: 0x0a0017, model: 1, version: 1, serialNumber: 4242, firmware: { major: 1, minor: 0, build: 0 } },
    });
    this.pd.attach(transport);
    this.pd.on('command', (command) => this.commands.push(command));
  }

  static async listen(): Promise<ReaderEmulator> {
    const transport = new TcpServerTransport({ host: '127.0.0.1', port: 0 });
    await transport.open();
    return new ReaderEmulator(transport);
  }

  get port(): number {
    return this.transport.port;
  }

  present(cardNumber: number): void {
    const encoded = encodeWiegand('H10301', { facilityCode: FACILITY_CODE, cardNumber });
    this.pd.presentCard({ bitCount: encoded.bitCount, data: fromHex(encoded.hex) });
  }

  leds(color: number): number {
    return this.commands.filter(
      (c) => c.type === 'led' && c.leds.some((l) => l.temporary.controlCode === 2 && l.temporary.onColor === color),
    ).length;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

export function agentConfig(world: EdgeWorld, dataDir: string, reader: ReaderEmulator, server: Record<string, unknown> = {}) {
  return {
    siteId: world.siteId,
    dataDir,
    server: {
      url: world.url,
      snapshotPublicKey: world.app.access.snapshotPublicKeyPem,
      heartbeatSeconds: 0.2,
      retryMaxSeconds: 0.5,
      commandWaitSeconds: 2,
      ...server,
    },
    osdp: { pollIntervalMs: 5, replyTimeoutMs: 100, offlineRetryMs: 100 },
    readers: [{ name: 'ward-in', bus: { kind: 'tcp', host: '127.0.0.1', port: reader.port }, address: 1, serialNumber: 'RDR-4242' }],
    doors: [
      { id: world.doorId, entryReader: 'ward-in', lock: { kind: 'simulated', point: 0 }, doorPosition: { kind: 'simulated', point: 1 } },
    ],
  };
}

/**
 * A TCP forwarder in front of the server that a test can shut (every connection refused and the
 * open ones cut, as when the site's uplink fails) and open again.
 */
export class TcpGate {
  private readonly sockets = new Set<net.Socket>();
  private shut = false;
  private constructor(private readonly server: net.Server) {}

  static async open(target: string): Promise<TcpGate> {
    const { hostname, port } = new URL(target);
    const holder: { gate?: TcpGate } = {};
    const server = net.createServer((socket) => {
      const gate = holder.gate!;
      if (gate.shut) return socket.destroy();
      const upstream = net.connect({ host: hostname, port: Number(port) });
      for (const s of [socket, upstream]) {
        gate.sockets.add(s);
        s.on('close', () => gate.sockets.delete(s));
        s.on('error', () => undefined);
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    });
    const gate = new TcpGate(server);
    holder.gate = gate;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  close(): void {
    this.shut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  reopen(): void {
    this.shut = false;
  }

  stop(): Promise<void> {
    this.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

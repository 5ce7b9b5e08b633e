/**
 * Test support: the alarms and automation modules on a suite database with a real journal, the
 * in-process bus and the real facility service, and a simulated door controller implementing the
 * door-control port (modes per door, confirmation delay, doors that fail or never answer) — or, for
 * tests of what door control itself enforces, the real access module with a simulated edge agent.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { EventCatalogue, newId, type DoorMode, type VigilEvent } from '@vigil/core';
import type { Controls, EdgeEvent } from '@vigil/edge';
import type { Kysely } from 'kysely';
import { mqttDeviceEvents } from '../../adapters/mqtt/index.js';
import { InProcessBus } from '../../bus/index.js';
import { createLogger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
import { accessEvents, createAccessModule, EdgePrincipal, type AccessModule, type DoorScope } from '../access/index.js';
import { alarmEvents, createAlarms, type AlarmsModule } from '../alarms/index.js';
import { Journal, searchJournal, type RecordEvents } from '../audit/index.js';
import { FacilityService, facilityEvents } from '../facility/index.js';
import { SecretBox } from '../identity/index.js';
import {
  AccessDoorCommands,
  automationEvents,
  createAutomation,
  createNotifications,
  type Automation,
  type DoorCommandOptions,
  type DoorCommandReceipt,
  type DoorCommands,
  type DoorStates,
} from './index.js';

/** Resolves with the probe's first truthy answer, asking every 10 ms; fails after about five seconds. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

export class SimulatedDoors implements DoorCommands {
  readonly emits = ['door.mode_changed'];
  readonly modes = new Map<string, DoorMode>();
  readonly commands: { doorId: string; mode: DoorMode; actor: string; simulated: boolean }[] = [];
  readonly outputs: { outputId: string; active: boolean; simulated: boolean }[] = [];
  /** Doors whose controller rejects every command. */
  readonly failing = new Set<string>();
  /** Doors whose controller never answers (the command times out). */
  readonly hanging = new Set<string>();

  constructor(private readonly clock: () => Date) {}

  async setMode(
    doorId: string,
    mode: DoorMode,
    _reason: string,
    actor: string,
    options: DoorCommandOptions = {},
  ): Promise<DoorCommandReceipt> {
    const simulated = options.simulate === true;
    this.commands.push({ doorId, mode, actor, simulated });
    await new Promise((resolve) => setImmediate(resolve));
    if (this.hanging.has(doorId)) {
      await new Promise((_resolve, reject) => {
        const fail = () => reject(new Error('door controller did not answer'));
        if (options.signal?.aborted) fail();
        options.signal?.addEventListener('abort', fail, { once: true });
      });
    }
    if (this.failing.has(doorId)) throw new Error('door controller offline');
    const priorMode = this.modes.get(doorId) ?? 'scheduled';
    if (!simulated) this.modes.set(doorId, mode);
    return { priorMode, confirmedAt: this.clock(), simulated };
  }

  lock(doorId: string, reason: string, actor: string, options?: DoorCommandOptions) {
    return this.setMode(doorId, 'locked', reason, actor, options);
  }

  unlock(doorId: string, reason: string, actor: string, options?: DoorCommandOptions) {
    return this.setMode(doorId, 'unlocked', reason, actor, options);
  }

  setOutput(outputId: string, active: boolean, _reason: string, _actor: string, options: DoorCommandOptions = {}) {
    this.outputs.push({ outputId, active, simulated: options.simulate === true });
    return Promise.resolve({ confirmedAt: this.clock(), simulated: options.simulate === true });
  }

  /** Outputs the fake knows, by id: their site. */
  readonly outputSites = new Map<string, string>();

  outputSite(outputId: string): Promise<string | undefined> {
    return Promise.resolve(this.outputSites.get(outputId));
  }

  modeOf(doorId: string): DoorMode | undefined {
    return this.modes.get(doorId);
  }
}

/** What the stack hands a door-control factory: what the access module is built from. */
export interface StackPorts {
  readonly db: Kysely<Database>;
  readonly bus: InProcessBus;
  readonly record: RecordEvents;
  readonly publish: (events: readonly VigilEvent[]) => void;
  readonly clock: () => Date;
  readonly catalogue: EventCatalogue;
}

export interface Stack<D extends DoorCommands & DoorStates = SimulatedDoors> {
  readonly db: Kysely<Database>;
  readonly bus: InProcessBus;
  readonly facility: FacilityService;
  readonly alarms: AlarmsModule;
  readonly automation: Automation;
  readonly doors: D;
  readonly journal: Journal;
  /** Journals events the way the intake would, then fans them out. */
  submit(events: Parameters<Journal['appendNow']>[1]): Promise<VigilEvent[]>;
  stop(): Promise<void>;
}

export function testCatalogue(): EventCatalogue {
  return new EventCatalogue().register(...mqttDeviceEvents, ...facilityEvents, ...alarmEvents, ...automationEvents);
}

/** The catalogue of a stack with the real access module (its events and its agents'). */
export function accessCatalogue(): EventCatalogue {
  return testCatalogue().register(...accessEvents);
}

export async function startStack<D extends DoorCommands & DoorStates = SimulatedDoors>(
  db: Kysely<Database>,
  options: {
    clock?: () => Date;
    doorTimeoutMs?: number;
    catalogue?: EventCatalogue;
    smtpUrl?: string;
    /** Door control other than the simulated one (the real access module: `accessDoorControl`). */
    doors?: (ports: StackPorts) => D;
  } = {},
): Promise<Stack<D>> {
  const clock = options.clock ?? (() => new Date());
  const logger = createLogger((process.env['VIGIL_TEST_LOG'] as 'debug' | undefined) ?? 'silent');
  const catalogue = options.catalogue ?? testCatalogue();
  const journal = new Journal({ catalogue, clock });
  const bus = new InProcessBus({ logger });
  const publish = (events: readonly VigilEvent[]) => void bus.publish(events);
  const ports = { db, record: journal.record, publish, clock, logger };
  const facility = new FacilityService({ db, record: journal.record, clock });
  const sealer = SecretBox.fromKey(randomBytes(32));
  const notifications = createNotifications({
    ...ports,
    sealer,
    smtpUrl: options.smtpUrl ?? '',
    mailFrom: 'vigil@test.invalid',
    webhookTimeoutMs: 1000,
    maxAttempts: 3,
    retryBaseMs: 50,
    pollMs: 50,
  });
  const alarms = createAlarms({ ...ports, escalation: notifications.oncall, sweepIntervalMs: 100 });
  const doors = options.doors
    ? options.doors({ db, bus, record: journal.record, publish, clock, catalogue })
    : (new SimulatedDoors(clock) as unknown as D);
  const automation = createAutomation({
    ...ports,
    bus,
    catalogue,
    facility,
    alarms,
    notifications,
    search: (query) => searchJournal(db, query),
    doors,
    doorStates: doors,
    doorTimeoutMs: options.doorTimeoutMs ?? 1000,
    doorRetryMs: 50,
  });
  await automation.start();
  return {
    db,
    bus,
    facility,
    alarms,
    automation,
    doors,
    journal,
    async submit(drafts) {
      const events = await journal.appendNow(db, drafts);
      await bus.publish(events);
      return events;
    },
    async stop() {
      await automation.stop();
      await alarms.stop();
    },
  };
}

/** Door control as the server wires it: the access module and automation's port on it. */
export function accessDoorControl(ports: StackPorts): { access: AccessModule; doors: AccessDoorCommands } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const access = createAccessModule(
    { db: ports.db, record: ports.record, clock: ports.clock, publish: ports.publish },
    { snapshotSigningKey: { privateKey, publicKey }, validate: (draft) => ports.catalogue.validate(draft), snapshotRefreshMs: 0 },
  );
  return { access, doors: new AccessDoorCommands(access.doors, ports.bus, ports.clock, access.outputs) };
}

interface ModeReport {
  readonly mode: string;
  readonly override: string | null;
  readonly lockdown: boolean;
  readonly fireEgress: boolean;
}

/**
 * A site's door controller as the access module's agents talk to it: it long-polls the site's
 * controls and door commands, runs each door in the mode the controls give it (fire egress, then
 * lockdown, then the operator's override, as the edge ranks them) and reports the changes and the
 * commands it carried out through ingest, which journals them and fans them out on the bus.
 */
export class SimulatedSiteAgent {
  private readonly stopping = new AbortController();
  private readonly reported = new Map<string, ModeReport>();
  private readonly handled = new Set<string>();
  /** The last error a poll ended with (the server failing it), for a test that wonders why nothing moved. */
  lastError: unknown;
  private version = 0;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly access: AccessModule,
    private readonly db: Kysely<Database>,
    private readonly agent: EdgePrincipal,
  ) {}

  static async start(access: AccessModule, db: Kysely<Database>, siteId: string): Promise<SimulatedSiteAgent> {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const agent = await access.agents.register('system:test', { siteId, name: 'Simulated controller', publicKey: pem });
    const simulated = new SimulatedSiteAgent(access, db, new EdgePrincipal(agent.id, agent.name, siteId, agent.keyId, ''));
    simulated.loop = simulated.run();
    return simulated;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        await this.poll(signal);
      } catch (e) {
        // As an agent does when the server fails it: try again a little later (until stopped; the
        // suite's database may close first).
        this.lastError = e;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const { commands, controls } = await this.access.doors.waitForCommands(this.agent.siteId, this.version, 1000, signal);
    if (signal.aborted) return;
    this.version = controls.version;
    const events = await this.modeChanges(controls);
    for (const command of commands) {
      if (this.handled.has(command.id) || (command.command !== 'lock' && command.command !== 'unlock')) continue;
      this.handled.add(command.id);
      events.push(
        this.event('door.command_executed', command.doorId, { commandId: command.id, command: command.command, outcome: 'executed' }),
      );
    }
    if (events.length > 0) await this.access.ingest.ingest(this.agent, events);
    // Only commands this controller does not carry out are left: look again a little later.
    else if (commands.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private async modeChanges(controls: Controls): Promise<EdgeEvent[]> {
    const doors = await this.db
      .selectFrom('doors')
      .select(['id', 'from_zone_id', 'to_zone_id'])
      .where('site_id', '=', this.agent.siteId)
      .execute();
    const covers = (scope: DoorScope | null, door: (typeof doors)[number]) =>
      scope !== null &&
      (scope.siteIds?.includes(this.agent.siteId) === true ||
        scope.doorIds?.includes(door.id) === true ||
        [door.from_zone_id, door.to_zone_id].some((zone) => zone !== null && scope.zoneIds?.includes(zone) === true));
    const events: EdgeEvent[] = [];
    for (const door of doors) {
      const override = controls.overrides.find((o) => o.doorId === door.id)?.mode ?? null;
      const fireEgress = covers(controls.fireEgress, door);
      const lockdown = covers(controls.lockdown, door);
      const mode = fireEgress ? 'fire_egress' : lockdown ? 'lockdown' : (override ?? 'scheduled');
      const previous = this.reported.get(door.id) ?? { mode: 'scheduled', override: null, lockdown: false, fireEgress: false };
      const now: ModeReport = { mode, override, lockdown, fireEgress };
      if (JSON.stringify(now) === JSON.stringify(previous)) continue;
      this.reported.set(door.id, now);
      events.push(this.event('door.mode_changed', door.id, { ...now, previous: previous.mode }));
    }
    return events;
  }

  private event(type: string, door: string, data: Record<string, unknown>): EdgeEvent {
    const at = new Date().toISOString();
    const source = `edge:${this.agent.keyId}`;
    return { id: newId(), type, at, site: this.agent.siteId, source, subject: null, zone: null, door, correlationId: null, data };
  }
}

export interface Hospital {
  readonly site: string;
  readonly building: string;
  readonly zones: { lobby: string; maternity: string; nicu: string; stair: string; ward: string };
  readonly doors: { main: string; maternity: string; nicu: string; stair: string; ward: string; service: string };
}

/** A small hospital: a lobby, a maternity unit with its NICU and stairwell, a ward. */
export async function seedHospital(facility: FacilityService, name = `Hospital ${randomBytes(3).toString('hex')}`): Promise<Hospital> {
  const actor = 'system:test';
  const site = (await facility.sites.create(actor, { name, timeZone: 'Europe/Zurich' })).id;
  const building = (await facility.buildings.create(actor, { siteId: site, name: 'Main' })).id;
  const zone = async (zoneName: string, type: 'public' | 'maternity' | 'nicu' | 'clinical') =>
    (await facility.zones.create(actor, { siteId: site, buildingId: building, name: zoneName, type })).id;
  const zones = {
    lobby: await zone('Lobby', 'public'),
    maternity: await zone('Maternity', 'maternity'),
    nicu: await zone('NICU', 'nicu'),
    stair: await zone('Stair B', 'clinical'),
    ward: await zone('Ward 3', 'clinical'),
  };
  const door = async (doorName: string, fromZoneId: string | null, toZoneId: string | null, egress = false) =>
    (await facility.doors.create(actor, { siteId: site, buildingId: building, name: doorName, fromZoneId, toZoneId, egress })).id;
  const doors = {
    main: await door('Main entrance', null, zones.lobby, true),
    maternity: await door('Maternity entrance', zones.lobby, zones.maternity),
    nicu: await door('NICU door', zones.maternity, zones.nicu),
    stair: await door('Stair B (maternity)', zones.maternity, zones.stair, true),
    ward: await door('Ward 3 entrance', zones.lobby, zones.ward),
    service: await door('Service exit', zones.ward, null, true),
  };
  return { site, building, zones, doors };
}

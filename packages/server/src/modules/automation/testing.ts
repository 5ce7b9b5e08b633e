/**
 * Test support: the alarms and automation modules on a suite database with a real journal, the
 * in-process bus and the real facility service, and a simulated door controller implementing the
 * door-control port (modes per door, confirmation delay, doors that fail or never answer).
 */
import { randomBytes } from 'node:crypto';
import { EventCatalogue, type DoorMode, type VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import { mqttDeviceEvents } from '../../adapters/mqtt/index.js';
import { InProcessBus } from '../../bus/index.js';
import { createLogger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
import { alarmEvents, createAlarms, type AlarmsModule } from '../alarms/index.js';
import { Journal, searchJournal } from '../audit/index.js';
import { FacilityService, facilityEvents } from '../facility/index.js';
import { SecretBox } from '../identity/index.js';
import {
  automationEvents,
  createAutomation,
  createNotifications,
  type Automation,
  type DoorCommandOptions,
  type DoorCommandReceipt,
  type DoorCommands,
} from './index.js';

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

export interface Stack {
  readonly db: Kysely<Database>;
  readonly bus: InProcessBus;
  readonly facility: FacilityService;
  readonly alarms: AlarmsModule;
  readonly automation: Automation;
  readonly doors: SimulatedDoors;
  readonly journal: Journal;
  /** Journals events the way the intake would, then fans them out. */
  submit(events: Parameters<Journal['appendNow']>[1]): Promise<VigilEvent[]>;
  stop(): Promise<void>;
}

export function testCatalogue(): EventCatalogue {
  return new EventCatalogue().register(...mqttDeviceEvents, ...facilityEvents, ...alarmEvents, ...automationEvents);
}

export async function startStack(
  db: Kysely<Database>,
  options: { clock?: () => Date; doorTimeoutMs?: number; catalogue?: EventCatalogue; smtpUrl?: string } = {},
): Promise<Stack> {
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
  const doors = new SimulatedDoors(clock);
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

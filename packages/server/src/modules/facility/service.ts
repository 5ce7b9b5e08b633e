/**
 * The facility module's one entry point: sites, buildings, floors (with plans), zones, doors and
 * devices, each a part with its own rules. Every change and its journal entry commit together.
 */
import type { VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { RecordEvents } from '../audit/index.js';
import type { Database } from '../../storage/schema.js';
import type { FacilityContext } from './context.js';
import { DevicesService } from './devices.js';
import { DoorsService } from './doors.js';
import { FloorsService } from './floors.js';
import { FacilityRepository } from './repository.js';
import { BuildingsService, SitesService } from './sites.js';
import { DEFAULT_PLAN_LIMITS, type SanitiseLimits } from './svg-sanitiser.js';
import { ZoneOutlinesService } from './zone-outlines.js';
import { ZonesService } from './zones.js';

export interface FacilityServiceOptions {
  db: Kysely<Database>;
  /** The journal's `record` port: appends events inside the caller's transaction. */
  record: RecordEvents;
  /** Fans out committed events (the intake's `publishCommitted`); without it changes are only journaled. */
  publish?: (events: readonly VigilEvent[]) => void;
  clock?: () => Date;
  planLimits?: Partial<SanitiseLimits>;
}

export class FacilityService {
  readonly sites: SitesService;
  readonly buildings: BuildingsService;
  readonly floors: FloorsService;
  readonly zones: ZonesService;
  readonly zoneOutlines: ZoneOutlinesService;
  readonly doors: DoorsService;
  readonly devices: DevicesService;

  constructor(options: FacilityServiceOptions) {
    const journaled = new WeakMap<Transaction<Database>, VigilEvent[]>();
    const ctx: FacilityContext = {
      db: options.db,
      repo: new FacilityRepository(),
      record: async (trx, drafts) => {
        const events = await options.record(trx, drafts);
        journaled.get(trx)?.push(...events);
        return events;
      },
      publish: options.publish,
      journaled,
      clock: options.clock ?? (() => new Date()),
      planLimits: { ...DEFAULT_PLAN_LIMITS, ...options.planLimits },
    };
    this.sites = new SitesService(ctx);
    this.buildings = new BuildingsService(ctx, this.sites);
    this.floors = new FloorsService(ctx, this.buildings);
    this.zones = new ZonesService(ctx, this.sites);
    this.zoneOutlines = new ZoneOutlinesService(ctx, this.zones);
    this.doors = new DoorsService(ctx, this.sites);
    this.devices = new DevicesService(ctx, this.sites);
  }
}

/**
 * The facility module's one entry point: sites, buildings, floors (with plans), zones, doors and
 * devices, each a part with its own rules. Every change and its journal entry commit together.
 */
import type { Kysely } from 'kysely';
import type { RecordEvents } from '../audit/index.js';
import type { Database } from '../../storage/schema.js';
import type { FacilityContext } from './context.js';
import { DevicesService } from './devices.js';
import { DoorsService } from './doors.js';
import { FloorsService } from './floors.js';
import { FacilityRepository } from './repository.js';
import { BuildingsService, SitesService } from './sites.js';
import { DEFAULT_PLAN_LIMITS, type SanitiseLimits } from './svg-sanitiser.js';
import { ZonesService } from './zones.js';

export interface FacilityServiceOptions {
  db: Kysely<Database>;
  /** The journal's `record` port: appends events inside the caller's transaction. */
  record: RecordEvents;
  clock?: () => Date;
  planLimits?: Partial<SanitiseLimits>;
}

export class FacilityService {
  readonly sites: SitesService;
  readonly buildings: BuildingsService;
  readonly floors: FloorsService;
  readonly zones: ZonesService;
  readonly doors: DoorsService;
  readonly devices: DevicesService;

  constructor(options: FacilityServiceOptions) {
    const ctx: FacilityContext = {
      db: options.db,
      repo: new FacilityRepository(),
      record: options.record,
      clock: options.clock ?? (() => new Date()),
      planLimits: { ...DEFAULT_PLAN_LIMITS, ...options.planLimits },
    };
    this.sites = new SitesService(ctx);
    this.buildings = new BuildingsService(ctx, this.sites);
    this.floors = new FloorsService(ctx, this.buildings);
    this.zones = new ZonesService(ctx, this.sites);
    this.doors = new DoorsService(ctx, this.sites);
    this.devices = new DevicesService(ctx, this.sites);
  }
}

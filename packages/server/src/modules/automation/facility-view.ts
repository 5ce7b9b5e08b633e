/**
 * An in-memory view of the facility (sites, buildings, zones, doors) for rules and plans, which
 * must decide without a database round trip — and a fire plan must decide even when the database
 * is down. Loaded at start and reloaded (debounced) whenever a facility event says it changed.
 */
import type { VigilEvent } from '@vigil/core';
import type { FacilityService, Page } from '../facility/index.js';
import type { Logger } from '../../kernel/logger.js';
import type { DoorFact, FacilityFacts, ZoneFact } from './ports.js';

export type FacilityReader = Pick<FacilityService, 'sites' | 'buildings' | 'zones' | 'doors'>;

/** Event types after which the view reloads. */
export const FACILITY_CHANGE_TYPES = ['site.*', 'building.*', 'zone.*', 'door.created', 'door.changed', 'door.removed'];

async function all<T extends { id: string }>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export class FacilityView implements FacilityFacts {
  private sites = new Map<string, { name: string; timeZone: string }>();
  private buildings = new Map<string, string>();
  private zones = new Map<string, ZoneFact>();
  private doors = new Map<string, DoorFact>();
  private doorsBySite = new Map<string, DoorFact[]>();
  private reloadTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly reader: FacilityReader,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    const page = { limit: 500, sites: 'all' as const };
    const [sites, buildings, zones, doors] = await Promise.all([
      all((cursor) => this.reader.sites.list({ ...page, cursor })),
      all((cursor) => this.reader.buildings.list({ ...page, cursor })),
      all((cursor) => this.reader.zones.list({ ...page, cursor })),
      all((cursor) => this.reader.doors.list({ ...page, cursor })),
    ]);
    this.sites = new Map(sites.map((s) => [s.id, { name: s.name, timeZone: s.timeZone }]));
    this.buildings = new Map(buildings.map((b) => [b.id, b.name]));
    this.zones = new Map(zones.map((z) => [z.id, { id: z.id, siteId: z.siteId, buildingId: z.buildingId, type: z.type, name: z.name }]));
    const doorFacts = doors.map((d) => ({
      id: d.id,
      siteId: d.siteId,
      buildingId: d.buildingId,
      name: d.name,
      fromZoneId: d.fromZoneId,
      toZoneId: d.toZoneId,
      egress: d.egress,
    }));
    this.doors = new Map(doorFacts.map((d) => [d.id, d]));
    const bySite = new Map<string, DoorFact[]>();
    for (const d of doorFacts) bySite.set(d.siteId, [...(bySite.get(d.siteId) ?? []), d]);
    this.doorsBySite = bySite;
  }

  /** Bus handler: a facility change schedules a reload (many changes in a burst reload once). */
  readonly onEvent = (_event: VigilEvent): void => {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.loading = this.load()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'facility view reload failed; keeping the previous view'))
        .finally(() => {
          this.loading = undefined;
        });
    }, 50);
  };

  async stop(): Promise<void> {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    await this.loading;
  }

  timeZoneOf(siteId: string): string | undefined {
    return this.sites.get(siteId)?.timeZone;
  }

  siteName(siteId: string): string | undefined {
    return this.sites.get(siteId)?.name;
  }

  buildingName(buildingId: string): string | undefined {
    return this.buildings.get(buildingId);
  }

  zone(zoneId: string): ZoneFact | undefined {
    return this.zones.get(zoneId);
  }

  door(doorId: string): DoorFact | undefined {
    return this.doors.get(doorId);
  }

  doorsOfSite(siteId: string): readonly DoorFact[] {
    return this.doorsBySite.get(siteId) ?? [];
  }
}

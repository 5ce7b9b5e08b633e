/** Sites (each with the IANA time zone its schedules run in) and the buildings on them. */
import { newId } from '@vigil/core';
import { assertUnused, changes, defined, transact, type FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import {
  BUILDING_MUTABLE,
  SITE_MUTABLE,
  buildingChanged,
  buildingCreated,
  buildingRemoved,
  siteChanged,
  siteCreated,
  siteRemoved,
} from './events.js';
import {
  BuildingCreateSchema,
  BuildingPatchSchema,
  SiteCreateSchema,
  SitePatchSchema,
  assertInput,
  type BuildingCreate,
  type BuildingPatch,
  type SiteCreate,
  type SitePatch,
} from './inputs.js';
import type { Building, ListOptions, Page, Site } from './model.js';
import { validateTimeZone } from './time-zones.js';
import type { Executor } from '../audit/index.js';

export class SitesService {
  constructor(private readonly ctx: FacilityContext) {}

  async get(id: string): Promise<Site> {
    return this.require(this.ctx.db, id);
  }

  async list(options: ListOptions): Promise<Page<Site>> {
    return this.ctx.repo.listSites(this.ctx.db, options);
  }

  /** For other modules' checks (a role granted on a site must name a real one). */
  async exists(id: string): Promise<boolean> {
    return (await this.ctx.repo.findSite(this.ctx.db, id)) !== undefined;
  }

  async create(actor: string, input: SiteCreate): Promise<Site> {
    assertInput(SiteCreateSchema, input);
    const now = this.ctx.clock().toISOString();
    const site: Site = {
      id: newId(),
      name: input.name.trim(),
      timeZone: validateTimeZone(input.timeZone),
      address: input.address?.trim() || null,
      createdAt: now,
      updatedAt: now,
    };
    return transact(this.ctx, async (trx) => {
      await this.assertNameFree(trx, site.name, null);
      await this.ctx.repo.insertSite(trx, site);
      await this.ctx.record(trx, siteCreated.draft({ site: site.id, source: actor, subject: site.id }, { site }));
      return site;
    });
  }

  async update(actor: string, id: string, patch: SitePatch): Promise<Site> {
    assertInput(SitePatchSchema, patch);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      const given = defined(patch);
      const after: Site = {
        ...before,
        ...(given.name !== undefined ? { name: given.name.trim() } : {}),
        ...(given.timeZone !== undefined ? { timeZone: validateTimeZone(given.timeZone) } : {}),
        ...(given.address !== undefined ? { address: given.address?.trim() || null } : {}),
      };
      const diff = changes(before, after, SITE_MUTABLE);
      if (!diff.changed) return before;
      if (diff.after.name !== undefined) await this.assertNameFree(trx, after.name, id);
      const stored = { ...after, updatedAt: this.ctx.clock().toISOString() };
      await this.ctx.repo.updateSite(trx, stored);
      await this.ctx.record(
        trx,
        siteChanged.draft({ site: id, source: actor, subject: id }, { id, before: diff.before, after: diff.after }),
      );
      return stored;
    });
  }

  /** Removes a site with nothing on it; anything still there is named in `facility.in_use`. */
  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const site = await this.require(trx, id);
      assertUnused(await this.ctx.repo.usage(trx, 'site', id), `Site ${site.name}`);
      await this.ctx.repo.remove(trx, 'sites', id);
      await this.ctx.record(trx, siteRemoved.draft({ site: id, source: actor, subject: id }, { id, name: site.name }));
    });
  }

  async require(ex: Executor, id: string): Promise<Site> {
    const site = await this.ctx.repo.findSite(ex, id);
    if (!site) throw facilityError('facility.site_not_found', `No site ${id}`, { siteId: id });
    return site;
  }

  private async assertNameFree(ex: Executor, name: string, self: string | null): Promise<void> {
    const holder = await this.ctx.repo.siteNamed(ex, name);
    if (holder && holder.id !== self) throw facilityError('facility.name_taken', `A site named ${name} exists`, { entity: 'site', name });
  }
}

export class BuildingsService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly sites: SitesService,
  ) {}

  async get(id: string): Promise<Building> {
    return this.require(this.ctx.db, id);
  }

  async list(options: ListOptions): Promise<Page<Building>> {
    return this.ctx.repo.listBuildings(this.ctx.db, options);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return this.ctx.repo.siteIdOf(this.ctx.db, 'buildings', id);
  }

  async create(actor: string, input: BuildingCreate): Promise<Building> {
    assertInput(BuildingCreateSchema, input);
    return transact(this.ctx, async (trx) => {
      await this.sites.require(trx, input.siteId);
      const now = this.ctx.clock().toISOString();
      const building: Building = { id: newId(), siteId: input.siteId, name: input.name.trim(), createdAt: now, updatedAt: now };
      await this.assertNameFree(trx, building.siteId, building.name, null);
      await this.ctx.repo.insertBuilding(trx, building);
      await this.ctx.record(trx, buildingCreated.draft({ site: building.siteId, source: actor, subject: building.id }, { building }));
      return building;
    });
  }

  async update(actor: string, id: string, patch: BuildingPatch): Promise<Building> {
    assertInput(BuildingPatchSchema, patch);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      const after: Building = { ...before, ...(patch.name !== undefined ? { name: patch.name.trim() } : {}) };
      const diff = changes(before, after, BUILDING_MUTABLE);
      if (!diff.changed) return before;
      await this.assertNameFree(trx, after.siteId, after.name, id);
      const stored = { ...after, updatedAt: this.ctx.clock().toISOString() };
      await this.ctx.repo.updateBuilding(trx, stored);
      await this.ctx.record(
        trx,
        buildingChanged.draft({ site: stored.siteId, source: actor, subject: id }, { id, before: diff.before, after: diff.after }),
      );
      return stored;
    });
  }

  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const building = await this.require(trx, id);
      assertUnused(await this.ctx.repo.usage(trx, 'building', id), `Building ${building.name}`);
      await this.ctx.repo.remove(trx, 'buildings', id);
      await this.ctx.record(trx, buildingRemoved.draft({ site: building.siteId, source: actor, subject: id }, { id, name: building.name }));
    });
  }

  async require(ex: Executor, id: string): Promise<Building> {
    const building = await this.ctx.repo.findBuilding(ex, id);
    if (!building) throw facilityError('facility.building_not_found', `No building ${id}`, { buildingId: id });
    return building;
  }

  private async assertNameFree(ex: Executor, siteId: string, name: string, self: string | null): Promise<void> {
    const holder = await this.ctx.repo.buildingNamed(ex, siteId, name);
    if (holder && holder.id !== self) {
      throw facilityError('facility.name_taken', `The site already has a building named ${name}`, { entity: 'building', name });
    }
  }
}

/** Zones: spaces with a type from the catalogue and a security level (see zone-types.ts). */
import { newId } from '@vigil/core';
import type { Executor } from '../audit/index.js';
import { assertUnused, changes, transact, type FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import { ZONE_MUTABLE, zoneChanged, zoneCreated, zoneRemoved } from './events.js';
import { ZoneCreateSchema, ZonePatchSchema, assertInput, type ZoneCreate, type ZonePatch } from './inputs.js';
import type { ListOptions, Page, Zone } from './model.js';
import { resolvePlacement } from './placement.js';
import type { SitesService } from './sites.js';
import { ZONE_TYPES, assertZoneType, parseSecurityLevel, securityLevelName, type ZoneType } from './zone-types.js';

export class ZonesService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly sites: SitesService,
  ) {}

  async get(id: string): Promise<Zone> {
    return this.require(this.ctx.db, id);
  }

  async list(options: ListOptions & { type?: ZoneType | undefined; floorId?: string | undefined }): Promise<Page<Zone>> {
    return this.ctx.repo.listZones(this.ctx.db, options);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return this.ctx.repo.siteIdOf(this.ctx.db, 'zones', id);
  }

  async create(actor: string, input: ZoneCreate): Promise<Zone> {
    assertInput(ZoneCreateSchema, input);
    const type = assertZoneType(input.type);
    const level = input.securityLevel !== undefined ? parseSecurityLevel(input.securityLevel) : ZONE_TYPES[type].defaultSecurityLevel;
    return transact(this.ctx, async (trx) => {
      await this.sites.require(trx, input.siteId);
      const placement = await resolvePlacement(this.ctx, trx, input.siteId, input.buildingId ?? null, input.floorId ?? null);
      const now = this.ctx.clock().toISOString();
      const zone: Zone = {
        id: newId(),
        siteId: input.siteId,
        buildingId: placement.buildingId,
        floorId: placement.floorId,
        name: input.name.trim(),
        type,
        securityLevel: level,
        securityLevelName: securityLevelName(level),
        createdAt: now,
        updatedAt: now,
      };
      await this.assertNameFree(trx, zone.siteId, zone.name, null);
      await this.ctx.repo.insertZone(trx, zone);
      await this.ctx.record(trx, zoneCreated.draft({ site: zone.siteId, source: actor, zone: zone.id }, { zone }));
      return zone;
    });
  }

  /**
   * Changes a zone. Changing the type keeps the current security level unless a level is given
   * too: a lowered level must always be a deliberate act, never a side effect.
   */
  async update(actor: string, id: string, patch: ZonePatch): Promise<Zone> {
    assertInput(ZonePatchSchema, patch);
    const type = patch.type !== undefined ? assertZoneType(patch.type) : undefined;
    const level = patch.securityLevel !== undefined ? parseSecurityLevel(patch.securityLevel) : undefined;
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      // A new floor brings its building; clearing the floor keeps the building.
      const buildingId = patch.buildingId !== undefined ? patch.buildingId : patch.floorId ? null : before.buildingId;
      const floorId = patch.floorId !== undefined ? patch.floorId : before.floorId;
      const placement = await resolvePlacement(this.ctx, trx, before.siteId, buildingId, floorId);
      const securityLevel = level ?? before.securityLevel;
      const after: Zone = {
        ...before,
        buildingId: placement.buildingId,
        floorId: placement.floorId,
        name: patch.name !== undefined ? patch.name.trim() : before.name,
        type: type ?? before.type,
        securityLevel,
        securityLevelName: securityLevelName(securityLevel),
      };
      const diff = changes(before, after, ZONE_MUTABLE);
      if (!diff.changed) return before;
      if (diff.after.name !== undefined) await this.assertNameFree(trx, after.siteId, after.name, id);
      const stored = { ...after, updatedAt: this.ctx.clock().toISOString() };
      await this.ctx.repo.updateZone(trx, stored);
      await this.ctx.record(
        trx,
        zoneChanged.draft({ site: stored.siteId, source: actor, zone: id }, { id, before: diff.before, after: diff.after }),
      );
      return stored;
    });
  }

  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const zone = await this.require(trx, id);
      assertUnused(await this.ctx.repo.usage(trx, 'zone', id), `Zone ${zone.name}`);
      await this.ctx.repo.remove(trx, 'zones', id);
      await this.ctx.record(trx, zoneRemoved.draft({ site: zone.siteId, source: actor, zone: id }, { id, name: zone.name }));
    });
  }

  async require(ex: Executor, id: string): Promise<Zone> {
    const zone = await this.ctx.repo.findZone(ex, id);
    if (!zone) throw facilityError('facility.zone_not_found', `No zone ${id}`, { zoneId: id });
    return zone;
  }

  private async assertNameFree(ex: Executor, siteId: string, name: string, self: string | null): Promise<void> {
    const holder = await this.ctx.repo.zoneNamed(ex, siteId, name);
    if (holder && holder.id !== self) {
      throw facilityError('facility.name_taken', `The site already has a zone named ${name}`, { entity: 'zone', name });
    }
  }
}

/** Floors of a building and their floor plans (sanitised SVG, see svg-sanitiser.ts). */
import { newId } from '@vigil/core';
import type { Executor } from '../audit/index.js';
import { assertUnused, changes, transact, type FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import { FLOOR_MUTABLE, floorChanged, floorCreated, floorPlanRemoved, floorPlanUploaded, floorRemoved } from './events.js';
import { FloorCreateSchema, FloorPatchSchema, assertInput, type FloorCreate, type FloorPatch } from './inputs.js';
import type { Floor, ListOptions, Page } from './model.js';
import type { BuildingsService } from './sites.js';
import { sanitiseFloorPlan } from './svg-sanitiser.js';

export class FloorsService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly buildings: BuildingsService,
  ) {}

  async get(id: string): Promise<Floor> {
    return this.require(this.ctx.db, id);
  }

  async list(options: ListOptions & { buildingId?: string | undefined }): Promise<Page<Floor>> {
    return this.ctx.repo.listFloors(this.ctx.db, options);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return this.ctx.repo.siteIdOf(this.ctx.db, 'floors', id);
  }

  async create(actor: string, input: FloorCreate): Promise<Floor> {
    assertInput(FloorCreateSchema, input);
    return transact(this.ctx, async (trx) => {
      const building = await this.buildings.require(trx, input.buildingId);
      const now = this.ctx.clock().toISOString();
      const floor: Floor = {
        id: newId(),
        siteId: building.siteId,
        buildingId: building.id,
        name: input.name.trim(),
        level: input.level,
        plan: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.assertFree(trx, floor);
      await this.ctx.repo.insertFloor(trx, floor);
      await this.ctx.record(trx, floorCreated.draft({ site: floor.siteId, source: actor, subject: floor.id }, { floor }));
      return floor;
    });
  }

  async update(actor: string, id: string, patch: FloorPatch): Promise<Floor> {
    assertInput(FloorPatchSchema, patch);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      const after: Floor = {
        ...before,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.level !== undefined ? { level: patch.level } : {}),
      };
      const diff = changes(before, after, FLOOR_MUTABLE);
      if (!diff.changed) return before;
      await this.assertFree(trx, after);
      const stored = { ...after, updatedAt: this.ctx.clock().toISOString() };
      await this.ctx.repo.updateFloor(trx, stored);
      await this.ctx.record(
        trx,
        floorChanged.draft({ site: stored.siteId, source: actor, subject: id }, { id, before: diff.before, after: diff.after }),
      );
      return stored;
    });
  }

  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const floor = await this.require(trx, id);
      assertUnused(await this.ctx.repo.usage(trx, 'floor', id), `Floor ${floor.name}`);
      await this.ctx.repo.remove(trx, 'floors', id);
      await this.ctx.record(trx, floorRemoved.draft({ site: floor.siteId, source: actor, subject: id }, { id, name: floor.name }));
    });
  }

  /**
   * Sanitises and stores a floor plan, replacing any previous one. A plan with active or external
   * content is refused (`facility.svg_unsafe`) and nothing is stored.
   */
  async uploadPlan(actor: string, id: string, svg: string | Uint8Array): Promise<Floor> {
    // Sanitising is pure CPU work; done before the transaction so no lock is held meanwhile.
    const plan = sanitiseFloorPlan(svg, this.ctx.planLimits);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      const at = this.ctx.clock().toISOString();
      await this.ctx.repo.setFloorPlan(trx, id, plan, at);
      await this.ctx.record(
        trx,
        floorPlanUploaded.draft(
          { site: before.siteId, source: actor, subject: id },
          {
            floorId: id,
            sha256: plan.sha256,
            bytes: plan.bytes,
            viewBox: plan.viewBox,
            previousSha256: before.plan?.sha256 ?? null,
            removed: plan.removed,
          },
        ),
      );
      return { ...before, plan: { sha256: plan.sha256, viewBox: plan.viewBox, uploadedAt: at }, updatedAt: at };
    });
  }

  /** The stored (already sanitised) SVG; `facility.floor_plan_missing` when there is none. */
  async planSvg(id: string): Promise<{ svg: string; sha256: string }> {
    const floor = await this.require(this.ctx.db, id);
    const svg = await this.ctx.repo.floorPlanSvg(this.ctx.db, id);
    if (!svg || !floor.plan) throw facilityError('facility.floor_plan_missing', `Floor ${floor.name} has no floor plan`, { floorId: id });
    return { svg, sha256: floor.plan.sha256 };
  }

  async removePlan(actor: string, id: string): Promise<Floor> {
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      if (!before.plan) throw facilityError('facility.floor_plan_missing', `Floor ${before.name} has no floor plan`, { floorId: id });
      const at = this.ctx.clock().toISOString();
      await this.ctx.repo.setFloorPlan(trx, id, null, at);
      await this.ctx.record(
        trx,
        floorPlanRemoved.draft({ site: before.siteId, source: actor, subject: id }, { floorId: id, sha256: before.plan.sha256 }),
      );
      return { ...before, plan: null, updatedAt: at };
    });
  }

  async require(ex: Executor, id: string): Promise<Floor> {
    const floor = await this.ctx.repo.findFloor(ex, id);
    if (!floor) throw facilityError('facility.floor_not_found', `No floor ${id}`, { floorId: id });
    return floor;
  }

  private async assertFree(ex: Executor, floor: Floor): Promise<void> {
    const clashes = (await this.ctx.repo.floorsClashing(ex, floor.buildingId, floor.level, floor.name)).filter((f) => f.id !== floor.id);
    const clash = clashes[0];
    if (!clash) return;
    const byLevel = clash.level === floor.level;
    throw facilityError(
      'facility.name_taken',
      byLevel
        ? `The building already has a floor at level ${floor.level} (${clash.name})`
        : `The building already has a floor named ${floor.name}`,
      { entity: 'floor', ...(byLevel ? { level: floor.level } : { name: floor.name }) },
    );
  }
}

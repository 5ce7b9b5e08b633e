/**
 * Zone outlines: the polygon a zone covers on a floor plan, one per zone and floor, so the live
 * plan can show where each zone is and light up the one in alarm. Corners are in the plan's
 * viewBox units, like door positions, and must lie on the plan.
 */
import type { Executor } from '../audit/index.js';
import { transact, type FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import { zoneOutlineDrawn, zoneOutlineRemoved } from './events.js';
import { ZoneOutlineInputSchema, assertInput, type ZoneOutlineInput } from './inputs.js';
import type { Floor, Zone, ZoneOutline } from './model.js';
import type { ZoneOutlinesTable } from './tables.js';
import type { ZonesService } from './zones.js';

type Point = ZoneOutline['points'][number];

function fromRow(row: ZoneOutlinesTable): ZoneOutline {
  const points = (JSON.parse(row.points) as [number, number][]).map(([x, y]) => ({ x, y }));
  return { zoneId: row.zone_id, floorId: row.floor_id, points, updatedAt: row.updated_at };
}

export class ZoneOutlinesService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly zones: ZonesService,
  ) {}

  /** The outlines drawn on a floor's plan. */
  async onFloor(floorId: string): Promise<ZoneOutline[]> {
    const rows = await this.ctx.db.selectFrom('zone_outlines').selectAll().where('floor_id', '=', floorId).orderBy('zone_id').execute();
    return rows.map(fromRow);
  }

  /** The outlines of a zone, one per floor it is drawn on. */
  async ofZone(zoneId: string): Promise<ZoneOutline[]> {
    await this.zones.get(zoneId);
    const rows = await this.ctx.db.selectFrom('zone_outlines').selectAll().where('zone_id', '=', zoneId).orderBy('floor_id').execute();
    return rows.map(fromRow);
  }

  /** Draws (or redraws) the zone's outline on the floor. */
  async draw(actor: string, zoneId: string, floorId: string, input: ZoneOutlineInput): Promise<ZoneOutline> {
    assertInput(ZoneOutlineInputSchema, input);
    return transact(this.ctx, async (trx) => {
      const zone = await this.zones.require(trx, zoneId);
      const floor = await this.floorOf(trx, zone, floorId);
      const points = input.points.map((p) => ({ x: p.x, y: p.y }));
      assertDrawable(points, floor);
      const outline: ZoneOutline = { zoneId, floorId, points, updatedAt: this.ctx.clock().toISOString() };
      const row: ZoneOutlinesTable = {
        zone_id: zoneId,
        floor_id: floorId,
        site_id: zone.siteId,
        points: JSON.stringify(points.map((p) => [p.x, p.y])),
        updated_at: outline.updatedAt,
      };
      await trx
        .insertInto('zone_outlines')
        .values(row)
        .onConflict((oc) => oc.columns(['zone_id', 'floor_id']).doUpdateSet({ points: row.points, updated_at: row.updated_at }))
        .execute();
      await this.ctx.record(trx, zoneOutlineDrawn.draft({ site: zone.siteId, source: actor, zone: zoneId }, { outline }));
      return outline;
    });
  }

  /** Takes the zone's outline off the floor's plan; `facility.zone_not_found` when there is none. */
  async remove(actor: string, zoneId: string, floorId: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const zone = await this.zones.require(trx, zoneId);
      const done = await trx.deleteFrom('zone_outlines').where('zone_id', '=', zoneId).where('floor_id', '=', floorId).executeTakeFirst();
      if (Number(done.numDeletedRows) === 0) {
        throw facilityError('facility.zone_not_found', `Zone ${zone.name} has no outline on floor ${floorId}`, { zoneId, floorId });
      }
      await this.ctx.record(trx, zoneOutlineRemoved.draft({ site: zone.siteId, source: actor, zone: zoneId }, { zoneId, floorId }));
    });
  }

  /** The floor, which must be where the zone is: on its site, in its building, its own floor when it has one. */
  private async floorOf(ex: Executor, zone: Zone, floorId: string): Promise<Floor> {
    const floor = await this.ctx.repo.findFloor(ex, floorId);
    if (!floor) throw facilityError('facility.floor_not_found', `No floor ${floorId}`, { floorId });
    if (floor.siteId !== zone.siteId) {
      throw facilityError('facility.site_mismatch', `Floor ${floor.name} belongs to another site`, { floorId, siteId: zone.siteId });
    }
    const elsewhere =
      (zone.floorId !== null && zone.floorId !== floorId) || (zone.buildingId !== null && zone.buildingId !== floor.buildingId);
    if (elsewhere) {
      throw facilityError('facility.zone_outline_invalid', `Zone ${zone.name} is not on floor ${floor.name}`, {
        zoneId: zone.id,
        floorId,
      });
    }
    if (!floor.plan) throw facilityError('facility.floor_plan_missing', `Floor ${floor.name} has no plan to draw on`, { floorId });
    return floor;
  }
}

/** Finite corners on the plan, enclosing some area (three points in a line draw nothing). */
function assertDrawable(points: readonly Point[], floor: Floor): void {
  const box = floor.plan!.viewBox;
  points.forEach((p, index) => {
    const inside =
      Number.isFinite(p.x) &&
      Number.isFinite(p.y) &&
      p.x >= box.minX &&
      p.y >= box.minY &&
      p.x <= box.minX + box.width &&
      p.y <= box.minY + box.height;
    if (!inside) {
      throw facilityError(
        'facility.zone_outline_invalid',
        `Corner ${index + 1} (${p.x}, ${p.y}) lies outside the plan of floor ${floor.name}`,
        {
          point: index,
          viewBox: box,
        },
      );
    }
  });
  if (Math.abs(signedArea(points)) < 1e-9 * Math.max(1, box.width * box.height)) {
    throw facilityError('facility.zone_outline_invalid', 'The corners enclose no area', { points: points.length });
  }
}

/** Shoelace formula. */
function signedArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum / 2;
}

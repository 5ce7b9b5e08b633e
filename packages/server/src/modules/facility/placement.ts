/** Where a zone or door is: on a site, optionally in one of its buildings and on one of that building's floors. */
import type { Executor } from '../audit/index.js';
import type { FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import type { Floor } from './model.js';

export interface Placement {
  readonly buildingId: string | null;
  readonly floorId: string | null;
  readonly floor: Floor | null;
}

/**
 * Checks that the building and floor belong to the site (and the floor to the building); a floor
 * given without its building implies the building.
 */
export async function resolvePlacement(
  ctx: FacilityContext,
  ex: Executor,
  siteId: string,
  buildingId: string | null,
  floorId: string | null,
): Promise<Placement> {
  let floor: Floor | null = null;
  if (floorId) {
    floor = (await ctx.repo.findFloor(ex, floorId)) ?? null;
    if (!floor) throw facilityError('facility.floor_not_found', `No floor ${floorId}`, { floorId });
    if (floor.siteId !== siteId) {
      throw facilityError('facility.site_mismatch', `Floor ${floor.name} belongs to another site`, { floorId, siteId });
    }
    if (buildingId && floor.buildingId !== buildingId) {
      throw facilityError('facility.site_mismatch', `Floor ${floor.name} is not in building ${buildingId}`, { floorId, buildingId });
    }
  }
  const building = buildingId ?? floor?.buildingId ?? null;
  if (buildingId) {
    const found = await ctx.repo.findBuilding(ex, buildingId);
    if (!found) throw facilityError('facility.building_not_found', `No building ${buildingId}`, { buildingId });
    if (found.siteId !== siteId) {
      throw facilityError('facility.site_mismatch', `Building ${found.name} belongs to another site`, { buildingId, siteId });
    }
  }
  return { buildingId: building, floorId: floor?.id ?? null, floor };
}

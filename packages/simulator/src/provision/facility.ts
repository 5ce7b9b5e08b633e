/**
 * The site and its buildings, floors (with their plans), zones and doors, each found by name
 * where it already exists and created otherwise, so provisioning twice creates nothing twice.
 */
import type { HospitalModel, ProvisionedHospital } from '../model.js';
import { simulatorError } from '../errors.js';
import type { VigilClient, VigilClientOptions } from '../live/vigil-client.js';
import { ensureNamed, type Step } from './steps.js';
import { upload } from './upload.js';

interface Site {
  id: string;
  name: string;
  timeZone: string;
}
interface Named {
  id: string;
  name: string;
}
interface Floor extends Named {
  buildingId: string;
  plan: unknown;
}

type Ids = ProvisionedHospital['ids'];

export async function ensureSite(api: VigilClient, model: HospitalModel): Promise<string> {
  const existing = (await api.all<Site>('/api/sites')).find((s) => s.name === model.site.name);
  if (!existing) return (await api.post<Site>('/api/sites', { name: model.site.name, timeZone: model.site.timeZone })).id;
  if (existing.timeZone !== model.site.timeZone) {
    throw simulatorError(
      'simulator.site_conflict',
      `Vigil already has a site "${model.site.name}" in ${existing.timeZone}, but this hospital is in ${model.site.timeZone}; it is another hospital. Use another seed, or remove that site.`,
      { siteId: existing.id, name: model.site.name },
    );
  }
  return existing.id;
}

export async function ensureFacility(
  step: Step,
  client: VigilClientOptions,
  siteId: string,
  model: HospitalModel,
): Promise<Pick<Ids, 'buildings' | 'floors' | 'zones' | 'doors'>> {
  const { api } = step;
  const site = { site: siteId };
  const buildings = await ensureNamed(
    step,
    'buildings',
    await api.all<Named>('/api/buildings', site),
    model.buildings,
    (b) => b.name,
    (b) => api.post<Named>('/api/buildings', { siteId, name: b.name }),
  );

  // Floor names are unique per building, so an existing floor is matched by building and name.
  const existingFloors = await api.all<Floor>('/api/floors', site);
  const floorKey = (buildingId: string, name: string) => `${buildingId}/${name}`;
  const byBuilding = new Map(existingFloors.map((f) => [floorKey(f.buildingId, f.name), f]));
  const floors: Record<string, string> = {};
  await step.each('floors and plans', model.floors, async (floor) => {
    const buildingId = buildings[floor.building]!;
    let found = byBuilding.get(floorKey(buildingId, floor.name));
    found ??= await api.post<Floor>('/api/floors', { buildingId, name: floor.name, level: floor.level });
    if (found.plan === null) {
      await upload(client, { method: 'PUT', path: `/api/floors/${found.id}/plan`, contentType: 'image/svg+xml', body: floor.planSvg });
    }
    floors[floor.key] = found.id;
  });

  const buildingOfFloor = new Map(model.floors.map((f) => [f.key, buildings[f.building]!]));
  const zones = await ensureNamed(
    step,
    'zones',
    await api.all<Named>('/api/zones', site),
    model.zones,
    (z) => z.name,
    (z) =>
      api.post<Named>('/api/zones', {
        siteId,
        buildingId: buildingOfFloor.get(z.floor),
        floorId: floors[z.floor],
        name: z.name,
        type: z.type,
      }),
  );

  const doors = await ensureNamed(
    step,
    'doors',
    await api.all<Named>('/api/doors', site),
    model.doors,
    (d) => d.name,
    (d) =>
      api.post<Named>('/api/doors', {
        siteId,
        name: d.name,
        buildingId: buildingOfFloor.get(d.floor),
        floorId: floors[d.floor],
        fromZoneId: d.from === null ? null : zones[d.from],
        toZoneId: zones[d.into],
        lockFailMode: d.failSafe ? 'fail_safe' : 'fail_secure',
        egress: d.egress,
        unlockSeconds: d.unlockSeconds,
        heldOpenSeconds: d.heldOpenSeconds,
        position: d.position,
      }),
  );
  return { buildings, floors, zones, doors };
}

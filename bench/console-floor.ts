/**
 * A large floor for the console benchmark, built through the API as an integrator would: a site
 * with one floor whose plan is a grid of rooms, ten zones, and `count` doors placed on the plan
 * (a 40-wide grid, 100 plan units apart).
 */
import type { APIRequestContext } from 'playwright-core';
import type { ConsoleApi } from '../packages/web/e2e/operations-world.js';

const COLUMNS = 40;
const PITCH = 100;

export interface LargeFloor {
  siteId: string;
  floorId: string;
  doorIds: string[];
}

function planSvg(rows: number): string {
  const width = COLUMNS * PITCH;
  const height = rows * PITCH;
  const rooms: string[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < COLUMNS; column++) {
      const shade = (row * 7 + column * 3) % 4;
      rooms.push(
        `<rect x="${column * PITCH}" y="${row * PITCH}" width="${PITCH}" height="${PITCH}" fill="${['#eef2f5', '#e3f2fd', '#fffde7', '#e8f5e9'][shade]}"/>`,
      );
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}">`,
    `<g stroke="#455a64" stroke-width="3">${rooms.join('')}</g>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="none" stroke="#263238" stroke-width="12"/>`,
    '</svg>',
  ].join('');
}

/** Runs `work` over `items` with at most `parallel` at a time. */
async function inParallel<T, R>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

export async function buildLargeFloor(api: ConsoleApi, request: APIRequestContext, count: number): Promise<LargeFloor> {
  const rows = Math.ceil(count / COLUMNS);
  const site = await api.post<{ id: string }>('/api/sites', { name: 'Benchmark Medical Center', timeZone: 'America/New_York' });
  const building = await api.post<{ id: string }>('/api/buildings', { siteId: site.id, name: 'Tower' });
  const floor = await api.post<{ id: string }>('/api/floors', { buildingId: building.id, name: 'Level 3', level: 3 });
  const upload = await request.put(`/api/floors/${floor.id}/plan`, { data: planSvg(rows), headers: { 'content-type': 'image/svg+xml' } });
  if (!upload.ok()) throw new Error(`plan upload answered ${upload.status()}: ${await upload.text()}`);
  const zones = await inParallel(
    Array.from({ length: 10 }, (_, i) => i),
    4,
    (i) =>
      api.post<{ id: string }>('/api/zones', {
        siteId: site.id,
        buildingId: building.id,
        floorId: floor.id,
        name: `Ward ${i + 1}`,
        type: 'clinical',
      }),
  );
  const doors = await inParallel(
    Array.from({ length: count }, (_, i) => i),
    8,
    (i) =>
      api.post<{ id: string }>('/api/doors', {
        siteId: site.id,
        floorId: floor.id,
        name: `Door ${String(i + 1).padStart(4, '0')}`,
        toZoneId: zones[Math.floor((i * zones.length) / count)]!.id,
        position: { x: (i % COLUMNS) * PITCH + PITCH / 2, y: Math.floor(i / COLUMNS) * PITCH + PITCH / 2 },
      }),
  );
  return { siteId: site.id, floorId: floor.id, doorIds: doors.map((d) => d.id) };
}

/** Zone outlines on floor plans: read with the floor, drawn and removed per zone and floor. */
import Type from 'typebox';
import { ZoneOutlineInputSchema, ZoneOutlineSchema, type FacilityService } from '../../modules/facility/index.js';
import type { Api } from '../server.js';
import { NoContent, Uuid, closed, field, idParams, manage, principalOf, read } from './facility-shared.js';

export function zoneOutlineRoutes(app: Api, service: FacilityService): void {
  const tags = ['facility'];
  const OutlineParams = Type.Object({ zoneId: Uuid, floorId: Uuid }, closed);
  const Outlines = Type.Object({ items: Type.Array(ZoneOutlineSchema) }, closed);
  const ofZone = (request: Parameters<typeof field>[0]) => service.zones.siteOf(field(request, 'params', 'zoneId') ?? '');
  const ofFloor = (request: Parameters<typeof field>[0]) => service.floors.siteOf(field(request, 'params', 'floorId') ?? '');

  app.get(
    '/api/floors/:floorId/zone-outlines',
    {
      config: { access: { ...read, site: ofFloor } },
      schema: {
        tags,
        summary: 'The zone outlines drawn on a floor’s plan',
        params: idParams('floorId'),
        response: { 200: Outlines },
      },
    },
    async (request) => ({ items: await service.zoneOutlines.onFloor(request.params.floorId) }),
  );

  app.get(
    '/api/zones/:zoneId/outlines',
    {
      config: { access: { ...read, site: ofZone } },
      schema: { tags, summary: 'A zone’s outlines, one per floor', params: idParams('zoneId'), response: { 200: Outlines } },
    },
    async (request) => ({ items: await service.zoneOutlines.ofZone(request.params.zoneId) }),
  );

  app.put(
    '/api/zones/:zoneId/outlines/:floorId',
    {
      config: { access: { ...manage, site: ofZone } },
      schema: {
        tags,
        summary: 'Draw a zone’s outline on a floor plan',
        description:
          'Replaces the zone’s outline on that floor. Corners are in the plan’s viewBox units (as door positions are) and must lie on the plan; the floor must be the zone’s own, or in its building. Refused with `facility.zone_outline_invalid` otherwise, and with `facility.floor_plan_missing` before a plan is uploaded.',
        params: OutlineParams,
        body: ZoneOutlineInputSchema,
        response: { 200: ZoneOutlineSchema },
      },
    },
    async (request) => service.zoneOutlines.draw(principalOf(request).actor, request.params.zoneId, request.params.floorId, request.body),
  );

  app.delete(
    '/api/zones/:zoneId/outlines/:floorId',
    {
      config: { access: { ...manage, site: ofZone } },
      schema: { tags, summary: 'Take a zone’s outline off a floor plan', params: OutlineParams, response: { 204: NoContent } },
    },
    async (request, reply) => {
      await service.zoneOutlines.remove(principalOf(request).actor, request.params.zoneId, request.params.floorId);
      return reply.code(204).send(null);
    },
  );
}

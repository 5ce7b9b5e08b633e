/**
 * Floors and their plans. A plan is uploaded as the raw `image/svg+xml` body (the upload size
 * limit applies), sanitised before it is stored, and served back with a Content-Security-Policy
 * that forbids scripts even if a browser opens the SVG directly.
 */
import Type from 'typebox';
import { FloorCreateSchema, FloorPatchSchema, FloorSchema, facilityError, type FacilityService } from '../../modules/facility/index.js';
import type { Api } from '../server.js';
import {
  NoContent,
  PageFields,
  SiteFilter,
  closed,
  field,
  idParams,
  manage,
  pageOf,
  principalOf,
  read,
  readableSites,
} from './facility-shared.js';

const SVG = 'image/svg+xml';
// Defence in depth for a plan opened on its own: nothing may run or load, inline styles may apply.
const PLAN_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

export async function floorRoutes(app: Api, service: FacilityService): Promise<void> {
  const tags = ['facility'];
  const FloorParams = idParams('floorId');
  const ofFloor = (request: Parameters<typeof field>[0]) => service.floors.siteOf(field(request, 'params', 'floorId') ?? '');

  app.get(
    '/api/floors',
    {
      config: { access: { ...read, site: (request) => field(request, 'query', 'site') } },
      schema: {
        tags,
        summary: 'List floors',
        querystring: Type.Object({ ...PageFields, site: SiteFilter, building: Type.Optional(Type.String({ format: 'uuid' })) }, closed),
        response: { 200: pageOf(FloorSchema) },
      },
    },
    async (request) => {
      const { site, building, ...page } = request.query;
      return service.floors.list({ ...page, siteId: site, buildingId: building, sites: readableSites(request) });
    },
  );

  app.post(
    '/api/floors',
    {
      config: { access: { ...manage, site: (request) => service.buildings.siteOf(field(request, 'body', 'buildingId') ?? '') } },
      schema: { tags, summary: 'Add a floor to a building', body: FloorCreateSchema, response: { 201: FloorSchema } },
    },
    async (request, reply) => reply.code(201).send(await service.floors.create(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/floors/:floorId',
    {
      config: { access: { ...read, site: ofFloor } },
      schema: { tags, summary: 'Read a floor', params: FloorParams, response: { 200: FloorSchema } },
    },
    async (request) => service.floors.get(request.params.floorId),
  );

  app.patch(
    '/api/floors/:floorId',
    {
      config: { access: { ...manage, site: ofFloor } },
      schema: { tags, summary: 'Rename or renumber a floor', params: FloorParams, body: FloorPatchSchema, response: { 200: FloorSchema } },
    },
    async (request) => service.floors.update(principalOf(request).actor, request.params.floorId, request.body),
  );

  app.delete(
    '/api/floors/:floorId',
    {
      config: { access: { ...manage, site: ofFloor } },
      schema: {
        tags,
        summary: 'Remove a floor',
        description: 'Refused with `facility.in_use` while zones or doors are on it.',
        params: FloorParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.floors.remove(principalOf(request).actor, request.params.floorId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/floors/:floorId/plan',
    {
      config: { access: { ...read, site: ofFloor } },
      schema: {
        tags,
        summary: 'Download the floor plan (sanitised SVG)',
        params: FloorParams,
        response: { 200: { description: 'The sanitised SVG.', content: { [SVG]: { schema: Type.String() } } } },
      },
    },
    async (request, reply) => {
      const plan = await service.floors.planSvg(request.params.floorId);
      return reply
        .type(SVG)
        .header('content-security-policy', PLAN_CSP)
        .header('etag', `"${plan.sha256}"`)
        .header('content-disposition', `inline; filename="floor-${request.params.floorId}.svg"`)
        .send(plan.svg);
    },
  );

  app.delete(
    '/api/floors/:floorId/plan',
    {
      config: { access: { ...manage, site: ofFloor } },
      schema: { tags, summary: 'Remove the floor plan', params: FloorParams, response: { 200: FloorSchema } },
    },
    async (request) => service.floors.removePlan(principalOf(request).actor, request.params.floorId),
  );

  // The upload route accepts only image/svg+xml, so its parsers live in a scope of their own.
  await app.register((scope: Api) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(SVG, { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
      try {
        done(null, new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        done(facilityError('facility.svg_invalid', 'The floor plan is not UTF-8 text', {}), undefined);
      }
    });
    scope.put(
      '/api/floors/:floorId/plan',
      {
        config: { access: { ...manage, site: ofFloor, upload: true } },
        schema: {
          tags,
          summary: 'Upload or replace the floor plan (image/svg+xml body)',
          description:
            'The plan is parsed as XML and rebuilt from an allowlist of SVG elements and attributes. Plans with scripts, event handlers, foreignObject, external references or a DOCTYPE are refused with `facility.svg_unsafe` listing what was found; comments, processing instructions and editor metadata are dropped. The plan needs a viewBox (or width and height): door positions are given in its units.',
          consumes: [SVG],
          params: FloorParams,
          body: Type.String({ description: 'The SVG document, UTF-8.' }),
          response: { 200: FloorSchema },
        },
      },
      async (request) => service.floors.uploadPlan(principalOf(request).actor, request.params.floorId, request.body),
    );
    return Promise.resolve();
  });
}

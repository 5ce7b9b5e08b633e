/** Zones and doors: each checked against the site it belongs to. */
import Type from 'typebox';
import {
  DoorCreateSchema,
  DoorPatchSchema,
  DoorSchema,
  ZoneCreateSchema,
  ZonePatchSchema,
  ZoneSchema,
  ZoneTypeSchema,
  type FacilityService,
} from '../../modules/facility/index.js';
import type { Api } from '../server.js';
import {
  NoContent,
  PageFields,
  SiteFilter,
  Uuid,
  closed,
  field,
  idParams,
  manage,
  pageOf,
  principalOf,
  read,
  readableSites,
} from './facility-shared.js';

export function zoneAndDoorRoutes(app: Api, service: FacilityService): void {
  const tags = ['facility'];
  const ZoneParams = idParams('zoneId');
  const DoorParams = idParams('doorId');
  const ofZone = (request: Parameters<typeof field>[0]) => service.zones.siteOf(field(request, 'params', 'zoneId') ?? '');
  const ofDoor = (request: Parameters<typeof field>[0]) => service.doors.siteOf(field(request, 'params', 'doorId') ?? '');
  const bySiteQuery = (request: Parameters<typeof field>[0]) => field(request, 'query', 'site');
  const bySiteBody = (request: Parameters<typeof field>[0]) => field(request, 'body', 'siteId');

  app.get(
    '/api/zones',
    {
      config: { access: { ...read, site: bySiteQuery } },
      schema: {
        tags,
        summary: 'List zones',
        querystring: Type.Object(
          { ...PageFields, site: SiteFilter, type: Type.Optional(ZoneTypeSchema), floor: Type.Optional(Uuid) },
          closed,
        ),
        response: { 200: pageOf(ZoneSchema) },
      },
    },
    async (request) => {
      const { site, type, floor, ...page } = request.query;
      return service.zones.list({ ...page, siteId: site, type, floorId: floor, sites: readableSites(request) });
    },
  );

  app.post(
    '/api/zones',
    {
      config: { access: { ...manage, site: bySiteBody } },
      schema: {
        tags,
        summary: 'Define a zone',
        description: 'Without `securityLevel` the zone gets its type’s default level (see `GET /api/zone-types`).',
        body: ZoneCreateSchema,
        response: { 201: ZoneSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await service.zones.create(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/zones/:zoneId',
    {
      config: { access: { ...read, site: ofZone } },
      schema: { tags, summary: 'Read a zone', params: ZoneParams, response: { 200: ZoneSchema } },
    },
    async (request) => service.zones.get(request.params.zoneId),
  );

  app.patch(
    '/api/zones/:zoneId',
    {
      config: { access: { ...manage, site: ofZone } },
      schema: {
        tags,
        summary: 'Change a zone',
        description: 'Changing the type keeps the current security level unless `securityLevel` is also given.',
        params: ZoneParams,
        body: ZonePatchSchema,
        response: { 200: ZoneSchema },
      },
    },
    async (request) => service.zones.update(principalOf(request).actor, request.params.zoneId, request.body),
  );

  app.delete(
    '/api/zones/:zoneId',
    {
      config: { access: { ...manage, site: ofZone } },
      schema: {
        tags,
        summary: 'Remove a zone',
        description: 'Refused with `facility.in_use` while a door leads into or out of it.',
        params: ZoneParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.zones.remove(principalOf(request).actor, request.params.zoneId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/doors',
    {
      config: { access: { ...read, site: bySiteQuery } },
      schema: {
        tags,
        summary: 'List doors',
        querystring: Type.Object(
          {
            ...PageFields,
            site: SiteFilter,
            floor: Type.Optional(Uuid),
            zone: Type.Optional(Type.String({ format: 'uuid', description: 'Doors leading into or out of this zone.' })),
          },
          closed,
        ),
        response: { 200: pageOf(DoorSchema) },
      },
    },
    async (request) => {
      const { site, floor, zone, ...page } = request.query;
      return service.doors.list({ ...page, siteId: site, floorId: floor, zoneId: zone, sites: readableSites(request) });
    },
  );

  app.post(
    '/api/doors',
    {
      config: { access: { ...manage, site: bySiteBody } },
      schema: {
        tags,
        summary: 'Configure a door',
        description:
          'Readers must be registered reader devices on the same site, the controller a controller or edge agent; lock output and inputs are point numbers on that controller. Egress doors default to fail-safe locks.',
        body: DoorCreateSchema,
        response: { 201: DoorSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await service.doors.create(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/doors/:doorId',
    {
      config: { access: { ...read, site: ofDoor } },
      schema: { tags, summary: 'Read a door', params: DoorParams, response: { 200: DoorSchema } },
    },
    async (request) => service.doors.get(request.params.doorId),
  );

  app.patch(
    '/api/doors/:doorId',
    {
      config: { access: { ...manage, site: ofDoor } },
      schema: { tags, summary: 'Change a door’s configuration', params: DoorParams, body: DoorPatchSchema, response: { 200: DoorSchema } },
    },
    async (request) => service.doors.update(principalOf(request).actor, request.params.doorId, request.body),
  );

  app.delete(
    '/api/doors/:doorId',
    {
      config: { access: { ...manage, site: ofDoor } },
      schema: { tags, summary: 'Remove a door', params: DoorParams, response: { 204: NoContent } },
    },
    async (request, reply) => {
      await service.doors.remove(principalOf(request).actor, request.params.doorId);
      return reply.code(204).send(null);
    },
  );
}

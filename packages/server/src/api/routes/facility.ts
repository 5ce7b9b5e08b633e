/**
 * Facility configuration over HTTP: sites, buildings, floors and floor plans, zones, doors and
 * devices. Reading needs `facility.read`, changing `facility.manage`, each checked on the site the
 * item belongs to, so a site-scoped security manager configures only their own site; lists show
 * only the sites the caller may read. Creating a site needs `facility.manage` on every site.
 */
import Type from 'typebox';
import {
  BuildingCreateSchema,
  BuildingPatchSchema,
  BuildingSchema,
  SECURITY_LEVELS,
  SiteCreateSchema,
  SitePatchSchema,
  SiteSchema,
  ZONE_TYPES,
  ZONE_TYPE_NAMES,
  type FacilityService,
} from '../../modules/facility/index.js';
import { ALL_SITES } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { deviceRoutes } from './facility-devices.js';
import { floorRoutes } from './facility-floors.js';
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
import { zoneAndDoorRoutes } from './facility-zones-doors.js';
import { zoneOutlineRoutes } from './facility-zone-outlines.js';

export function facilityRoutes(service: FacilityService) {
  return async (app: Api): Promise<void> => {
    siteRoutes(app, service);
    buildingRoutes(app, service);
    await floorRoutes(app, service);
    zoneAndDoorRoutes(app, service);
    zoneOutlineRoutes(app, service);
    deviceRoutes(app, service);
  };
}

function siteRoutes(app: Api, service: FacilityService): void {
  const tags = ['facility'];
  const SiteParams = idParams('siteId');
  const onSite = (request: Parameters<typeof field>[0]) => field(request, 'params', 'siteId');

  app.get(
    '/api/sites',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List the sites the caller may see',
        querystring: Type.Object(PageFields, closed),
        response: { 200: pageOf(SiteSchema) },
      },
    },
    async (request) => service.sites.list({ ...request.query, sites: readableSites(request) }),
  );

  app.post(
    '/api/sites',
    {
      // A new site is outside every site-scoped grant, so only a grant on all sites may create one.
      config: { access: { ...manage, site: () => ALL_SITES } },
      schema: {
        tags,
        summary: 'Create a site',
        description: 'The time zone must be an IANA name (`America/Chicago`); schedules on the site are evaluated in it.',
        body: SiteCreateSchema,
        response: { 201: SiteSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await service.sites.create(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/sites/:siteId',
    {
      config: { access: { ...read, site: onSite } },
      schema: { tags, summary: 'Read a site', params: SiteParams, response: { 200: SiteSchema } },
    },
    async (request) => service.sites.get(request.params.siteId),
  );

  app.patch(
    '/api/sites/:siteId',
    {
      config: { access: { ...manage, site: onSite } },
      schema: {
        tags,
        summary: 'Rename a site or change its time zone or address',
        params: SiteParams,
        body: SitePatchSchema,
        response: { 200: SiteSchema },
      },
    },
    async (request) => service.sites.update(principalOf(request).actor, request.params.siteId, request.body),
  );

  app.delete(
    '/api/sites/:siteId',
    {
      config: { access: { ...manage, site: onSite } },
      schema: {
        tags,
        summary: 'Remove an empty site',
        description: 'Refused with `facility.in_use` while buildings, floors, zones, doors or devices remain on it.',
        params: SiteParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.sites.remove(principalOf(request).actor, request.params.siteId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/zone-types',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'The zone-type catalogue with default security levels',
        response: {
          200: Type.Array(
            Type.Object(
              {
                type: Type.String(),
                label: Type.String(),
                description: Type.String(),
                defaultSecurityLevel: Type.Integer(),
                defaultSecurityLevelName: Type.String(),
              },
              closed,
            ),
          ),
        },
      },
    },
    () =>
      ZONE_TYPE_NAMES.map((type) => ({
        type,
        label: ZONE_TYPES[type].label,
        description: ZONE_TYPES[type].description,
        defaultSecurityLevel: ZONE_TYPES[type].defaultSecurityLevel,
        defaultSecurityLevelName: SECURITY_LEVELS[ZONE_TYPES[type].defaultSecurityLevel],
      })),
  );
}

function buildingRoutes(app: Api, service: FacilityService): void {
  const tags = ['facility'];
  const BuildingParams = idParams('buildingId');
  const ofBuilding = (request: Parameters<typeof field>[0]) => service.buildings.siteOf(field(request, 'params', 'buildingId') ?? '');

  app.get(
    '/api/buildings',
    {
      config: { access: { ...read, site: (request) => field(request, 'query', 'site') } },
      schema: {
        tags,
        summary: 'List buildings',
        querystring: Type.Object({ ...PageFields, site: SiteFilter }, closed),
        response: { 200: pageOf(BuildingSchema) },
      },
    },
    async (request) => {
      const { site, ...page } = request.query;
      return service.buildings.list({ ...page, siteId: site, sites: readableSites(request) });
    },
  );

  app.post(
    '/api/buildings',
    {
      config: { access: { ...manage, site: (request) => field(request, 'body', 'siteId') } },
      schema: { tags, summary: 'Add a building to a site', body: BuildingCreateSchema, response: { 201: BuildingSchema } },
    },
    async (request, reply) => reply.code(201).send(await service.buildings.create(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/buildings/:buildingId',
    {
      config: { access: { ...read, site: ofBuilding } },
      schema: { tags, summary: 'Read a building', params: BuildingParams, response: { 200: BuildingSchema } },
    },
    async (request) => service.buildings.get(request.params.buildingId),
  );

  app.patch(
    '/api/buildings/:buildingId',
    {
      config: { access: { ...manage, site: ofBuilding } },
      schema: { tags, summary: 'Rename a building', params: BuildingParams, body: BuildingPatchSchema, response: { 200: BuildingSchema } },
    },
    async (request) => service.buildings.update(principalOf(request).actor, request.params.buildingId, request.body),
  );

  app.delete(
    '/api/buildings/:buildingId',
    {
      config: { access: { ...manage, site: ofBuilding } },
      schema: {
        tags,
        summary: 'Remove an empty building',
        description: 'Refused with `facility.in_use` while floors, zones or doors refer to it.',
        params: BuildingParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.buildings.remove(principalOf(request).actor, request.params.buildingId);
      return reply.code(204).send(null);
    },
  );
}

/** The device registry: devices are registered under their serial number or MAC address. */
import Type from 'typebox';
import {
  DeviceHealthSchema,
  DeviceKindSchema,
  DevicePatchSchema,
  DeviceRegisterSchema,
  DeviceSchema,
  type FacilityService,
} from '../../modules/facility/index.js';
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
  requireOn,
} from './facility-shared.js';

export function deviceRoutes(app: Api, service: FacilityService): void {
  const tags = ['devices'];
  const DeviceParams = idParams('deviceId');
  const ofDevice = (request: Parameters<typeof field>[0]) => service.devices.siteOf(field(request, 'params', 'deviceId') ?? '');

  app.get(
    '/api/devices',
    {
      config: { access: { ...read, site: (request) => field(request, 'query', 'site') } },
      schema: {
        tags,
        summary: 'List devices',
        querystring: Type.Object(
          { ...PageFields, site: SiteFilter, kind: Type.Optional(DeviceKindSchema), health: Type.Optional(DeviceHealthSchema) },
          closed,
        ),
        response: { 200: pageOf(DeviceSchema) },
      },
    },
    async (request) => {
      const { site, kind, health, ...page } = request.query;
      return service.devices.list({ ...page, siteId: site, kind, health, sites: readableSites(request) });
    },
  );

  app.post(
    '/api/devices',
    {
      config: { access: { ...manage, site: (request) => field(request, 'body', 'siteId') } },
      schema: {
        tags,
        summary: 'Register a device',
        description:
          'A device is identified by its serial number or MAC address (normalised; `stableId` is derived from the serial when there is one), never by its IP address or name, which may change later. Registering the same serial or MAC twice answers `facility.device_already_registered` naming the existing device.',
        body: DeviceRegisterSchema,
        response: { 201: DeviceSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await service.devices.register(principalOf(request).actor, request.body)),
  );

  app.get(
    '/api/devices/:deviceId',
    {
      config: { access: { ...read, site: ofDevice } },
      schema: { tags, summary: 'Read a device', params: DeviceParams, response: { 200: DeviceSchema } },
    },
    async (request) => service.devices.get(request.params.deviceId),
  );

  app.patch(
    '/api/devices/:deviceId',
    {
      config: { access: { ...manage, site: ofDevice } },
      schema: {
        tags,
        summary: 'Rename, re-address or move a device',
        description:
          'Serial number, MAC address and kind are the device itself and cannot change. Moving to another site needs `facility.manage` there too, and is refused while a door uses the device.',
        params: DeviceParams,
        body: DevicePatchSchema,
        response: { 200: DeviceSchema },
      },
    },
    async (request) => {
      if (request.body.siteId) requireOn(request, 'facility.manage', request.body.siteId);
      return service.devices.update(principalOf(request).actor, request.params.deviceId, request.body);
    },
  );

  app.delete(
    '/api/devices/:deviceId',
    {
      config: { access: { ...manage, site: ofDevice } },
      schema: {
        tags,
        summary: 'Remove a device from the registry',
        description: 'Refused with `facility.in_use` while a door uses it as a reader or controller.',
        params: DeviceParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.devices.remove(principalOf(request).actor, request.params.deviceId);
      return reply.code(204).send(null);
    },
  );
}

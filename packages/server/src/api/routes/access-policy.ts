/**
 * The access policy over HTTP: schedules and holidays of a site, access groups (doors with a
 * schedule), a person's groups and privileges, and each door's configured mode. Reading needs
 * `facility.read` (a person's access: `credentials.read`), changing `facility.manage` (a person's
 * access, or a group's members: `credentials.manage` on every site whose groups it adds or removes).
 */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import {
  AccessGroupCreateSchema,
  AccessGroupPatchSchema,
  AccessGroupSchema,
  DoorAccessModeSchema,
  DoorAccessModeUpdateSchema,
  GroupMembersChangeSchema,
  GroupMembersRequestSchema,
  HolidayCreateSchema,
  HolidaySchema,
  PersonAccessSchema,
  PersonAccessUpdateSchema,
  ScheduleCreateSchema,
  SchedulePatchSchema,
  ScheduleSchema,
  SnapshotStatusSchema,
  type AccessModule,
} from '../../modules/access/index.js';
import type { Permission } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { NoContent, SiteFilter, closed, field, idParams, pageOf, principalOf, readableSites } from './facility-shared.js';

const tags = ['access policy'];
const PageFields = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
};
const PageQuery = Type.Object(PageFields, closed);
const read = 'facility.read' as const;
const manage = 'facility.manage' as const;

export function accessPolicyRoutes(access: AccessModule) {
  return (app: Api) => {
    const { schedules, groups } = access;
    const param = (request: FastifyRequest, name: string) => String((request.params as Record<string, unknown>)[name]);
    const siteParam = (request: FastifyRequest) => field(request, 'params', 'siteId');
    const siteOfSchedule = (request: FastifyRequest) => schedules.siteOf(param(request, 'scheduleId'));
    const siteOfGroup = (request: FastifyRequest) => groups.siteOf(param(request, 'groupId'));
    const siteOfDoor = (request: FastifyRequest) => access.doors.siteOfDoor(param(request, 'doorId'));
    const ScheduleParams = idParams('scheduleId');
    const GroupParams = idParams('groupId');
    const SiteParams = idParams('siteId');

    app.get(
      '/api/sites/:siteId/access-schedules',
      {
        config: { access: { permission: read, site: siteParam } },
        schema: {
          tags,
          summary: 'Schedules of a site',
          params: SiteParams,
          querystring: PageQuery,
          response: { 200: pageOf(ScheduleSchema) },
        },
      },
      async (request) => schedules.list(request.params.siteId, request.query),
    );
    app.post(
      '/api/access-schedules',
      {
        config: { access: { permission: manage, site: (request) => field(request, 'body', 'siteId') } },
        schema: {
          tags,
          summary: 'Create a weekly schedule',
          description: 'Evaluated in the site’s time zone, DST included. A holiday type the schedule does not name runs as a normal day.',
          body: ScheduleCreateSchema,
          response: { 201: ScheduleSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await schedules.create(principalOf(request).actor, request.body)),
    );
    app.get(
      '/api/access-schedules/:scheduleId',
      {
        config: { access: { permission: read, site: siteOfSchedule } },
        schema: { tags, summary: 'One schedule', params: ScheduleParams, response: { 200: ScheduleSchema } },
      },
      async (request) => schedules.get(request.params.scheduleId),
    );
    app.patch(
      '/api/access-schedules/:scheduleId',
      {
        config: { access: { permission: manage, site: siteOfSchedule } },
        schema: {
          tags,
          summary: 'Change a schedule',
          params: ScheduleParams,
          body: SchedulePatchSchema,
          response: { 200: ScheduleSchema },
        },
      },
      async (request) => schedules.update(principalOf(request).actor, request.params.scheduleId, request.body),
    );
    app.delete(
      '/api/access-schedules/:scheduleId',
      {
        config: { access: { permission: manage, site: siteOfSchedule } },
        schema: { tags, summary: 'Remove an unused schedule', params: ScheduleParams, response: { 204: NoContent } },
      },
      async (request, reply) => {
        await schedules.remove(principalOf(request).actor, request.params.scheduleId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/sites/:siteId/holidays',
      {
        config: { access: { permission: read, site: siteParam } },
        schema: {
          tags,
          summary: 'Holidays of a site',
          params: SiteParams,
          querystring: PageQuery,
          response: { 200: pageOf(HolidaySchema) },
        },
      },
      async (request) => schedules.listHolidays(request.params.siteId, request.query),
    );
    app.post(
      '/api/sites/:siteId/holidays',
      {
        config: { access: { permission: manage, site: siteParam } },
        schema: {
          tags,
          summary: 'Add a holiday to a site',
          params: SiteParams,
          body: HolidayCreateSchema,
          response: { 201: HolidaySchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await schedules.addHoliday(principalOf(request).actor, request.params.siteId, request.body)),
    );
    app.delete(
      '/api/sites/:siteId/holidays/:holidayId',
      {
        config: { access: { permission: manage, site: siteParam } },
        schema: {
          tags,
          summary: 'Remove a holiday',
          params: Type.Object({ siteId: Type.String({ format: 'uuid' }), holidayId: Type.String({ format: 'uuid' }) }, closed),
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await schedules.removeHoliday(principalOf(request).actor, request.params.siteId, request.params.holidayId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/access-groups',
      {
        config: { access: { permission: read, site: (request) => field(request, 'query', 'siteId') } },
        schema: {
          tags,
          summary: 'Access groups',
          querystring: Type.Object({ siteId: SiteFilter, ...PageFields }, closed),
          response: { 200: pageOf(AccessGroupSchema) },
        },
      },
      async (request) => groups.list(readableSites(request), request.query),
    );
    app.post(
      '/api/access-groups',
      {
        config: { access: { permission: manage, site: (request) => field(request, 'body', 'siteId') } },
        schema: { tags, summary: 'Create an access group', body: AccessGroupCreateSchema, response: { 201: AccessGroupSchema } },
      },
      async (request, reply) => reply.code(201).send(await groups.create(principalOf(request).actor, request.body)),
    );
    app.get(
      '/api/access-groups/:groupId',
      {
        config: { access: { permission: read, site: siteOfGroup } },
        schema: { tags, summary: 'One access group', params: GroupParams, response: { 200: AccessGroupSchema } },
      },
      async (request) => groups.get(request.params.groupId),
    );
    app.patch(
      '/api/access-groups/:groupId',
      {
        config: { access: { permission: manage, site: siteOfGroup } },
        schema: {
          tags,
          summary: 'Change an access group (its doors are replaced when given)',
          params: GroupParams,
          body: AccessGroupPatchSchema,
          response: { 200: AccessGroupSchema },
        },
      },
      async (request) => groups.update(principalOf(request).actor, request.params.groupId, request.body),
    );
    app.delete(
      '/api/access-groups/:groupId',
      {
        config: { access: { permission: manage, site: siteOfGroup } },
        schema: { tags, summary: 'Remove an access group', params: GroupParams, response: { 204: NoContent } },
      },
      async (request, reply) => {
        await groups.remove(principalOf(request).actor, request.params.groupId);
        return reply.code(204).send(null);
      },
    );

    // Membership is a person's access, so it takes what setting one person's groups takes
    // (`credentials.manage`), on the group's site.
    const membership = { permission: 'credentials.manage', site: siteOfGroup } as const;
    const membershipRoutes = [
      { path: 'members', direction: 'add', summary: 'Add persons to an access group', event: 'members_added', untouched: 'already in' },
      {
        path: 'members/remove',
        direction: 'remove',
        summary: 'Remove persons from an access group',
        event: 'members_removed',
        untouched: 'not in',
      },
    ] as const;
    for (const route of membershipRoutes) {
      app.post(
        `/api/access-groups/:groupId/${route.path}`,
        {
          config: { access: membership },
          schema: {
            tags,
            summary: route.summary,
            description: `Up to 5,000 persons in one transaction, journaled as one \`access_group.${route.event}\` event listing the persons it changed. Persons ${route.untouched} the group are counted in \`unchanged\`, so sending the same list again changes nothing. If any id names no person, nothing changes and \`access_policy.persons_not_found\` lists them.`,
            params: GroupParams,
            body: GroupMembersRequestSchema,
            response: { 200: GroupMembersChangeSchema },
          },
        },
        async (request) => access.members[route.direction](principalOf(request).actor, request.params.groupId, request.body.personIds),
      );
    }

    const PersonParams = idParams('personId');
    /** The first site among the groups before and after the change where the caller lacks the permission. */
    const groupSites = (permission: Permission) => async (request: FastifyRequest) => {
      const personId = param(request, 'personId');
      const current = await groups.personAccess(personId).then(
        (a) => a.groupIds,
        () => [] as string[],
      );
      const next = (request.body as { groupIds?: string[] } | undefined)?.groupIds ?? [];
      const sites = await groups.sitesOfGroups([...current, ...next]);
      return sites.find((site) => !request.principal?.can(permission, site)) ?? sites[0] ?? null;
    };
    app.get(
      '/api/people/persons/:personId/access',
      {
        config: { access: { permission: 'credentials.read', site: groupSites('credentials.read') } },
        schema: { tags, summary: 'A person’s access groups and privileges', params: PersonParams, response: { 200: PersonAccessSchema } },
      },
      async (request) => groups.personAccess(request.params.personId),
    );
    app.put(
      '/api/people/persons/:personId/access',
      {
        config: { access: { permission: 'credentials.manage', site: groupSites('credentials.manage') } },
        schema: {
          tags,
          summary: 'Set a person’s access groups and privileges',
          description:
            '`lockdown_override` lets a person through doors in lockdown; `escort` makes them an escort; `escort_required` lets a visitor pass only right after an escort.',
          params: PersonParams,
          body: PersonAccessUpdateSchema,
          response: { 200: PersonAccessSchema },
        },
      },
      async (request) => groups.setPersonAccess(principalOf(request).actor, request.params.personId, request.body),
    );

    app.get(
      '/api/sites/:siteId/access-snapshot',
      {
        config: { access: { permission: read, site: siteParam } },
        schema: {
          tags,
          summary: 'The access snapshot the site’s agents run',
          description:
            'Compiles a new version first when the policy changed. A policy that does not compile is reported here and the agents keep the last good version.',
          params: SiteParams,
          response: { 200: SnapshotStatusSchema },
        },
      },
      async (request) => access.snapshots.status(request.params.siteId),
    );

    app.get(
      '/api/doors/:doorId/access-mode',
      {
        config: { access: { permission: read, site: siteOfDoor } },
        schema: { tags, summary: 'A door’s configured mode', params: idParams('doorId'), response: { 200: DoorAccessModeSchema } },
      },
      async (request) => groups.doorMode(request.params.doorId),
    );
    app.put(
      '/api/doors/:doorId/access-mode',
      {
        config: { access: { permission: manage, site: siteOfDoor } },
        schema: {
          tags,
          summary: 'Configure a door’s mode',
          description: '`scheduled` (unlocked while the schedule runs) and `first_person_in` need a schedule of the door’s site.',
          params: idParams('doorId'),
          body: DoorAccessModeUpdateSchema,
          response: { 200: DoorAccessModeSchema },
        },
      },
      async (request) => groups.setDoorMode(principalOf(request).actor, request.params.doorId, request.body),
    );
  };
}

/**
 * The alarm queue and its workflow (permission `alarms.handle`, on the alarm's site), procedures
 * (`facility.manage`), shelving, false-alarm rates and incidents.
 */
import Type from 'typebox';
import {
  ALARM_STATES,
  AlarmSchema,
  AlarmSummarySchema,
  AlarmTypeSchema,
  FalseAlarmRateSchema,
  IncidentSchema,
  ProcedureInputSchema,
  ProcedureSchema,
  ShelfSchema,
  type AlarmsModule,
} from '../../modules/alarms/index.js';
import type { Api } from '../server.js';
import { PageFields, SiteFilter, closed, field, idParams, pageOf, principalOf, requireOn } from './facility-shared.js';

const handle = { permission: 'alarms.handle' } as const;
const tags = ['alarms'];

export function alarmRoutes(module: AlarmsModule) {
  return (app: Api) => {
    const AlarmParams = idParams('alarmId');
    const ofAlarm = async (request: Parameters<typeof field>[0]) =>
      (await module.queries.siteOf(field(request, 'params', 'alarmId') ?? '')) ?? null;
    const ofShelf = async (request: Parameters<typeof field>[0]) =>
      (await module.shelving.siteOf(field(request, 'params', 'shelfId') ?? '')) ?? null;
    const ofIncident = async (request: Parameters<typeof field>[0]) =>
      (await module.incidents.siteOf(field(request, 'params', 'incidentId') ?? '')) ?? null;
    const bySiteQuery = (request: Parameters<typeof field>[0]) => field(request, 'query', 'site');
    const sites = (request: Parameters<typeof field>[0]) => principalOf(request).sitesFor('alarms.handle');
    const step = (
      summary: string,
      path: string,
      body: ReturnType<typeof Type.Object> | undefined,
      run: (actor: string, id: string, body: never) => Promise<unknown>,
      description?: string,
    ) =>
      app.post(
        `/api/alarms/:alarmId/${path}`,
        {
          config: { access: { ...handle, site: ofAlarm } },
          schema: {
            tags,
            summary,
            ...(description ? { description } : {}),
            params: AlarmParams,
            ...(body ? { body } : {}),
            response: { 200: AlarmSummarySchema },
          },
        },
        (request) => run(principalOf(request).actor, request.params.alarmId, request.body as never) as never,
      );

    app.get(
      '/api/alarms',
      {
        config: { access: { ...handle, site: bySiteQuery } },
        schema: {
          tags,
          summary: 'The alarm queue',
          description:
            'Open alarms by priority (1 first), newest first within a priority. Default: every state but closed, shelved included.',
          querystring: Type.Object(
            {
              ...PageFields,
              site: SiteFilter,
              state: Type.Optional(Type.Array(Type.Enum(ALARM_STATES), { maxItems: 5 })),
              shelved: Type.Optional(Type.Boolean()),
              maxPriority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
              type: Type.Optional(AlarmTypeSchema),
            },
            closed,
          ),
          response: { 200: pageOf(AlarmSummarySchema) },
        },
      },
      async (request) => {
        const q = request.query;
        return module.queries.list({
          limit: q.limit,
          cursor: q.cursor,
          sites: sites(request),
          siteId: q.site,
          states: q.state,
          shelved: q.shelved,
          maxPriority: q.maxPriority,
          type: q.type,
        });
      },
    );

    app.get(
      '/api/alarms/:alarmId',
      {
        config: { access: { ...handle, site: ofAlarm } },
        schema: { tags, summary: 'An alarm with its procedure steps', params: AlarmParams, response: { 200: AlarmSchema } },
      },
      async (request) => module.queries.get(request.params.alarmId),
    );

    step('Acknowledge an alarm', 'acknowledge', undefined, (actor, id) => module.alarms.acknowledge(actor, id), 'Stops its escalation.');
    step(
      'Assign an alarm to a responder',
      'assign',
      Type.Object({ assignee: Type.String({ minLength: 1, maxLength: 200 }) }, closed),
      (actor, id, body: { assignee: string }) => module.alarms.assign(actor, id, body.assignee),
    );
    step(
      'Resolve an alarm',
      'resolve',
      Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })), falseAlarm: Type.Optional(Type.Boolean()) }, closed),
      (actor, id, body: { note?: string; falseAlarm?: boolean }) => module.alarms.resolve(actor, id, body),
      'Priority 1–2 alarms need a `note`; every required procedure step must be completed.',
    );
    step('Close a resolved alarm', 'close', undefined, (actor, id) => module.alarms.close(actor, id));
    step(
      'Mark a resolved alarm as a false alarm (or not)',
      'false-alarm',
      Type.Object({ falseAlarm: Type.Boolean() }, closed),
      (actor, id, body: { falseAlarm: boolean }) => module.alarms.markFalseAlarm(actor, id, body.falseAlarm),
    );

    app.post(
      '/api/alarms/:alarmId/steps/:position/complete',
      {
        config: { access: { ...handle, site: ofAlarm } },
        schema: {
          tags,
          summary: 'Complete a procedure step (timestamped)',
          params: Type.Object({ alarmId: Type.String({ format: 'uuid' }), position: Type.Integer({ minimum: 1, maximum: 50 }) }, closed),
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, closed),
          response: { 200: AlarmSummarySchema },
        },
      },
      async (request) =>
        module.alarms.completeStep(principalOf(request).actor, request.params.alarmId, request.params.position, request.body.note ?? null),
    );

    app.post(
      '/api/alarms/:alarmId/shelve',
      {
        config: { access: { ...handle, site: ofAlarm } },
        schema: {
          tags,
          summary: 'Shelve the alarm’s source with a reason until an expiry',
          description:
            'Alarms of this type from this device (or door, or zone) are recorded but neither escalate nor show in the default queue until the shelf expires. Priority 1 alarms cannot be shelved.',
          params: AlarmParams,
          body: Type.Object(
            { reason: Type.String({ minLength: 3, maxLength: 500 }), minutes: Type.Integer({ minimum: 1, maximum: 10_080 }) },
            closed,
          ),
          response: { 201: ShelfSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await module.shelving.shelve(principalOf(request).actor, request.params.alarmId, request.body)),
    );

    app.get(
      '/api/alarm-shelves',
      {
        config: { access: handle },
        schema: {
          tags,
          summary: 'Shelves (active only by default)',
          querystring: Type.Object({ active: Type.Boolean({ default: true }) }, closed),
          response: { 200: Type.Object({ items: Type.Array(ShelfSchema) }, closed) },
        },
      },
      async (request) => ({ items: await module.shelving.list({ sites: sites(request), active: request.query.active }) }),
    );

    app.post(
      '/api/alarm-shelves/:shelfId/release',
      {
        config: { access: { ...handle, site: ofShelf } },
        schema: { tags, summary: 'End a shelf early', params: idParams('shelfId'), response: { 200: ShelfSchema } },
      },
      async (request) => module.shelving.release(principalOf(request).actor, request.params.shelfId),
    );

    app.get(
      '/api/alarm-procedures',
      {
        config: { access: handle },
        schema: {
          tags,
          summary: 'Procedures (SOP checklists) per alarm type',
          response: { 200: Type.Object({ items: Type.Array(ProcedureSchema) }, closed) },
        },
      },
      async (request) => ({ items: await module.procedures.list({ sites: sites(request) }) }),
    );

    app.put(
      '/api/alarm-procedures',
      {
        config: { access: { permission: 'facility.manage', site: (request) => field(request, 'body', 'siteId') } },
        schema: {
          tags,
          summary: 'Define the procedure for an alarm type',
          description:
            'Replaces the procedure for the type on the site (`siteId` null: every site without its own, which needs `facility.manage` on every site). Alarms already raised keep the steps they were raised with.',
          body: ProcedureInputSchema,
          response: { 200: ProcedureSchema },
        },
      },
      async (request) => {
        if (request.body.siteId === null) requireEverySite(request, 'facility.manage');
        return module.procedures.define(principalOf(request).actor, request.body);
      },
    );

    app.get(
      '/api/alarm-reports/false-alarm-rates',
      {
        config: { access: handle },
        schema: {
          tags,
          summary: 'False-alarm rate per reporting device',
          querystring: Type.Object(
            {
              since: Type.String({ format: 'date-time' }),
              until: Type.Optional(Type.String({ format: 'date-time' })),
              minAlarms: Type.Integer({ minimum: 1, default: 3 }),
            },
            closed,
          ),
          response: { 200: Type.Object({ items: Type.Array(FalseAlarmRateSchema) }, closed) },
        },
      },
      async (request) => ({
        items: await module.queries.falseAlarmRates({
          sites: sites(request),
          since: new Date(request.query.since).toISOString(),
          until: new Date(request.query.until ?? Date.now()).toISOString(),
          minAlarms: request.query.minAlarms,
        }),
      }),
    );

    app.get(
      '/api/incidents',
      {
        config: { access: handle },
        schema: {
          tags,
          summary: 'Incidents (correlated alarms)',
          querystring: Type.Object({ ...PageFields, open: Type.Optional(Type.Boolean()) }, closed),
          response: { 200: pageOf(IncidentSchema) },
        },
      },
      async (request) =>
        module.incidents.list({
          sites: sites(request),
          open: request.query.open,
          limit: request.query.limit,
          cursor: request.query.cursor,
        }),
    );

    app.get(
      '/api/incidents/:incidentId',
      {
        config: { access: { ...handle, site: ofIncident } },
        schema: { tags, summary: 'An incident and its alarms', params: idParams('incidentId'), response: { 200: IncidentSchema } },
      },
      async (request) => module.incidents.get(request.params.incidentId),
    );

    app.post(
      '/api/incidents/:incidentId/close',
      {
        config: { access: { ...handle, site: ofIncident } },
        schema: {
          tags,
          summary: 'Close an incident',
          params: idParams('incidentId'),
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, closed),
          response: { 200: IncidentSchema },
        },
      },
      async (request) => module.incidents.close(principalOf(request).actor, request.params.incidentId, request.body.note ?? null),
    );
  };
}

/** Changes that apply on every site need the permission on every site. */
export function requireEverySite(request: Parameters<typeof field>[0], permission: Parameters<typeof requireOn>[1]): void {
  if (principalOf(request).sitesFor(permission) !== 'all') requireOn(request, permission, '*');
}

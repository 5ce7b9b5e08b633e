/**
 * Notification channels (webhooks, e-mail), delivery receipts, on-call schedules and escalation
 * chains. Configuring them needs `facility.manage` on their site; reading receipts `alarms.handle`.
 */
import Type from 'typebox';
import {
  ChainInputSchema,
  ChainSchema,
  ChannelInputSchema,
  ChannelSchema,
  DeliverySchema,
  ScheduleInputSchema,
  ScheduleSchema,
  type Notifications,
} from '../../modules/automation/index.js';
import type { Api } from '../server.js';
import { requireEverySite } from './alarms.js';
import { PageFields, closed, field, idParams, pageOf, principalOf, requireOn } from './facility-shared.js';

const manage = { permission: 'facility.manage' } as const;
const tags = ['notifications'];

export function notificationRoutes(n: Notifications) {
  return (app: Api) => {
    const bodySite = (request: Parameters<typeof field>[0]) => field(request, 'body', 'siteId');
    const everyOrOwn = (site: string | null | undefined) => (site === undefined ? null : (site ?? '*'));
    const ofChannel = async (request: Parameters<typeof field>[0]) =>
      everyOrOwn(await n.channels.siteOf(field(request, 'params', 'channelId') ?? ''));
    const ofSchedule = async (request: Parameters<typeof field>[0]) =>
      (await n.oncall.siteOfSchedule(field(request, 'params', 'scheduleId') ?? '')) ?? null;
    const ofChain = async (request: Parameters<typeof field>[0]) =>
      (await n.oncall.siteOfChain(field(request, 'params', 'chainId') ?? '')) ?? null;

    app.get(
      '/api/notifications/channels',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Notification channels',
          querystring: Type.Object(PageFields, closed),
          response: { 200: pageOf(ChannelSchema) },
        },
      },
      async (request) =>
        n.channels.list({
          sites: principalOf(request).sitesFor('facility.manage'),
          limit: request.query.limit,
          cursor: request.query.cursor,
        }),
    );

    app.post(
      '/api/notifications/channels',
      {
        config: { access: { ...manage, site: bodySite } },
        schema: {
          tags,
          summary: 'Create a webhook or e-mail channel',
          description:
            'Webhooks are POSTed as JSON with `X-Vigil-Timestamp` and `X-Vigil-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. Without `secret` one is generated and returned here, once.',
          body: ChannelInputSchema,
          response: { 201: Type.Object({ channel: ChannelSchema, secret: Type.Union([Type.String(), Type.Null()]) }, closed) },
        },
      },
      async (request, reply) => {
        if (request.body.siteId === null) requireEverySite(request, 'facility.manage');
        return reply.code(201).send(await n.channels.create(principalOf(request).actor, request.body));
      },
    );

    app.put(
      '/api/notifications/channels/:channelId',
      {
        config: { access: { ...manage, site: ofChannel } },
        schema: {
          tags,
          summary: 'Change a channel (a new `secret` replaces the old one)',
          params: idParams('channelId'),
          body: ChannelInputSchema,
          response: { 200: ChannelSchema },
        },
      },
      async (request) => {
        if (request.body.siteId === null) requireEverySite(request, 'facility.manage');
        else requireOn(request, 'facility.manage', request.body.siteId);
        return n.channels.update(principalOf(request).actor, request.params.channelId, request.body);
      },
    );

    app.get(
      '/api/notifications/deliveries',
      {
        config: { access: { permission: 'alarms.handle' } },
        schema: {
          tags,
          summary: 'Delivery receipts, newest first',
          querystring: Type.Object({ ...PageFields, channel: Type.Optional(Type.String({ format: 'uuid' })) }, closed),
          response: { 200: pageOf(DeliverySchema) },
        },
      },
      async (request) =>
        n.deliveries.list({
          sites: principalOf(request).sitesFor('alarms.handle'),
          channelId: request.query.channel,
          limit: request.query.limit,
          cursor: request.query.cursor,
        }),
    );

    app.get(
      '/api/notifications/oncall-schedules',
      {
        config: { access: { permission: 'alarms.handle' } },
        schema: {
          tags,
          summary: 'On-call schedules, with who is on call now',
          response: { 200: Type.Object({ items: Type.Array(ScheduleSchema) }, closed) },
        },
      },
      async (request) => ({ items: await n.oncall.schedules(principalOf(request).sitesFor('alarms.handle')) }),
    );

    app.post(
      '/api/notifications/oncall-schedules',
      {
        config: { access: { ...manage, site: bodySite } },
        schema: { tags, summary: 'Define an on-call rotation', body: ScheduleInputSchema, response: { 201: ScheduleSchema } },
      },
      async (request, reply) => reply.code(201).send(await n.oncall.saveSchedule(principalOf(request).actor, request.body)),
    );

    app.put(
      '/api/notifications/oncall-schedules/:scheduleId',
      {
        config: { access: { ...manage, site: ofSchedule } },
        schema: {
          tags,
          summary: 'Change an on-call rotation',
          params: idParams('scheduleId'),
          body: ScheduleInputSchema,
          response: { 200: ScheduleSchema },
        },
      },
      async (request) => {
        requireOn(request, 'facility.manage', request.body.siteId);
        return n.oncall.saveSchedule(principalOf(request).actor, request.body, request.params.scheduleId);
      },
    );

    app.get(
      '/api/notifications/escalation-chains',
      {
        config: { access: { permission: 'alarms.handle' } },
        schema: { tags, summary: 'Escalation chains', response: { 200: Type.Object({ items: Type.Array(ChainSchema) }, closed) } },
      },
      async (request) => ({ items: await n.oncall.chains(principalOf(request).sitesFor('alarms.handle')) }),
    );

    app.post(
      '/api/notifications/escalation-chains',
      {
        config: { access: { ...manage, site: bodySite } },
        schema: {
          tags,
          summary: 'Define an escalation chain',
          description:
            'Unacknowledged alarms of the priorities escalate step by step: the on-call member, the next one, then a supervisor channel.',
          body: ChainInputSchema,
          response: { 201: ChainSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await n.oncall.saveChain(principalOf(request).actor, request.body)),
    );

    app.put(
      '/api/notifications/escalation-chains/:chainId',
      {
        config: { access: { ...manage, site: ofChain } },
        schema: {
          tags,
          summary: 'Change an escalation chain',
          params: idParams('chainId'),
          body: ChainInputSchema,
          response: { 200: ChainSchema },
        },
      },
      async (request) => {
        requireOn(request, 'facility.manage', request.body.siteId);
        return n.oncall.saveChain(principalOf(request).actor, request.body, request.params.chainId);
      },
    );
  };
}

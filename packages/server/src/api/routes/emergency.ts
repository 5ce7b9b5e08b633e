/**
 * Emergency plans (defined with `facility.manage`), their activations and drills
 * (`emergency.start`), the per-door timing report, and the CAP 1.2 alert feed.
 */
import Type from 'typebox';
import {
  ActivationSchema,
  PlanInputSchema,
  PlanSchema,
  ReportSchema,
  capAlert,
  capFeed,
  doorsOfPlan,
  type Activation,
  type Automation,
} from '../../modules/automation/index.js';
import type { Api } from '../server.js';
import { NoContent, PageFields, closed, field, idParams, pageOf, principalOf, requireOn } from './facility-shared.js';

const start = { permission: 'emergency.start' } as const;
const tags = ['emergency'];

export interface EmergencyRouteOptions {
  /** CAP `sender`: an identifier of this Vigil installation. */
  capSender: string;
  /** Base URL for links in the CAP feed. */
  publicUrl: string;
}

export function emergencyRoutes(automation: Automation, options: EmergencyRouteOptions) {
  return (app: Api) => {
    const PlanParams = idParams('planId');
    const ActivationParams = idParams('activationId');
    const ofPlan = async (request: Parameters<typeof field>[0]) =>
      (await automation.plans.siteOf(field(request, 'params', 'planId') ?? '')) ?? null;
    const ofActivation = async (request: Parameters<typeof field>[0]) =>
      (await automation.reports.siteOf(field(request, 'params', 'activationId') ?? '')) ?? null;
    const Reason = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, closed);

    const cap = async (activation: Activation): Promise<string> => {
      const plan = await automation.plans.get(activation.planId);
      const facts = automation.facts;
      const names = [
        ...plan.scope.buildingIds.map((b) => facts.buildingName(b) ?? b),
        ...plan.scope.zoneIds.map((z) => facts.zone(z)?.name ?? z),
        ...plan.scope.zoneTypes,
      ];
      const siteName = facts.siteName(plan.siteId) ?? plan.siteId;
      return capAlert(activation, {
        sender: options.capSender,
        siteName,
        planName: plan.name,
        area: names.length > 0 ? names.join(', ') : siteName,
        doors: doorsOfPlan(plan, facts).length,
      });
    };

    app.get(
      '/api/emergency/plans',
      {
        config: { access: start },
        schema: { tags, summary: 'Emergency plans', response: { 200: Type.Object({ items: Type.Array(PlanSchema) }, closed) } },
      },
      async (request) => ({ items: await automation.plans.list(principalOf(request).sitesFor('emergency.start')) }),
    );

    app.post(
      '/api/emergency/plans',
      {
        config: { access: { permission: 'facility.manage', site: (request) => field(request, 'body', 'siteId') } },
        schema: {
          tags,
          summary: 'Define an emergency plan',
          description: 'A fire plan cannot require a second operator.',
          body: PlanInputSchema,
          response: { 201: PlanSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await automation.plans.save(principalOf(request).actor, request.body)),
    );

    app.put(
      '/api/emergency/plans/:planId',
      {
        config: { access: { permission: 'facility.manage', site: ofPlan } },
        schema: { tags, summary: 'Change an emergency plan', params: PlanParams, body: PlanInputSchema, response: { 200: PlanSchema } },
      },
      async (request) => {
        requireOn(request, 'facility.manage', request.body.siteId);
        return automation.plans.save(principalOf(request).actor, request.body, request.params.planId);
      },
    );

    app.delete(
      '/api/emergency/plans/:planId',
      {
        config: { access: { permission: 'facility.manage', site: ofPlan } },
        schema: {
          tags,
          summary: 'Delete an emergency plan',
          description:
            'Refused with `automation.plan_active` while the plan is started or waiting for confirmation, and with `automation.plan_in_use` while a rule starts it. Its past activations and their reports remain.',
          params: PlanParams,
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await automation.plans.remove(principalOf(request).actor, request.params.planId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/emergency/plans/:planId/start',
      {
        config: { access: { ...start, site: ofPlan } },
        schema: {
          tags,
          summary: 'Start a plan, or its drill',
          description:
            'Answers at once; doors are commanded in the background (see the report). A plan already started is refused with `automation.plan_already_active`. With `drill`, door commands are simulated and timed all the same. A plan that requires confirmation waits in `pending_confirmation` for a second operator.',
          params: PlanParams,
          body: Type.Object({ drill: Type.Boolean({ default: false }), reason: Type.Optional(Type.String({ maxLength: 1000 })) }, closed),
          response: { 202: ActivationSchema },
        },
      },
      async (request, reply) => {
        // A deleted plan stays readable for its past activations but can never start again.
        await automation.plans.requireLive(request.params.planId);
        const activation = await automation.activations.start({
          planId: request.params.planId,
          actor: principalOf(request).actor,
          trigger: 'operator',
          drill: request.body.drill,
          reason: request.body.reason ?? null,
        });
        return reply.code(202).send(activation);
      },
    );

    app.get(
      '/api/emergency/activations',
      {
        config: { access: start },
        schema: {
          tags,
          summary: 'Plan activations, newest first',
          querystring: Type.Object({ ...PageFields, live: Type.Optional(Type.Boolean()) }, closed),
          response: { 200: pageOf(ActivationSchema) },
        },
      },
      async (request) =>
        automation.reports.list({
          sites: principalOf(request).sitesFor('emergency.start'),
          live: request.query.live,
          limit: request.query.limit,
          cursor: request.query.cursor,
        }),
    );

    app.get(
      '/api/emergency/activations/:activationId',
      {
        config: { access: { ...start, site: ofActivation } },
        schema: { tags, summary: 'A plan activation', params: ActivationParams, response: { 200: ActivationSchema } },
      },
      async (request) => automation.reports.get(request.params.activationId),
    );

    app.get(
      '/api/emergency/activations/:activationId/report',
      {
        config: { access: { ...start, site: ofActivation } },
        schema: {
          tags,
          summary: 'Plan started → door secured, seconds per door',
          params: ActivationParams,
          response: { 200: ReportSchema },
        },
      },
      async (request) => automation.reports.report(request.params.activationId),
    );

    app.post(
      '/api/emergency/activations/:activationId/confirm',
      {
        config: { access: { ...start, site: ofActivation } },
        schema: { tags, summary: 'Confirm a plan as the second operator', params: ActivationParams, response: { 200: ActivationSchema } },
      },
      async (request) => automation.activations.confirm(principalOf(request).actor, request.params.activationId),
    );

    app.post(
      '/api/emergency/activations/:activationId/cancel',
      {
        config: { access: { ...start, site: ofActivation } },
        schema: { tags, summary: 'Cancel a plan waiting for confirmation', params: ActivationParams, response: { 200: ActivationSchema } },
      },
      async (request) => automation.activations.cancel(principalOf(request).actor, request.params.activationId),
    );

    app.post(
      '/api/emergency/activations/:activationId/clear',
      {
        config: { access: { ...start, site: ofActivation } },
        schema: {
          tags,
          summary: 'Clear a plan; each door returns to its prior state',
          params: ActivationParams,
          body: Reason,
          response: { 200: ActivationSchema },
        },
      },
      async (request) => automation.activations.clear(principalOf(request).actor, request.params.activationId, request.body.reason ?? null),
    );

    app.get(
      '/api/emergency/cap',
      {
        config: { access: { permission: 'alarms.handle' } },
        schema: {
          tags,
          summary: 'CAP 1.2 alert feed (Atom)',
          description: 'An Atom feed linking the CAP alert of each recent plan activation.',
          response: { 200: Type.String() },
        },
      },
      async (request, reply) => {
        const page = await automation.reports.list({ sites: principalOf(request).sitesFor('alarms.handle'), limit: 50 });
        const base = options.publicUrl.replace(/\/$/, '');
        const entries = page.items.map((a) => ({
          id: `urn:uuid:${a.id}`,
          title: `${a.drill ? 'DRILL: ' : ''}${automation.plans.cached(a.planId)?.name ?? a.kind} (${a.state})`,
          updated: a.clearedAt ?? a.startedAt ?? a.requestedAt,
          href: `${base}/api/emergency/cap/${a.id}`,
        }));
        const updated = entries[0]?.updated ?? new Date(0).toISOString();
        return reply
          .type('application/atom+xml')
          .send(
            capFeed(
              { id: `urn:vigil:cap:${options.capSender}`, title: 'Vigil emergency alerts', self: `${base}/api/emergency/cap`, updated },
              entries,
            ),
          );
      },
    );

    app.get(
      '/api/emergency/cap/:activationId',
      {
        config: { access: { permission: 'alarms.handle', site: ofActivation } },
        schema: {
          tags,
          summary: 'The CAP 1.2 alert of an activation',
          description: '`Alert` while active, `Cancel` once cleared; drills have status `Exercise`.',
          params: ActivationParams,
          response: { 200: Type.String() },
        },
      },
      async (request, reply) =>
        reply.type('application/cap+xml').send(await cap(await automation.reports.get(request.params.activationId))),
    );
  };
}

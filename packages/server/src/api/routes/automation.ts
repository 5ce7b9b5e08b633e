/**
 * Automation rules and alarm correlations (permission `facility.manage` on the rule's site; a rule
 * for every site needs it on every site). Rules are given as JSON (`document`) or YAML (`yaml`),
 * validated against the rule schema, versioned, and can be dry-run against the journal first.
 */
import Type from 'typebox';
import {
  CorrelationInputSchema,
  CorrelationSchema,
  RuleSchema,
  RuleVersionSchema,
  parseRule,
  ruleDocumentJsonSchema,
  type Automation,
} from '../../modules/automation/index.js';
import type { Api } from '../server.js';
import { requireEverySite } from './alarms.js';
import { NoContent, PageFields, closed, field, idParams, pageOf, principalOf, requireOn } from './facility-shared.js';

const manage = { permission: 'facility.manage' } as const;
const tags = ['automation'];

const RuleBody = Type.Object(
  {
    document: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'The rule as JSON (schema: `GET /api/automation/rule-schema`).' }),
    ),
    yaml: Type.Optional(Type.String({ maxLength: 262_144, description: 'The rule as YAML text; stored as written.' })),
  },
  closed,
);
const Version = Type.Optional(
  Type.Integer({ minimum: 1, description: 'The version the change is based on; a newer stored version is a conflict.' }),
);

export function automationRoutes(automation: Automation) {
  return (app: Api) => {
    const RuleParams = idParams('ruleId');
    // Changing something that applies on every site (site null) needs the permission on every site ('*').
    const everyOrOwn = (site: string | null | undefined) => (site === undefined ? null : (site ?? '*'));
    const ofRule = async (request: Parameters<typeof field>[0]) =>
      (await automation.rules.siteOf(field(request, 'params', 'ruleId') ?? '')) ?? null;
    const ofRuleChange = async (request: Parameters<typeof field>[0]) =>
      everyOrOwn(await automation.rules.siteOf(field(request, 'params', 'ruleId') ?? ''));
    const ofCorrelation = async (request: Parameters<typeof field>[0]) =>
      everyOrOwn(await automation.correlations.siteOf(field(request, 'params', 'correlationId') ?? ''));
    /** The site a submitted rule names decides whose permission is needed. */
    const authorizeDocument = (request: Parameters<typeof field>[0], body: { document?: unknown; yaml?: string | undefined }) => {
      const site = parseRule(body).document.site;
      if (site === null) requireEverySite(request, 'facility.manage');
      else requireOn(request, 'facility.manage', site);
    };

    app.get(
      '/api/automation/rule-schema',
      {
        config: { access: manage },
        schema: { tags, summary: 'The JSON Schema of rule documents', response: { 200: Type.Object({}, { additionalProperties: true }) } },
      },
      () => Promise.resolve(ruleDocumentJsonSchema() as Record<string, unknown>),
    );

    app.get(
      '/api/automation/rules',
      {
        config: { access: manage },
        schema: { tags, summary: 'Rules', querystring: Type.Object(PageFields, closed), response: { 200: pageOf(RuleSchema) } },
      },
      async (request) =>
        automation.rules.list({
          sites: principalOf(request).sitesFor('facility.manage'),
          limit: request.query.limit,
          cursor: request.query.cursor,
        }),
    );

    app.post(
      '/api/automation/rules',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Create a rule',
          description: 'Refused with `automation.rule_loop` when enabled rules would trigger each other in a cycle.',
          body: RuleBody,
          response: { 201: RuleSchema },
        },
      },
      async (request, reply) => {
        authorizeDocument(request, request.body);
        return reply.code(201).send(await automation.rules.create(principalOf(request).actor, request.body));
      },
    );

    app.post(
      '/api/automation/rules/dry-run',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Replay recorded events through a rule without acting',
          body: Type.Object(
            {
              ...RuleBody.properties,
              from: Type.String({ format: 'date-time' }),
              to: Type.String({ format: 'date-time' }),
              maxEvents: Type.Integer({ minimum: 1, maximum: 100_000, default: 50_000 }),
            },
            closed,
          ),
          response: {
            200: Type.Object(
              {
                evaluated: Type.Integer(),
                truncated: Type.Boolean(),
                matched: Type.Integer(),
                matches: Type.Array(
                  Type.Object(
                    {
                      eventId: Type.String(),
                      type: Type.String(),
                      at: Type.String(),
                      site: Type.Union([Type.String(), Type.Null()]),
                      zone: Type.Union([Type.String(), Type.Null()]),
                      door: Type.Union([Type.String(), Type.Null()]),
                      source: Type.String(),
                      actions: Type.Array(Type.String()),
                    },
                    closed,
                  ),
                ),
              },
              closed,
            ),
          },
        },
      },
      async (request) => {
        const { from, to, maxEvents, ...rule } = request.body;
        authorizeDocument(request, rule);
        const sites = principalOf(request).sitesFor('journal.read');
        return automation.runtime.dryRun(rule, { from: new Date(from), to: new Date(to), sites, maxEvents });
      },
    );

    app.get(
      '/api/automation/rules/:ruleId',
      {
        config: { access: { ...manage, site: ofRule } },
        schema: { tags, summary: 'A rule', params: RuleParams, response: { 200: RuleSchema } },
      },
      async (request) => automation.rules.get(request.params.ruleId),
    );

    app.get(
      '/api/automation/rules/:ruleId/versions',
      {
        config: { access: { ...manage, site: ofRule } },
        schema: {
          tags,
          summary: 'Every version of a rule',
          params: RuleParams,
          response: { 200: Type.Object({ items: Type.Array(RuleVersionSchema) }, closed) },
        },
      },
      async (request) => ({ items: await automation.rules.versions(request.params.ruleId) }),
    );

    app.put(
      '/api/automation/rules/:ruleId',
      {
        config: { access: { ...manage, site: ofRuleChange } },
        schema: {
          tags,
          summary: 'Change a rule (a new version)',
          params: RuleParams,
          body: Type.Object({ ...RuleBody.properties, version: Version }, closed),
          response: { 200: RuleSchema },
        },
      },
      async (request) => {
        const { version, ...rule } = request.body;
        authorizeDocument(request, rule);
        return automation.rules.update(principalOf(request).actor, request.params.ruleId, rule, version);
      },
    );

    for (const [path, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `/api/automation/rules/:ruleId/${path}`,
        {
          config: { access: { ...manage, site: ofRuleChange } },
          schema: {
            tags,
            summary: `${enabled ? 'Enable' : 'Disable'} a rule`,
            params: RuleParams,
            body: Type.Object({ version: Version }, closed),
            response: { 200: RuleSchema },
          },
        },
        async (request) => automation.rules.setEnabled(principalOf(request).actor, request.params.ruleId, enabled, request.body.version),
      );
    }

    app.delete(
      '/api/automation/rules/:ruleId',
      {
        config: { access: { ...manage, site: ofRuleChange } },
        schema: {
          tags,
          summary: 'Delete a rule (its versions are kept)',
          params: RuleParams,
          querystring: Type.Object({ version: Version }, closed),
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await automation.rules.remove(principalOf(request).actor, request.params.ruleId, request.query.version);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/automation/correlations',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Alarm correlations (which alarms make an incident)',
          response: { 200: Type.Object({ items: Type.Array(CorrelationSchema) }, closed) },
        },
      },
      (request) => Promise.resolve({ items: automation.correlations.list(principalOf(request).sitesFor('facility.manage')) }),
    );

    app.post(
      '/api/automation/correlations',
      {
        config: { access: { ...manage, site: (request) => field(request, 'body', 'siteId') } },
        schema: { tags, summary: 'Define a correlation', body: CorrelationInputSchema, response: { 201: CorrelationSchema } },
      },
      async (request, reply) => {
        if (request.body.siteId === null) requireEverySite(request, 'facility.manage');
        return reply.code(201).send(await automation.correlations.save(principalOf(request).actor, request.body));
      },
    );

    app.put(
      '/api/automation/correlations/:correlationId',
      {
        config: { access: { ...manage, site: ofCorrelation } },
        schema: {
          tags,
          summary: 'Change a correlation',
          params: idParams('correlationId'),
          body: CorrelationInputSchema,
          response: { 200: CorrelationSchema },
        },
      },
      async (request) => {
        if (request.body.siteId === null) requireEverySite(request, 'facility.manage');
        else requireOn(request, 'facility.manage', request.body.siteId);
        return automation.correlations.save(principalOf(request).actor, request.body, request.params.correlationId);
      },
    );

    app.delete(
      '/api/automation/correlations/:correlationId',
      {
        config: { access: { ...manage, site: ofCorrelation } },
        schema: {
          tags,
          summary: 'Delete a correlation',
          description: 'Incidents it already grouped stay as they are.',
          params: idParams('correlationId'),
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await automation.correlations.remove(principalOf(request).actor, request.params.correlationId);
        return reply.code(204).send(null);
      },
    );
  };
}

/**
 * Door controller agents over HTTP. Operators register and revoke agents (`facility.manage` on the
 * agent's site). The agents' own routes need `edge.sync`, which only an agent principal holds on
 * its site: their requests are signed with the agent key (see @vigil/edge protocol.ts), and this
 * module checks the body against the signed digest before anything reads it.
 */
import {
  CommandsResponseSchema,
  EventAckSchema,
  EventBatchSchema,
  HealthReportSchema,
  HeartbeatResponseSchema,
  SnapshotResponseSchema,
  WiringResponseSchema,
  contentDigest,
} from '@vigil/edge';
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import {
  EdgeAgentRegisterSchema,
  EdgeAgentRegisteredSchema,
  EdgeAgentSchema,
  EdgePrincipal,
  accessModuleError,
  type AccessModule,
} from '../../modules/access/index.js';
import type { WiringSource } from '../../edge-embedded/wiring-source.js';
import type { Api } from '../server.js';
import { SiteFilter, closed, field, idParams, pageOf, principalOf, readableSites } from './facility-shared.js';

const tags = ['edge agents'];
const AgentParams = idParams('agentId');
const ListQuery = Type.Object(
  {
    siteId: SiteFilter,
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  closed,
);

function agentOf(request: FastifyRequest): EdgePrincipal {
  if (request.principal instanceof EdgePrincipal) return request.principal;
  throw accessModuleError('edge.agent_required', 'This route serves door controller agents; sign the request with a registered agent key');
}

export function edgeRoutes(access: AccessModule, wiring: WiringSource) {
  return async (app: Api) => {
    const siteOfAgent = (request: FastifyRequest) => access.agents.siteOf(String((request.params as { agentId: string }).agentId));

    app.post(
      '/api/edge/agents',
      {
        config: { access: { permission: 'facility.manage', site: (request) => field(request, 'body', 'siteId') } },
        schema: {
          tags,
          summary: 'Register a door controller agent',
          description:
            'Registers the Ed25519 public key an agent made on its first start (`vigil-edge --config … --print-key`) for one site. The answer carries the key the site’s snapshots are signed with: put it in the agent’s `server.snapshotPublicKey`.',
          body: EdgeAgentRegisterSchema,
          response: { 201: EdgeAgentRegisteredSchema },
        },
      },
      async (request, reply) => {
        const agent = await access.agents.register(principalOf(request).actor, request.body);
        return reply.code(201).send({ agent, snapshotPublicKey: access.snapshotPublicKeyPem });
      },
    );

    app.get(
      '/api/edge/agents',
      {
        config: { access: { permission: 'facility.read', site: (request) => field(request, 'query', 'siteId') } },
        schema: {
          tags,
          summary: 'Edge agents with their last health report',
          querystring: ListQuery,
          response: { 200: pageOf(EdgeAgentSchema) },
        },
      },
      async (request) => access.agents.list(readableSites(request), request.query),
    );

    app.get(
      '/api/edge/agents/:agentId',
      {
        config: { access: { permission: 'facility.read', site: siteOfAgent } },
        schema: { tags, summary: 'One edge agent', params: AgentParams, response: { 200: EdgeAgentSchema } },
      },
      async (request) => access.agents.get(request.params.agentId),
    );

    app.post(
      '/api/edge/agents/:agentId/revoke',
      {
        config: { access: { permission: 'facility.manage', site: siteOfAgent } },
        schema: {
          tags,
          summary: 'Revoke an edge agent’s key',
          description: 'Its next request is refused (`edge.agent_unknown`); the doors keep working on the agent’s last snapshot.',
          params: AgentParams,
          response: { 200: EdgeAgentSchema },
        },
      },
      async (request) => access.agents.revoke(principalOf(request).actor, request.params.agentId),
    );

    await app.register((scope: Api, _options, registered) => {
      const rawBodies = new WeakMap<FastifyRequest, Buffer>();
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
        rawBodies.set(request, body as Buffer);
        try {
          done(null, JSON.parse((body as Buffer).toString('utf8')));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
      // The signature covers the body's digest; a body that does not match it is not the one signed.
      scope.addHook('preValidation', (request, _reply, next) => {
        try {
          const agent = agentOf(request);
          if (contentDigest(rawBodies.get(request) ?? Buffer.alloc(0)) !== agent.contentDigest) {
            throw accessModuleError('edge.signature_invalid', 'The body does not match the signed content digest');
          }
          next();
        } catch (error) {
          next(error as Error);
        }
      });
      const sync = { permission: 'edge.sync' } as const;
      // Agents never send HEAD; without the automatic HEAD routes nothing answers one here.
      const agentOnly = { exposeHeadRoute: false } as const;

      scope.post(
        '/api/edge/heartbeat',
        {
          config: { access: sync },
          schema: {
            tags,
            summary: 'Agent heartbeat: health in; snapshot version, controls and commands out',
            body: HealthReportSchema,
            response: { 200: HeartbeatResponseSchema },
          },
        },
        async (request) => access.sync.heartbeat(agentOf(request), request.body),
      );

      scope.get(
        '/api/edge/snapshot',
        {
          ...agentOnly,
          config: { access: sync },
          schema: { tags, summary: 'The signed access snapshot of the agent’s site', response: { 200: SnapshotResponseSchema } },
        },
        async (request) => access.sync.snapshot(agentOf(request)),
      );

      scope.post(
        '/api/edge/events',
        {
          config: { access: sync },
          schema: {
            tags,
            summary: 'Deliver buffered events (idempotent by event id)',
            description:
              'Events are journaled once under their id; a batch sent again after a lost answer is acknowledged without being stored twice. A batch with an event the agent may not report is refused whole with `edge.event_rejected` naming the event.',
            body: EventBatchSchema,
            response: { 200: EventAckSchema },
          },
        },
        async (request) => ({ acknowledged: await access.ingest.ingest(agentOf(request), request.body.events) }),
      );

      scope.get(
        '/api/edge/wiring',
        {
          ...agentOnly,
          config: { access: sync },
          schema: {
            tags,
            summary: 'The door wiring of the agent’s controller, from the facility records',
            description:
              'The doors of the agent’s site whose controller is the device registered under `controllerSerial`: reader addresses on the controller’s OSDP buses, lock output, door-position and request-to-exit inputs, timings. `version` changes exactly when the wiring does. The agent is noted as running that controller (its `controllerSerial`): door commands for these doors go to it.',
            querystring: Type.Object({ controllerSerial: Type.String({ minLength: 1, maxLength: 80 }) }, closed),
            response: { 200: WiringResponseSchema },
          },
        },
        async (request) => {
          const agent = agentOf(request);
          const answer = await wiring(agent.siteId, request.query.controllerSerial);
          await access.agents.runsController(agent.agentId, answer.controllerSerial);
          return answer;
        },
      );

      scope.get(
        '/api/edge/commands',
        {
          ...agentOnly,
          config: { access: sync },
          schema: {
            tags,
            summary: 'Wait for door commands or a controls change (long poll)',
            querystring: Type.Object(
              {
                waitSeconds: Type.Integer({ minimum: 0, maximum: 60, default: 25 }),
                controlsVersion: Type.Integer({ minimum: 0, default: 0, description: 'The controls version the agent runs.' }),
              },
              closed,
            ),
            response: { 200: CommandsResponseSchema },
          },
        },
        async (request, reply) => {
          const abort = new AbortController();
          // The agent hung up (or is stopping): stop waiting for it.
          reply.raw.once('close', () => abort.abort());
          return access.sync.commands(agentOf(request), request.query.waitSeconds, request.query.controlsVersion, abort.signal);
        },
      );
      registered();
    });
  };
}

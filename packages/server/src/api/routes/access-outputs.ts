/**
 * Auxiliary outputs (an elevator hold relay): naming them needs `facility.manage` on the site,
 * driving them `doors.control` on the output's site. A command is journaled with the operator as
 * source and the reason given, and forwarded to the site's edge agent like a door command.
 */
import type { FastifyRequest } from 'fastify';
import {
  OutputCommandRequestSchema,
  OutputCommandSchema,
  OutputCreateSchema,
  OutputSchema,
  type AccessModule,
} from '../../modules/access/index.js';
import type { Api } from '../server.js';
import { field, idParams, principalOf } from './facility-shared.js';
import Type from 'typebox';

const tags = ['door control'];

export function outputRoutes(access: AccessModule) {
  return (app: Api) => {
    const siteParam = (request: FastifyRequest) => field(request, 'params', 'siteId');
    const siteOfOutput = (request: FastifyRequest) => access.outputs.siteOfOutput(String(field(request, 'params', 'outputId')));

    app.get(
      '/api/sites/:siteId/outputs',
      {
        config: { access: { permission: 'facility.read', site: siteParam } },
        schema: {
          tags,
          summary: 'A site’s named auxiliary outputs',
          params: idParams('siteId'),
          response: { 200: Type.Array(OutputSchema) },
        },
      },
      async (request) => access.outputs.list(request.params.siteId),
    );

    app.post(
      '/api/sites/:siteId/outputs',
      {
        config: { access: { permission: 'facility.manage', site: siteParam } },
        schema: {
          tags,
          summary: 'Name an auxiliary output',
          description:
            'An output the site’s edge agent can drive: an OSDP reader’s output (`reader`, as the agent’s configuration names the reader) or a point of the controller’s own I/O. Emergency plans name it in their `outputs` (an elevator hold during Code Pink).',
          params: idParams('siteId'),
          body: OutputCreateSchema,
          response: { 201: OutputSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await access.outputs.define(principalOf(request).actor, request.params.siteId, request.body)),
    );

    app.post(
      '/api/outputs/:outputId/command',
      {
        config: { access: { permission: 'doors.control', site: siteOfOutput } },
        schema: {
          tags,
          summary: 'Switch an auxiliary output on or off, or pulse it',
          description:
            'Queues the command for the site’s edge agent; it expires after a minute if not carried out. Answers 202 with the command; its `status` shows when the agent reported it done.',
          params: idParams('outputId'),
          body: OutputCommandRequestSchema,
          response: { 202: OutputCommandSchema },
        },
      },
      async (request, reply) => {
        const { action, pulseMs, reason } = request.body;
        const command = await access.outputs.command(principalOf(request).actor, request.params.outputId, action, pulseMs ?? null, reason);
        return reply.code(202).send(command);
      },
    );

    app.get(
      '/api/output-commands/:commandId',
      {
        config: {
          access: {
            permission: 'doors.control',
            site: (request) => access.outputs.siteOfCommand(String(field(request, 'params', 'commandId'))),
          },
        },
        schema: {
          tags,
          summary: 'An output command and whether it was carried out',
          params: idParams('commandId'),
          response: { 200: OutputCommandSchema },
        },
      },
      async (request) => access.outputs.getCommand(request.params.commandId),
    );
  };
}

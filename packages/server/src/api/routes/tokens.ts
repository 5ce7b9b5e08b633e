/**
 * API tokens for integrations. Any operator manages their own; `operators.manage` over another
 * operator allows managing theirs. A token never carries more than its owner holds.
 */
import Type from 'typebox';
import { type TokenService } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { IdParams, NoContent, PageQuery, PermissionSchema, SiteRefSchema, TokenSchema, pageOf } from './identity-schemas.js';
import { principalOf } from './route-helpers.js';

const closed = { additionalProperties: false } as const;
const self = { permission: 'account.self' } as const;
const tags = ['tokens'];

export function tokenRoutes(tokens: TokenService) {
  return (app: Api): void => {
    app.get(
      '/api/tokens',
      {
        config: { access: self },
        schema: {
          tags,
          summary: 'List API tokens (one’s own, or an operator’s), newest first',
          querystring: Type.Object({ ...PageQuery.properties, operatorId: Type.Optional(Type.String({ format: 'uuid' })) }, closed),
          response: { 200: pageOf(TokenSchema) },
        },
      },
      async (request) => tokens.list(principalOf(request), request.query),
    );

    app.post(
      '/api/tokens',
      {
        config: { access: self },
        schema: {
          tags,
          summary: 'Issue an API token',
          description:
            'The secret (`vgl_…`) is returned once; send it as `Authorization: Bearer <secret>`. Each permission must be held by the owner on each listed site (`operators.scope_exceeds_owner` otherwise).',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              permissions: Type.Array(PermissionSchema, { minItems: 1, maxItems: 64 }),
              sites: Type.Array(SiteRefSchema, { minItems: 1, maxItems: 100 }),
              expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
              operatorId: Type.Optional(Type.String({ format: 'uuid', description: 'Issue for this operator instead of oneself.' })),
            },
            closed,
          ),
          response: {
            201: Type.Object({ token: TokenSchema, secret: Type.String({ description: 'Shown once.' }) }, closed),
          },
        },
      },
      async (request, reply) => reply.code(201).send(await tokens.issue(principalOf(request), request.body)),
    );

    app.delete(
      '/api/tokens/:id',
      {
        config: { access: self },
        schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 204: NoContent } },
      },
      async (request, reply) => {
        await tokens.revoke(principalOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

/**
 * Operator accounts: list, create, disable/enable, grant and revoke roles per site, reset MFA or
 * the password. All need `operators.manage`; routes that act on one site check it on that site.
 */
import Type from 'typebox';
import { type OperatorService } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import {
  CreatedOperatorSchema,
  DisplayNameSchema,
  GrantSchema,
  IdParams,
  OperatorSchema,
  PageQuery,
  RoleSchema,
  SiteRefSchema,
  UsernameSchema,
  pageOf,
} from './identity-schemas.js';
import { principalOf } from './route-helpers.js';

const closed = { additionalProperties: false } as const;
const manage = { permission: 'operators.manage' } as const;
const tags = ['operators'];

export function operatorRoutes(operators: OperatorService) {
  return (app: Api): void => {
    app.get(
      '/api/operators',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'List operators by user name',
          description: 'A site-scoped administrator sees the operators holding a role on their sites.',
          querystring: PageQuery,
          response: { 200: pageOf(OperatorSchema) },
        },
      },
      async (request) => operators.list(principalOf(request), request.query),
    );

    app.post(
      '/api/operators',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Create an operator with a one-time password',
          description: 'The one-time password is returned once; the operator must change it at first sign-in.',
          body: Type.Object(
            { username: UsernameSchema, displayName: DisplayNameSchema, roles: Type.Optional(Type.Array(GrantSchema, { maxItems: 100 })) },
            closed,
          ),
          response: { 201: CreatedOperatorSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await operators.create(principalOf(request), request.body)),
    );

    app.get(
      '/api/operators/:id',
      {
        config: { access: manage },
        schema: { tags, summary: 'Read one operator', params: IdParams, response: { 200: OperatorSchema } },
      },
      async (request) => operators.get(principalOf(request), request.params.id),
    );

    app.post(
      '/api/operators/:id/disable',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Disable an operator',
          description: 'Ends their sessions; their API tokens stop working. The last administrator of every site cannot be disabled.',
          params: IdParams,
          response: { 200: OperatorSchema },
        },
      },
      async (request) => operators.disable(principalOf(request), request.params.id),
    );

    app.post(
      '/api/operators/:id/enable',
      {
        config: { access: manage },
        schema: { tags, summary: 'Enable a disabled operator (also lifts a lockout)', params: IdParams, response: { 200: OperatorSchema } },
      },
      async (request) => operators.enable(principalOf(request), request.params.id),
    );

    app.post(
      '/api/operators/:id/roles',
      {
        config: { access: { ...manage, site: (request) => (request.body as { site?: string } | undefined)?.site ?? null } },
        schema: {
          tags,
          summary: 'Grant a role on a site (`*`: every site)',
          params: IdParams,
          body: GrantSchema,
          response: { 200: OperatorSchema },
        },
      },
      async (request) => operators.grant(principalOf(request), request.params.id, request.body.role, request.body.site),
    );

    app.delete(
      '/api/operators/:id/roles/:role/:site',
      {
        config: { access: { ...manage, site: (request) => (request.params as { site?: string }).site ?? null } },
        schema: {
          tags,
          summary: 'Revoke a role on a site',
          params: Type.Object({ id: Type.String({ format: 'uuid' }), role: RoleSchema, site: SiteRefSchema }, closed),
          response: { 200: OperatorSchema },
        },
      },
      async (request) => operators.revoke(principalOf(request), request.params.id, request.params.role, request.params.site),
    );

    app.post(
      '/api/operators/:id/mfa/reset',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Remove an operator’s TOTP authenticator (lost device)',
          description: 'Ends their sessions; they enrol a new authenticator at next sign-in.',
          params: IdParams,
          response: { 200: OperatorSchema },
        },
      },
      async (request) => operators.resetMfa(principalOf(request), request.params.id),
    );

    app.post(
      '/api/operators/:id/password/reset',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: 'Issue a new one-time password',
          description: 'Ends their sessions and lifts a lockout; the one-time password is returned once.',
          params: IdParams,
          response: { 200: CreatedOperatorSchema },
        },
      },
      async (request) => operators.resetPassword(principalOf(request), request.params.id),
    );
  };
}

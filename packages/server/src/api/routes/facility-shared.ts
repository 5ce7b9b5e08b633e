/** Schemas and helpers shared by the facility route modules (facility*.ts). */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { identityError, type Permission } from '../../modules/identity/index.js';
import { NoContent, Uuid, closed, idParams, pageOf, principalOf } from './route-helpers.js';

export { NoContent, Uuid, closed, idParams, pageOf, principalOf };

export const read = { permission: 'facility.read' } as const;
export const manage = { permission: 'facility.manage' } as const;

export const PageFields = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'From the previous page’s `nextCursor`.' })),
};
export const SiteFilter = Type.Optional(Type.String({ format: 'uuid', description: 'Only items on this site.' }));

/** Sites whose items the caller may list: every site, or those its roles name. */
export function readableSites(request: FastifyRequest): 'all' | string[] {
  return principalOf(request).sitesFor('facility.read');
}

/** For extractors: a string field of the validated params, query or body, or null. */
export function field(request: FastifyRequest, part: 'params' | 'query' | 'body', name: string): string | null {
  const value = (request[part] as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : null;
}

/** A second site check where a request touches two sites (moving a device). */
export function requireOn(request: FastifyRequest, permission: Permission, site: string): void {
  if (!principalOf(request).can(permission, site)) {
    throw identityError('auth.forbidden', `Missing permission ${permission} on site ${site}`, { permission, site });
  }
}

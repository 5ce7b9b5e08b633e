/** Schemas and helpers shared by the facility route modules (facility*.ts). */
import Type, { type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { identityError, type Permission, type Principal } from '../../modules/identity/index.js';

export const closed = { additionalProperties: false } as const;
export const read = { permission: 'facility.read' } as const;
export const manage = { permission: 'facility.manage' } as const;
export const Uuid = Type.String({ format: 'uuid' });
export const NoContent = Type.Null({ description: 'No content.' });

export const PageFields = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'From the previous page’s `nextCursor`.' })),
};
export const SiteFilter = Type.Optional(Type.String({ format: 'uuid', description: 'Only items on this site.' }));

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) }, closed);
}

export function idParams<K extends string>(name: K) {
  return Type.Object({ [name]: Uuid } as Record<K, typeof Uuid>, closed);
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw identityError('auth.required', 'Sign in or send an API token');
  return request.principal;
}

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

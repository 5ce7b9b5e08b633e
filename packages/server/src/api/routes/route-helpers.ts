/** What every route module needs: the caller, closed objects, ids, and the list page shape. */
import Type, { type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { identityError, type Principal } from '../../modules/identity/index.js';

export const closed = { additionalProperties: false } as const;
export const Uuid = Type.String({ format: 'uuid' });
export const NoContent = Type.Null({ description: 'No content.' });

/** The list response every paginated route returns. */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) }, closed);
}

export function idParams<K extends string>(name: K) {
  return Type.Object({ [name]: Uuid } as Record<K, typeof Uuid>, closed);
}

/** The signed-in caller; the access hook has already refused the request when there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw identityError('auth.required', 'Sign in or send an API token');
  return request.principal;
}

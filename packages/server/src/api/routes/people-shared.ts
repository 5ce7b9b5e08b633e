/**
 * Schemas and site checks shared by the people route modules (people*.ts).
 *
 * A person may belong to several sites. An operator whose roles are scoped to sites may act on a
 * person when they hold the permission on at least one of the person's sites, and may add or
 * remove a site only when they hold it on that site too. The API's access hook checks one site
 * per request, so the extractors below return the site that decides: a site where the check
 * passes, or else the first site where it fails (which the hook then names in its 403).
 */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { type Permission } from '../../modules/identity/index.js';
import { NoContent, Uuid, closed, idParams, pageOf, principalOf } from './route-helpers.js';

export { NoContent, Uuid, closed, idParams, pageOf, principalOf };

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'From the previous page’s `nextCursor`.' })),
  },
  closed,
);

export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, unknown>)[name]);
}

type SitesOf = (request: FastifyRequest) => Promise<readonly string[]>;

/** The permission on at least one of the sites (none: no site check beyond the permission itself). */
export function anySite(permission: Permission, sitesOf: SitesOf) {
  return async (request: FastifyRequest): Promise<string | null> => {
    const sites = await sitesOf(request);
    return sites.find((s) => request.principal?.can(permission, s)) ?? sites[0] ?? null;
  };
}

/**
 * Any of the person's current sites, and every site the request adds or removes
 * (`body.sites`, when the request changes the person's sites).
 */
export function anySiteAndChanges(permission: Permission, sitesOf: SitesOf) {
  return async (request: FastifyRequest): Promise<string | null> => {
    const current = await sitesOf(request);
    const can = (site: string) => request.principal?.can(permission, site) ?? false;
    const granted = current.find(can);
    if (current.length > 0 && !granted) return current[0]!;
    const next = (request.body as { sites?: string[] } | undefined)?.sites;
    if (next) {
      const changed = [...next.filter((s) => !current.includes(s)), ...current.filter((s) => !next.includes(s))];
      const refused = changed.find((s) => !can(s));
      if (refused) return refused;
      return granted ?? next[0] ?? null;
    }
    return granted ?? null;
  };
}

/**
 * People over HTTP: persons and their lifecycle here; departments, job roles and training in
 * people-directory.ts; credentials in people-credentials.ts; the HR feed and CSV import in
 * people-feeds.ts. Site-scoped operators see and change only persons of their sites (see
 * people-shared.ts); persons with no site are visible to anyone holding the permission.
 */
import {
  OptionalReasonSchema,
  PersonCreateSchema,
  PersonQuerySchema,
  PersonSchema,
  PersonUpdateSchema,
  StatusChangeSchema,
  type PeopleModule,
} from '../../modules/people/index.js';
import type { Api } from '../server.js';
import { credentialRoutes } from './people-credentials.js';
import { directoryRoutes } from './people-directory.js';
import { feedRoutes } from './people-feeds.js';
import { anySite, anySiteAndChanges, idParams, pageOf, param, principalOf } from './people-shared.js';

const tags = ['people'];

export function peopleRoutes(people: PeopleModule) {
  return async (app: Api): Promise<void> => {
    personRoutes(app, people);
    directoryRoutes(app, people);
    credentialRoutes(app, people);
    await feedRoutes(app, people);
  };
}

function personRoutes(app: Api, { persons }: PeopleModule): void {
  const PersonParams = idParams('personId');
  const sitesOfPerson = (request: Parameters<typeof param>[0]) => persons.sitesOf(param(request, 'personId'));

  app.get(
    '/api/people/persons',
    {
      config: { access: { permission: 'people.read' } },
      schema: {
        tags,
        summary: 'List and search persons',
        description:
          '`q` matches part of the name (given then family, or family then given) or the start of the employee id, ignoring case. Ordered by family name, given name. Only persons of the sites the caller may read (and persons with no site) are listed.',
        querystring: PersonQuerySchema,
        response: { 200: pageOf(PersonSchema) },
      },
    },
    async (request) => persons.list(request.query, principalOf(request).sitesFor('people.read')),
  );

  app.post(
    '/api/people/persons',
    {
      config: { access: { permission: 'people.manage', site: anySiteAndChanges('people.manage', () => Promise.resolve([])) } },
      schema: {
        tags,
        summary: 'Register a person',
        description: 'Needs `people.manage` on every listed site. The first site is the home site, which the person’s events carry.',
        body: PersonCreateSchema,
        response: { 201: PersonSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await persons.create(request.body, principalOf(request).actor)),
  );

  app.get(
    '/api/people/persons/:personId',
    {
      config: { access: { permission: 'people.read', site: anySite('people.read', sitesOfPerson) } },
      schema: { tags, summary: 'Read a person', params: PersonParams, response: { 200: PersonSchema } },
    },
    async (request) => persons.get(request.params.personId),
  );

  app.patch(
    '/api/people/persons/:personId',
    {
      config: { access: { permission: 'people.manage', site: anySiteAndChanges('people.manage', sitesOfPerson) } },
      schema: {
        tags,
        summary: 'Change a person',
        description:
          'Fields left out stay as they are; `null` clears an optional one. `sites` and `jobRoleIds` replace the lists. Adding or removing a site needs `people.manage` on that site. A terminated person cannot be changed (`people.person_terminated`).',
        params: PersonParams,
        body: PersonUpdateSchema,
        response: { 200: PersonSchema },
      },
    },
    async (request) => persons.update(request.params.personId, request.body, principalOf(request).actor),
  );

  const lifecycle = [
    {
      path: 'suspend',
      permission: 'people.manage',
      summary: 'Suspend a person',
      description: 'Active → suspended. Credentials keep their state; access decisions refuse a suspended person.',
      body: StatusChangeSchema,
      run: (id: string, reason: string | undefined, actor: string) => persons.suspend(id, reason ?? '', actor),
    },
    {
      path: 'reinstate',
      permission: 'people.manage',
      summary: 'Reinstate a suspended or terminated person',
      description: 'Suspended or terminated → active. Credentials revoked at termination stay revoked; issue new ones.',
      body: OptionalReasonSchema,
      run: (id: string, reason: string | undefined, actor: string) => persons.reinstate(id, reason ?? null, actor),
    },
    {
      path: 'terminate',
      permission: 'people.terminate',
      summary: 'Terminate a person and disable every credential',
      description:
        'Active or suspended → terminated. In the same transaction every active or suspended credential is revoked, with a `credential.revoked` event each; lost and stolen credentials keep their state.',
      body: StatusChangeSchema,
      run: (id: string, reason: string | undefined, actor: string) => persons.terminate(id, reason ?? '', actor),
    },
  ] as const;
  for (const step of lifecycle) {
    app.post(
      `/api/people/persons/:personId/${step.path}`,
      {
        config: { access: { permission: step.permission, site: anySite(step.permission, sitesOfPerson) } },
        schema: {
          tags,
          summary: step.summary,
          description: `${step.description} A person in any other state gets \`people.invalid_transition\`.`,
          params: PersonParams,
          body: step.body,
          response: { 200: PersonSchema },
        },
      },
      async (request) => step.run(request.params.personId, request.body.reason, principalOf(request).actor),
    );
  }
}

/**
 * Departments, job roles, the competency catalogue and training records. Departments and job roles
 * are shared by every site, so changing them needs `people.manage` on all sites.
 */
import Type from 'typebox';
import {
  COMPETENCIES,
  CompetencyEntrySchema,
  DepartmentSchema,
  DirectoryCreateSchema,
  DirectoryUpdateSchema,
  TrainingBatchResultSchema,
  TrainingBatchSchema,
  TrainingCreateSchema,
  TrainingRecordSchema,
  type DirectoryService,
  type PeopleModule,
} from '../../modules/people/index.js';
import { ALL_SITES } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { NoContent, PageQuery, anySite, idParams, pageOf, param, principalOf } from './people-shared.js';

const tags = ['people'];
const everySite = { permission: 'people.manage', site: () => ALL_SITES } as const;

export function directoryRoutes(app: Api, people: PeopleModule): void {
  directory(app, people.departments, { path: 'departments', noun: 'department', param: 'departmentId' });
  directory(app, people.jobRoles, { path: 'job-roles', noun: 'job role', param: 'jobRoleId' });
  trainingRoutes(app, people);
}

function directory(app: Api, service: DirectoryService, names: { path: string; noun: string; param: string }): void {
  const base = `/api/people/${names.path}`;
  const Params = idParams(names.param);
  const id = (request: Parameters<typeof param>[0]) => param(request, names.param);

  app.get(
    base,
    {
      config: { access: { permission: 'people.read' } },
      schema: { tags, summary: `List ${names.noun}s by name`, querystring: PageQuery, response: { 200: pageOf(DepartmentSchema) } },
    },
    async (request) => service.list(request.query),
  );
  app.post(
    base,
    {
      config: { access: everySite },
      schema: { tags, summary: `Create a ${names.noun}`, body: DirectoryCreateSchema, response: { 201: DepartmentSchema } },
    },
    async (request, reply) => reply.code(201).send(await service.create(request.body, principalOf(request).actor)),
  );
  app.get(
    `${base}/:${names.param}`,
    {
      config: { access: { permission: 'people.read' } },
      schema: { tags, summary: `Read a ${names.noun}`, params: Params, response: { 200: DepartmentSchema } },
    },
    async (request) => service.get(id(request)),
  );
  app.patch(
    `${base}/:${names.param}`,
    {
      config: { access: everySite },
      schema: {
        tags,
        summary: `Rename or describe a ${names.noun}`,
        params: Params,
        body: DirectoryUpdateSchema,
        response: { 200: DepartmentSchema },
      },
    },
    async (request) => service.update(id(request), request.body, principalOf(request).actor),
  );
  app.delete(
    `${base}/:${names.param}`,
    {
      config: { access: everySite },
      schema: {
        tags,
        summary: `Delete a ${names.noun} no one refers to`,
        description: `Refused with a conflict while any person still refers to the ${names.noun}.`,
        params: Params,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.remove(id(request), principalOf(request).actor);
      return reply.code(204).send(null);
    },
  );
}

function trainingRoutes(app: Api, { persons, training }: PeopleModule): void {
  const PersonParams = idParams('personId');
  const RecordParams = idParams('recordId');
  const sitesOfPerson = (request: Parameters<typeof param>[0]) => persons.sitesOf(param(request, 'personId'));
  const sitesOfRecord = async (request: Parameters<typeof param>[0]) => {
    const personId = await training.personOf(param(request, 'recordId'));
    return personId ? persons.sitesOf(personId) : [];
  };

  app.get(
    '/api/people/competencies',
    {
      config: { access: { permission: 'people.read' } },
      schema: { tags, summary: 'The competency catalogue', response: { 200: Type.Array(CompetencyEntrySchema) } },
    },
    () => Object.entries(COMPETENCIES).map(([key, name]) => ({ key: key as keyof typeof COMPETENCIES, name })),
  );

  app.get(
    '/api/people/persons/:personId/training',
    {
      config: { access: { permission: 'people.read', site: anySite('people.read', sitesOfPerson) } },
      schema: {
        tags,
        summary: 'A person’s training and competency records',
        description: '`current` says whether a record is completed and not yet expired now.',
        params: PersonParams,
        querystring: PageQuery,
        response: { 200: pageOf(TrainingRecordSchema) },
      },
    },
    async (request) => training.list(request.params.personId, request.query),
  );

  app.post(
    '/api/people/persons/:personId/training',
    {
      config: { access: { permission: 'people.manage', site: anySite('people.manage', sitesOfPerson) } },
      schema: {
        tags,
        summary: 'Record completed training',
        params: PersonParams,
        body: TrainingCreateSchema,
        response: { 201: TrainingRecordSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await training.record(request.params.personId, request.body, principalOf(request).actor)),
  );

  app.post(
    '/api/people/training/bulk',
    {
      config: { access: { permission: 'people.manage' } },
      schema: {
        tags,
        summary: 'Record completed training for many persons',
        description:
          'Up to 5,000 records in one transaction, each journaled as `training.recorded`. All or nothing: if any record names an unknown person, a person on none of the caller’s sites, dates the wrong way round or repeats an earlier record of the batch, nothing is recorded and `people.training_batch_rejected` lists each failing record by position. A record identical to one already stored is skipped and its position listed in `alreadyRecorded`, so re-sending a batch is harmless.',
        body: TrainingBatchSchema,
        response: { 200: TrainingBatchResultSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return training.recordMany(request.body.records, { source: principal.actor, scope: principal.sitesFor('people.manage') });
    },
  );

  app.delete(
    '/api/people/training/:recordId',
    {
      config: { access: { permission: 'people.manage', site: anySite('people.manage', sitesOfRecord) } },
      schema: {
        tags,
        summary: 'Remove a training record entered in error',
        description: 'The journal keeps both the record and its removal.',
        params: RecordParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await training.remove(request.params.recordId, principalOf(request).actor);
      return reply.code(204).send(null);
    },
  );
}

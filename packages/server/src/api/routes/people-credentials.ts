/**
 * Credentials over HTTP. Card numbers are answered masked (at most the last four digits), PINs
 * are accepted once and never answered, biometric credentials are vendor references only.
 */
import type { TSchema } from 'typebox';
import {
  BiometricIssueSchema,
  CardIssueSchema,
  CredentialSchema,
  MobileIssueSchema,
  OptionalReasonSchema,
  PinIssueSchema,
  type Credential,
  type PeopleModule,
} from '../../modules/people/index.js';
import type { FastifyRequest } from 'fastify';
import type { Api } from '../server.js';
import { PageQuery, anySite, idParams, pageOf, param, principalOf } from './people-shared.js';

const tags = ['credentials'];

export function credentialRoutes(app: Api, { persons, credentials }: PeopleModule): void {
  const PersonParams = idParams('personId');
  const CredentialParams = idParams('credentialId');
  const sitesOfPerson = (request: FastifyRequest) => persons.sitesOf(param(request, 'personId'));
  const sitesOfCredential = (request: FastifyRequest) => credentials.sitesOf(param(request, 'credentialId'));

  app.get(
    '/api/people/persons/:personId/credentials',
    {
      config: { access: { permission: 'credentials.read', site: anySite('credentials.read', sitesOfPerson) } },
      schema: {
        tags,
        summary: 'A person’s credentials, card numbers masked',
        params: PersonParams,
        querystring: PageQuery,
        response: { 200: pageOf(CredentialSchema) },
      },
    },
    async (request) => credentials.listForPerson(request.params.personId, request.query),
  );

  const issuers: {
    path: string;
    summary: string;
    description: string;
    body: TSchema;
    issue: (id: string, body: never, actor: string) => Promise<Credential>;
  }[] = [
    {
      path: 'card',
      summary: 'Issue a card',
      description:
        'The facility code and card number must fit the Wiegand format (`people.card_invalid` otherwise). A card already held under the same format and facility code is refused with `people.card_duplicate`, whose `credentialId` names the holder’s credential. The response shows the number masked.',
      body: CardIssueSchema,
      issue: (id, body, actor) => credentials.issueCard(id, body, actor),
    },
    {
      path: 'pin',
      summary: 'Set a PIN',
      description:
        'A PIN is 4 to 8 digits, not a repeated digit or a run. It is stored only as a salted scrypt hash and never shown again; a person’s previous PIN is revoked.',
      body: PinIssueSchema,
      issue: (id, body, actor) => credentials.issuePin(id, body, actor),
    },
    {
      path: 'mobile',
      summary: 'Register a mobile credential',
      description: 'The enrolment id the mobile-credential service assigned, for one platform.',
      body: MobileIssueSchema,
      issue: (id, body, actor) => credentials.issueMobile(id, body, actor),
    },
    {
      path: 'biometric',
      summary: 'Register a biometric reference',
      description:
        'Vigil stores the reader vendor’s name and the id its enrolment system gave the template, never biometric data: biometric data is sensitive personal data (GDPR art. 9, BIPA), cannot be changed when leaked, and matching happens at the reader. A reference that looks like template data (longer than 128 characters, base64 or hex encoded bytes) is refused with `people.biometric_template_rejected`.',
      body: BiometricIssueSchema,
      issue: (id, body, actor) => credentials.issueBiometric(id, body, actor),
    },
  ];
  for (const issuer of issuers) {
    app.post(
      `/api/people/persons/:personId/credentials/${issuer.path}`,
      {
        config: { access: { permission: 'credentials.manage', site: anySite('credentials.manage', sitesOfPerson) } },
        schema: {
          tags,
          summary: issuer.summary,
          description: `${issuer.description} A terminated person gets \`people.person_terminated\`.`,
          params: PersonParams,
          body: issuer.body,
          response: { 201: CredentialSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await issuer.issue(request.params.personId, request.body as never, principalOf(request).actor)),
    );
  }

  app.get(
    '/api/people/credentials/:credentialId',
    {
      config: { access: { permission: 'credentials.read', site: anySite('credentials.read', sitesOfCredential) } },
      schema: { tags, summary: 'Read a credential (card number masked)', params: CredentialParams, response: { 200: CredentialSchema } },
    },
    async (request) => credentials.get(request.params.credentialId),
  );

  const changes = [
    { path: 'suspend', change: 'suspend', summary: 'Suspend a credential', from: 'active' },
    { path: 'resume', change: 'resume', summary: 'Make a suspended credential active again', from: 'suspended' },
    { path: 'report-lost', change: 'report_lost', summary: 'Report a credential lost (final)', from: 'active or suspended' },
    {
      path: 'report-stolen',
      change: 'report_stolen',
      summary: 'Report a credential stolen (final; presenting it should raise an alarm)',
      from: 'active, suspended or lost',
    },
    { path: 'revoke', change: 'revoke', summary: 'Revoke a credential for good', from: 'active or suspended' },
  ] as const;
  for (const step of changes) {
    app.post(
      `/api/people/credentials/:credentialId/${step.path}`,
      {
        config: { access: { permission: 'credentials.manage', site: anySite('credentials.manage', sitesOfCredential) } },
        schema: {
          tags,
          summary: step.summary,
          description: `Allowed from ${step.from}; otherwise \`people.credential_transition_invalid\`.`,
          params: CredentialParams,
          body: OptionalReasonSchema,
          response: { 200: CredentialSchema },
        },
      },
      async (request) =>
        credentials.change(request.params.credentialId, step.change, request.body.reason ?? null, principalOf(request).actor),
    );
  }
}

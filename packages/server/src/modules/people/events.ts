/**
 * Facts the people module records. Every event's `subject` is the person and `site` their home
 * site. Names are deliberately left out: the journal is immutable and append-only, so it holds
 * ids, and the name is looked up from the person record (which can be corrected). Card numbers
 * appear only masked; PINs and biometric data never appear at all.
 */
import { defineEvent, type EventDefinition, type TSchema } from '@vigil/core';
import Type from 'typebox';
import { COMPETENCIES, CREDENTIAL_STATUSES, CREDENTIAL_TYPES, PERSON_KINDS, PERSON_STATUSES } from './vocabulary.js';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Status = Type.Enum([...PERSON_STATUSES]);
const CredentialStatus = Type.Enum([...CREDENTIAL_STATUSES]);
const Competency = Type.Enum(Object.keys(COMPETENCIES) as (keyof typeof COMPETENCIES)[]);

const personProfile = {
  kind: Type.Enum([...PERSON_KINDS]),
  employeeId: Nullable(Type.String()),
  departmentId: Nullable(Type.String()),
  jobRoleIds: Type.Array(Type.String()),
  sites: Type.Array(Type.String()),
  validFrom: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
};

/** Leaves out absent values: the journal keeps every byte forever, and imports write millions. */
export function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}

/** What is recorded of a newly registered person, one by one or by an import. */
const registeredPerson = {
  kind: personProfile.kind,
  jobRoleIds: personProfile.jobRoleIds,
  sites: personProfile.sites,
  employeeId: Type.Optional(Type.String()),
  departmentId: Type.Optional(Type.String()),
  validFrom: Type.Optional(Type.String()),
  validUntil: Type.Optional(Type.String()),
};

export const personCreated = defineEvent(
  'person.created',
  'A person (staff, contractor, visitor, patient or infant) was registered; absent optional fields are left out',
  Type.Object({ ...registeredPerson, status: Status }, closed),
);

export const personUpdated = defineEvent(
  'person.updated',
  'A person record changed; `changed` names every field, values are given except for names',
  Type.Object(
    {
      changed: Type.Array(Type.String()),
      kind: Type.Optional(personProfile.kind),
      employeeId: Type.Optional(personProfile.employeeId),
      departmentId: Type.Optional(personProfile.departmentId),
      jobRoleIds: Type.Optional(personProfile.jobRoleIds),
      sites: Type.Optional(personProfile.sites),
      validFrom: Type.Optional(personProfile.validFrom),
      validUntil: Type.Optional(personProfile.validUntil),
    },
    closed,
  ),
);

const statusChange = Type.Object({ from: Status, reason: Nullable(Type.String()) }, closed);
export const personSuspended = defineEvent(
  'person.suspended',
  'A person was suspended; their credentials are kept but access decisions refuse them until reinstated',
  statusChange,
);
export const personReinstated = defineEvent('person.reinstated', 'A suspended or terminated person was made active again', statusChange);
export const personTerminated = defineEvent(
  'person.terminated',
  'A person was terminated; every usable credential was revoked in the same transaction',
  Type.Object({ from: Status, reason: Nullable(Type.String()), credentialsDisabled: Type.Integer({ minimum: 0 }) }, closed),
);

const directoryEntry = Type.Object({ name: Type.String() }, closed);
export const departmentCreated = defineEvent('department.created', 'A department was created', directoryEntry);
export const departmentUpdated = defineEvent('department.updated', 'A department was renamed or described', directoryEntry);
export const departmentDeleted = defineEvent('department.deleted', 'A department no one belonged to was deleted', directoryEntry);
export const jobRoleCreated = defineEvent('job_role.created', 'A job role was created', directoryEntry);
export const jobRoleUpdated = defineEvent('job_role.updated', 'A job role was renamed or described', directoryEntry);
export const jobRoleDeleted = defineEvent('job_role.deleted', 'A job role no one held was deleted', directoryEntry);

export const trainingRecorded = defineEvent(
  'training.recorded',
  'A training or competency record was added for a person',
  Type.Object({ recordId: Type.String(), competency: Competency, completedAt: Type.String(), expiresAt: Type.String() }, closed),
);
export const trainingRemoved = defineEvent(
  'training.removed',
  'A training record entered in error was removed',
  Type.Object({ recordId: Type.String(), competency: Competency }, closed),
);

export const credentialIssued = defineEvent(
  'credential.issued',
  'A credential was issued to a person: card fields for a card, platform for mobile, vendor for biometric (card numbers masked; PINs and biometric data never recorded)',
  Type.Object(
    {
      credentialId: Type.String(),
      type: Type.Enum([...CREDENTIAL_TYPES]),
      format: Type.Optional(Type.String()),
      facilityCode: Type.Optional(Type.Integer()),
      cardNumberMasked: Type.Optional(Type.String()),
      platform: Type.Optional(Type.String()),
      vendor: Type.Optional(Type.String()),
      validFrom: Type.Optional(Type.String()),
      validUntil: Type.Optional(Type.String()),
    },
    closed,
  ),
);

/**
 * A CSV import is journaled in events of up to IMPORT_PERSONS_PER_EVENT persons of one site
 * rather than one event per person and credential: an import of 100,000 people would otherwise
 * append 200,000 chained records. Each entry records what `person.created` and
 * `credential.issued` would; the events share the import's correlation id and say which part of
 * how many they are, so the whole import can be read back, and each person is indexed as a
 * further subject, so a search for the person finds the event.
 */
export const IMPORT_PERSONS_PER_EVENT = 100;

const importedCard = Type.Object(
  {
    credentialId: Type.String(),
    type: Type.Literal('card'),
    format: Type.String(),
    facilityCode: Type.Integer(),
    cardNumberMasked: Type.String(),
    validFrom: Type.Optional(Type.String()),
    validUntil: Type.Optional(Type.String()),
  },
  closed,
);
const importedPin = Type.Object({ credentialId: Type.String(), type: Type.Literal('pin') }, closed);

export const peopleImported = defineEvent(
  'people.imported',
  'Persons and their credentials were registered by a CSV import: one event per part of up to 100 persons of one site, each person with the file line it came from (card numbers masked; PINs never recorded)',
  Type.Object(
    {
      part: Type.Integer({ minimum: 1 }),
      parts: Type.Integer({ minimum: 1 }),
      persons: Type.Array(
        Type.Object(
          {
            personId: Type.String(),
            line: Type.Integer({ minimum: 1 }),
            ...registeredPerson,
            credentials: Type.Array(Type.Union([importedCard, importedPin])),
          },
          closed,
        ),
        { minItems: 1, maxItems: IMPORT_PERSONS_PER_EVENT },
      ),
    },
    closed,
  ),
  { subjects: (data) => data.persons.map((p) => p.personId) },
);

const credentialChange = Type.Object(
  {
    credentialId: Type.String(),
    type: Type.Enum([...CREDENTIAL_TYPES]),
    from: CredentialStatus,
    reason: Nullable(Type.String()),
    cardNumberMasked: Nullable(Type.String()),
  },
  closed,
);
export const credentialSuspended = defineEvent('credential.suspended', 'A credential was suspended', credentialChange);
export const credentialResumed = defineEvent('credential.resumed', 'A suspended credential was made active again', credentialChange);
export const credentialReportedLost = defineEvent(
  'credential.reported_lost',
  'A credential was reported lost; it no longer works',
  credentialChange,
);
export const credentialReportedStolen = defineEvent(
  'credential.reported_stolen',
  'A credential was reported stolen; it no longer works and presenting it should raise an alarm',
  credentialChange,
);
export const credentialRevoked = defineEvent('credential.revoked', 'A credential was revoked for good', credentialChange);

/** Everything this module records, for the event catalogue built at the composition root. */
export const peopleEvents: EventDefinition<string, TSchema>[] = [
  personCreated,
  personUpdated,
  personSuspended,
  personReinstated,
  personTerminated,
  departmentCreated,
  departmentUpdated,
  departmentDeleted,
  jobRoleCreated,
  jobRoleUpdated,
  jobRoleDeleted,
  trainingRecorded,
  trainingRemoved,
  credentialIssued,
  credentialSuspended,
  credentialResumed,
  credentialReportedLost,
  credentialReportedStolen,
  credentialRevoked,
  peopleImported,
];

/**
 * The shapes the people module accepts and returns, as TypeBox schemas: the API validates with
 * them and documents them, the service takes their static types. Bodies reject unknown fields.
 */
import Type, { type Static } from 'typebox';
import { WIEGAND_FORMATS } from '@vigil/core';
import { COMPETENCIES, CREDENTIAL_STATUSES, CREDENTIAL_TYPES, MOBILE_PLATFORMS, PERSON_KINDS, PERSON_STATUSES } from './vocabulary.js';

const closed = { additionalProperties: false } as const;

export const IdSchema = Type.String({ format: 'uuid', description: 'A UUIDv7 id.' });
export const InstantSchema = Type.String({ format: 'date-time', description: 'ISO-8601 instant; stored and returned in UTC.' });
const NullableInstant = Type.Union([InstantSchema, Type.Null()]);
const Reason = Type.String({ minLength: 1, maxLength: 500 });

/** A facility site id, held as plain text (the facility module owns sites). */
export const SiteIdSchema = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' });
export const EmployeeIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\s](.*[^\\s])?$',
  description: 'Employee number or the id in the feeding system (HR, visitor management); unique when present.',
});
const NameSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const PersonKindSchema = Type.Enum([...PERSON_KINDS]);
export const PersonStatusSchema = Type.Enum([...PERSON_STATUSES]);
export const CredentialStatusSchema = Type.Enum([...CREDENTIAL_STATUSES]);
export const CompetencySchema = Type.Enum(Object.keys(COMPETENCIES) as (keyof typeof COMPETENCIES)[]);
export const WiegandFormatSchema = Type.Enum(WIEGAND_FORMATS.map((f) => f.id));

export const PersonSchema = Type.Object(
  {
    id: IdSchema,
    kind: PersonKindSchema,
    employeeId: Type.Union([Type.String(), Type.Null()]),
    givenName: Type.String(),
    familyName: Type.String(),
    departmentId: Type.Union([IdSchema, Type.Null()]),
    jobRoleIds: Type.Array(IdSchema),
    sites: Type.Array(Type.String(), { description: 'Sites the person belongs to; the first is the home site.' }),
    status: PersonStatusSchema,
    statusReason: Type.Union([Type.String(), Type.Null()]),
    statusChangedAt: InstantSchema,
    validFrom: NullableInstant,
    validUntil: NullableInstant,
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  },
  closed,
);
export type Person = Static<typeof PersonSchema>;

export const PersonCreateSchema = Type.Object(
  {
    kind: PersonKindSchema,
    employeeId: Type.Optional(EmployeeIdSchema),
    givenName: NameSchema,
    familyName: NameSchema,
    departmentId: Type.Optional(IdSchema),
    jobRoleIds: Type.Optional(Type.Array(IdSchema, { maxItems: 50, uniqueItems: true })),
    sites: Type.Optional(Type.Array(SiteIdSchema, { maxItems: 50, uniqueItems: true })),
    validFrom: Type.Optional(InstantSchema),
    validUntil: Type.Optional(InstantSchema),
  },
  closed,
);
export type PersonCreate = Static<typeof PersonCreateSchema>;

export const PersonUpdateSchema = Type.Object(
  {
    kind: Type.Optional(PersonKindSchema),
    employeeId: Type.Optional(Type.Union([EmployeeIdSchema, Type.Null()])),
    givenName: Type.Optional(NameSchema),
    familyName: Type.Optional(NameSchema),
    departmentId: Type.Optional(Type.Union([IdSchema, Type.Null()])),
    jobRoleIds: Type.Optional(Type.Array(IdSchema, { maxItems: 50, uniqueItems: true })),
    sites: Type.Optional(Type.Array(SiteIdSchema, { maxItems: 50, uniqueItems: true })),
    validFrom: Type.Optional(NullableInstant),
    validUntil: Type.Optional(NullableInstant),
  },
  { ...closed, minProperties: 1 },
);
export type PersonUpdate = Static<typeof PersonUpdateSchema>;

export const PersonQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name, or the start of the employee id.' })),
    kind: Type.Optional(PersonKindSchema),
    status: Type.Optional(PersonStatusSchema),
    site: Type.Optional(SiteIdSchema),
    departmentId: Type.Optional(IdSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  closed,
);
export type PersonQuery = Static<typeof PersonQuerySchema>;

export const StatusChangeSchema = Type.Object({ reason: Reason }, closed);
export const OptionalReasonSchema = Type.Object({ reason: Type.Optional(Reason) }, closed);

export const DepartmentSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  },
  closed,
);
export type Department = Static<typeof DepartmentSchema>;
export const DirectoryCreateSchema = Type.Object(
  { name: NameSchema, description: Type.Optional(Type.String({ maxLength: 1000 })) },
  closed,
);
export type DirectoryCreate = Static<typeof DirectoryCreateSchema>;
export const DirectoryUpdateSchema = Type.Object(
  { name: Type.Optional(NameSchema), description: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) },
  { ...closed, minProperties: 1 },
);
export type DirectoryUpdate = Static<typeof DirectoryUpdateSchema>;
/** Job roles have the department's shape: a named entry with a description. */
export const JobRoleSchema = DepartmentSchema;
export type JobRole = Department;

export const CompetencyEntrySchema = Type.Object({ key: CompetencySchema, name: Type.String() }, closed);

export const TrainingRecordSchema = Type.Object(
  {
    id: IdSchema,
    personId: IdSchema,
    competency: CompetencySchema,
    completedAt: InstantSchema,
    expiresAt: InstantSchema,
    current: Type.Boolean({ description: 'Completed and not yet expired at the time of the request.' }),
    recordedBy: Type.String(),
    createdAt: InstantSchema,
  },
  closed,
);
export type TrainingRecord = Static<typeof TrainingRecordSchema>;
export const TrainingCreateSchema = Type.Object(
  { competency: CompetencySchema, completedAt: InstantSchema, expiresAt: InstantSchema },
  closed,
);
export type TrainingCreate = Static<typeof TrainingCreateSchema>;

/** How many records one training batch may carry. */
export const MAX_TRAINING_PER_BATCH = 5000;
export const TrainingBatchSchema = Type.Object(
  {
    records: Type.Array(Type.Object({ personId: IdSchema, ...TrainingCreateSchema.properties }, closed), {
      minItems: 1,
      maxItems: MAX_TRAINING_PER_BATCH,
    }),
  },
  closed,
);
export type TrainingBatch = Static<typeof TrainingBatchSchema>;
export const TrainingBatchResultSchema = Type.Object(
  {
    recorded: Type.Array(TrainingRecordSchema, { description: 'The records stored by this request, in the order sent.' }),
    alreadyRecorded: Type.Array(Type.Integer(), {
      description:
        'Positions (0-based) of records identical to one already stored (same person, competency and dates), which were skipped.',
    }),
  },
  closed,
);
export type TrainingBatchResult = Static<typeof TrainingBatchResultSchema>;

export const CredentialSchema = Type.Object(
  {
    id: IdSchema,
    personId: IdSchema,
    type: Type.Enum([...CREDENTIAL_TYPES]),
    status: CredentialStatusSchema,
    statusReason: Type.Union([Type.String(), Type.Null()]),
    statusChangedAt: InstantSchema,
    validFrom: NullableInstant,
    validUntil: NullableInstant,
    card: Type.Union([
      Type.Object(
        {
          format: Type.String(),
          facilityCode: Type.Integer(),
          cardNumberMasked: Type.String({ description: 'At most the last four digits; the full number never leaves the database.' }),
        },
        closed,
      ),
      Type.Null(),
    ]),
    mobile: Type.Union([Type.Object({ platform: Type.Enum([...MOBILE_PLATFORMS]), enrolmentId: Type.String() }, closed), Type.Null()]),
    biometric: Type.Union([Type.Object({ vendor: Type.String(), templateRef: Type.String() }, closed), Type.Null()]),
    issuedBy: Type.String(),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  },
  closed,
);
export type Credential = Static<typeof CredentialSchema>;

const validity = { validFrom: Type.Optional(InstantSchema), validUntil: Type.Optional(InstantSchema) };
export const CardIssueSchema = Type.Object(
  {
    format: WiegandFormatSchema,
    facilityCode: Type.Integer({ minimum: 0 }),
    cardNumber: Type.Integer({ minimum: 0 }),
    ...validity,
  },
  closed,
);
export type CardIssue = Static<typeof CardIssueSchema>;
export const PinIssueSchema = Type.Object(
  { pin: Type.String({ minLength: 1, maxLength: 16, description: '4 to 8 digits; stored only as a salted scrypt hash.' }), ...validity },
  closed,
);
export type PinIssue = Static<typeof PinIssueSchema>;
export const MobileIssueSchema = Type.Object(
  {
    platform: Type.Enum([...MOBILE_PLATFORMS]),
    enrolmentId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' }),
    ...validity,
  },
  closed,
);
export type MobileIssue = Static<typeof MobileIssueSchema>;
export const BiometricIssueSchema = Type.Object(
  {
    vendor: NameSchema,
    templateRef: Type.String({
      minLength: 1,
      maxLength: 65536,
      description:
        'The enrolment id the reader vendor assigned (at most 128 characters of letters, digits and . _ : -). Template bytes are rejected: Vigil never stores biometric data.',
    }),
    ...validity,
  },
  closed,
);
export type BiometricIssue = Static<typeof BiometricIssueSchema>;

export const HrTerminationBatchSchema = Type.Object(
  {
    terminations: Type.Array(Type.Object({ employeeId: EmployeeIdSchema, reason: Type.Optional(Reason) }, closed), {
      minItems: 1,
      maxItems: 5000,
    }),
  },
  closed,
);
export type HrTerminationBatch = Static<typeof HrTerminationBatchSchema>;
const HrOutcome = Type.Object({ employeeId: Type.String(), personId: IdSchema, credentialsDisabled: Type.Integer() }, closed);
export const HrTerminationResultSchema = Type.Object(
  { terminated: Type.Array(HrOutcome), alreadyTerminated: Type.Array(HrOutcome) },
  closed,
);
export type HrTerminationResult = Static<typeof HrTerminationResultSchema>;

export const ImportErrorSchema = Type.Object(
  {
    line: Type.Integer({ description: '1-based line in the file (the header is line 1).' }),
    column: Type.Union([Type.Integer(), Type.Null()], { description: '1-based column, null when the whole row is at fault.' }),
    columnName: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    message: Type.String(),
  },
  closed,
);
export type ImportError = Static<typeof ImportErrorSchema>;
export const ImportReportSchema = Type.Object(
  {
    ok: Type.Boolean(),
    dryRun: Type.Boolean(),
    rows: Type.Integer(),
    persons: Type.Integer({ description: 'Persons created (or, in a dry run, that would be).' }),
    credentials: Type.Integer({ description: 'Credentials created (or, in a dry run, that would be).' }),
    errorCount: Type.Integer(),
    errors: Type.Array(ImportErrorSchema, { description: 'The first 1,000 errors, in file order.' }),
  },
  closed,
);
export type ImportReport = Static<typeof ImportReportSchema>;

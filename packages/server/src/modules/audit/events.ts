/**
 * What the audit module records about the journal itself: who verified it and with what result,
 * and who exported which part of it. Auditors ask both questions.
 */
import { Type, defineEvent } from '@vigil/core';

const Filters = Type.Object(
  {
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    type: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    subject: Type.Optional(Type.String()),
    door: Type.Optional(Type.String()),
    zone: Type.Optional(Type.String()),
    site: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const journalVerified = defineEvent(
  'journal.verified',
  'The journal was verified (hash chain and signed checkpoints) on request; the result is recorded whether intact or not.',
  Type.Object(
    {
      verificationId: Type.String(),
      intact: Type.Boolean(),
      events: Type.Integer({ minimum: 0 }),
      brokenAtSeq: Type.Union([Type.Integer(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
    },
    { additionalProperties: false },
  ),
);

export const journalExported = defineEvent(
  'journal.exported',
  'Journal records matching the given filters were exported (CSV).',
  Type.Object({ filters: Filters, rows: Type.Integer({ minimum: 0 }), truncated: Type.Boolean() }, { additionalProperties: false }),
);

export const auditEvents = [journalVerified, journalExported];

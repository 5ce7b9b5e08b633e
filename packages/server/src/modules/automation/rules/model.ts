/** Rules as the API shows them. */
import Type, { type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
const Instant = Type.String({ format: 'date-time' });

export const RuleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    siteId: Type.Union([Type.String(), Type.Null()]),
    enabled: Type.Boolean(),
    version: Type.Integer({ minimum: 1 }),
    document: Type.Unknown({ description: 'The validated rule document (see `GET /api/automation/rule-schema`).' }),
    format: Type.Enum(['json', 'yaml']),
    source: Type.Union([Type.String(), Type.Null()], { description: 'The YAML as submitted (null for JSON rules).' }),
    createdAt: Instant,
    createdBy: Type.String(),
    updatedAt: Instant,
    updatedBy: Type.String(),
  },
  closed,
);
export type Rule = Static<typeof RuleSchema>;

export const RuleVersionSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    change: Type.Enum(['created', 'changed', 'enabled', 'disabled', 'deleted']),
    enabled: Type.Boolean(),
    document: Type.Unknown(),
    format: Type.Enum(['json', 'yaml']),
    source: Type.Union([Type.String(), Type.Null()]),
    changedAt: Instant,
    changedBy: Type.String(),
  },
  closed,
);
export type RuleVersion = Static<typeof RuleVersionSchema>;

/**
 * The rule document: declarative, in JSON or YAML. A trigger (event types and field filters),
 * conditions that must all hold, and actions to take:
 *
 *   name: Stairwell door forced
 *   site: 0190…
 *   trigger: { event: door.contact_opened, where: { zone: { in: [0190…] } } }
 *   conditions:
 *     - absent: { event: [access.granted, door.rex], same: [door], beforeSeconds: 2 }
 *     - time: { from: "20:00", to: "06:00" }
 *   actions:
 *     - raiseAlarm: { type: door_forced, priority: 2, title: "Door forced: {door}" }
 *     - lockZone: {}
 */
import { DOOR_MODES } from '@vigil/core';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });

export const EVENT_PATTERN = '^(\\*|[a-z][a-z0-9_]*\\.\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+)$';
const EventType = Type.String({ pattern: EVENT_PATTERN, description: 'An event type, `domain.*`, or `*`.' });
export const EventTypesSchema = Type.Union([EventType, Type.Array(EventType, { minItems: 1, maxItems: 20 })]);

export const FIELD_PATTERN = '^(site|zone|door|source|subject|data(\\.[A-Za-z_][A-Za-z0-9_]*){1,4})$';
const Scalar = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean(), Type.Null()]);
const Scalars = Type.Array(Type.Union([Type.String({ maxLength: 500 }), Type.Number()]), { minItems: 1, maxItems: 500 });
export const MatcherSchema = Type.Union([
  Scalar,
  Type.Object(
    {
      eq: Type.Optional(Scalar),
      ne: Type.Optional(Scalar),
      in: Type.Optional(Scalars),
      notIn: Type.Optional(Scalars),
      gt: Type.Optional(Type.Number()),
      gte: Type.Optional(Type.Number()),
      lt: Type.Optional(Type.Number()),
      lte: Type.Optional(Type.Number()),
      exists: Type.Optional(Type.Boolean()),
      prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    },
    { ...closed, minProperties: 1 },
  ),
]);
export type Matcher = Static<typeof MatcherSchema>;

export const FilterSchema = Type.Record(Type.String({ pattern: FIELD_PATTERN }), MatcherSchema, {
  ...closed,
  description: 'Field tests that must all hold: `zone`, `door`, `source`, `subject`, `site` or `data.<path>`.',
});
export type Filter = Static<typeof FilterSchema>;

const SAME_FIELDS = ['site', 'zone', 'door', 'source', 'subject'] as const;
export type SameField = (typeof SAME_FIELDS)[number];
const Same = Type.Array(Type.Enum(SAME_FIELDS), { maxItems: 5, description: 'Only events sharing these fields with the trigger count.' });
export const DIFFER_FIELDS = ['building', 'site', 'zone', 'door', 'source'] as const;
export type DifferField = (typeof DIFFER_FIELDS)[number];
const Differ = Type.Array(Type.Enum(DIFFER_FIELDS), {
  minItems: 1,
  maxItems: 5,
  description:
    'Only events whose value of each of these fields is known and differs from the trigger’s count (the trigger never counts itself): ' +
    'the same card read in another building. `building` is the building of the event’s door, else of its zone.',
});
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Weekday = Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const DoorModeSchema = Type.Enum(DOOR_MODES as readonly string[] as string[]);

/** Each condition and action is an object with exactly one key naming its kind. */
export const CONDITIONS = {
  time: Type.Object(
    { from: Clock, to: Clock, days: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7 })) },
    { ...closed, description: 'Local time on the site is in [from, to) (wrapping midnight when from > to).' },
  ),
  zone: Type.Object(
    {
      in: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })),
      notIn: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })),
      types: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 20 })),
    },
    { ...closed, minProperties: 1, description: 'The trigger’s zone is (not) one of these, or of one of these zone types.' },
  ),
  doorMode: Type.Object(
    { door: Type.Optional(Uuid), in: Type.Array(DoorModeSchema, { minItems: 1 }) },
    { ...closed, description: 'The door (default: the trigger’s) is in one of these modes.' },
  ),
  count: Type.Object(
    {
      event: EventTypesSchema,
      where: Type.Optional(FilterSchema),
      same: Type.Optional(Same),
      differ: Type.Optional(Differ),
      withinSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
      atLeast: Type.Integer({ minimum: 1, maximum: 100_000 }),
    },
    {
      ...closed,
      description: 'At least `atLeast` such events (the trigger included, unless `differ` is given) in the last `withinSeconds`.',
    },
  ),
  absent: Type.Object(
    {
      event: EventTypesSchema,
      where: Type.Optional(FilterSchema),
      same: Type.Optional(Same),
      beforeSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
      afterSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
      graceMs: Type.Optional(
        Type.Integer({ minimum: 0, maximum: 5000, description: 'Wait this long for late-arriving events before deciding.' }),
      ),
    },
    {
      ...closed,
      description: 'No such event in the `beforeSeconds` before the trigger, or in the `afterSeconds` after it (one of the two).',
    },
  ),
} satisfies Record<string, TSchema>;

const DoorRef = Type.Optional(Type.Union([Uuid], { description: 'Default: the trigger’s door.' }));
const ZoneRef = Type.Optional(Type.Union([Uuid], { description: 'Default: the trigger’s zone.' }));
export const ACTIONS = {
  raiseAlarm: Type.Object(
    {
      type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
      priority: Type.Integer({ minimum: 1, maximum: 5 }),
      title: Type.Optional(
        Type.String({ minLength: 1, maxLength: 200, description: 'May name `{type}`, `{zone}`, `{door}`, `{source}`, `{site}`.' }),
      ),
    },
    closed,
  ),
  lockDoor: Type.Object({ door: DoorRef }, closed),
  unlockDoor: Type.Object({ door: DoorRef, seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })) }, closed),
  setDoorMode: Type.Object({ door: DoorRef, mode: DoorModeSchema }, closed),
  lockZone: Type.Object({ zone: ZoneRef }, { ...closed, description: 'Locks every door leading into the zone.' }),
  unlockZone: Type.Object({ zone: ZoneRef }, { ...closed, description: 'Unlocks every door leading into the zone.' }),
  startPlan: Type.Object({ plan: Uuid }, closed),
  notify: Type.Object({ channel: Uuid, message: Type.Optional(Type.String({ maxLength: 2000 })) }, closed),
  webhook: Type.Object({ channel: Uuid, message: Type.Optional(Type.String({ maxLength: 2000 })) }, closed),
} satisfies Record<string, TSchema>;

export type ConditionKind = keyof typeof CONDITIONS;
export type ActionKind = keyof typeof ACTIONS;
export type Condition = { [K in ConditionKind]: { [P in K]: Static<(typeof CONDITIONS)[K]> } }[ConditionKind];
export type Action = { [K in ActionKind]: { [P in K]: Static<(typeof ACTIONS)[K]> } }[ActionKind];

function oneOfKeyed(defs: Record<string, TSchema>) {
  return Type.Union(Object.entries(defs).map(([key, schema]) => Type.Object({ [key]: schema }, closed)));
}

export const RuleDocumentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    site: Type.Union([Uuid, Type.Null()], { description: 'The site the rule watches; null: every site.' }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    trigger: Type.Object({ event: EventTypesSchema, where: Type.Optional(FilterSchema) }, closed),
    conditions: Type.Optional(Type.Array(oneOfKeyed(CONDITIONS), { maxItems: 20 })),
    actions: Type.Array(oneOfKeyed(ACTIONS), { minItems: 1, maxItems: 20 }),
    cooldown: Type.Optional(
      Type.Object(
        { seconds: Type.Integer({ minimum: 1, maximum: 86_400 }), per: Type.Optional(Same) },
        { ...closed, description: 'After firing, the rule stays quiet this long (per value of the `per` fields).' },
      ),
    ),
  },
  closed,
);
export type RuleDocument = Omit<Static<typeof RuleDocumentSchema>, 'conditions' | 'actions'> & {
  conditions?: Condition[];
  actions: Action[];
};

export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

const TopLevel = Compile(
  Type.Object(
    {
      ...RuleDocumentSchema.properties,
      conditions: Type.Optional(Type.Array(Type.Object({}, { minProperties: 1, maxProperties: 1 }), { maxItems: 20 })),
      actions: Type.Array(Type.Object({}, { minProperties: 1, maxProperties: 1 }), { minItems: 1, maxItems: 20 }),
    },
    closed,
  ),
);
const conditionCheckers = Object.fromEntries(Object.entries(CONDITIONS).map(([k, s]) => [k, Compile(s)]));
const actionCheckers = Object.fromEntries(Object.entries(ACTIONS).map(([k, s]) => [k, Compile(s)]));

/**
 * Validates a document and reports each problem at its path. Conditions and actions are checked
 * against the schema their one key names, so a typo gets one precise message rather than one per
 * alternative of a union.
 */
export function checkRuleDocument(value: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [...TopLevel.Errors(value)].map((e) => ({ path: e.instancePath || '/', message: e.message }));
  if (problems.length > 0) return problems;
  const doc = value as { conditions?: Record<string, unknown>[]; actions: Record<string, unknown>[] };
  const items: [string, Record<string, unknown>[], Record<string, ReturnType<typeof Compile>>][] = [
    ['conditions', doc.conditions ?? [], conditionCheckers],
    ['actions', doc.actions, actionCheckers],
  ];
  for (const [list, entries, checkers] of items) {
    entries.forEach((entry, i) => {
      const [kind, body] = Object.entries(entry)[0]!;
      const checker = checkers[kind];
      if (!checker) {
        problems.push({
          path: `/${list}/${i}`,
          message: `unknown ${list === 'actions' ? 'action' : 'condition'} \`${kind}\` (known: ${Object.keys(checkers).join(', ')})`,
        });
        return;
      }
      for (const e of checker.Errors(body)) problems.push({ path: `/${list}/${i}/${kind}${e.instancePath}`, message: e.message });
    });
  }
  doc.conditions?.forEach((entry, i) => {
    const absent = entry['absent'] as { beforeSeconds?: number; afterSeconds?: number } | undefined;
    if (absent && (absent.beforeSeconds === undefined) === (absent.afterSeconds === undefined)) {
      problems.push({ path: `/conditions/${i}/absent`, message: 'give exactly one of `beforeSeconds` and `afterSeconds`' });
    }
  });
  return problems;
}

/** The full JSON Schema of a rule document (served to editors and integrators). */
export function ruleDocumentJsonSchema(): unknown {
  return JSON.parse(JSON.stringify(RuleDocumentSchema)) as unknown;
}

/**
 * The event envelope every fact in Vigil travels in, and the catalogue that types each event's
 * `data`. Types are `<domain>.<past-tense fact>` (`access.granted`, `person.terminated`).
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { VigilError } from './errors.js';

export interface EventDraft<TType extends string = string, TData = unknown> {
  readonly type: TType;
  /** UTC instant the fact happened; defaults to the time of appending. */
  readonly at?: Date;
  readonly site: string | null;
  /** The device id or actor (`operator:<id>`, `system:<job>`, `device:<serial>`) that reports the fact. */
  readonly source: string;
  readonly subject?: string | null;
  readonly zone?: string | null;
  readonly door?: string | null;
  readonly correlationId?: string | null;
  readonly data: TData;
  /** Set when the event was created elsewhere (an edge agent) and must be stored once under that id. */
  readonly id?: string;
}

export interface VigilEvent<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly at: Date;
  readonly site: string | null;
  readonly source: string;
  readonly subject: string | null;
  readonly zone: string | null;
  readonly door: string | null;
  readonly correlationId: string | null;
  readonly data: TData;
}

export interface EventDefinition<TType extends string, TSchemaT extends TSchema> {
  readonly type: TType;
  readonly schema: TSchemaT;
  readonly description: string;
  /**
   * Further subjects the event concerns beyond its envelope's `subject`: a batch event names
   * every person it covers. Derived from the (hashed) data, so the journal's index of them can
   * always be rebuilt and checked; a search by subject finds the event under each of them.
   */
  subjects?(data: Static<TSchemaT>): readonly string[];
  /** Builds a typed draft; the only way domain code should create events of this type. */
  draft(envelope: Omit<EventDraft<TType, Static<TSchemaT>>, 'type' | 'data'>, data: Static<TSchemaT>): EventDraft<TType, Static<TSchemaT>>;
}

const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function defineEvent<const TType extends string, TSchemaT extends TSchema>(
  type: TType,
  description: string,
  schema: TSchemaT,
  options: { subjects?: (data: Static<TSchemaT>) => readonly string[] } = {},
): EventDefinition<TType, TSchemaT> {
  if (!TYPE_PATTERN.test(type)) throw new Error(`event type ${type} is not <domain>.<past_tense_fact>`);
  return {
    type,
    schema,
    description,
    ...(options.subjects ? { subjects: options.subjects } : {}),
    draft: (envelope, data) => ({ ...envelope, type, data }),
  };
}

/** Validates event data against the registered schemas; unknown types are rejected. */
export class EventCatalogue {
  private readonly validators = new Map<
    string,
    {
      definition: EventDefinition<string, TSchema>;
      check: (v: unknown) => boolean;
      errors: (v: unknown) => unknown[];
      subjects: ((data: unknown) => readonly string[]) | undefined;
    }
  >();

  register(...definitions: EventDefinition<string, TSchema>[]): this {
    for (const definition of definitions) {
      if (this.validators.has(definition.type)) throw new Error(`event type ${definition.type} registered twice`);
      const validator = Compile(definition.schema);
      this.validators.set(definition.type, {
        definition,
        check: (v) => validator.Check(v),
        errors: (v) => [...validator.Errors(v)],
        subjects: definition.subjects ? (data) => definition.subjects!(data) : undefined,
      });
    }
    return this;
  }

  has(type: string): boolean {
    return this.validators.has(type);
  }

  /** How to read further subjects from an event's data, for the types that name any (EventDefinition.subjects). */
  subjectsOf(type: string): ((data: unknown) => readonly string[]) | undefined {
    return this.validators.get(type)?.subjects;
  }

  definitions(): EventDefinition<string, TSchema>[] {
    return [...this.validators.values()].map((v) => v.definition);
  }

  /** Throws `validation.unknown_event_type` or `validation.failed` (with the failing paths). */
  validate(draft: Pick<EventDraft, 'type' | 'data'>): void {
    const entry = this.validators.get(draft.type);
    if (!entry) {
      throw new VigilError('validation.unknown_event_type', 'invalid', `Unknown event type ${draft.type}`, { type: draft.type });
    }
    if (!entry.check(draft.data)) {
      throw new VigilError('validation.failed', 'invalid', `Event ${draft.type} does not match its schema`, {
        type: draft.type,
        errors: entry.errors(draft.data),
      });
    }
  }
}

export { Type };
export type { Static, TSchema };

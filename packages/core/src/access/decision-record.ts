/**
 * The decision as the engine returns it: the verdict and the indices of the records involved,
 * with their ids looked up only when read. Most decisions are read for `granted` and a field or
 * two; looking up six ids for each cost more than the rest of a cache-resident decision. The
 * snapshot is immutable, so an id read later is the id at decision time. `toJSON` gives the same
 * plain object, field for field and in the same order, as an `AccessDecision` literal.
 */
import type { AccessDecision, DecisionReason, DecisionRule, UnknownCard } from './decision.js';
import { describeUnknown, type CardRead } from './requests.js';
import type { AccessSnapshot } from './snapshot.js';

export class Decision implements AccessDecision {
  // Private fields: kept out of enumeration and inspection (the snapshot is large).
  readonly #s: AccessSnapshot;
  readonly #door: number;
  readonly #zone: number;
  readonly #credential: number;
  readonly #person: number;
  readonly #group: number;
  readonly #schedule: number;
  readonly #unknownRead: CardRead | null;

  constructor(
    s: AccessSnapshot,
    readonly granted: boolean,
    readonly reason: DecisionReason,
    readonly rule: DecisionRule,
    readonly at: number,
    door: number,
    zone: number,
    credential: number,
    person: number,
    group: number,
    schedule: number,
    readonly detail: string | null,
    readonly signals: number,
    unknownRead: CardRead | null,
  ) {
    this.#s = s;
    this.#door = door;
    this.#zone = zone;
    this.#credential = credential;
    this.#person = person;
    this.#group = group;
    this.#schedule = schedule;
    this.#unknownRead = unknownRead;
  }

  get doorId(): string | null {
    return this.#door >= 0 ? this.#s.doors.ids[this.#door]! : null;
  }

  get zoneId(): string | null {
    return this.#zone >= 0 ? this.#s.zones.ids[this.#zone]! : null;
  }

  get credentialId(): string | null {
    return this.#credential >= 0 ? this.#s.credentials.ids[this.#credential]! : null;
  }

  get personId(): string | null {
    return this.#person >= 0 ? this.#s.persons.ids[this.#person]! : null;
  }

  get accessGroupId(): string | null {
    return this.#group >= 0 ? this.#s.groups.ids[this.#group]! : null;
  }

  get scheduleId(): string | null {
    return this.#schedule >= 0 ? this.#s.scheduleIds[this.#schedule]! : null;
  }

  /** Worked out on demand: labelling an unknown card costs more than the whole decision. */
  get unknownCard(): UnknownCard | null {
    return describeUnknown(this.#unknownRead);
  }

  toJSON(): AccessDecision {
    return {
      granted: this.granted,
      reason: this.reason,
      rule: this.rule,
      at: this.at,
      doorId: this.doorId,
      zoneId: this.zoneId,
      credentialId: this.credentialId,
      personId: this.personId,
      accessGroupId: this.accessGroupId,
      scheduleId: this.scheduleId,
      detail: this.detail,
      signals: this.signals,
      unknownCard: this.unknownCard,
    };
  }
}

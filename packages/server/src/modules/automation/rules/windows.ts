/**
 * Sliding windows of recent events for `count` and `absent` conditions. Each window keeps, per key
 * (the values of its `same` fields), the instants and ids of the events it watches, sorted by
 * instant (a late event is inserted in its place), pruned past the window's span. Memory is
 * bounded per key.
 *
 * Sorted entries let a question about `[from, to]` read only that stretch, newest first, and stop
 * as soon as it has its answer. A window's `signature` names what it holds (types, filter, key,
 * span): rules with the same history condition share one window, so an event is stored once.
 *
 * A window for a `differ` condition also keeps each entry's tag (the values of the fields that
 * must differ from the trigger's), so "the same card in another building" is one comparison per
 * entry rather than a rule per building.
 */
import type { VigilEvent } from '@vigil/core';
import { matchesType, type Predicate, type TypeMatcher } from './predicates.js';

/** Most entries one key keeps; a flood beyond it keeps the newest (counts saturate, never grow unbounded). */
const MAX_PER_KEY = 10_000;

interface Entry {
  readonly at: number;
  readonly id: string;
  /** The entry's `differ` values, or null when one of them is unknown (such an entry never differs). */
  readonly tag: string | null;
}

/** Tags an event with the values its `differ` fields must not share with the trigger's; null when unknown. */
export type TagOf = (event: VigilEvent) => string | null;

export class EventWindow {
  private readonly byKey = new Map<string, Entry[]>();
  private newest = 0;

  constructor(
    readonly types: TypeMatcher,
    private readonly where: Predicate | null,
    readonly keyOf: (event: VigilEvent) => string,
    /** How far back and ahead of a trigger the window must see (ms). */
    private readonly spanMs: number,
    /** Equal for windows that would hold the same entries. */
    readonly signature: string,
    readonly tagOf: TagOf | null = null,
  ) {}

  watches(type: string): boolean {
    return matchesType(this.types, type);
  }

  /** Records the event if it passes the window's filter. */
  observe(event: VigilEvent): void {
    if (this.where && !this.where(event)) return;
    const at = event.at.getTime();
    const key = this.keyOf(event);
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    const entry = { at, id: event.id, tag: this.tagOf ? this.tagOf(event) : null };
    let i = list.length;
    while (i > 0 && list[i - 1]!.at > at) i--;
    if (i === list.length) list.push(entry);
    else list.splice(i, 0, entry);
    if (at > this.newest) this.newest = at;
    this.prune(list);
  }

  /**
   * Entries of `key` with `from <= at <= to`, other than `exceptId`; counting stops at `enough`.
   * With `differFrom` (a trigger's tag), only entries with a known tag other than it count.
   */
  count(key: string, from: number, to: number, exceptId: string, enough = Infinity, differFrom: string | null = null): number {
    const list = this.byKey.get(key);
    if (!list) return 0;
    let n = 0;
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i]!;
      if (entry.at < from) break;
      if (entry.at > to || entry.id === exceptId) continue;
      if (differFrom !== null && (entry.tag === null || entry.tag === differFrom)) continue;
      if (++n >= enough) break;
    }
    return n;
  }

  any(key: string, from: number, to: number, exceptId: string): boolean {
    return this.count(key, from, to, exceptId, 1) > 0;
  }

  /** Keys no longer holding any entry in the span are dropped (called now and then). */
  sweep(): void {
    for (const [key, list] of this.byKey) {
      this.prune(list);
      if (list.length === 0) this.byKey.delete(key);
    }
  }

  size(): number {
    let n = 0;
    for (const list of this.byKey.values()) n += list.length;
    return n;
  }

  private prune(list: Entry[]): void {
    // Twice the span: events may arrive out of `at` order by up to the span without being lost.
    const horizon = this.newest - 2 * this.spanMs;
    let drop = 0;
    while (drop < list.length && list[drop]!.at < horizon) drop++;
    if (list.length - drop > MAX_PER_KEY) drop = list.length - MAX_PER_KEY;
    if (drop > 0) list.splice(0, drop);
  }
}

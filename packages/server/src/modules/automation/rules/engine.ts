/**
 * The rule engine: synchronous, in memory, no I/O. For each event it records what the rules'
 * windows watch, finds the rules that can match it, and evaluates their compiled predicates.
 * Rules that can only be decided later (an absence ahead of the trigger, a grace period for late
 * events) wait in a pending queue that `runDue` drains. Firings are returned to the caller, which
 * runs the actions.
 *
 * Finding the candidates costs little however many rules there are: rules are indexed by the
 * event types their trigger names, and within a type by the value their trigger pins its most
 * selective field to (a door, a zone, the site; see `RuleIndexKey`), so an event is evaluated
 * only against rules for its type and its door, zone or site, in the order the rules were given.
 * Rules with the same history condition share one window (by signature), so an event is stored
 * once however many rules look back at it.
 *
 * Loop protection at run time: actions carry the trigger's chain (its correlation id, else its
 * id) onto the events they cause. Firings on events caused by rules are counted per chain; past
 * the limit the chain is stopped and reported. (Saving a rule also refuses cycles statically.)
 */
import type { VigilEvent } from '@vigil/core';
import { historyHolds, INDEX_FIELDS, type CompiledRule, type IndexField } from './compile.js';
import { matchesType } from './predicates.js';
import type { EventWindow } from './windows.js';

export interface Firing {
  readonly rule: CompiledRule;
  readonly event: VigilEvent;
  /** The chain the actions' events belong to (their correlation id). */
  readonly chainId: string;
}

export interface RuleEngineOptions {
  /** Firings allowed in one chain of rule-caused events before it is stopped (default 10). */
  maxChainFirings?: number;
  /** Most firings waiting to be decided (default 10,000); beyond it the oldest are decided early. */
  maxPending?: number;
  onLoop?: (rule: CompiledRule, event: VigilEvent, chainId: string, firings: number) => void;
}

interface Pending {
  readonly due: number;
  readonly rule: CompiledRule;
  readonly event: VigilEvent;
}

/** The rules of one event type: those filed under a field's values, and those that are not. */
interface TypeIndex {
  readonly unindexed: readonly CompiledRule[];
  readonly fields: readonly { readonly field: IndexField; readonly byValue: Map<unknown, CompiledRule[]> }[];
}

const CHAIN_TTL_MS = 5 * 60_000;
const NONE: Firing[] = [];
const MAX_CHAINS = 50_000;

export class RuleEngine {
  private readonly rules = new Map<string, CompiledRule>();
  private triggerIndex = new Map<string, TypeIndex>();
  /** Each rule's position in load order, so candidates from several buckets are evaluated in it. */
  private order = new Map<CompiledRule, number>();
  private windowIndex = new Map<string, EventWindow[]>();
  /** Windows by signature: a rule with a known history condition takes the existing window. */
  private sharedWindows = new Map<string, EventWindow>();
  private windows: EventWindow[] = [];
  private pending: Pending[] = [];
  private readonly cooldowns = new Map<string, number>();
  private readonly chains = new Map<string, { firings: number; since: number }>();
  private readonly maxChainFirings: number;
  private readonly maxPending: number;
  private evaluated = 0;
  private observedSinceSweep = 0;

  constructor(private readonly options: RuleEngineOptions = {}) {
    this.maxChainFirings = options.maxChainFirings ?? 10;
    this.maxPending = options.maxPending ?? 10_000;
  }

  /** Replaces every rule (disabled rules are simply not given). */
  load(rules: readonly CompiledRule[]): void {
    this.rules.clear();
    for (const rule of rules) this.rules.set(rule.id, this.withSharedWindows(rule));
    this.reindex();
  }

  upsert(rule: CompiledRule): void {
    this.rules.set(rule.id, this.withSharedWindows(rule));
    this.reindex();
  }

  remove(ruleId: string): void {
    if (this.rules.delete(ruleId)) this.reindex();
    this.pending = this.pending.filter((p) => p.rule.id !== ruleId);
  }

  get size(): number {
    return this.rules.size;
  }

  /** The largest look-back any rule's window needs (ms), for warming windows from the journal. */
  lookBackMs(): number {
    let ms = 0;
    for (const rule of this.rules.values()) {
      for (const c of rule.counts) ms = Math.max(ms, c.withinMs);
      for (const a of rule.absences) ms = Math.max(ms, a.direction === 'before' ? a.spanMs : 0);
    }
    return ms;
  }

  /** Records the event in the windows that watch it, without evaluating triggers (warm-up). */
  observe(event: VigilEvent): void {
    const windows = this.windowsFor(event.type);
    for (let i = 0; i < windows.length; i++) windows[i]!.observe(event);
    if (windows.length > 0 && ++this.observedSinceSweep >= 10_000) {
      this.observedSinceSweep = 0;
      for (const w of this.windows) w.sweep();
    }
  }

  /** Evaluates the rules an event triggers; returns those that fire now. */
  handle(event: VigilEvent, nowMs: number): Firing[] {
    this.observe(event);
    const matched = this.matching(event);
    if (!matched) return NONE;
    let fired: Firing[] | undefined;
    for (let i = 0; i < matched.length; i++) {
      const rule = matched[i]!;
      if (rule.deferMs > 0) {
        this.defer({ due: event.at.getTime() + rule.deferMs, rule, event }, nowMs);
        continue;
      }
      if (!rule.stateless && !historyHolds(rule, event)) continue;
      const firing =
        rule.cooldown === null && !this.ruleCaused(event)
          ? { rule, event, chainId: event.correlationId ?? event.id }
          : this.fire(rule, event);
      if (firing) (fired ??= []).push(firing);
    }
    return fired ?? NONE;
  }

  /** Decides the pending rules whose time has come. */
  runDue(nowMs: number): Firing[] {
    const fired: Firing[] = [];
    while (this.pending.length > 0 && this.pending[0]!.due <= nowMs) {
      const { rule, event } = this.pending.shift()!;
      if (this.rules.get(rule.id) !== rule) continue; // changed or removed meanwhile
      if (!historyHolds(rule, event)) continue;
      const firing = this.fire(rule, event);
      if (firing) fired.push(firing);
    }
    if (this.pending.length === 0) this.sweepState(nowMs);
    return fired;
  }

  /** When the next pending rule is due (ms), if any. */
  nextDue(): number | undefined {
    return this.pending[0]?.due;
  }

  stats(): { rules: number; pending: number; evaluated: number; windowEntries: number } {
    return {
      rules: this.rules.size,
      pending: this.pending.length,
      evaluated: this.evaluated,
      windowEntries: this.windows.reduce((n, w) => n + w.size(), 0),
    };
  }

  private defer(entry: Pending, nowMs: number): void {
    // Sorted insert from the end: triggers mostly arrive in time order.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.due > entry.due) i--;
    this.pending.splice(i, 0, entry);
    if (this.pending.length > this.maxPending) this.runDue(Math.max(nowMs, this.pending[0]!.due));
  }

  private fire(rule: CompiledRule, event: VigilEvent): Firing | null {
    const at = event.at.getTime();
    if (rule.cooldown) {
      const key = `${rule.id}\u0000${rule.cooldown.keyOf(event)}`;
      const last = this.cooldowns.get(key);
      if (last !== undefined && at - last < rule.cooldown.ms && at >= last) return null;
      this.cooldowns.set(key, at);
    }
    const chainId = event.correlationId ?? event.id;
    if (this.ruleCaused(event)) {
      const chain = this.chains.get(chainId) ?? { firings: 0, since: Date.now() };
      chain.firings++;
      this.chains.delete(chainId);
      this.chains.set(chainId, chain);
      if (this.chains.size > MAX_CHAINS) this.chains.delete(this.chains.keys().next().value!);
      if (chain.firings > this.maxChainFirings) {
        if (chain.firings === this.maxChainFirings + 1) this.options.onLoop?.(rule, event, chainId, chain.firings);
        return null;
      }
    }
    return { rule, event, chainId };
  }

  private ruleCaused(event: VigilEvent): boolean {
    return event.source.startsWith('rule:');
  }

  private sweepState(nowMs: number): void {
    for (const [id, chain] of this.chains) {
      if (Date.now() - chain.since < CHAIN_TTL_MS) break;
      this.chains.delete(id);
    }
    if (this.cooldowns.size > 100_000) {
      for (const [key, at] of this.cooldowns) if (nowMs - at > 86_400_000) this.cooldowns.delete(key);
    }
  }

  /** The rule with its windows replaced by equal ones other rules already have (warm, and stored once). */
  private withSharedWindows(rule: CompiledRule): CompiledRule {
    if (rule.stateless) return rule;
    const share = <T extends { readonly window: EventWindow }>(c: T): T => {
      const known = this.sharedWindows.get(c.window.signature);
      if (known) return { ...c, window: known };
      this.sharedWindows.set(c.window.signature, c.window);
      return c;
    };
    return { ...rule, counts: rule.counts.map(share), absences: rule.absences.map(share) };
  }

  private reindex(): void {
    this.triggerIndex = new Map();
    this.windowIndex = new Map();
    this.order = new Map([...this.rules.values()].map((rule, i) => [rule, i]));
    const windows = new Set(
      [...this.rules.values()].flatMap((r) => [...r.counts.map((c) => c.window), ...r.absences.map((a) => a.window)]),
    );
    this.windows = [...windows];
    this.sharedWindows = new Map(this.windows.map((w) => [w.signature, w]));
  }

  /**
   * The rules whose trigger and history-free conditions hold for the event, in load order. Only
   * the event type's unindexed rules and the buckets of the event's own door, zone, site... are
   * evaluated; the few matches are put back in load order when they came from several buckets.
   */
  private matching(event: VigilEvent): CompiledRule[] | undefined {
    let index = this.triggerIndex.get(event.type);
    if (!index) {
      index = this.indexType(event.type);
      this.triggerIndex.set(event.type, index);
    }
    let matched = this.evaluate(index.unindexed, event, undefined);
    let from = matched ? 1 : 0;
    for (const { field, byValue } of index.fields) {
      const bucket = byValue.get(event[field]);
      if (!bucket) continue;
      const before = matched?.length ?? 0;
      matched = this.evaluate(bucket, event, matched);
      if ((matched?.length ?? 0) > before) from++;
    }
    if (matched && from > 1) matched.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    return matched;
  }

  private evaluate(rules: readonly CompiledRule[], event: VigilEvent, matched: CompiledRule[] | undefined): CompiledRule[] | undefined {
    this.evaluated += rules.length;
    for (let i = 0; i < rules.length; i++) if (rules[i]!.matches(event)) (matched ??= []).push(rules[i]!);
    return matched;
  }

  private indexType(type: string): TypeIndex {
    const unindexed: CompiledRule[] = [];
    const fields = new Map<IndexField, Map<unknown, CompiledRule[]>>();
    for (const rule of this.rules.values()) {
      if (!matchesType(rule.trigger, type)) continue;
      if (!rule.index) {
        unindexed.push(rule);
        continue;
      }
      let byValue = fields.get(rule.index.field);
      if (!byValue) fields.set(rule.index.field, (byValue = new Map<unknown, CompiledRule[]>()));
      for (const value of new Set(rule.index.values)) {
        const bucket = byValue.get(value);
        if (bucket) bucket.push(rule);
        else byValue.set(value, [rule]);
      }
    }
    return { unindexed, fields: INDEX_FIELDS.flatMap((field) => (fields.has(field) ? [{ field, byValue: fields.get(field)! }] : [])) };
  }

  private windowsFor(type: string): EventWindow[] {
    let list = this.windowIndex.get(type);
    if (!list) {
      list = this.windows.filter((w) => w.watches(type));
      this.windowIndex.set(type, list);
    }
    return list;
  }
}

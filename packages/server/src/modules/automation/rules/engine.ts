/**
 * The rule engine: synchronous, in memory, no I/O. For each event it records what the rules'
 * windows watch, finds the rules whose trigger names the event's type (an index per type, built
 * once per type and rule set), and evaluates their compiled predicates. Rules that can only be
 * decided later (an absence ahead of the trigger, a grace period for late events) wait in a
 * pending queue that `runDue` drains. Firings are returned to the caller, which runs the actions.
 *
 * Loop protection at run time: actions carry the trigger's chain (its correlation id, else its
 * id) onto the events they cause. Firings on events caused by rules are counted per chain; past
 * the limit the chain is stopped and reported. (Saving a rule also refuses cycles statically.)
 */
import type { VigilEvent } from '@vigil/core';
import { historyHolds, type CompiledRule } from './compile.js';
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

const CHAIN_TTL_MS = 5 * 60_000;
const NONE: Firing[] = [];
const MAX_CHAINS = 50_000;

export class RuleEngine {
  private readonly rules = new Map<string, CompiledRule>();
  private triggerIndex = new Map<string, CompiledRule[]>();
  private windowIndex = new Map<string, EventWindow[]>();
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
    for (const rule of rules) this.rules.set(rule.id, rule);
    this.reindex();
  }

  upsert(rule: CompiledRule): void {
    this.rules.set(rule.id, rule);
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
    const candidates = this.rulesFor(event.type);
    this.evaluated += candidates.length;
    let fired: Firing[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i]!;
      if (!rule.matches(event)) continue;
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

  private reindex(): void {
    this.triggerIndex = new Map();
    this.windowIndex = new Map();
    this.windows = [...this.rules.values()].flatMap((r) => [...r.counts.map((c) => c.window), ...r.absences.map((a) => a.window)]);
  }

  private rulesFor(type: string): CompiledRule[] {
    let list = this.triggerIndex.get(type);
    if (!list) {
      list = [...this.rules.values()].filter((r) => matchesType(r.trigger, type));
      this.triggerIndex.set(type, list);
    }
    return list;
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

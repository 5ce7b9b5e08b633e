/**
 * Runs the enabled rules on the event bus: loads and compiles them at start (warming count and
 * absence windows from the journal), follows rule changes made on any node, evaluates every event,
 * decides pending rules when their time comes, and hands firings to the action runner.
 */
import type { VigilEvent } from '@vigil/core';
import type { EventBus } from '../../../bus/index.js';
import { recordFacts, type AutomationContext } from '../context.js';
import { ruleLoopStopped } from '../events.js';
import type { RaiseAlarm } from '../../alarms/index.js';
import type { ActionRunner } from './actions.js';
import { compileRule, type CompileContext, type CompiledRule } from './compile.js';
import { dryRun, type DryRunOptions, type DryRunResult, type JournalSearch } from './dry-run.js';
import { RuleEngine } from './engine.js';
import type { RuleInput } from './parse.js';
import type { RuleStore } from './store.js';

const OWNER = 'automation.rules';
const RULE_CHANGES = ['automation.rule_created', 'automation.rule_changed', 'automation.rule_deleted'];
/** Longest history replayed into windows at start. */
const MAX_WARM_MS = 60 * 60_000;

export interface RuleRuntimeOptions {
  ctx: AutomationContext;
  store: RuleStore;
  compile: CompileContext;
  runner: ActionRunner;
  bus: Pick<EventBus, 'subscribe' | 'unsubscribeAll'>;
  search: JournalSearch;
  raiseAlarm: (input: RaiseAlarm) => Promise<unknown>;
  maxChainFirings?: number;
}

export class RuleRuntime {
  readonly engine: RuleEngine;
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: RuleRuntimeOptions) {
    this.engine = new RuleEngine({
      ...(options.maxChainFirings ? { maxChainFirings: options.maxChainFirings } : {}),
      onLoop: (rule, event, chainId, firings) => void this.loopStopped(rule, event, chainId, firings),
    });
  }

  async start(): Promise<void> {
    const rules = await this.options.store.enabledRules();
    this.engine.load(rules.map((r) => this.compile(r)));
    await this.warm();
    this.options.bus.subscribe({}, this.onEvent, OWNER);
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    this.options.bus.unsubscribeAll(OWNER);
    clearTimeout(this.timer);
    await this.options.runner.idle();
  }

  /** Replays recorded events through a rule that is not saved (or not enabled) yet. */
  async dryRun(input: RuleInput, options: DryRunOptions): Promise<DryRunResult> {
    const parsed = await this.options.store.check(input);
    return dryRun(parsed, this.options.compile, this.options.search, options);
  }

  /** Decides pending rules that are due by the context clock (the timer does this in production). */
  tick(): void {
    void this.dispatch(this.engine.runDue(this.options.ctx.clock().getTime()));
    this.arm();
  }

  readonly onEvent = (event: VigilEvent): Promise<void> | undefined => {
    if (RULE_CHANGES.includes(event.type)) void this.reload(event);
    const waits = this.dispatch(this.engine.handle(event, this.options.ctx.clock().getTime()));
    this.arm();
    return waits;
  };

  private dispatch(firings: ReturnType<RuleEngine['handle']>): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const firing of firings) {
      const wait = this.options.runner.enqueue(firing);
      if (wait) (waits ??= []).push(wait);
    }
    return waits ? Promise.all(waits).then(() => undefined) : undefined;
  }

  private arm(): void {
    const due = this.engine.nextDue();
    if (due === undefined || !this.started) return;
    clearTimeout(this.timer);
    const delay = Math.max(0, due - this.options.ctx.clock().getTime());
    this.timer = setTimeout(() => this.tick(), Math.min(delay, 60_000) + 5);
    this.timer.unref();
  }

  private compile(rule: { id: string; version: number; document: Parameters<typeof compileRule>[2] }): CompiledRule {
    return compileRule(rule.id, rule.version, rule.document, this.options.compile);
  }

  private async reload(event: VigilEvent): Promise<void> {
    const ruleId = (event.data as { rule?: { id?: string }; ruleId?: string }).rule?.id ?? (event.data as { ruleId?: string }).ruleId;
    if (!ruleId) return;
    try {
      const rule = await this.options.store.enabledRule(ruleId);
      if (rule) this.engine.upsert(this.compile(rule));
      else this.engine.remove(ruleId);
    } catch (e) {
      this.options.ctx.logger.error({ err: e, rule: ruleId }, 'could not load a changed rule');
    }
  }

  private async warm(): Promise<void> {
    const lookBack = Math.min(this.engine.lookBackMs(), MAX_WARM_MS);
    if (lookBack === 0) return;
    const now = this.options.ctx.clock();
    const events: VigilEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.search({
        from: new Date(now.getTime() - lookBack),
        to: now,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && events.length < 200_000);
    for (const event of events.reverse()) this.engine.observe(event);
  }

  private async loopStopped(rule: CompiledRule, event: VigilEvent, chainId: string, firings: number): Promise<void> {
    this.options.ctx.logger.error({ rule: rule.id, chainId, firings }, 'rule loop stopped');
    try {
      await recordFacts(this.options.ctx, [
        ruleLoopStopped.draft(
          { site: event.site, source: `rule:${rule.id}`, correlationId: chainId },
          { ruleId: rule.id, ruleName: rule.name, chainId, firings },
        ),
      ]);
      await this.options.raiseAlarm({
        siteId: event.site,
        type: 'automation_loop',
        priority: 2,
        title: `Automation loop stopped at rule “${rule.name}”`,
        ruleId: rule.id,
        triggerEventId: event.id,
        dedupeKey: `loop:${chainId}`,
        source: 'system:automation',
      });
    } catch (e) {
      this.options.ctx.logger.error({ err: e }, 'could not record a stopped rule loop');
    }
  }
}

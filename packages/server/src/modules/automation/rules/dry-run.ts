/**
 * Dry run: replays recorded journal events through a rule before it is enabled, in the order they
 * happened, with pending conditions decided as the replayed time passes. Nothing is executed; the
 * result lists which events would have fired the rule and what it would have done.
 */
import type { VigilEvent } from '@vigil/core';
import type { JournalPage, JournalQuery } from '../../audit/index.js';
import type { CompileContext } from './compile.js';
import { compileRule } from './compile.js';
import { RuleEngine, type Firing } from './engine.js';
import type { ParsedRule } from './parse.js';

export interface DryRunOptions {
  readonly from: Date;
  readonly to: Date;
  /** Sites whose events may be read: `'all'` or a list. */
  readonly sites: 'all' | readonly string[];
  /** Most events replayed (the newest are kept when there are more). */
  readonly maxEvents: number;
}

export interface DryRunMatch {
  readonly eventId: string;
  readonly type: string;
  readonly at: string;
  readonly site: string | null;
  readonly zone: string | null;
  readonly door: string | null;
  readonly source: string;
  readonly actions: string[];
}

export interface DryRunResult {
  readonly evaluated: number;
  /** True when the period held more events than `maxEvents` (the oldest were left out). */
  readonly truncated: boolean;
  readonly matched: number;
  /** The first 1,000 matches. */
  readonly matches: DryRunMatch[];
}

export type JournalSearch = (query: JournalQuery) => Promise<JournalPage>;

const PAGE = 1000;
const SHOWN = 1000;

async function readPeriod(search: JournalSearch, from: Date, to: Date, sites: 'all' | readonly string[], max: number) {
  const events: VigilEvent[] = [];
  let cursor: string | undefined;
  let truncated = false;
  do {
    const page = await search({ from, to, limit: PAGE, ...(sites === 'all' ? {} : { sites }), ...(cursor ? { cursor } : {}) });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
    if (events.length >= max) {
      truncated = cursor !== undefined || events.length > max;
      break;
    }
  } while (cursor);
  // The journal pages newest first; replay oldest first.
  return { events: events.slice(0, max).reverse(), truncated };
}

export async function dryRun(
  parsed: ParsedRule,
  ctx: CompileContext,
  search: JournalSearch,
  options: DryRunOptions,
): Promise<DryRunResult> {
  const rule = compileRule('dry-run', 0, parsed.document, ctx);
  const engine = new RuleEngine({ maxChainFirings: Number.MAX_SAFE_INTEGER });
  engine.load([rule]);
  const lookBack = engine.lookBackMs();
  const { events, truncated } = await readPeriod(
    search,
    new Date(options.from.getTime() - lookBack),
    options.to,
    options.sites,
    options.maxEvents,
  );
  const start = options.from.getTime();
  const firings: Firing[] = [];
  let evaluated = 0;
  for (const event of events) {
    const at = event.at.getTime();
    firings.push(...engine.runDue(at));
    if (at < start) {
      engine.observe(event);
      continue;
    }
    evaluated++;
    firings.push(...engine.handle(event, at));
  }
  firings.push(...engine.runDue(options.to.getTime() + rule.deferMs));
  return {
    evaluated,
    truncated,
    matched: firings.length,
    matches: firings.slice(0, SHOWN).map(({ event }) => ({
      eventId: event.id,
      type: event.type,
      at: event.at.toISOString(),
      site: event.site,
      zone: event.zone,
      door: event.door,
      source: event.source,
      actions: rule.actions.map(describe),
    })),
  };
}

function describe(action: object): string {
  const [kind, body] = Object.entries(action)[0] as [string, Record<string, unknown>];
  const details = Object.entries(body)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return details ? `${kind}(${details})` : kind;
}

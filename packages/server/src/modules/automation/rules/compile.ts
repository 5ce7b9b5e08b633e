/**
 * Compiles a validated rule document into what the engine runs: a type matcher for the trigger,
 * one predicate for the trigger's filters and the conditions that need no history (site, time of
 * day, zone, door mode), and windows for `count` and `absent`.
 */
import { compileTimeZone, defaultZoneHorizon, localMs, weekdayOf, type DoorMode, type VigilEvent, type ZoneTable } from '@vigil/core';
import type { DoorStates, FacilityFacts } from '../ports.js';
import { allOf, compileFilter, compileMatch, keyOf, typeMatcher, type Predicate, type TypeMatcher } from './predicates.js';
import type { Action, Condition, DifferField, Filter, RuleDocument } from './schema.js';
import { EventWindow, type TagOf } from './windows.js';

export interface CountCondition {
  readonly window: EventWindow;
  readonly withinMs: number;
  readonly atLeast: number;
  /** With `differ`: only entries tagged otherwise than the trigger count (window.tagOf is set). */
  readonly differ: boolean;
}

export interface AbsentCondition {
  readonly window: EventWindow;
  /** Looks back (`before`) or ahead (`after`) of the trigger's instant. */
  readonly direction: 'before' | 'after';
  readonly spanMs: number;
}

/** Trigger fields a rule can be looked up by, most selective first. */
export const INDEX_FIELDS = ['door', 'subject', 'zone', 'source', 'site'] as const;
export type IndexField = (typeof INDEX_FIELDS)[number];

/**
 * The trigger field whose value must be one of `values` for the rule to match at all (a plain
 * value, `eq` or `in` in its filter, or the rule's site): the engine files the rule under those
 * values and never evaluates it for events with another.
 */
export interface RuleIndexKey {
  readonly field: IndexField;
  readonly values: readonly unknown[];
}

export interface CompiledRule {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly siteId: string | null;
  readonly document: RuleDocument;
  readonly trigger: TypeMatcher;
  readonly index: RuleIndexKey | null;
  /** Site, trigger filters and history-free conditions. */
  readonly matches: Predicate;
  readonly counts: readonly CountCondition[];
  readonly absences: readonly AbsentCondition[];
  /** How long after the trigger's instant the rule can be decided (absences ahead, grace for late events). */
  readonly deferMs: number;
  /** No count or absence: decided by `matches` alone. */
  readonly stateless: boolean;
  readonly cooldown: { readonly ms: number; readonly keyOf: (event: VigilEvent) => string } | null;
  readonly actions: readonly Action[];
}

export interface CompileContext {
  readonly facts: Pick<FacilityFacts, 'timeZoneOf' | 'zone' | 'door'>;
  readonly doors: DoorStates;
}

const WEEKDAY_INDEX = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;
const DAY_MS = 86_400_000;

/** Time zone tables compiled once per zone name and horizon. */
const zoneTables = new Map<string, ZoneTable>();
function zoneTable(zone: string, at: number): ZoneTable {
  let table = zoneTables.get(zone);
  if (!table || at < table.from || at >= table.to) {
    table = compileTimeZone(zone, defaultZoneHorizon(new Date(at)));
    zoneTables.set(zone, table);
  }
  return table;
}

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

function timeCondition(spec: Extract<Condition, { time: unknown }>['time'], ctx: CompileContext): Predicate {
  const from = minutes(spec.from);
  const to = minutes(spec.to);
  const days = spec.days ? new Set<number>(spec.days.map((d) => WEEKDAY_INDEX[d])) : null;
  const wraps = from > to;
  return (e) => {
    const zone = e.site ? ctx.facts.timeZoneOf(e.site) : undefined;
    const utc = e.at.getTime();
    const local = zone ? localMs(zoneTable(zone, utc), utc) : utc;
    const day = Math.floor(local / DAY_MS);
    const minute = Math.floor((local - day * DAY_MS) / 60_000);
    if (!wraps) return minute >= from && minute < to && (!days || days.has(weekdayOf(day)));
    // Overnight window: the early-morning part belongs to the day the window started.
    if (minute >= from) return !days || days.has(weekdayOf(day));
    if (minute < to) return !days || days.has(weekdayOf(day - 1));
    return false;
  };
}

function zoneCondition(spec: Extract<Condition, { zone: unknown }>['zone'], ctx: CompileContext): Predicate {
  const inside = spec.in ? new Set(spec.in) : null;
  const outside = spec.notIn ? new Set(spec.notIn) : null;
  const types = spec.types ? new Set(spec.types) : null;
  return (e) => {
    const zone = e.zone;
    if (inside && (zone === null || !inside.has(zone))) return false;
    if (outside && zone !== null && outside.has(zone)) return false;
    if (types) {
      const type = zone === null ? undefined : ctx.facts.zone(zone)?.type;
      if (type === undefined || !types.has(type)) return false;
    }
    return true;
  };
}

function doorModeCondition(spec: Extract<Condition, { doorMode: unknown }>['doorMode'], ctx: CompileContext): Predicate {
  const modes = new Set<string>(spec.in);
  const fixed = spec.door;
  return (e) => {
    const door = fixed ?? e.door;
    const mode: DoorMode | undefined = door ? ctx.doors.modeOf(door) : undefined;
    return mode !== undefined && modes.has(mode);
  };
}

/**
 * The values of the `differ` fields of an event, joined; null when one is unknown. An event's
 * building is its door's, else its zone's, as the facility view knows them now.
 */
function differTag(fields: readonly DifferField[], ctx: CompileContext): TagOf {
  const value = (e: VigilEvent, field: DifferField): string | null => {
    if (field !== 'building') return e[field] ?? null;
    const fromDoor = e.door ? ctx.facts.door(e.door)?.buildingId : undefined;
    return fromDoor ?? (e.zone ? (ctx.facts.zone(e.zone)?.buildingId ?? null) : null);
  };
  return (e) => {
    let tag = '';
    for (const field of fields) {
      const v = value(e, field);
      if (v === null) return null;
      tag += `${v}\u0000`;
    }
    return tag;
  };
}

/** The most selective field the trigger pins to a few values, if any. */
function indexKeyOf(site: string | null, filter: Filter | undefined): RuleIndexKey | null {
  for (const field of INDEX_FIELDS) {
    const matcher = field === 'site' && site !== null ? site : filter?.[field];
    if (matcher === undefined) continue;
    if (matcher === null || typeof matcher !== 'object') return { field, values: [matcher] };
    if (matcher.eq !== undefined) return { field, values: [matcher.eq] };
    if (matcher.in) return { field, values: matcher.in };
  }
  return null;
}

function windowSignature(
  types: string | readonly string[],
  site: string | null,
  where: Filter | undefined,
  same: readonly string[],
  spanMs: number,
  differ: readonly string[] = [],
) {
  return JSON.stringify([typeof types === 'string' ? [types] : [...types].sort(), site, where ?? null, same, spanMs, differ]);
}

export function compileRule(id: string, version: number, document: RuleDocument, ctx: CompileContext): CompiledRule {
  const site = document.site;
  const sitePredicate: Predicate | null = site === null ? null : (e) => e.site === site;
  const sync: (Predicate | null)[] = [compileMatch(site, document.trigger.where)];
  const counts: CountCondition[] = [];
  const absences: AbsentCondition[] = [];
  let deferMs = 0;
  for (const condition of document.conditions ?? []) {
    if ('time' in condition) sync.push(timeCondition(condition.time, ctx));
    else if ('zone' in condition) sync.push(zoneCondition(condition.zone, ctx));
    else if ('doorMode' in condition) sync.push(doorModeCondition(condition.doorMode, ctx));
    else if ('count' in condition) {
      const c = condition.count;
      const withinMs = c.withinSeconds * 1000;
      const where = allOf([sitePredicate, compileFilter(c.where)]);
      const signature = windowSignature(c.event, site, c.where, c.same ?? [], withinMs, c.differ);
      const tagOf = c.differ ? differTag(c.differ, ctx) : null;
      const window = new EventWindow(typeMatcher(c.event), where, keyOf(c.same ?? []), withinMs, signature, tagOf);
      counts.push({ window, withinMs, atLeast: c.atLeast, differ: tagOf !== null });
    } else {
      const a = condition.absent;
      const direction = a.afterSeconds !== undefined ? 'after' : 'before';
      const spanMs = (a.afterSeconds ?? a.beforeSeconds ?? 0) * 1000;
      const where = allOf([sitePredicate, compileFilter(a.where)]);
      const signature = windowSignature(a.event, site, a.where, a.same ?? [], spanMs);
      const window = new EventWindow(typeMatcher(a.event), where, keyOf(a.same ?? []), spanMs, signature);
      absences.push({ window, direction, spanMs });
      deferMs = Math.max(deferMs, (direction === 'after' ? spanMs : 0) + (a.graceMs ?? 0));
    }
  }
  const cooldown = document.cooldown ? { ms: document.cooldown.seconds * 1000, keyOf: keyOf(document.cooldown.per ?? []) } : null;
  return {
    id,
    version,
    name: document.name,
    siteId: site,
    document,
    trigger: typeMatcher(document.trigger.event),
    index: indexKeyOf(site, document.trigger.where),
    matches: allOf(sync),
    counts,
    absences,
    deferMs,
    stateless: counts.length === 0 && absences.length === 0,
    cooldown,
    actions: document.actions,
  };
}

/** Whether the history conditions hold for `trigger` (absences ahead are only decidable once their span passed). */
export function historyHolds(rule: CompiledRule, trigger: VigilEvent): boolean {
  const at = trigger.at.getTime();
  for (const c of rule.counts) {
    // The trigger itself counts when the window watches its type and it passed the window's filter.
    const key = c.window.keyOf(trigger);
    if (c.differ) {
      const tag = c.window.tagOf!(trigger);
      if (tag === null || c.window.count(key, at - c.withinMs, at, '', c.atLeast, tag) < c.atLeast) return false;
    } else if (c.window.count(key, at - c.withinMs, at, '', c.atLeast) < c.atLeast) return false;
  }
  for (const a of rule.absences) {
    const key = a.window.keyOf(trigger);
    const [from, to] = a.direction === 'before' ? [at - a.spanMs, at] : [at, at + a.spanMs];
    if (a.window.any(key, from, to, trigger.id)) return false;
  }
  return true;
}

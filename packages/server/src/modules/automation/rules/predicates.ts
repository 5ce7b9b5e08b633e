/**
 * Field filters compiled to predicates. `compileMatch` generates one function per rule whose body
 * is the `&&` of its tests — `e.zone === c[0] && (v = e.data?.temperatureC, typeof v === 'number'
 * && v > c[1])` — so evaluating a rule costs what the hand-written predicate would. Only field
 * names (checked against the rule schema's identifier pattern) and operators become code; every
 * value is passed in the constants array `c`, never spliced into the source.
 * `compileFilter` builds the same tests as closures, for windows.
 */
import type { VigilEvent } from '@vigil/core';
import type { Filter, Matcher, SameField } from './schema.js';

export type Predicate = (event: VigilEvent) => boolean;
type Getter = (event: VigilEvent) => unknown;
type Test = (value: unknown) => boolean;

/** Which event types a trigger or window listens to. */
export interface TypeMatcher {
  readonly exact: readonly string[];
  readonly prefixes: readonly string[];
  readonly any: boolean;
}

export function typeMatcher(types: string | readonly string[]): TypeMatcher {
  const list = typeof types === 'string' ? [types] : types;
  return {
    any: list.includes('*'),
    exact: list.filter((t) => t !== '*' && !t.endsWith('.*')),
    prefixes: list.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1)),
  };
}

export function matchesType(m: TypeMatcher, type: string): boolean {
  return m.any || m.exact.includes(type) || m.prefixes.some((p) => type.startsWith(p));
}

function getter(path: string): Getter {
  switch (path) {
    case 'site':
      return (e) => e.site;
    case 'zone':
      return (e) => e.zone;
    case 'door':
      return (e) => e.door;
    case 'source':
      return (e) => e.source;
    case 'subject':
      return (e) => e.subject;
    default:
      break;
  }
  const keys = path.split('.').slice(1);
  const at = (v: unknown, k: string) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined);
  if (keys.length === 1) {
    const [a] = keys as [string];
    return (e) => at(e.data, a);
  }
  if (keys.length === 2) {
    const [a, b] = keys as [string, string];
    return (e) => at(at(e.data, a), b);
  }
  return (e) => keys.reduce<unknown>(at, e.data);
}

function and(a: Test, b: Test): Test {
  return (v) => a(v) && b(v);
}

function membership(values: readonly (string | number)[]): Test {
  if (values.length === 1) {
    const [only] = values;
    return (v) => v === only;
  }
  if (values.length <= 4) return (v) => values.includes(v as string | number);
  const set = new Set<unknown>(values);
  return (v) => set.has(v);
}

function test(matcher: Matcher): Test {
  if (matcher === null || typeof matcher !== 'object') return (v) => v === matcher;
  const tests: Test[] = [];
  if (matcher.eq !== undefined) {
    const x = matcher.eq;
    tests.push((v) => v === x);
  }
  if (matcher.ne !== undefined) {
    const x = matcher.ne;
    tests.push((v) => v !== x);
  }
  if (matcher.in) tests.push(membership(matcher.in));
  if (matcher.notIn) {
    const inside = membership(matcher.notIn);
    tests.push((v) => !inside(v));
  }
  if (matcher.gt !== undefined) {
    const x = matcher.gt;
    tests.push((v) => typeof v === 'number' && v > x);
  }
  if (matcher.gte !== undefined) {
    const x = matcher.gte;
    tests.push((v) => typeof v === 'number' && v >= x);
  }
  if (matcher.lt !== undefined) {
    const x = matcher.lt;
    tests.push((v) => typeof v === 'number' && v < x);
  }
  if (matcher.lte !== undefined) {
    const x = matcher.lte;
    tests.push((v) => typeof v === 'number' && v <= x);
  }
  if (matcher.exists !== undefined) {
    const want = matcher.exists;
    tests.push((v) => (v !== undefined && v !== null) === want);
  }
  if (matcher.prefix !== undefined) {
    const p = matcher.prefix;
    tests.push((v) => typeof v === 'string' && v.startsWith(p));
  }
  return tests.reduce(and);
}

/** The filter as one predicate; null when it tests nothing. */
export function compileFilter(filter: Filter | undefined): Predicate | null {
  const entries = Object.entries(filter ?? {});
  if (entries.length === 0) return null;
  const checks: Predicate[] = entries.map(([path, matcher]) => {
    const get = getter(path);
    const t = test(matcher);
    return (e) => t(get(e));
  });
  return checks.reduce((a, b) => (e) => a(e) && b(e));
}

export function allOf(predicates: readonly (Predicate | null)[]): Predicate {
  const real = predicates.filter((p): p is Predicate => p !== null);
  if (real.length === 0) return () => true;
  return real.reduce((a, b) => (e) => a(e) && b(e));
}

function keyPart(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The key of the `same` fields, used to find the trigger's peers in a window. */
export function keyOf(fields: readonly SameField[]): (event: VigilEvent) => string {
  if (fields.length === 0) return () => '';
  const getters = fields.map((f) => getter(f));
  if (getters.length === 1) {
    const [g] = getters as [Getter];
    return (e) => keyPart(g(e));
  }
  return (e) => getters.map((g) => keyPart(g(e))).join('\u0000');
}

const FIELD = /^(site|zone|door|source|subject|data(\.[A-Za-z_][A-Za-z0-9_]*){1,4})$/;

function accessor(path: string): string {
  if (!FIELD.test(path)) throw new Error(`not a rule field: ${path}`);
  if (!path.startsWith('data')) return `e.${path}`;
  return path
    .split('.')
    .slice(1)
    .reduce((code, key) => `(v = ${code}, v == null ? undefined : v[${JSON.stringify(key)}])`, 'e.data');
}

function testSource(value: string, matcher: Matcher, c: unknown[]): string {
  const constant = (x: unknown) => `c[${c.push(x) - 1}]`;
  if (matcher === null || typeof matcher !== 'object') return `${value} === ${constant(matcher)}`;
  const parts: string[] = [];
  if (matcher.eq !== undefined) parts.push(`v === ${constant(matcher.eq)}`);
  if (matcher.ne !== undefined) parts.push(`v !== ${constant(matcher.ne)}`);
  const member = (values: readonly (string | number)[]) =>
    values.length <= 4 ? `(${values.map((x) => `v === ${constant(x)}`).join(' || ')})` : `${constant(new Set<unknown>(values))}.has(v)`;
  if (matcher.in) parts.push(member(matcher.in));
  if (matcher.notIn) parts.push(`!${member(matcher.notIn)}`);
  for (const [op, key] of [
    ['>', 'gt'],
    ['>=', 'gte'],
    ['<', 'lt'],
    ['<=', 'lte'],
  ] as const) {
    if (matcher[key] !== undefined) parts.push(`typeof v === 'number' && v ${op} ${constant(matcher[key])}`);
  }
  if (matcher.exists !== undefined) parts.push(`(v != null) === ${constant(matcher.exists)}`);
  if (matcher.prefix !== undefined) parts.push(`typeof v === 'string' && v.startsWith(${constant(matcher.prefix)})`);
  return `(v = ${value}, ${parts.join(' && ')})`;
}

/** One generated predicate for a rule's site and trigger filter. */
export function compileMatch(site: string | null, filter: Filter | undefined): Predicate {
  const c: unknown[] = [];
  const tests: string[] = [];
  if (site !== null) tests.push(`e.site === c[${c.push(site) - 1}]`);
  for (const [path, matcher] of Object.entries(filter ?? {})) tests.push(testSource(accessor(path), matcher, c));
  if (tests.length === 0) return () => true;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from validated field names; values stay in `c`
  const build = new Function('c', `"use strict"; return function match(e) { let v; return ${tests.join(' && ')}; };`) as (
    c: unknown[],
  ) => Predicate;
  return build(c);
}

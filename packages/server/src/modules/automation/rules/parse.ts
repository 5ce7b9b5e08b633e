/** Reads a rule submitted as JSON (an object) or as YAML text, and validates it against the schema. */
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { automationError } from '../errors.js';
import { checkRuleDocument, type RuleDocument, type SchemaProblem } from './schema.js';

export interface RuleInput {
  /** The rule document as JSON. */
  readonly document?: unknown;
  /** The rule document as YAML text (kept as written, comments included). */
  readonly yaml?: string | undefined;
}

export interface ParsedRule {
  readonly document: RuleDocument;
  readonly format: 'json' | 'yaml';
  readonly sourceText: string | null;
}

const MAX_YAML_BYTES = 256 * 1024;

export function invalid(problems: readonly SchemaProblem[]): Error {
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.path} ${p.message}`)
    .join('; ');
  return automationError('automation.rule_invalid', `The rule is not valid: ${summary}${problems.length > 5 ? '; …' : ''}`, {
    errors: problems,
  });
}

export function parseRule(input: RuleInput): ParsedRule {
  if ((input.document === undefined) === (input.yaml === undefined)) {
    throw invalid([{ path: '/', message: 'give the rule either as `document` (JSON) or as `yaml` (text), not both' }]);
  }
  let value: unknown = input.document;
  let format: 'json' | 'yaml' = 'json';
  if (input.yaml !== undefined) {
    format = 'yaml';
    if (Buffer.byteLength(input.yaml, 'utf8') > MAX_YAML_BYTES)
      throw invalid([{ path: '/', message: `YAML larger than ${MAX_YAML_BYTES} bytes` }]);
    // Core schema (no custom tags), few aliases: a "billion laughs" document is refused, not expanded.
    const doc = parseDocument(input.yaml, { schema: 'core', uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0)
      throw invalid(doc.errors.map((e) => ({ path: '/', message: `YAML: ${e.message.split('\n')[0] ?? e.message}` })));
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (e) {
      throw invalid([{ path: '/', message: `YAML: ${(e as Error).message}` }]);
    }
  }
  const problems = checkRuleDocument(value);
  if (problems.length > 0) throw invalid(problems);
  return { document: value as RuleDocument, format, sourceText: format === 'yaml' ? (input.yaml ?? null) : null };
}

/** The stored form of a document: `enabled` lives on the rule, not in its text. */
export function storedDocument(document: RuleDocument): RuleDocument {
  const { enabled: _enabled, ...rest } = document;
  return rest;
}

export function digestOf(document: RuleDocument): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}

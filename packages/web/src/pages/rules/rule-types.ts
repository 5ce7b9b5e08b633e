/** Automation rules as the API returns them, and how the editor turns its text into a request body. */

export interface Rule {
  id: string;
  name: string;
  siteId: string | null;
  enabled: boolean;
  version: number;
  document: Record<string, unknown>;
  format: 'json' | 'yaml';
  source: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface RuleVersion {
  version: number;
  change: 'created' | 'changed' | 'enabled' | 'disabled' | 'deleted';
  enabled: boolean;
  document: Record<string, unknown>;
  format: 'json' | 'yaml';
  source: string | null;
  changedAt: string;
  changedBy: string;
}

export interface DryRunResult {
  evaluated: number;
  truncated: boolean;
  matched: number;
  matches: {
    eventId: string;
    type: string;
    at: string;
    site: string | null;
    zone: string | null;
    door: string | null;
    source: string;
    actions: string[];
  }[];
}

export const rulesKey = ['admin', 'rules'] as const;
export const ruleKey = (id: string) => ['admin', 'rules', 'rule', id] as const;

export type RuleFormat = 'yaml' | 'json';

/** The text of a stored rule (or version) as the editor shows it: YAML as written, JSON pretty-printed. */
export function textOf(rule: Pick<Rule, 'format' | 'source' | 'document'>): string {
  return rule.format === 'yaml' && rule.source !== null ? rule.source : JSON.stringify(rule.document, null, 2);
}

/**
 * The body for create, change and dry run: `{ yaml }` as typed, or `{ document }` parsed here so a
 * JSON syntax error is reported before anything is sent. Throws a plain Error naming the problem.
 */
export function ruleBody(format: RuleFormat, text: string): { yaml: string } | { document: Record<string, unknown> } {
  if (text.trim() === '') throw new Error('The rule is empty.');
  if (format === 'yaml') return { yaml: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`The JSON does not parse: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('A rule is a JSON object.');
  return { document: parsed as Record<string, unknown> };
}

export const NEW_RULE_TEMPLATE = `# A rule: when an event of this type happens (and the conditions hold), take the actions.
name: Door forced open
site: null # a site id, or null for every site
trigger:
  event: door.forced_open
actions:
  - raiseAlarm: { type: door_forced, priority: 2 }
`;

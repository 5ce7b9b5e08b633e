/**
 * Journal search filters, kept in the page address (so a search can be bookmarked or sent to an
 * auditor) and turned into the API's query: `from`, `to`, `subject`, `door`, `zone`, `site`, and `type`
 * repeated once per event type.
 */

export interface JournalFilters {
  from: string;
  to: string;
  types: string[];
  subject: string;
  door: string;
  zone: string;
  /** Only this site ('' for every site the operator may read). */
  site: string;
}

export const NO_FILTERS: JournalFilters = { from: '', to: '', types: [], subject: '', door: '', zone: '', site: '' };

export interface JournalEntry {
  id: string;
  seq: number;
  type: string;
  at: string;
  recordedAt: string;
  site: string | null;
  source: string;
  subject: string | null;
  zone: string | null;
  door: string | null;
  correlationId: string | null;
  data: unknown;
}

export interface Verification {
  id: string;
  startedAt: string;
  finishedAt: string;
  intact: boolean;
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpointsVerified: number;
  problem: { seq: number; reason: string; detail: string } | null;
  by: string;
}

const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function filtersFrom(params: URLSearchParams): JournalFilters {
  return {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    types: params.getAll('type'),
    subject: params.get('subject') ?? '',
    door: params.get('door') ?? '',
    zone: params.get('zone') ?? '',
    site: params.get('site') ?? '',
  };
}

/** The filters as query parameters (empty ones left out), for the address bar and for the API. */
export function paramsOf(filters: JournalFilters, extra: Record<string, string | number | null> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'subject', 'door', 'zone', 'site'] as const) if (filters[key]) params.set(key, filters[key]);
  for (const type of filters.types) params.append('type', type);
  for (const [key, value] of Object.entries(extra)) if (value !== null && value !== '') params.set(key, String(value));
  return params;
}

/** "door.contact_opened, person.created" → the list, or the first entry that is not an event type. */
export function parseTypes(text: string): { types: string[]; bad: string | null } {
  const types = text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  return { types, bad: types.find((t) => !TYPE.test(t)) ?? null };
}

/** Event types offered while typing; any catalogued type may be entered. */
export const COMMON_TYPES = [
  'access.granted',
  'access.denied',
  'door.contact_opened',
  'door.unlock_requested',
  'door.lock_requested',
  'door.mode_overridden',
  'door.changed',
  'alarm.raised',
  'alarm.acknowledged',
  'alarm.resolved',
  'person.created',
  'person.updated',
  'person.suspended',
  'person.reinstated',
  'person.terminated',
  'credential.issued',
  'credential.revoked',
  'credential.reported_lost',
  'credential.reported_stolen',
  'people.imported',
  'access_rights.changed',
  'operator.signed_in',
  'operator.sign_in_failed',
  'emergency.plan_started',
  'emergency.plan_cleared',
  'floor_plan.uploaded',
  'journal.verified',
  'journal.exported',
];

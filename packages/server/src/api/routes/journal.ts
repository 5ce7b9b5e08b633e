/**
 * The journal for operators and auditors: search (by time, person, door, zone, type), CSV export
 * (journaled: who exported what), and on-demand verification with its latest result. Every read
 * is limited to the sites where the caller holds the permission; events without a site (operator
 * sign-ins, configuration) are visible only to holders on every site.
 */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { auditError, type JournalEntry, type JournalPage, type JournalQuery, type VerificationRecord } from '../../modules/audit/index.js';
import { ALL_SITES, type Permission } from '../../modules/identity/index.js';
import type { Api } from '../server.js';
import { closed, principalOf } from './route-helpers.js';

export interface JournalPorts {
  search(query: JournalQuery): Promise<JournalPage>;
  /** One event by id; throws `audit.event_not_found`. */
  get(id: string): Promise<JournalEntry>;
  verify(by: string): Promise<VerificationRecord>;
  latestVerification(): Promise<VerificationRecord>;
  /** Journals that `by` exported `rows` records matching `filters`. */
  recordExport(by: string, filters: Record<string, unknown>, rows: number, truncated: boolean): Promise<void>;
}

/** Rows one export may hold; narrower filters get the rest. */
export const EXPORT_LIMIT = 100_000;

const Instant = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const FilterQuery = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this instant.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Events before this instant.' })),
  type: Type.Optional(
    Type.Union([Type.String({ maxLength: 128 }), Type.Array(Type.String({ maxLength: 128 }), { maxItems: 50 })], {
      description: 'Event type; repeat for several (`type=door.forced_open&type=access.denied`).',
    }),
  ),
  subject: Type.Optional(Type.String({ maxLength: 128, description: 'The person (or other subject) the event is about.' })),
  door: Type.Optional(Type.String({ maxLength: 128 })),
  zone: Type.Optional(Type.String({ maxLength: 128 })),
  site: Type.Optional(Type.String({ maxLength: 128, description: 'Only this site (among those the caller may read).' })),
};

const SearchQuery = Type.Object(
  {
    ...FilterQuery,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'From the previous page’s `nextCursor`.' })),
  },
  closed,
);
const ExportQuery = Type.Object(FilterQuery, closed);
type Filters = Type.Static<typeof ExportQuery>;

const EntrySchema = Type.Object(
  {
    id: Type.String(),
    seq: Type.Integer(),
    type: Type.String(),
    at: Instant,
    recordedAt: Instant,
    site: NullableString,
    source: Type.String(),
    subject: NullableString,
    zone: NullableString,
    door: NullableString,
    correlationId: NullableString,
    data: Type.Unknown(),
  },
  closed,
);

const VerificationSchema = Type.Object(
  {
    id: Type.String(),
    startedAt: Instant,
    finishedAt: Instant,
    intact: Type.Boolean(),
    events: Type.Integer(),
    firstSeq: Type.Union([Type.Integer(), Type.Null()]),
    lastSeq: Type.Union([Type.Integer(), Type.Null()]),
    checkpointsVerified: Type.Integer(),
    problem: Type.Union([Type.Object({ seq: Type.Integer(), reason: Type.String(), detail: Type.String() }, closed), Type.Null()]),
    by: Type.String(),
  },
  closed,
);

/** The filters as the journal search takes them, narrowed to the caller's sites. */
function toQuery(request: FastifyRequest, filters: Filters, permission: Permission): JournalQuery {
  const readable = principalOf(request).sitesFor(permission);
  const sites = filters.site === undefined ? readable : readable === 'all' || readable.includes(filters.site) ? [filters.site] : [];
  return {
    ...(filters.from ? { from: new Date(filters.from) } : {}),
    ...(filters.to ? { to: new Date(filters.to) } : {}),
    ...(filters.type === undefined ? {} : { types: [filters.type].flat() }),
    ...(filters.subject ? { subject: filters.subject } : {}),
    ...(filters.door ? { door: filters.door } : {}),
    ...(filters.zone ? { zone: filters.zone } : {}),
    ...(sites === 'all' ? {} : { sites }),
  };
}

function toJson(entry: JournalEntry) {
  return {
    id: entry.id,
    seq: entry.seq,
    type: entry.type,
    at: entry.at.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    site: entry.site,
    source: entry.source,
    subject: entry.subject ?? null,
    zone: entry.zone ?? null,
    door: entry.door ?? null,
    correlationId: entry.correlationId ?? null,
    data: entry.data,
  };
}

const CSV_COLUMNS = [
  'seq',
  'id',
  'at',
  'recordedAt',
  'type',
  'site',
  'source',
  'subject',
  'zone',
  'door',
  'correlationId',
  'data',
] as const;

export function journalRoutes(ports: JournalPorts) {
  return (app: Api): void => {
    app.get(
      '/api/journal',
      {
        config: { access: { permission: 'journal.read' } },
        schema: {
          tags: ['journal'],
          summary: 'Search the event journal, newest first',
          querystring: SearchQuery,
          response: { 200: Type.Object({ items: Type.Array(EntrySchema), nextCursor: NullableString }, closed) },
        },
      },
      async (request) => {
        const { limit, cursor, ...filters } = request.query;
        const page = await ports.search({ ...toQuery(request, filters, 'journal.read'), limit, ...(cursor ? { cursor } : {}) });
        return { items: page.events.map(toJson), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/api/journal/events/:eventId',
      {
        config: { access: { permission: 'journal.read' } },
        schema: {
          tags: ['journal'],
          summary: 'One journal event by id (an alarm’s triggering event, a search result’s link)',
          params: Type.Object({ eventId: Type.String({ maxLength: 128 }) }, closed),
          response: { 200: EntrySchema },
        },
      },
      async (request) => {
        const entry = await ports.get(request.params.eventId);
        // Another site's event, or one without a site for a caller not on every site, is answered
        // as unknown: whether it exists is itself something only its readers may learn.
        const readable = principalOf(request).sitesFor('journal.read');
        if (readable !== 'all' && (entry.site === null || !readable.includes(entry.site))) {
          throw auditError('audit.event_not_found', `No journal event ${request.params.eventId}`, { id: request.params.eventId });
        }
        return toJson(entry);
      },
    );

    app.get(
      '/api/journal/export.csv',
      {
        config: { access: { permission: 'journal.export' } },
        schema: {
          tags: ['journal'],
          summary: 'Export matching journal records as CSV',
          description: `Oldest first, at most ${EXPORT_LIMIT.toLocaleString('en')} rows (the \`x-vigil-truncated\` header says when more matched). The export itself is journaled (\`journal.exported\`). Cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas.`,
          querystring: ExportQuery,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const query = toQuery(request, request.query, 'journal.export');
        const entries: JournalEntry[] = [];
        let cursor: string | null = null;
        do {
          const page: JournalPage = await ports.search({ ...query, limit: 1000, ...(cursor ? { cursor } : {}) });
          entries.push(...page.events);
          cursor = page.nextCursor;
        } while (cursor && entries.length < EXPORT_LIMIT);
        const truncated = entries.length > EXPORT_LIMIT || cursor !== null;
        const rows = entries.slice(0, EXPORT_LIMIT).reverse().map(toJson);
        await ports.recordExport(principalOf(request).actor, { ...request.query }, rows.length, truncated);
        const csv = stringify(
          rows.map((row) => CSV_COLUMNS.map((column) => spreadsheetSafe(column === 'data' ? JSON.stringify(row.data) : row[column]))),
          { header: true, columns: [...CSV_COLUMNS] },
        );
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="vigil-journal-${stamp}.csv"`)
          .header('x-vigil-truncated', String(truncated))
          .send(csv);
      },
    );

    app.get(
      '/api/journal/verifications/latest',
      {
        config: { access: { permission: 'journal.verify' } },
        schema: {
          tags: ['journal'],
          summary: 'The result of the latest journal verification',
          response: { 200: VerificationSchema },
        },
      },
      () => ports.latestVerification(),
    );

    app.post(
      '/api/journal/verifications',
      {
        config: { access: { permission: 'journal.verify', site: () => ALL_SITES } },
        schema: {
          tags: ['journal'],
          summary: 'Verify the whole journal now (hash chain and signed checkpoints) and record the result',
          description: 'Takes seconds per million records. Concurrent requests share one run.',
          response: { 200: VerificationSchema },
        },
      },
      (request) => ports.verify(principalOf(request).actor),
    );
  };
}

/** Neutralises spreadsheet formulas (CSV injection) without changing what a reader sees. */
function spreadsheetSafe(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

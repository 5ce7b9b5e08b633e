/**
 * `vigil export events` and `vigil export people`: data out of Vigil for auditors, SIEMs and
 * spreadsheets. Journal events keep their chain fields (seq, prev_hash, hash) and their data in
 * the exact canonical form that was hashed, so an export can be re-verified outside Vigil.
 */
import { Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { App } from '../../app.js';
import { auditError } from '../../modules/audit/index.js';
import type { Database } from '../../storage/schema.js';
import { action, plural, withApp, withDatabase, type CliContext } from '../context.js';
import { csvRow, openSink, type Sink } from '../output.js';

interface EventFilter {
  from?: string;
  to?: string;
  types: string[];
  sites: string[];
}

function instant(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw auditError('audit.query_invalid', `--${name} ${value} is not a date or ISO-8601 instant`, { [name]: value });
  }
  return date.toISOString();
}

const EVENT_COLUMNS = [
  'seq',
  'id',
  'type',
  'at',
  'recorded_at',
  'site',
  'source',
  'subject',
  'zone',
  'door',
  'correlation_id',
  'data',
  'prev_hash',
  'hash',
] as const;

const PAGE = 2000;

/** Streams matching events in journal order (by seq); returns how many were written. */
async function exportEvents(db: Kysely<Database>, filter: EventFilter, format: 'jsonl' | 'csv', sink: Sink): Promise<number> {
  if (format === 'csv') await sink.write(csvRow(EVENT_COLUMNS));
  let after = 0;
  let written = 0;
  for (;;) {
    let query = db.selectFrom('journal_events').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    if (filter.types.length > 0) query = query.where('type', 'in', filter.types);
    if (filter.sites.length > 0) query = query.where('site', 'in', filter.sites);
    const rows = await query.execute();
    for (const row of rows) {
      if (format === 'csv') {
        await sink.write(csvRow(EVENT_COLUMNS.map((c) => row[c])));
      } else {
        const envelope = JSON.stringify({
          seq: row.seq,
          id: row.id,
          type: row.type,
          at: row.at,
          recordedAt: row.recorded_at,
          site: row.site,
          source: row.source,
          subject: row.subject,
          zone: row.zone,
          door: row.door,
          correlationId: row.correlation_id,
          prevHash: row.prev_hash,
          hash: row.hash,
        });
        // The stored canonical text goes in as is: re-serialising could reorder its keys.
        await sink.write(`${envelope.slice(0, -1)},"data":${row.data}}\n`);
      }
      written++;
      if (sink.closed) return written;
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return written;
    after = last.seq;
  }
}

/** The import's columns first (docs/import.md), names rather than ids, then the record's own fields. */
const PEOPLE_COLUMNS = [
  'kind',
  'given_name',
  'family_name',
  'employee_id',
  'department',
  'job_roles',
  'sites',
  'valid_from',
  'valid_until',
  'id',
  'status',
  'status_reason',
  'status_changed_at',
  'created_at',
  'updated_at',
] as const;

type NamedPage = { items: { id: string; name: string }[]; nextCursor: string | null };

async function directoryNames(list: (page: { limit: number; cursor?: string }) => Promise<NamedPage>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) names.set(item.id, item.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

/** Every person, ordered by family then given name; credentials are not exported (card numbers stay inside). */
async function exportPeople(app: App, sink: Sink): Promise<number> {
  const departments = await directoryNames((page) => app.people.departments.list(page));
  const jobRoles = await directoryNames((page) => app.people.jobRoles.list(page));
  await sink.write(csvRow(PEOPLE_COLUMNS));
  let written = 0;
  let cursor: string | undefined;
  do {
    const page = await app.people.persons.list({ limit: 500, ...(cursor ? { cursor } : {}) }, 'all');
    for (const p of page.items) {
      await sink.write(
        csvRow([
          p.kind,
          p.givenName,
          p.familyName,
          p.employeeId,
          p.departmentId ? (departments.get(p.departmentId) ?? p.departmentId) : null,
          p.jobRoleIds.map((id) => jobRoles.get(id) ?? id).join(';'),
          p.sites.join(';'),
          p.validFrom,
          p.validUntil,
          p.id,
          p.status,
          p.statusReason,
          p.statusChangedAt,
          p.createdAt,
          p.updatedAt,
        ]),
      );
      written++;
      if (sink.closed) return written;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return written;
}

export function registerExportCommands(program: Command, ctx: CliContext): void {
  const exporter = program.command('export').description('export journal events or people');

  exporter
    .command('events')
    .description(
      'journal events in journal order, with their chain fields, as JSON lines (exact) or CSV (text starting with = + - @ gets a leading apostrophe)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--from <instant>', 'events that happened at or after this instant (ISO-8601)')
    .option('--to <instant>', 'events that happened before this instant (ISO-8601)')
    .option('--type <type...>', 'only these event types')
    .option('--site <site...>', 'only events of these sites')
    .option('-o, --output <file>', 'write to this file (owner-only permissions) instead of stdout')
    .action(
      action(ctx, (options: { format: 'jsonl' | 'csv'; from?: string; to?: string; type?: string[]; site?: string[]; output?: string }) =>
        withDatabase(ctx, async (handle) => {
          const from = instant('from', options.from);
          const to = instant('to', options.to);
          if (from !== undefined && to !== undefined && from > to) {
            throw auditError('audit.query_invalid', '--from is after --to', { from, to });
          }
          const filter: EventFilter = {
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
            types: options.type ?? [],
            sites: options.site ?? [],
          };
          const sink = openSink(ctx, options.output);
          try {
            const count = await exportEvents(handle.db, filter, options.format, sink);
            await sink.close();
            if (options.output) ctx.stderr.write(`Exported ${plural(count, 'event')} to ${options.output}.\n`);
          } catch (e) {
            sink.abort();
            throw e;
          }
        }),
      ),
    );

  exporter
    .command('people')
    .description('every person as CSV, in the import format plus id and status (no credentials)')
    .option('-o, --output <file>', 'write to this file (owner-only permissions) instead of stdout')
    .action(
      action(ctx, (options: { output?: string }) =>
        withApp(ctx, async (app) => {
          const sink = openSink(ctx, options.output);
          try {
            const count = await exportPeople(app, sink);
            await sink.close();
            if (options.output) ctx.stderr.write(`Exported ${plural(count, 'person')} to ${options.output}.\n`);
          } catch (e) {
            sink.abort();
            throw e;
          }
        }),
      ),
    );
}

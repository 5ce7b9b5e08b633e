/**
 * One page of journal entries at a time, newer and older pages by the API's cursor (the cursors
 * already followed are kept so "Newer" goes back), each entry expandable to its full record; and
 * the same search downloaded as CSV.
 */
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { api, type Page } from '../../api/client.ts';
import { useAction } from '../../components/admin/hooks.ts';
import { TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { namer, useDoors, useZones } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { downloadFile } from '../../components/admin/transfer.ts';
import { formatInstant } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';
import { paramsOf, type JournalEntry, type JournalFilters } from './journal-query.ts';

const PAGE_SIZES = [50, 100, 200] as const;

export function JournalResults({ filters }: { filters: JournalFilters }) {
  const { can } = useSession();
  const { site } = useSites();
  const doorName = namer(useDoors(site?.id).data);
  const zoneName = namer(useZones(site?.id).data);
  const exporting = useAction();
  const [limit, setLimit] = useState<number>(50);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const filterKey = paramsOf(filters).toString();
  const [seenKey, setSeenKey] = useState(filterKey);
  if (seenKey !== filterKey) {
    // A new search starts again at its first page.
    setSeenKey(filterKey);
    setCursors([null]);
  }
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery({
    queryKey: ['admin', 'journal', filterKey, limit, cursor],
    queryFn: () => api.get<Page<JournalEntry>>(`/api/journal?${paramsOf(filters, { limit, cursor }).toString()}`),
  });
  const entries = page.data?.items ?? [];

  return (
    <section aria-labelledby="journal-results-title">
      <div className="section-header">
        <h2 id="journal-results-title">Entries</h2>
        <div className="actions">
          <label className="inline">
            Per page
            <select
              value={limit}
              onChange={(e) => {
                setLimit(Number(e.target.value));
                setCursors([null]);
              }}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
          {can('journal.export') && (
            <button
              type="button"
              className="secondary"
              disabled={exporting.busy}
              onClick={() =>
                void exporting.run(async () => {
                  setExported(null);
                  const headers = await downloadFile(`/api/journal/export.csv?${paramsOf(filters).toString()}`, 'vigil-journal.csv');
                  setExported(
                    headers.get('x-vigil-truncated') === 'true'
                      ? 'Exported the first 100,000 matching entries, oldest first; narrow the filters to export the rest.'
                      : 'Exported every matching entry, oldest first. The export is recorded in the journal.',
                  );
                })
              }
            >
              {exporting.busy ? 'Exporting…' : 'Export CSV'}
            </button>
          )}
        </div>
      </div>
      {exported && (
        <p role="status" className="muted">
          {exported}
        </p>
      )}
      <ServerError error={page.error ?? exporting.error} />
      <TableScroll label="Journal entries" stackOnPhone>
        <thead>
          <tr>
            <th className="num">Seq</th>
            <th>When</th>
            <th>Event</th>
            <th>Source</th>
            <th>Subject</th>
            <th>Door / zone</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={entries} columns={6} loading={page.isPending} empty="No entries match.">
            {(entry) => (
              <Fragment key={entry.id}>
                <tr className={open === entry.id ? 'selected' : undefined}>
                  <td className="num" data-label="Seq">
                    {entry.seq}
                  </td>
                  <td data-label="When">{formatInstant(entry.at)}</td>
                  <td data-label="Event">
                    <button
                      type="button"
                      className="link"
                      aria-expanded={open === entry.id}
                      onClick={() => setOpen(open === entry.id ? null : entry.id)}
                    >
                      {entry.type}
                    </button>
                  </td>
                  <td className="muted" data-label="Source">
                    {entry.source}
                  </td>
                  <td className="muted" data-label="Subject">
                    {entry.subject ?? '—'}
                  </td>
                  <td data-label="Door / zone">
                    {[entry.door && doorName(entry.door), entry.zone && zoneName(entry.zone)].filter(Boolean).join(' · ') || '—'}
                  </td>
                </tr>
                {open === entry.id && (
                  <tr>
                    <td colSpan={6}>
                      <pre className="json">{JSON.stringify(entry, null, 2)}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <div className="load-more">
        <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Previous page
        </button>
        <span className="muted" role="status">
          Page {cursors.length}
          {entries.length > 0 ? ` · seq ${Math.min(...entries.map((e) => e.seq))}–${Math.max(...entries.map((e) => e.seq))}` : ''}
        </span>
        <button
          type="button"
          className="secondary"
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors([...cursors, page.data?.nextCursor ?? null])}
        >
          Next page →
        </button>
      </div>
    </section>
  );
}

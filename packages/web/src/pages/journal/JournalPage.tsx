/**
 * The journal: every recorded fact, searchable by time range, person, door, zone and event type,
 * page by page with the API's cursor; the same search exported as CSV; and the integrity of the
 * record — the latest verification of the hash chain and its signed checkpoints, and a button to
 * run one now.
 */
import { useSearchParams } from 'react-router';
import { useSession } from '../../shell/session.tsx';
import { JournalFiltersForm } from './JournalFiltersForm.tsx';
import { JournalResults } from './JournalResults.tsx';
import { filtersFrom, paramsOf, type JournalFilters } from './journal-query.ts';
import { VerificationPanel } from './VerificationPanel.tsx';

export default function JournalPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const search = (next: JournalFilters) => setParams(paramsOf(next));
  return (
    <section aria-labelledby="journal-title">
      <h1 id="journal-title">Journal</h1>
      {can('journal.verify') && <VerificationPanel />}
      <JournalFiltersForm key={params.toString()} filters={filters} onSearch={search} />
      <JournalResults filters={filters} />
    </section>
  );
}

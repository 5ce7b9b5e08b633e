/**
 * Replaying recorded events through the rule in the editor (saved or not) without acting: how many
 * events were looked at, which matched, and what the rule would have done for each.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { AdminForm, Field } from '../../components/admin/forms.tsx';
import { TableScroll } from '../../components/admin/layout.tsx';
import { formatInstant, fromLocalInput, localInputDaysAgo, toLocalInput, windowProblem } from '../../components/admin/time.ts';
import { ruleBody, type DryRunResult, type RuleFormat } from './rule-types.ts';

const SHOWN = 200;

export function RuleDryRun({ format, text }: { format: RuleFormat; text: string }) {
  const [from, setFrom] = useState(() => localInputDaysAgo(7));
  const [to, setTo] = useState(() => toLocalInput(new Date().toISOString()));
  const [maxEvents, setMaxEvents] = useState('50000');
  const [result, setResult] = useState<DryRunResult | null>(null);

  return (
    <section className="panel" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Dry run against recorded events</h2>
      <AdminForm
        label="Dry run"
        submitLabel="Run dry run"
        validate={() => {
          try {
            ruleBody(format, text);
          } catch (e) {
            return (e as Error).message;
          }
          return windowProblem(from, to, 'The time range must end after it starts.');
        }}
        onSubmit={async () => {
          setResult(null);
          setResult(
            await api.post<DryRunResult>('/api/automation/rules/dry-run', {
              ...ruleBody(format, text),
              from: fromLocalInput(from),
              to: fromLocalInput(to),
              maxEvents: Number(maxEvents),
            }),
          );
        }}
      >
        <Field label="From">
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </Field>
        <Field label="To">
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </Field>
        <Field label="At most this many events" hint="1 to 100,000">
          <input type="number" min={1} max={100_000} step={1} value={maxEvents} onChange={(e) => setMaxEvents(e.target.value)} required />
        </Field>
      </AdminForm>
      {result && (
        <div role="status">
          <p>
            {result.evaluated} events replayed{result.truncated ? ' (stopped at the limit: narrow the range to see all)' : ''}; the rule
            matched <strong>{result.matched}</strong>.
          </p>
          {result.matches.length > 0 && (
            <TableScroll label="Dry-run matches">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Event</th>
                  <th>Source</th>
                  <th>Would do</th>
                </tr>
              </thead>
              <tbody>
                {result.matches.slice(0, SHOWN).map((match) => (
                  <tr key={match.eventId}>
                    <td>{formatInstant(match.at)}</td>
                    <td>
                      <code>{match.type}</code>
                    </td>
                    <td className="muted">{match.source}</td>
                    <td>{match.actions.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </TableScroll>
          )}
          {result.matches.length > SHOWN && <p className="muted">The first {SHOWN} matches are shown.</p>}
        </div>
      )}
    </section>
  );
}

/**
 * The integrity of the journal: the latest verification (intact or the first bad record and why),
 * and a button to verify the whole chain now. A journal never verified says so plainly.
 */
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import { useAction, useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import type { Verification } from './journal-query.ts';

const latestKey = ['admin', 'journal', 'verification'] as const;

export function VerificationPanel() {
  const invalidate = useInvalidate();
  const run = useAction();
  const latest = useQuery({
    queryKey: latestKey,
    queryFn: async () => {
      try {
        return await api.get<Verification>('/api/journal/verifications/latest');
      } catch (e) {
        if (isApiError(e, 'journal.never_verified')) return null;
        throw e;
      }
    },
  });
  const result = latest.data;

  return (
    <section className="panel" aria-labelledby="verification-title" data-testid="journal-verification">
      <SectionHeader title="Integrity" level={2} id="verification-title">
        <button
          type="button"
          disabled={run.busy}
          onClick={() =>
            void run.run(async () => {
              await api.post<Verification>('/api/journal/verifications');
              await invalidate(latestKey);
            })
          }
        >
          {run.busy ? 'Verifying the whole journal…' : 'Verify now'}
        </button>
      </SectionHeader>
      <ServerError error={latest.error ?? run.error} />
      <div role="status" aria-live="polite">
        {latest.isPending ? (
          <p className="muted">Loading…</p>
        ) : result === null ? (
          <p>The journal has never been verified.</p>
        ) : result ? (
          <>
            <p>
              <Badge value={result.intact ? 'intact' : 'broken'} label={result.intact ? 'Intact' : 'NOT intact'} /> Verified{' '}
              {formatInstant(result.finishedAt)} by {result.by}: {result.events} events
              {result.firstSeq !== null && ` (seq ${result.firstSeq}–${result.lastSeq ?? ''})`}, {result.checkpointsVerified} signed
              checkpoints.
            </p>
            {result.problem && (
              <p className="error">
                First bad record: seq {result.problem.seq} — <code>{result.problem.reason}</code>: {result.problem.detail}
              </p>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}

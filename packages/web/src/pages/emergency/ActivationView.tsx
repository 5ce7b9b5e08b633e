/**
 * One plan activation as it unfolds: its state, the one-line progress, each door's status and
 * time to secure, and what can be done next — confirm or cancel a plan waiting for a second
 * operator, clear an active one (with a reason). Door confirmations arrive over the live stream
 * and are drawn as they come; the report is read again when the plan itself changes.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useLive } from '../../api/live.ts';
import { useActorLabel } from '../../components/actors.ts';
import { useFacilityNames } from '../../components/facility.ts';
import { useNow } from '../../components/useNow.ts';
import { useSession } from '../../shell/session.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { Ago, ErrorNote } from '../../shell/widgets.tsx';
import { KIND_WORDS, emergencyApi, type Activation, type DoorTiming, type Report } from './emergency-api.ts';
import { activationOf, applyEmergencyMessage, progressOf } from './progress.ts';

export const reportKey = (id: string) => ['ops', 'emergency-report', id] as const;
export const ACTIVATIONS_KEY = ['ops', 'emergency-activations'] as const;

const STATUS_WORDS: Record<DoorTiming['status'], string> = {
  commanded: 'Pending',
  secured: 'Secured',
  simulated: 'Confirmed (drill)',
  failed: 'Not confirming',
  held: 'Held by a stronger plan',
};

const STATE_WORDS: Record<Activation['state'], string> = {
  pending_confirmation: 'Waiting for a second operator',
  active: 'Active',
  cleared: 'Cleared',
  cancelled: 'Cancelled',
};

function useActivationActions(id: string) {
  const client = useQueryClient();
  const done = () => {
    void client.invalidateQueries({ queryKey: reportKey(id) });
    void client.invalidateQueries({ queryKey: ACTIVATIONS_KEY });
  };
  return {
    confirm: useMutation({ mutationFn: () => emergencyApi.confirm(id), onSuccess: done }),
    cancel: useMutation({ mutationFn: () => emergencyApi.cancel(id), onSuccess: done }),
    clear: useMutation({ mutationFn: (reason: string) => emergencyApi.clear(id, reason), onSuccess: done }),
  };
}

function Actions({ report }: { report: Report }) {
  const { me } = useSession();
  const { activation } = report;
  const actions = useActivationActions(activation.id);
  const [clearing, setClearing] = useState(false);
  const [reason, setReason] = useState('');
  const mine = me !== null && activation.requestedBy === `${me.kind}:${me.id}`;
  const error = actions.confirm.error ?? actions.cancel.error ?? actions.clear.error;
  if (activation.state === 'pending_confirmation') {
    return (
      <div className="action-row">
        <button type="button" className="danger" onClick={() => actions.confirm.mutate()} disabled={mine || actions.confirm.isPending}>
          Confirm as second operator
        </button>
        <button type="button" className="secondary" onClick={() => actions.cancel.mutate()} disabled={actions.cancel.isPending}>
          Cancel the request
        </button>
        {mine ? <p className="muted">You requested this plan: another operator must confirm it.</p> : null}
        <ErrorNote error={error} />
      </div>
    );
  }
  if (activation.state !== 'active') return null;
  return (
    <div className="action-row">
      <button type="button" onClick={() => setClearing(true)}>
        Clear {activation.drill ? 'the drill' : 'the plan'}…
      </button>
      <ErrorNote error={error} />
      <ReasonDialog
        open={clearing}
        title={`Clear ${report.planName}`}
        onClose={() => setClearing(false)}
        onConfirm={() => actions.clear.mutate(reason, { onSuccess: () => setClearing(false) })}
        confirmLabel="Clear"
        cancelLabel="Keep it running"
        busy={actions.clear.isPending}
        error={actions.clear.error}
        reason={reason}
        onReason={setReason}
        placeholder="e.g. all clear given by incident command"
      >
        <p>Each door returns to the state it had before the plan (or to a stronger plan still running).</p>
      </ReasonDialog>
    </div>
  );
}

export function ActivationView({ id }: { id: string }) {
  const client = useQueryClient();
  const now = useNow(1_000);
  const actor = useActorLabel();
  const { data: report, error } = useQuery({
    queryKey: reportKey(id),
    queryFn: () => emergencyApi.report(id),
    // Timings come from the server; while doors are still pending it is read again now and then.
    refetchInterval: (query) => (query.state.data && progressOf(query.state.data).pending.length > 0 ? 5_000 : false),
  });
  const names = useFacilityNames(report?.activation.siteId);
  useLive(['emergency'], (message) => {
    if (activationOf(message) !== id) return;
    if (message.type === 'emergency.door_secured' || message.type === 'emergency.door_failed') {
      client.setQueryData<Report>(reportKey(id), (old) =>
        old ? applyEmergencyMessage(old, message, (doorId) => names.door(doorId)?.name ?? doorId) : old,
      );
    } else void client.invalidateQueries({ queryKey: reportKey(id) });
  });
  if (!report) return <ErrorNote error={error} />;
  const { activation } = report;
  const progress = progressOf(report);
  return (
    <article
      className={`activation ${activation.drill ? 'drill' : 'real'} kind-${activation.kind}`}
      aria-labelledby="activation-title"
      data-state={activation.state}
    >
      <Link className="back-to-queue" to="/emergency">
        ← All plans
      </Link>
      <header>
        <h2 id="activation-title">
          {activation.drill ? <span className="drill-tag">DRILL</span> : null} {report.planName}
        </h2>
        <p className="muted">
          {KIND_WORDS[activation.kind]} · {STATE_WORDS[activation.state]} · requested by {actor(activation.requestedBy)}{' '}
          <Ago at={activation.requestedAt} now={now} />
          {activation.confirmedBy ? ` · confirmed by ${actor(activation.confirmedBy)}` : ''}
          {activation.clearedAt ? ` · cleared by ${actor(activation.clearedBy)}` : ''}
          {activation.reason ? ` · “${activation.reason}”` : ''}
        </p>
      </header>
      <p className="progress-line" role="status" aria-live="polite" data-testid="plan-progress">
        {progress.text}
      </p>
      <progress max={Math.max(1, progress.total)} value={progress.confirmed} aria-label="Doors confirmed" />
      <Actions report={report} />
      <table className="door-timings">
        <thead>
          <tr>
            <th>Door</th>
            <th>Status</th>
            <th>Seconds to secure</th>
            <th>Restored</th>
          </tr>
        </thead>
        <tbody>
          {[...report.doors]
            .sort(
              (a, b) =>
                Number(a.status !== 'commanded' && a.status !== 'failed') - Number(b.status !== 'commanded' && b.status !== 'failed') ||
                a.doorName.localeCompare(b.doorName),
            )
            .map((door) => (
              <tr key={door.doorId} className={`door-status ${door.status}`} data-door-status={door.status}>
                <td>{door.doorName}</td>
                <td>
                  {STATUS_WORDS[door.status]}
                  {door.error ? <span className="muted"> — {door.error}</span> : null}
                  {door.attempts > 1 ? <span className="muted"> ({door.attempts} attempts)</span> : null}
                </td>
                <td>{door.secondsToSecure === null ? '—' : door.secondsToSecure.toFixed(1)}</td>
                <td>{door.restoredAt ? `${door.restoredMode ?? ''}${door.restoreConfirmedAt ? ' ✓' : ' (not confirmed)'}` : '—'}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {report.summary.medianSeconds !== null ? (
        <p className="muted">
          Median {report.summary.medianSeconds.toFixed(1)} s, 95th percentile {report.summary.p95Seconds?.toFixed(1) ?? '—'} s, slowest{' '}
          {report.summary.maxSeconds?.toFixed(1) ?? '—'} s.
        </p>
      ) : null}
    </article>
  );
}

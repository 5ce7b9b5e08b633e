/** The site's emergency plans, each with Start and Drill behind a confirmation that asks why. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { ACTIVATIONS_KEY } from './ActivationView.tsx';
import { KIND_WORDS, emergencyApi, type Activation, type Plan } from './emergency-api.ts';

function scopeWords(plan: Plan): string {
  const parts = [
    plan.scope.buildingIds.length ? `${plan.scope.buildingIds.length} building(s)` : '',
    plan.scope.zoneIds.length ? `${plan.scope.zoneIds.length} zone(s)` : '',
    plan.scope.zoneTypes.length ? plan.scope.zoneTypes.join(', ').replace(/_/g, ' ') : '',
  ].filter(Boolean);
  return `${parts.length ? parts.join(' · ') : 'whole site'} · ${plan.doors.selection === 'all' ? 'all doors' : 'perimeter doors'}`;
}

function StartDialog({ plan, drill, onClose }: { plan: Plan; drill: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const start = useMutation({
    mutationFn: () => emergencyApi.start(plan.id, drill, reason),
    onSuccess: (activation) => {
      void client.invalidateQueries({ queryKey: ACTIVATIONS_KEY });
      onClose();
      void navigate(`/emergency/${activation.id}`);
    },
  });
  const running = isApiError(start.error, 'automation.plan_already_active') ? start.error.problem['activationId'] : undefined;
  return (
    <ReasonDialog
      open
      title={`${drill ? 'Drill' : 'Start'}: ${plan.name}`}
      onClose={onClose}
      onConfirm={() => start.mutate()}
      confirmLabel={drill ? 'Start the drill' : `Start ${KIND_WORDS[plan.kind].toLowerCase()}`}
      danger={!drill}
      busy={start.isPending}
      error={start.error}
      reason={reason}
      onReason={setReason}
      placeholder="What happened, who asked for it"
    >
      {drill ? (
        <p>A drill runs the whole plan and times every door, but no door is actually commanded.</p>
      ) : (
        <p className="warning">
          This commands the doors of the plan for real ({KIND_WORDS[plan.kind]}). Fire egress is never blocked; exit stays free in every
          mode.
        </p>
      )}
      {plan.requiresConfirmation && !drill ? <p>A second operator must confirm before any door is commanded.</p> : null}
      {typeof running === 'string' ? (
        <p>
          This plan is already running.{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              onClose();
              void navigate(`/emergency/${running}`);
            }}
          >
            Open the running activation
          </button>
        </p>
      ) : null}
    </ReasonDialog>
  );
}

export function PlanList({ plans, running }: { plans: readonly Plan[]; running: readonly Activation[] }) {
  const [starting, setStarting] = useState<{ plan: Plan; drill: boolean } | null>(null);
  if (plans.length === 0) return <p className="muted">No emergency plans are defined for this site (Rules & plans).</p>;
  return (
    <>
      <ul className="plan-list">
        {plans.map((plan) => (
          <li key={plan.id} className={`plan-card kind-${plan.kind}`} data-plan={plan.name}>
            <div>
              <strong>{plan.name}</strong>
              <div className="muted">
                {KIND_WORDS[plan.kind]} · {scopeWords(plan)}
                {plan.requiresConfirmation ? ' · needs a second operator' : ''}
              </div>
              {running
                .filter((a) => a.planId === plan.id)
                .map((a) => (
                  <Link key={a.id} className="plan-running" to={`/emergency/${a.id}`}>
                    {a.drill ? 'Drill running' : a.state === 'pending_confirmation' ? 'Waiting for a second operator' : 'Running now'} —
                    open
                  </Link>
                ))}
            </div>
            <div className="action-row">
              <button
                type="button"
                className="danger"
                onClick={() => setStarting({ plan, drill: false })}
                aria-label={`Start ${plan.name}`}
              >
                Start
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => setStarting({ plan, drill: true })}
                aria-label={`Drill ${plan.name}`}
              >
                Drill
              </button>
            </div>
          </li>
        ))}
      </ul>
      {starting ? <StartDialog plan={starting.plan} drill={starting.drill} onClose={() => setStarting(null)} /> : null}
    </>
  );
}

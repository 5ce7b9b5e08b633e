/**
 * Emergency plans: what is running now (plans waiting for a second operator first), the site's
 * plans with Start and Drill, and recent activations; the chosen activation beside them with its
 * live per-door progress.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useLive, useLiveStatus } from '../../api/live.ts';
import { useActorLabel } from '../../components/actors.ts';
import { useNow } from '../../components/useNow.ts';
import { useSites } from '../../shell/sites.tsx';
import { Ago, ErrorNote } from '../../shell/widgets.tsx';
import { ACTIVATIONS_KEY, ActivationView } from './ActivationView.tsx';
import { KIND_WORDS, emergencyApi, type Activation, type Plan } from './emergency-api.ts';
import { PlanList } from './PlanList.tsx';
import '../doors/doors.css';
import './emergency.css';

function ActivationLink({ activation, plans, now }: { activation: Activation; plans: readonly Plan[]; now: number }) {
  const actor = useActorLabel();
  const name = plans.find((p) => p.id === activation.planId)?.name ?? KIND_WORDS[activation.kind];
  return (
    <li className={`activation-link state-${activation.state}`}>
      <Link to={`/emergency/${activation.id}`}>
        {activation.drill ? <span className="drill-tag">DRILL</span> : null} {name}
      </Link>{' '}
      <span className="muted">
        {activation.state.replace('_', ' ')} · {actor(activation.requestedBy)} <Ago at={activation.requestedAt} now={now} />
      </span>
    </li>
  );
}

export default function EmergencyPage() {
  const { activationId } = useParams();
  const client = useQueryClient();
  const { site } = useSites();
  const now = useNow();
  const { connected } = useLiveStatus();
  const { data: plans = [], error } = useQuery({ queryKey: ['ops', 'emergency-plans'], queryFn: emergencyApi.plans });
  const { data: running = [] } = useQuery({
    queryKey: [...ACTIVATIONS_KEY, 'live'],
    queryFn: emergencyApi.live,
    refetchInterval: connected ? false : 10_000,
  });
  const { data: recent = [] } = useQuery({ queryKey: [...ACTIVATIONS_KEY, 'recent'], queryFn: emergencyApi.recent });
  useLive(['emergency'], (message) => {
    if (message.type !== 'emergency.door_secured' && message.type !== 'emergency.door_failed')
      void client.invalidateQueries({ queryKey: ACTIVATIONS_KEY });
  });
  const ofSite = <T extends { siteId: string }>(items: readonly T[]) => items.filter((i) => !site || i.siteId === site.id);
  const waiting = ofSite(running).filter((a) => a.state === 'pending_confirmation');
  const active = ofSite(running).filter((a) => a.state === 'active');

  return (
    <div className={activationId ? 'emergency-page has-detail' : 'emergency-page'}>
      <section className="plans-pane" aria-labelledby="emergency-title">
        <h1 id="emergency-title">Emergency plans</h1>
        <ErrorNote error={error} />
        {waiting.length > 0 ? (
          <div className="waiting" role="alert">
            <h2>Waiting for a second operator</h2>
            <ul>
              {waiting.map((a) => (
                <ActivationLink key={a.id} activation={a} plans={plans} now={now} />
              ))}
            </ul>
          </div>
        ) : null}
        <h2>Running now</h2>
        {active.length === 0 ? <p className="muted">No plan is running.</p> : null}
        <ul className="activation-list">
          {active.map((a) => (
            <ActivationLink key={a.id} activation={a} plans={plans} now={now} />
          ))}
        </ul>
        <h2>Plans</h2>
        <PlanList plans={ofSite(plans)} running={ofSite(running)} />
        <details>
          <summary>Recent activations</summary>
          <ul className="activation-list">
            {ofSite(recent).map((a) => (
              <ActivationLink key={a.id} activation={a} plans={plans} now={now} />
            ))}
          </ul>
        </details>
      </section>
      <div className="detail-pane">{activationId ? <ActivationView key={activationId} id={activationId} /> : null}</div>
    </div>
  );
}

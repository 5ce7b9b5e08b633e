/**
 * A PIN lockout behind an alarm, and lifting it early: when the alarm was raised by a door
 * controller locking a card's PIN attempts out (`access.pin_locked_out`), the operator sees whose
 * card and until when, and one who may control doors can lift the lockout with a reason (journaled
 * with the request). The console follows the request until every controller of the site has
 * reported what it did. The server refuses operators without `doors.control` regardless.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { useSession } from '../../shell/session.tsx';
import { ErrorNote } from '../../shell/widgets.tsx';
import type { Alarm } from './alarm-model.ts';
import { pinLockoutApi } from './pin-lockout-api.ts';
import { AGENT_LIFT_WORDS, LIFT_WORDS, lockoutOf, stillLockedOut, type PinLockout, type PinLockoutLift } from './pin-lockout.ts';

function LiftOutcome({ lift, agentName }: { lift: PinLockoutLift; agentName: (id: string) => string }) {
  return (
    <div className={`lift-status ${lift.status}`} role="status" data-status={lift.status}>
      <p>{LIFT_WORDS[lift.status]}</p>
      <ul aria-label="Door controllers">
        {lift.agents.map((agent) => (
          <li key={agent.agentId} data-status={agent.status}>
            {agentName(agent.agentId)}: {AGENT_LIFT_WORDS[agent.status]}
            {agent.completedAt ? <span className="muted"> at {new Date(agent.completedAt).toLocaleTimeString()}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function LockoutLift({ siteId, lockout, now }: { siteId: string; lockout: PinLockout; now: number }) {
  const { can } = useSession();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [liftId, setLiftId] = useState<string | null>(null);
  const person = useQuery({
    queryKey: ['ops', 'person-name', lockout.personId],
    queryFn: () => pinLockoutApi.personName(lockout.personId ?? ''),
    enabled: lockout.personId !== null && can('people.read'),
    staleTime: 300_000,
  });
  const agents = useQuery({
    queryKey: ['ops', 'edge-agent-names', siteId],
    queryFn: () => pinLockoutApi.agentNames(siteId),
    enabled: liftId !== null && can('facility.read'),
    staleTime: 60_000,
  });
  const lift = useQuery({
    queryKey: ['ops', 'pin-lockout-lift', liftId],
    queryFn: () => pinLockoutApi.get(liftId ?? ''),
    enabled: liftId !== null,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 1_000 : false),
  });
  const request = useMutation({
    mutationFn: () => pinLockoutApi.lift(siteId, lockout.credentialId, reason.trim()),
    onSuccess: (answer) => {
      client.setQueryData(['ops', 'pin-lockout-lift', answer.id], answer);
      setLiftId(answer.id);
      setOpen(false);
      setReason('');
    },
  });

  const running = stillLockedOut(lockout, now);
  const until = new Date(lockout.until).toLocaleTimeString();
  const whose = person.data ? `${person.data}’s card` : 'The card';
  const agentName = (id: string) => agents.data?.get(id) ?? `Door controller …${id.slice(-6)}`;
  return (
    <section className="pin-lockout" aria-label="PIN lockout">
      <h3>PIN lockout</h3>
      <p>
        {whose} was locked out after {lockout.attempts} wrong PIN{lockout.attempts === 1 ? '' : 's'}:{' '}
        {running ? `the door controller refuses it without asking for the PIN until ${until}.` : `the lockout ran out at ${until}.`}
      </p>
      {running && lift.data?.status !== 'lifted' ? (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            request.reset();
            setOpen(true);
          }}
        >
          Lift PIN lockout
        </button>
      ) : null}
      {lift.data ? <LiftOutcome lift={lift.data} agentName={agentName} /> : null}
      <ErrorNote error={lift.error} />
      <ReasonDialog
        open={open}
        title="Lift the PIN lockout"
        onClose={() => setOpen(false)}
        onConfirm={() => request.mutate()}
        confirmLabel="Lift lockout"
        danger
        busy={request.isPending}
        error={request.error}
        reason={reason}
        onReason={setReason}
        reasonLabel="Reason (recorded in the journal)"
        reasonRequired
        maxLength={500}
        placeholder="e.g. holder confirmed at the desk with photo ID"
      >
        <p>
          Every door controller of the site is asked to lift the lockout: the card’s PIN is asked for again at once. Lift it only when you
          know the card is in its holder’s hands; someone guessing the PIN of a found card starts over.
        </p>
      </ReasonDialog>
    </section>
  );
}

/** The lockout section of an alarm raised by a PIN lockout; nothing for other alarms or operators who cannot control doors. */
export function PinLockoutLift({ alarm, now }: { alarm: Alarm; now: number }) {
  const { can } = useSession();
  const allowed = can('doors.control') && can('journal.read') && alarm.siteId !== null && alarm.triggerEventId !== null;
  const trigger = useQuery({
    queryKey: ['ops', 'alarm-trigger', alarm.id],
    queryFn: () => pinLockoutApi.triggerOf(alarm),
    enabled: allowed,
    staleTime: Infinity,
  });
  if (!allowed || !alarm.siteId) return null;
  // A look-up that failed matters only where the alarm is about a lockout.
  if (trigger.error && alarm.type === 'pin_locked_out') return <ErrorNote error={trigger.error} />;
  const lockout = trigger.data ? lockoutOf(trigger.data) : null;
  if (!lockout) return null;
  return <LockoutLift siteId={alarm.siteId} lockout={lockout} now={now} />;
}

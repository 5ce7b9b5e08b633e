/** One alarm, worked from top to bottom: what and where, its actions, the PIN lockout behind it, its procedure, its door. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useActorLabel } from '../../components/actors.ts';
import { useFacilityNames } from '../../components/facility.ts';
import { useNow } from '../../components/useNow.ts';
import { Ago, ErrorNote } from '../../shell/widgets.tsx';
import { DoorPanel, useDoorState } from '../doors/DoorPanel.tsx';
import { alarmApi } from './alarm-api.ts';
import { PRIORITY_WORDS, stateWords, type Alarm } from './alarm-model.ts';
import { AlarmActions } from './AlarmActions.tsx';
import { PriorityBadge, whereOf } from './AlarmQueue.tsx';
import { PinLockoutLift } from './PinLockoutLift.tsx';
import { ProcedureChecklist } from './ProcedureChecklist.tsx';
import { alarmKey } from './useAlarmQueue.ts';

function When({ at, by, now }: { at: string | null; by: string | null; now: number }) {
  const actor = useActorLabel();
  if (!at) return <>—</>;
  return (
    <>
      {new Date(at).toLocaleString()} (<Ago at={at} now={now} />) by {actor(by)}
    </>
  );
}

function AlarmDoor({ alarm, now }: { alarm: Alarm; now: number }) {
  const names = useFacilityNames(alarm.siteId ?? undefined);
  const state = useDoorState(alarm.doorId);
  const door = names.door(alarm.doorId);
  if (!door) return null;
  return (
    <>
      {door.floorId && door.position ? (
        <p>
          <Link to={`/plans/${door.floorId}?door=${door.id}`}>Show {door.name} on the floor plan</Link>
        </p>
      ) : null}
      <DoorPanel door={door} state={state} names={names} now={now} />
    </>
  );
}

export function AlarmDetail({ id }: { id: string }) {
  const now = useNow();
  const { data: alarm, error, isPending } = useQuery({ queryKey: alarmKey(id), queryFn: () => alarmApi.get(id) });
  const names = useFacilityNames(alarm?.siteId ?? undefined);
  if (isPending) return <p className="loading">Loading the alarm…</p>;
  if (!alarm) return <ErrorNote error={error} />;
  return (
    <article className="alarm-detail" aria-labelledby="alarm-title" data-alarm={alarm.id} data-state={alarm.state}>
      <Link className="back-to-queue" to="/">
        ← Back to the queue
      </Link>
      <header className="alarm-head">
        <PriorityBadge priority={alarm.priority} />
        <h2 id="alarm-title">{alarm.title}</h2>
      </header>
      <p className="alarm-state-line" role="status">
        {stateWords(alarm)}
        {alarm.falseAlarm ? ' · marked as a false alarm' : ''}
        {alarm.shelfId ? ' · shelved' : ''}
      </p>
      <dl className="facts">
        <dt>Where</dt>
        <dd>{whereOf(alarm, names) || '—'}</dd>
        <dt>Type</dt>
        <dd>
          {alarm.type} · priority {alarm.priority} ({PRIORITY_WORDS[alarm.priority]})
        </dd>
        <dt>Raised</dt>
        <dd>
          <When at={alarm.raisedAt} by={alarm.raisedBy} now={now} />
        </dd>
        <dt>Acknowledged</dt>
        <dd>
          <When at={alarm.acknowledgedAt} by={alarm.acknowledgedBy} now={now} />
        </dd>
        {alarm.assignedTo ? (
          <>
            <dt>Assigned</dt>
            <dd>
              {alarm.assignedTo}, {alarm.assignedAt ? new Date(alarm.assignedAt).toLocaleTimeString() : ''}
            </dd>
          </>
        ) : null}
        {alarm.nextEscalationAt && alarm.state === 'new' ? (
          <>
            <dt>Escalates</dt>
            <dd>
              at {new Date(alarm.nextEscalationAt).toLocaleTimeString()} unless acknowledged (step {alarm.escalationLevel + 1})
            </dd>
          </>
        ) : null}
        {alarm.resolvedAt ? (
          <>
            <dt>Resolved</dt>
            <dd>
              <When at={alarm.resolvedAt} by={alarm.resolvedBy} now={now} />
              {alarm.resolutionNote ? <>: “{alarm.resolutionNote}”</> : null}
            </dd>
          </>
        ) : null}
        {alarm.incidentId ? (
          <>
            <dt>Incident</dt>
            <dd>
              <Link to={`/incidents/${alarm.incidentId}`}>Part of an incident with related alarms</Link>
            </dd>
          </>
        ) : null}
      </dl>
      <AlarmActions key={alarm.id} alarm={alarm} />
      <PinLockoutLift key={`lockout-${alarm.id}`} alarm={alarm} now={now} />
      <ProcedureChecklist alarm={alarm} />
      <AlarmDoor alarm={alarm} now={now} />
    </article>
  );
}

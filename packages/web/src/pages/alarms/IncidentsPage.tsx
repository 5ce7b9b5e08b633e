/**
 * Incidents: alarms the correlation rules grouped (door forced + motion + glass break in one zone
 * within a minute is one break-in). The list beside the chosen incident and its alarms, each
 * linked to the alarm screen; closing an incident takes a note.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useLive } from '../../api/live.ts';
import { useActorLabel } from '../../components/actors.ts';
import { useFacilityNames } from '../../components/facility.ts';
import { useNow } from '../../components/useNow.ts';
import { useSites } from '../../shell/sites.tsx';
import { Ago, ErrorNote } from '../../shell/widgets.tsx';
import { alarmApi } from './alarm-api.ts';
import { stateWords, type Incident } from './alarm-model.ts';
import { PriorityBadge, whereOf } from './AlarmQueue.tsx';
import { alarmKey } from './useAlarmQueue.ts';
import './alarms.css';

const listKey = (open: boolean) => ['ops', 'incidents', open] as const;
const incidentKey = (id: string) => ['ops', 'incident', id] as const;

function IncidentView({ id, now }: { id: string; now: number }) {
  const client = useQueryClient();
  const actor = useActorLabel();
  const [note, setNote] = useState('');
  const { data: incident, error } = useQuery({ queryKey: incidentKey(id), queryFn: () => alarmApi.incident(id) });
  const names = useFacilityNames(incident?.siteId ?? undefined);
  const alarms = useQueries({
    queries: (incident?.alarmIds ?? []).map((alarmId) => ({ queryKey: alarmKey(alarmId), queryFn: () => alarmApi.get(alarmId) })),
  });
  const close = useMutation({
    mutationFn: () => alarmApi.closeIncident(id, note),
    onSuccess: (updated) => {
      client.setQueryData(incidentKey(id), updated);
      void client.invalidateQueries({ queryKey: ['ops', 'incidents'] });
    },
  });
  if (!incident) return <ErrorNote error={error} />;
  return (
    <article className="alarm-detail" aria-labelledby="incident-title">
      <Link className="back-to-queue" to="/incidents">
        ← All incidents
      </Link>
      <header className="alarm-head">
        <PriorityBadge priority={incident.priority} />
        <h2 id="incident-title">{incident.title}</h2>
      </header>
      <p className="alarm-state-line">
        {incident.state === 'open' ? 'Open' : `Closed by ${actor(incident.closedBy)}`} · opened <Ago at={incident.openedAt} now={now} /> ·
        last alarm <Ago at={incident.lastAlarmAt} now={now} />
        {incident.zoneId ? ` · ${names.zone(incident.zoneId)?.name ?? ''}` : ''}
      </p>
      {incident.closeNote ? <p>“{incident.closeNote}”</p> : null}
      <h3>Related alarms ({incident.alarmIds.length})</h3>
      <ol className="alarm-queue">
        {alarms.map((query, index) => {
          const alarm = query.data;
          const alarmId = incident.alarmIds[index] ?? '';
          return (
            <li key={alarmId} className={`alarm-row state-${alarm?.state ?? 'new'}`} data-alarm-id={alarmId}>
              <Link to={`/alarms/${alarmId}`}>
                {alarm ? <PriorityBadge priority={alarm.priority} /> : <span />}
                <span className="alarm-title">{alarm?.title ?? 'Loading…'}</span>
                <span className="alarm-where">{alarm ? whereOf(alarm, names) : ''}</span>
                <span className="alarm-state">{alarm ? stateWords(alarm) : ''}</span>
                <span className="alarm-age">{alarm ? <Ago at={alarm.raisedAt} now={now} /> : null}</span>
              </Link>
            </li>
          );
        })}
      </ol>
      {incident.state === 'open' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            close.mutate();
          }}
        >
          <label>
            Closing note
            <textarea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={2}
              maxLength={4000}
              placeholder="What the incident was"
            />
          </label>
          <button type="submit" disabled={close.isPending}>
            Close the incident
          </button>
          <ErrorNote error={close.error} />
        </form>
      ) : null}
    </article>
  );
}

export default function IncidentsPage() {
  const { incidentId } = useParams();
  const client = useQueryClient();
  const { site } = useSites();
  const now = useNow();
  const [openOnly, setOpenOnly] = useState(true);
  const { data: incidents = [], error } = useQuery({
    queryKey: listKey(openOnly),
    queryFn: () => alarmApi.incidents(openOnly || undefined),
  });
  useLive(['incident'], (message) => {
    void client.invalidateQueries({ queryKey: ['ops', 'incidents'] });
    const incident = message['incident'] as Incident | undefined;
    if (incident?.id) client.setQueryData(incidentKey(incident.id), incident);
  });
  const shown = incidents.filter((i) => !site || i.siteId === null || i.siteId === site.id);
  return (
    <div className={incidentId ? 'incidents-page has-detail' : 'incidents-page'}>
      <section className="incident-list-pane" aria-labelledby="incidents-title">
        <h1 id="incidents-title">Incidents</h1>
        <label className="checkbox">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> Open only
        </label>
        <ErrorNote error={error} />
        {shown.length === 0 ? <p className="muted">No incidents.</p> : null}
        <ol className="alarm-queue">
          {shown.map((incident) => (
            <li key={incident.id} className={`alarm-row${incident.id === incidentId ? ' selected' : ''}`}>
              <Link to={`/incidents/${incident.id}`}>
                <PriorityBadge priority={incident.priority} />
                <span className="alarm-title">{incident.title}</span>
                <span className="alarm-where">
                  {incident.alarmIds.length} alarm{incident.alarmIds.length === 1 ? '' : 's'} · {incident.kind.replace(/_/g, ' ')}
                </span>
                <span className="alarm-state">{incident.state === 'open' ? 'Open' : 'Closed'}</span>
                <span className="alarm-age">
                  <Ago at={incident.lastAlarmAt} now={now} />
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
      <div className="detail-pane">
        {incidentId ? <IncidentView id={incidentId} now={now} /> : <p className="muted pick">Choose an incident.</p>}
      </div>
    </div>
  );
}

/**
 * The alarm queue: the operator's main screen. Open alarms of the chosen site by priority, then
 * by how long they have waited; the selected alarm beside the queue (below it on a phone). Alarms
 * on the operator's other sites are counted so none goes unseen. Keys: j / k move through the
 * queue, a acknowledges the selected alarm.
 */
import { useEffect, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useFacilityNames } from '../../components/facility.ts';
import { useNow } from '../../components/useNow.ts';
import { useSites } from '../../shell/sites.tsx';
import { ErrorNote } from '../../shell/widgets.tsx';
import { alarmApi } from './alarm-api.ts';
import { queueSections, type AlarmSummary } from './alarm-model.ts';
import { AlarmDetail } from './AlarmDetail.tsx';
import { AlarmQueue } from './AlarmQueue.tsx';
import { ShelvesPanel } from './ShelvesPanel.tsx';
import { useAlarmMutation } from './useAlarmMutation.ts';
import { useAlarmQueue } from './useAlarmQueue.ts';
import '../doors/doors.css';
import './alarms.css';

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** j / k select the next or previous alarm, a acknowledges the selected one. */
function useQueueKeys(active: readonly AlarmSummary[], selectedId: string | undefined) {
  const navigate = useNavigate();
  const { mutate: acknowledge } = useAlarmMutation((id: string) => alarmApi.acknowledge(id));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || document.querySelector('dialog[open]')) return;
      const index = active.findIndex((a) => a.id === selectedId);
      if (event.key === 'j' || event.key === 'k') {
        const next = active[event.key === 'j' ? Math.min(active.length - 1, index + 1) : Math.max(0, index - 1)];
        if (next) void navigate(`/alarms/${next.id}`);
      } else if (event.key === 'a') {
        const selected = active[index];
        if (selected?.state === 'new') acknowledge(selected.id);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, selectedId, navigate, acknowledge]);
}

export default function AlarmsPage() {
  const { alarmId } = useParams();
  const { site, sites, select } = useSites();
  const { alarms, loading, error } = useAlarmQueue();
  const now = useNow();
  const names = useFacilityNames(site?.id);
  const sections = useMemo(() => queueSections(alarms, site?.id ?? null), [alarms, site]);
  useQueueKeys(sections.active, alarmId);

  return (
    <div className={alarmId ? 'alarms-page has-detail' : 'alarms-page'}>
      <section className="queue-pane" aria-labelledby="queue-title">
        <h1 id="queue-title">
          Alarms{' '}
          <span className="count" data-testid="open-alarms">
            {sections.active.length}
          </span>
        </h1>
        <p className="muted keys">Keys: j / k to move, a to acknowledge.</p>
        {[...sections.elsewhere].map(([siteId, count]) => (
          <p key={siteId} className="elsewhere">
            {count} open alarm{count === 1 ? '' : 's'} on {sites.find((s) => s.id === siteId)?.name ?? 'another site'}{' '}
            <button type="button" className="secondary" onClick={() => select(siteId)}>
              Show
            </button>
          </p>
        ))}
        <ErrorNote error={error} />
        {loading ? (
          <p className="loading">Loading the queue…</p>
        ) : (
          <AlarmQueue
            alarms={sections.active}
            selectedId={alarmId}
            names={names}
            now={now}
            label="Open alarms"
            empty="No open alarms. All quiet."
          />
        )}
        <details className="queue-more">
          <summary>Resolved, to close ({sections.resolved.length})</summary>
          <AlarmQueue alarms={sections.resolved} selectedId={alarmId} names={names} now={now} label="Resolved alarms" empty="None." />
        </details>
        <details className="queue-more">
          <summary>Shelved ({sections.shelved.length})</summary>
          <AlarmQueue
            alarms={sections.shelved}
            selectedId={alarmId}
            names={names}
            now={now}
            label="Shelved alarms"
            empty="No shelved alarms are open."
          />
          <h2>Shelves in force</h2>
          <ShelvesPanel />
        </details>
      </section>
      <div className="detail-pane">
        {alarmId ? <AlarmDetail id={alarmId} /> : <p className="muted pick">Choose an alarm to work it.</p>}
      </div>
    </div>
  );
}

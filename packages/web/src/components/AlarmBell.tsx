/**
 * The alarm bell in the top bar, on every screen: how many priority 1–2 alarms wait
 * unacknowledged (on any of the operator's sites), their sound, and the mute switch. An operator
 * looking at a floor plan or an emergency plan still hears and sees a new urgent alarm.
 */
import { Link } from 'react-router';
import { needsAttention } from '../pages/alarms/alarm-model.ts';
import { useAlarmSound } from '../pages/alarms/alarm-sound.ts';
import { useAlarmQueue } from '../pages/alarms/useAlarmQueue.ts';
import './alarm-bell.css';

export function AlarmBell() {
  const { alarms } = useAlarmQueue();
  const waiting = alarms.filter(needsAttention);
  const sound = useAlarmSound(alarms);
  return (
    <div className="alarm-bell">
      <Link to="/" className={waiting.length > 0 ? 'bell ringing' : 'bell'} data-testid="alarm-bell" aria-live="assertive">
        {waiting.length > 0 ? (
          <>
            {waiting.length} urgent<span className="bell-more"> unacknowledged</span>
          </>
        ) : (
          <>
            No urgent<span className="bell-more"> alarms</span>
          </>
        )}
      </Link>
      <button
        type="button"
        className="secondary"
        aria-pressed={!sound.muted}
        onClick={sound.toggleMuted}
        title="Alarm sound for priority 1–2"
      >
        {sound.muted ? 'Sound off' : 'Sound on'}
      </button>
      {!sound.muted && !sound.ready ? (
        <button
          type="button"
          className="secondary sound-blocked"
          onClick={sound.enable}
          title="The browser plays sound only after a click or key press"
        >
          Enable sound
        </button>
      ) : null}
    </div>
  );
}

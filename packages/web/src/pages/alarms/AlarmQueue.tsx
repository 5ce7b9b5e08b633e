/** The rows of the alarm queue: priority, what and where, how long it has waited, who has it. */
import { memo } from 'react';
import { Link } from 'react-router';
import type { FacilityNames } from '../../components/facility.ts';
import { Ago } from '../../shell/widgets.tsx';
import { PRIORITY_WORDS, stateWords, type AlarmSummary } from './alarm-model.ts';

export function PriorityBadge({ priority }: { priority: number }) {
  return (
    <span className={`priority p${priority}`} title={`Priority ${priority}: ${PRIORITY_WORDS[priority] ?? ''}`}>
      P{priority}
    </span>
  );
}

export function whereOf(alarm: AlarmSummary, names: FacilityNames): string {
  const door = names.door(alarm.doorId)?.name;
  const zone = names.zone(alarm.zoneId ?? names.door(alarm.doorId)?.toZoneId)?.name;
  return [door, zone].filter(Boolean).join(' · ') || (alarm.device ?? '');
}

const AlarmRow = memo(function AlarmRow({
  alarm,
  selected,
  where,
  now,
}: {
  alarm: AlarmSummary;
  selected: boolean;
  where: string;
  now: number;
}) {
  return (
    <li className={`alarm-row state-${alarm.state}${selected ? ' selected' : ''}`} data-alarm-id={alarm.id} data-state={alarm.state}>
      <Link to={`/alarms/${alarm.id}`} aria-current={selected ? 'true' : undefined}>
        <PriorityBadge priority={alarm.priority} />
        <span className="alarm-title">{alarm.title}</span>
        <span className="alarm-where">{where}</span>
        <span className="alarm-state">
          {alarm.state === 'new' ? <strong className="new-tag">NEW</strong> : null} {stateWords(alarm)}
          {alarm.escalationLevel > 0 ? <span className="escalated"> · escalated ×{alarm.escalationLevel}</span> : null}
          {alarm.incidentId ? <span className="in-incident"> · in an incident</span> : null}
          {alarm.falseAlarm ? <span> · false alarm</span> : null}
        </span>
        <span className="alarm-age">
          <Ago at={alarm.raisedAt} now={now} />
        </span>
      </Link>
    </li>
  );
});

export function AlarmQueue({
  alarms,
  selectedId,
  names,
  now,
  label,
  empty,
}: {
  alarms: readonly AlarmSummary[];
  selectedId: string | undefined;
  names: FacilityNames;
  now: number;
  label: string;
  empty: string;
}) {
  if (alarms.length === 0) return <p className="queue-empty muted">{empty}</p>;
  return (
    <ol className="alarm-queue" aria-label={label}>
      {alarms.map((alarm) => (
        <AlarmRow key={alarm.id} alarm={alarm} selected={alarm.id === selectedId} where={whereOf(alarm, names)} now={now} />
      ))}
    </ol>
  );
}

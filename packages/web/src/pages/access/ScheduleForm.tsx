/**
 * A weekly schedule: intervals (weekdays, start, end in the site's wall-clock time) and, per
 * holiday type, whether the schedule is closed, runs as a normal day, or has other hours.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { WEEKDAYS, type AccessSchedule, type HolidayBehaviour, type ScheduleInterval } from '../../components/admin/api-types.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { CheckboxList, Field } from '../../components/admin/forms.tsx';
import { DAY_LABEL, TIME_PATTERN, intervalsProblem, parseRanges } from './schedule-format.ts';

interface HolidayRow {
  type: string;
  mode: 'exclude' | 'include' | 'hours';
  hours: string;
}

const toRows = (holidays: Record<string, HolidayBehaviour>): HolidayRow[] =>
  Object.entries(holidays).map(([type, behaviour]) =>
    typeof behaviour === 'string'
      ? { type, mode: behaviour, hours: '' }
      : { type, mode: 'hours', hours: behaviour.map((r) => `${r.start}-${r.end}`).join(', ') },
  );

export function ScheduleForm({
  siteId,
  schedule,
  onClose,
  onSaved,
}: {
  siteId: string;
  schedule: AccessSchedule | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [name, setName] = useState(schedule?.name ?? '');
  const [intervals, setIntervals] = useState<ScheduleInterval[]>(
    schedule?.intervals ?? [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00' }],
  );
  const [holidays, setHolidays] = useState<HolidayRow[]>(toRows(schedule?.holidays ?? {}));
  const setInterval = (index: number, change: Partial<ScheduleInterval>) =>
    setIntervals(intervals.map((iv, i) => (i === index ? { ...iv, ...change } : iv)));
  const setHoliday = (index: number, change: Partial<HolidayRow>) =>
    setHolidays(holidays.map((h, i) => (i === index ? { ...h, ...change } : h)));

  function validate(): string | null {
    const problem = intervalsProblem(intervals);
    if (problem) return problem;
    const types = holidays.map((h) => h.type);
    if (new Set(types).size !== types.length) return 'Each holiday type may appear once.';
    const bad = holidays.find((h) => h.mode === 'hours' && !parseRanges(h.hours));
    return bad ? `Holiday type ${bad.type}: give hours as HH:MM-HH:MM, separated by commas.` : null;
  }

  async function save() {
    const holidayMap: Record<string, HolidayBehaviour> = {};
    for (const row of holidays) holidayMap[row.type] = row.mode === 'hours' ? (parseRanges(row.hours) ?? []) : row.mode;
    const body = { name: name.trim(), intervals, holidays: holidayMap };
    if (schedule) await api.patch(`/api/access-schedules/${schedule.id}`, body);
    else await api.post('/api/access-schedules', { siteId, ...body });
    await onSaved();
  }

  return (
    <FormDialog
      open
      title={schedule ? `Change ${schedule.name}` : 'New schedule'}
      submitLabel="Save schedule"
      onClose={onClose}
      onSubmit={save}
      validate={validate}
    >
      <Field label="Schedule name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
      </Field>
      {intervals.map((interval, index) => (
        <fieldset key={index} className="interval">
          <legend>Interval {index + 1}</legend>
          <CheckboxList
            legend="Days"
            options={WEEKDAYS}
            selected={interval.days}
            onChange={(days) => setInterval(index, { days })}
            labelOf={(d) => DAY_LABEL[d]}
          />
          <div className="interval-times">
            <Field label="From" hint="HH:MM">
              <input
                value={interval.start}
                onChange={(e) => setInterval(index, { start: e.target.value })}
                pattern={TIME_PATTERN}
                required
                inputMode="numeric"
                size={5}
              />
            </Field>
            <Field label="Until" hint="HH:MM, 24:00 for midnight">
              <input
                value={interval.end}
                onChange={(e) => setInterval(index, { end: e.target.value })}
                pattern={TIME_PATTERN}
                required
                inputMode="numeric"
                size={5}
              />
            </Field>
            <button
              type="button"
              className="secondary"
              onClick={() => setIntervals(intervals.filter((_, i) => i !== index))}
              aria-label={`Remove interval ${index + 1}`}
            >
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary"
          onClick={() => setIntervals([...intervals, { days: [], start: '08:00', end: '17:00' }])}
        >
          Add interval
        </button>
      </p>
      {holidays.map((row, index) => (
        <fieldset key={index} className="interval">
          <legend>Holiday rule {index + 1}</legend>
          <div className="interval-times">
            <Field label="Holiday type" hint="As on the site's holidays, e.g. public.">
              <input
                value={row.type}
                onChange={(e) => setHoliday(index, { type: e.target.value })}
                pattern="[a-z][a-z0-9_]{0,31}"
                required
              />
            </Field>
            <Field label="On those days">
              <select value={row.mode} onChange={(e) => setHoliday(index, { mode: e.target.value as HolidayRow['mode'] })}>
                <option value="exclude">Closed</option>
                <option value="include">As a normal day</option>
                <option value="hours">These hours</option>
              </select>
            </Field>
            {row.mode === 'hours' && (
              <Field label="Hours" hint="e.g. 08:00-12:00, 13:00-16:00">
                <input value={row.hours} onChange={(e) => setHoliday(index, { hours: e.target.value })} required />
              </Field>
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => setHolidays(holidays.filter((_, i) => i !== index))}
              aria-label={`Remove holiday rule ${index + 1}`}
            >
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary"
          onClick={() => setHolidays([...holidays, { type: 'public', mode: 'exclude', hours: '' }])}
        >
          Add holiday rule
        </button>
      </p>
    </FormDialog>
  );
}

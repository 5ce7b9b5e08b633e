/**
 * What an operator does with an alarm, in the order of its life: acknowledge, assign a
 * responder, resolve with a note (the server requires one for priority 1–2 and shows why it
 * refuses), or shelve its source with a reason until an expiry; once resolved, mark it a false
 * alarm or not, and close it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { ErrorNote } from '../../shell/widgets.tsx';
import { alarmApi } from './alarm-api.ts';
import { isOpen, type Alarm } from './alarm-model.ts';
import { QUEUE_KEY, alarmKey } from './useAlarmQueue.ts';
import { useAlarmMutation } from './useAlarmMutation.ts';

const SHELF_MINUTES = [
  [15, '15 minutes'],
  [60, '1 hour'],
  [240, '4 hours'],
  [480, '8 hours'],
  [720, '12 hours (a shift)'],
  [1440, '24 hours'],
] as const;

function Assign({ alarm }: { alarm: Alarm }) {
  const [assignee, setAssignee] = useState(alarm.assignedTo ?? '');
  const assign = useAlarmMutation(() => alarmApi.assign(alarm.id, assignee.trim()));
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (assignee.trim()) assign.mutate(undefined);
      }}
    >
      <label>
        Responder
        <input value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder="Officer or team" maxLength={200} required />
      </label>
      <button type="submit" className="secondary" disabled={assign.isPending}>
        {alarm.state === 'assigned' ? 'Reassign' : 'Assign'}
      </button>
      <ErrorNote error={assign.error} />
    </form>
  );
}

function Resolve({ alarm }: { alarm: Alarm }) {
  const [note, setNote] = useState('');
  const [falseAlarm, setFalseAlarm] = useState(false);
  const resolve = useAlarmMutation(() => alarmApi.resolve(alarm.id, note, falseAlarm));
  return (
    <form
      className="resolve-form"
      aria-label="Resolve the alarm"
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate(undefined);
      }}
    >
      <label>
        Resolution note{alarm.priority <= 2 ? ' (required for priority 1–2)' : ''}
        <textarea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={3}
          maxLength={4000}
          placeholder="What was found and what was done"
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={falseAlarm} onChange={(e) => setFalseAlarm(e.target.checked)} /> False alarm
      </label>
      <button type="submit" disabled={resolve.isPending}>
        Resolve
      </button>
      <ErrorNote error={resolve.error} />
    </form>
  );
}

function Shelve({ alarm }: { alarm: Alarm }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(60);
  const shelve = useMutation({
    mutationFn: () => alarmApi.shelve(alarm.id, reason.trim(), minutes),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: QUEUE_KEY });
      void client.invalidateQueries({ queryKey: alarmKey(alarm.id) });
      void client.invalidateQueries({ queryKey: ['ops', 'shelves'] });
    },
  });
  if (alarm.priority === 1) return <p className="muted">Priority 1 (life safety) alarms cannot be shelved.</p>;
  return (
    <>
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Shelve…
      </button>
      <ReasonDialog
        open={open}
        title="Shelve this alarm’s source"
        onClose={() => setOpen(false)}
        onConfirm={() => shelve.mutate()}
        confirmLabel="Shelve"
        busy={shelve.isPending}
        error={shelve.error}
        reason={reason}
        onReason={setReason}
        reasonRequired
        maxLength={500}
        placeholder="e.g. contractor works on the door until 18:00"
      >
        <p>
          Alarms of type <code>{alarm.type}</code> from this source are still recorded but neither sound, escalate nor show in the queue
          until the shelf expires.
        </p>
        <label>
          For
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {SHELF_MINUTES.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </label>
      </ReasonDialog>
    </>
  );
}

function AfterResolution({ alarm }: { alarm: Alarm }) {
  const mark = useAlarmMutation((falseAlarm: boolean) => alarmApi.markFalseAlarm(alarm.id, falseAlarm));
  const close = useAlarmMutation(() => alarmApi.close(alarm.id));
  return (
    <div className="action-row">
      <button type="button" className="secondary" onClick={() => mark.mutate(!alarm.falseAlarm)} disabled={mark.isPending}>
        {alarm.falseAlarm ? 'Not a false alarm' : 'Mark as false alarm'}
      </button>
      <button type="button" onClick={() => close.mutate(undefined)} disabled={close.isPending}>
        Close alarm
      </button>
      <ErrorNote error={mark.error ?? close.error} />
    </div>
  );
}

export function AlarmActions({ alarm }: { alarm: Alarm }) {
  const acknowledge = useAlarmMutation(() => alarmApi.acknowledge(alarm.id));
  if (alarm.state === 'resolved') return <AfterResolution alarm={alarm} />;
  if (!isOpen(alarm)) return null;
  return (
    <section className="alarm-actions" aria-label="Actions">
      <div className="action-row">
        {alarm.state === 'new' ? (
          <button type="button" onClick={() => acknowledge.mutate(undefined)} disabled={acknowledge.isPending}>
            Acknowledge
          </button>
        ) : null}
        {alarm.shelfId === null ? <Shelve alarm={alarm} /> : <span className="muted">Shelved: its source is silenced.</span>}
      </div>
      <ErrorNote error={acknowledge.error} />
      <Assign alarm={alarm} />
      <Resolve alarm={alarm} />
    </section>
  );
}

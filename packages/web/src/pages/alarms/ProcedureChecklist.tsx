/**
 * The alarm's procedure (SOP checklist). Each step is completed with an optional note and the
 * server stamps who and when; required steps must be done before the alarm can be resolved.
 */
import { useState } from 'react';
import { useActorLabel } from '../../components/actors.ts';
import { ErrorNote } from '../../shell/widgets.tsx';
import { alarmApi } from './alarm-api.ts';
import { isOpen, type Alarm, type ProcedureStep } from './alarm-model.ts';
import { useAlarmMutation } from './useAlarmMutation.ts';

function Step({ alarm, step }: { alarm: Alarm; step: ProcedureStep }) {
  const [note, setNote] = useState('');
  const complete = useAlarmMutation(() => alarmApi.completeStep(alarm.id, step.position, note));
  const actor = useActorLabel();
  const done = step.completedAt !== null;
  return (
    <li className={done ? 'step done' : 'step'} data-step={step.position}>
      <div className="step-text">
        <span aria-hidden="true">{done ? '✓' : '○'}</span> {step.text}
        {step.required ? <span className="muted"> (required)</span> : null}
      </div>
      {done ? (
        <div className="step-done muted">
          Done <time dateTime={step.completedAt ?? undefined}>{new Date(step.completedAt ?? '').toLocaleTimeString()}</time> by{' '}
          {actor(step.completedBy)}
          {step.note ? <> — {step.note}</> : null}
        </div>
      ) : isOpen(alarm) ? (
        <form
          className="step-form"
          onSubmit={(e) => {
            e.preventDefault();
            complete.mutate(undefined);
          }}
        >
          <input
            aria-label={`Note for step ${step.position}`}
            placeholder="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={4000}
          />
          <button type="submit" className="secondary" disabled={complete.isPending}>
            Mark step {step.position} done
          </button>
          <ErrorNote error={complete.error} />
        </form>
      ) : null}
    </li>
  );
}

export function ProcedureChecklist({ alarm }: { alarm: Alarm }) {
  if (alarm.procedure.length === 0) return <p className="muted">No procedure is defined for this alarm type.</p>;
  const done = alarm.procedure.filter((s) => s.completedAt !== null).length;
  return (
    <section className="procedure" aria-labelledby="procedure-title">
      <h3 id="procedure-title">
        Procedure{' '}
        <span className="muted">
          {done} of {alarm.procedure.length} done
        </span>
      </h3>
      <ol className="steps">
        {alarm.procedure.map((step) => (
          <Step key={step.position} alarm={alarm} step={step} />
        ))}
      </ol>
    </section>
  );
}

/**
 * Door control: a momentary unlock, lock now, or an operator mode. Every command is confirmed in
 * a dialog that asks why (the reason is journaled with the command), and the console follows the
 * command until the door controller reports it carried out or it expires. Operators without
 * `doors.control` see no controls; the server refuses them regardless.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Door } from '../../components/facility.ts';
import { useSession } from '../../shell/session.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { MODE_WORDS, OVERRIDE_MODES, doorApi, type DoorCommand, type OverrideMode } from './door-api.ts';
import type { DoorState } from './door-state.ts';

type Action = 'unlock' | 'lock' | 'mode';
const RETURN_TO_CONFIGURED = '';

function CommandStatus({ command }: { command: DoorCommand }) {
  const { data = command } = useQuery({
    queryKey: ['ops', 'door-command', command.id],
    queryFn: () => doorApi.command(command.id),
    initialData: command,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 1_000 : false),
  });
  const what = data.command === 'unlock' ? `Unlock${data.seconds ? ` for ${data.seconds} s` : ''}` : 'Lock';
  const words: Record<DoorCommand['status'], string> = {
    pending: 'sent, waiting for the door controller…',
    executed: 'carried out by the door controller.',
    expired: 'expired: the door controller did not carry it out in time.',
    unknown_door: 'refused: the door controller does not know this door.',
  };
  return (
    <p className={`command-status ${data.status}`} role="status" data-status={data.status}>
      {what} {words[data.status]}
    </p>
  );
}

export function DoorControls({ door, state }: { door: Door; state: DoorState | undefined }) {
  const { can } = useSession();
  const client = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [seconds, setSeconds] = useState(door.unlockSeconds);
  const [mode, setMode] = useState<OverrideMode | typeof RETURN_TO_CONFIGURED>(state?.override ? RETURN_TO_CONFIGURED : 'locked');
  const [command, setCommand] = useState<DoorCommand | null>(null);

  const run = useMutation({
    mutationFn: async (what: Action) => {
      if (what === 'unlock') return doorApi.unlock(door.id, reason.trim(), seconds);
      if (what === 'lock') return doorApi.lock(door.id, reason.trim());
      await doorApi.override(door.id, mode === RETURN_TO_CONFIGURED ? null : mode, reason.trim());
      return null;
    },
    onSuccess: (result) => {
      setCommand(result);
      setAction(null);
      setReason('');
      void client.invalidateQueries({ queryKey: ['ops', 'door-state', door.id] });
    },
  });

  if (!can('doors.control')) return <p className="muted">Controlling doors needs the doors.control permission.</p>;

  const open = (what: Action) => {
    run.reset();
    setAction(what);
  };
  const title =
    action === 'unlock'
      ? `Unlock ${door.name} for a moment`
      : action === 'lock'
        ? `Lock ${door.name} now`
        : `Change the mode of ${door.name}`;

  return (
    <section className="door-controls" aria-label={`Control ${door.name}`}>
      <div className="action-row">
        <button type="button" onClick={() => open('unlock')}>
          Unlock momentarily
        </button>
        <button type="button" className="secondary" onClick={() => open('lock')}>
          Lock now
        </button>
        <button type="button" className="secondary" onClick={() => open('mode')}>
          Change mode…
        </button>
      </div>
      {command ? <CommandStatus key={command.id} command={command} /> : null}
      <ReasonDialog
        open={action !== null}
        title={title}
        onClose={() => setAction(null)}
        onConfirm={() => action && run.mutate(action)}
        confirmLabel={action === 'unlock' ? 'Unlock' : action === 'lock' ? 'Lock' : 'Set mode'}
        danger={action === 'unlock'}
        busy={run.isPending}
        error={run.error}
        reason={reason}
        onReason={setReason}
        reasonLabel="Reason (recorded in the journal)"
        reasonRequired
        maxLength={500}
      >
        {action === 'unlock' ? (
          <label>
            Seconds
            <input type="number" min={1} max={3600} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} required />
          </label>
        ) : null}
        {action === 'lock' ? (
          <p>Ends a momentary unlock at once. A door held unlocked by its mode stays so: change its mode to lock it.</p>
        ) : null}
        {action === 'mode' ? (
          <label>
            Mode
            <select value={mode} onChange={(e) => setMode(e.target.value as OverrideMode)}>
              <option value={RETURN_TO_CONFIGURED}>Return to its configured mode</option>
              {OVERRIDE_MODES.map((m) => (
                <option key={m} value={m}>
                  {MODE_WORDS[m] ?? m}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </ReasonDialog>
    </section>
  );
}

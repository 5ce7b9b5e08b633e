/** One door: its live state in words, where it leads, its controls and its recent events. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLive } from '../../api/live.ts';
import { useActorLabel } from '../../components/actors.ts';
import type { Door, FacilityNames } from '../../components/facility.ts';
import { Ago } from '../../shell/widgets.tsx';
import { MODE_WORDS, doorApi } from './door-api.ts';
import { DoorControls } from './DoorControls.tsx';
import { DoorHistory, historyKey } from './DoorHistory.tsx';
import { LookIcon } from './DoorShape.tsx';
import { LOOK_WORDS, applyDoorMessage, changesMode, lookOf, type DoorLook, type DoorState } from './door-state.ts';
import './doors.css';

export function LookBadge({ look }: { look: DoorLook }) {
  return (
    <span className={`look-badge look-${look}`} data-look={look}>
      <LookIcon look={look} /> {LOOK_WORDS[look]}
    </span>
  );
}

/** Refreshes a door's history when the door reports something (history is read, not pushed). */
function useHistoryFollowsDoor(doorId: string) {
  const client = useQueryClient();
  useLive(['door'], (message) => {
    if (message['doorId'] === doorId) void client.invalidateQueries({ queryKey: historyKey(doorId) });
  });
}

export function DoorPanel({ door, state, names, now }: { door: Door; state: DoorState | undefined; names: FacilityNames; now: number }) {
  const actor = useActorLabel();
  const { data: configured } = useQuery({ queryKey: ['ops', 'door-access-mode', door.id], queryFn: () => doorApi.accessMode(door.id) });
  useHistoryFollowsDoor(door.id);
  const look: DoorLook = state ? lookOf(state, now) : 'offline';
  const from = names.zone(door.fromZoneId)?.name ?? 'outside';
  const to = names.zone(door.toZoneId)?.name ?? 'outside';
  return (
    <section className="door-panel" aria-labelledby={`door-${door.id}`} data-door-panel={door.id}>
      <header className="door-panel-head">
        <h2 id={`door-${door.id}`}>{door.name}</h2>
        <LookBadge look={look} />
      </header>
      <dl className="facts">
        <dt>Leads</dt>
        <dd>
          {from} → {to}
          {door.egress ? ' · fire egress route' : ''}
        </dd>
        <dt>Door</dt>
        <dd>{state?.open === null || !state ? 'no door-position switch reported' : state.open ? 'open' : 'closed'}</dd>
        <dt>Lock</dt>
        <dd>
          {state?.locked === false ? 'released' : 'locked'} · {door.lockFailMode === 'fail_safe' ? 'fail-safe' : 'fail-secure'}
        </dd>
        <dt>Mode</dt>
        <dd>
          {MODE_WORDS[state?.mode ?? 'unknown'] ?? state?.mode}
          {state?.override ? (
            <>
              {' '}
              — operator mode {MODE_WORDS[state.override.mode] ?? state.override.mode}, set by {actor(state.override.setBy)}{' '}
              <Ago at={state.override.setAt} now={now} />: “{state.override.reason}”
            </>
          ) : null}
        </dd>
        <dt>Configured</dt>
        <dd>{configured ? (MODE_WORDS[configured.mode] ?? configured.mode) : '—'}</dd>
        <dt>Reported</dt>
        <dd>{state?.reportedAt ? <Ago at={state.reportedAt} now={now} /> : 'never — no door controller has reported this door'}</dd>
      </dl>
      <DoorControls door={door} state={state} />
      <DoorHistory doorId={door.id} now={now} />
    </section>
  );
}

/** One door's state, kept live (for screens that show a single door, such as an alarm). */
export function useDoorState(doorId: string | null): DoorState | undefined {
  const client = useQueryClient();
  const key = ['ops', 'door-state', doorId ?? ''] as const;
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => doorApi.state(doorId ?? ''),
    enabled: doorId !== null,
    refetchInterval: 20_000,
  });
  useLive(['door'], (message) => {
    if (!doorId || message['doorId'] !== doorId) return;
    const change = typeof message['state'] === 'string' ? message['state'] : '';
    if (changesMode(change)) void client.invalidateQueries({ queryKey: key });
    else client.setQueryData<DoorState>(key, (old) => (old ? applyDoorMessage(old, change, message.at) : old));
  });
  return data;
}

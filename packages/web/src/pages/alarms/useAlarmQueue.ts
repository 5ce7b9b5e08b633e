/**
 * The alarm queue, kept live: fetched once, then changed by each `alarm` and `incident` message
 * as it arrives (no refetch, so a new alarm shows as soon as its message does), fetched again
 * after the stream reconnects, and polled while it is down. Messages that arrive while a fetch is
 * under way are replayed onto its result, so the fetch cannot undo them.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLive, useLiveStatus, type LiveMessage } from '../../api/live.ts';
import { alarmApi } from './alarm-api.ts';
import { applyLiveMessage, type AlarmSummary } from './alarm-model.ts';

export const QUEUE_KEY = ['ops', 'alarm-queue'] as const;
export const alarmKey = (id: string) => ['ops', 'alarm', id] as const;
const REPLAY_WINDOW_MS = 120_000;

interface Received {
  at: number;
  message: LiveMessage;
}

/** `enabled` false (an operator without `alarms.handle`): nothing is fetched and the queue stays empty. */
export function useAlarmQueue(enabled = true): { alarms: readonly AlarmSummary[]; loading: boolean; error: unknown } {
  const client = useQueryClient();
  const { connected, reconnects } = useLiveStatus();
  const received = useRef<Received[]>([]);

  const query = useQuery({
    queryKey: QUEUE_KEY,
    queryFn: async () => {
      const startedAt = performance.now();
      const fetched = await alarmApi.queue();
      return received.current
        .filter((r) => r.at >= startedAt)
        .reduce<readonly AlarmSummary[]>((list, r) => applyLiveMessage(list, r.message), fetched);
    },
    refetchInterval: connected ? false : 15_000,
    staleTime: Infinity,
    enabled,
  });

  useLive(['alarm', 'incident'], (message) => {
    const now = performance.now();
    const kept = received.current.filter((r) => now - r.at < REPLAY_WINDOW_MS);
    kept.push({ at: now, message });
    received.current = kept;
    client.setQueryData<readonly AlarmSummary[]>(QUEUE_KEY, (list) => (list ? applyLiveMessage(list, message) : list));
    const alarm = message['alarm'] as { id?: string } | undefined;
    if (alarm?.id) void client.invalidateQueries({ queryKey: alarmKey(alarm.id) });
  });

  useEffect(() => {
    if (reconnects > 0) void client.invalidateQueries({ queryKey: QUEUE_KEY });
  }, [client, reconnects]);

  return { alarms: query.data ?? [], loading: query.isPending, error: query.error };
}

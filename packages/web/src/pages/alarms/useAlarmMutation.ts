/** An alarm workflow step as a mutation: its answer updates the queue at once and refreshes the alarm. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { applyLiveMessage, type AlarmSummary } from './alarm-model.ts';
import { QUEUE_KEY, alarmKey } from './useAlarmQueue.ts';

export function useAlarmMutation<Args>(run: (args: Args) => Promise<AlarmSummary>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (summary) => {
      client.setQueryData<readonly AlarmSummary[]>(QUEUE_KEY, (list) =>
        list ? applyLiveMessage(list, { kind: 'alarm', type: 'alarm.changed', alarm: summary }) : list,
      );
      void client.invalidateQueries({ queryKey: alarmKey(summary.id) });
    },
  });
}

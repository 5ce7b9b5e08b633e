/** Shelves in force: what is silenced, why, by whom and until when, with an early release. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useActorLabel } from '../../components/actors.ts';
import { ErrorNote } from '../../shell/widgets.tsx';
import { alarmApi } from './alarm-api.ts';
import { QUEUE_KEY } from './useAlarmQueue.ts';

export function ShelvesPanel() {
  const client = useQueryClient();
  const actor = useActorLabel();
  const { data: shelves = [], error } = useQuery({ queryKey: ['ops', 'shelves'], queryFn: alarmApi.shelves, refetchInterval: 60_000 });
  const release = useMutation({
    mutationFn: alarmApi.releaseShelf,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['ops', 'shelves'] });
      void client.invalidateQueries({ queryKey: QUEUE_KEY });
    },
  });
  if (shelves.length === 0 && !error) return <p className="muted">No shelves in force.</p>;
  return (
    <>
      <ErrorNote error={error ?? release.error} />
      <ul className="shelves">
        {shelves.map((shelf) => (
          <li key={shelf.id}>
            <strong>{shelf.alarmType}</strong> from <code>{shelf.sourceKey}</code> until {new Date(shelf.expiresAt).toLocaleString()} — “
            {shelf.reason}” ({actor(shelf.shelvedBy)}){' '}
            <button type="button" className="secondary" onClick={() => release.mutate(shelf.id)} disabled={release.isPending}>
              Release now
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

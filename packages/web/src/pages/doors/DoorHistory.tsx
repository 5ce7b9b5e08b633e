/**
 * A door's recent events from the journal (`GET /api/journal?door=…`). The journal search may be
 * missing on an older server or closed to the operator; the panel says so instead of failing.
 */
import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import { useActorLabel } from '../../components/actors.ts';
import { Ago, ErrorNote } from '../../shell/widgets.tsx';
import { doorApi } from './door-api.ts';

export const historyKey = (doorId: string) => ['ops', 'door-history', doorId] as const;

function words(type: string): string {
  const text = type.replace(/^door\./, '').replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function DoorHistory({ doorId, now }: { doorId: string; now: number }) {
  const actor = useActorLabel();
  const { data, error, isPending } = useQuery({ queryKey: historyKey(doorId), queryFn: () => doorApi.history(doorId), retry: false });
  let body;
  if (isApiError(error) && (error.code === 'request.not_found' || error.status === 404)) {
    body = <p className="muted">This server does not offer journal search yet, so the door’s history cannot be shown here.</p>;
  } else if (isApiError(error) && error.status === 403) {
    body = <p className="muted">Reading the door’s history needs the journal.read permission.</p>;
  } else if (error) {
    body = <ErrorNote error={error} />;
  } else if (isPending) {
    body = <p className="muted">Loading…</p>;
  } else if (data.length === 0) {
    body = <p className="muted">No events recorded for this door yet.</p>;
  } else {
    body = (
      <ol className="door-history">
        {data.map((event) => (
          <li key={event.id}>
            <span className="event-type">{words(event.type)}</span> <Ago at={event.at} now={now} />{' '}
            <span className="muted">{actor(event.source)}</span>
          </li>
        ))}
      </ol>
    );
  }
  return (
    <section aria-labelledby={`history-${doorId}`}>
      <h3 id={`history-${doorId}`}>Recent events</h3>
      {body}
    </section>
  );
}

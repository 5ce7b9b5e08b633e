/**
 * The server's refusal in full: its message and stable code (ErrorNote), then the itemised problems
 * a problem+json may carry — schema paths (`errors`), unsafe floor-plan content (`findings`) — so an
 * administrator can fix every problem in one pass instead of one per attempt.
 */
import { ApiError } from '../../api/client.ts';
import { ErrorNote } from '../../shell/widgets.tsx';

interface Itemised {
  where: string;
  message: string;
}

function itemsOf(error: ApiError): Itemised[] {
  const items: Itemised[] = [];
  const errors = error.problem['errors'];
  if (Array.isArray(errors)) {
    for (const entry of errors as Record<string, unknown>[]) {
      const index = entry['index'];
      const where = [entry['path'], entry['location'], entry['field'], typeof index === 'number' ? `item ${index}` : undefined]
        .filter((part): part is string => typeof part === 'string')
        .join(' ');
      const message = typeof entry['message'] === 'string' ? entry['message'] : JSON.stringify(entry);
      items.push({ where, message: typeof entry['code'] === 'string' ? `${message} (${entry['code']})` : message });
    }
  }
  const findings = error.problem['findings'];
  if (Array.isArray(findings)) for (const finding of findings) items.push({ where: 'plan', message: String(finding) });
  return items;
}

/** `itemise={false}` when the screen shows the itemised problems its own way (the import's error table). */
export function ServerError({ error, itemise = true }: { error: unknown; itemise?: boolean }) {
  if (!error) return null;
  const items = itemise && error instanceof ApiError ? itemsOf(error) : [];
  return (
    <div className="server-error">
      <ErrorNote error={error} />
      {items.length > 0 && (
        <ul className="problem-list" aria-label="Problems the server found">
          {items.map((item, index) => (
            <li key={index}>
              {item.where && <code>{item.where}</code>} {item.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

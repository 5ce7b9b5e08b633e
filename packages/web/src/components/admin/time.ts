/**
 * Instants between the API (ISO-8601 UTC) and `<input type="datetime-local">` (the browser's local
 * wall clock, no zone). The console shows and takes times in the operator's local time; the API
 * stores UTC.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → `YYYY-MM-DDTHH:MM` in local time ('' for none). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `YYYY-MM-DDTHH:MM` local → ISO instant (undefined for ''). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A local date and time for tables ('—' for none). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Null unless both ends are given and the window ends at or before its start. */
export function windowProblem(from: string, until: string, message = 'The validity window must end after it starts.'): string | null {
  if (!from || !until) return null;
  return Date.parse(until) <= Date.parse(from) ? message : null;
}

/** `days` days before now, as a datetime-local value. */
export function localInputDaysAgo(days: number, now = Date.now()): string {
  return toLocalInput(new Date(now - days * 86_400_000).toISOString());
}

/** Small pieces every screen uses: error notes that show the server's message and code, time, confirmation. */
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    return (
      <p role="alert" className="error" data-code={error.code}>
        {error.message} <span className="code">({error.code})</span>
      </p>
    );
  }
  return (
    <p role="alert" className="error">
      {error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong'}
    </p>
  );
}

/** "3 min ago" for recent instants, the local date and time beyond a day; the full instant on hover. */
export function Ago({ at, now = Date.now() }: { at: string; now?: number }) {
  const ms = now - Date.parse(at);
  const text =
    ms < 60_000
      ? `${Math.max(0, Math.round(ms / 1000))} s ago`
      : ms < 3_600_000
        ? `${Math.round(ms / 60_000)} min ago`
        : ms < 86_400_000
          ? `${Math.round(ms / 3_600_000)} h ago`
          : new Date(at).toLocaleString();
  return (
    <time dateTime={at} title={new Date(at).toLocaleString()}>
      {text}
    </time>
  );
}

/**
 * A modal dialog (native <dialog>, so focus is trapped and Escape closes it) for actions that
 * change the physical world or the record: the operator confirms and, where asked, gives a reason.
 */
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-label={title} onClose={onClose}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

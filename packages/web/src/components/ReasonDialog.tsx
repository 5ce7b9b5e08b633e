/**
 * The confirmation for an action that changes doors, plans or the alarm record: what will happen,
 * the operator's reason (recorded with the action), the server's refusal if there is one, and the
 * two buttons. Built on the shell's Dialog (a native <dialog>: focus stays in it, Escape cancels).
 */
import type { ReactNode } from 'react';
import { Dialog, ErrorNote } from '../shell/widgets.tsx';
import './reason-dialog.css';

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  onConfirm: () => void;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy: boolean;
  error: unknown;
  reason: string;
  onReason: (reason: string) => void;
  reasonLabel?: string;
  /** The API refuses the action without a reason of at least three characters. */
  reasonRequired?: boolean;
  maxLength?: number;
  placeholder?: string;
  /** What the action will do, and any fields of its own, above the reason. */
  children?: ReactNode;
}

export function ReasonDialog(props: ReasonDialogProps) {
  const { open, title, onClose, onConfirm, confirmLabel, danger = false, busy, error, reason, onReason, reasonRequired = false } = props;
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form
        className="reason-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        {props.children}
        <label>
          {props.reasonLabel ?? 'Reason'}
          <textarea
            value={reason}
            onChange={(e) => onReason(e.target.value)}
            required={reasonRequired}
            minLength={reasonRequired ? 3 : undefined}
            maxLength={props.maxLength ?? 1000}
            rows={2}
            placeholder={props.placeholder}
          />
        </label>
        <ErrorNote error={error} />
        <div className="dialog-buttons">
          <button type="button" className="secondary" onClick={onClose}>
            {props.cancelLabel ?? 'Cancel'}
          </button>
          <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

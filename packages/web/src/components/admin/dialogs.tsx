/**
 * Dialogs for changes. `FormDialog` holds a create/edit form (its state starts afresh each time it
 * opens). `ConfirmDialog` is the confirmation for actions that cannot be taken back or that change who may go where (terminate,
 * revoke, delete, disable): the operator reads what will happen, gives a reason where the record
 * needs one, and confirms. The dialog stays open with the server's error if the action is refused.
 */
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client.ts';
import { Dialog } from '../../shell/widgets.tsx';
import { AdminForm, Field } from './forms.tsx';

type AdminFormProps = Parameters<typeof AdminForm>[0];

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  /** Ask for a reason: required (journaled), optional, or not at all. */
  reason?: 'required' | 'optional';
  danger?: boolean;
  onConfirm: (reason: string | undefined) => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, reason, danger = true, onConfirm, onClose }: ConfirmDialogProps) {
  const [text, setText] = useState('');
  const close = () => {
    setText('');
    onClose();
  };
  return (
    <Dialog open={open} title={title} onClose={close}>
      {open && (
        <AdminForm
          label={title}
          submitLabel={confirmLabel}
          danger={danger}
          onSubmit={() => onConfirm(text.trim() === '' ? undefined : text.trim())}
          onDone={close}
          onCancel={close}
        >
          <div className="confirm-text">{children}</div>
          {reason && (
            <Field label={reason === 'optional' ? 'Reason (optional)' : 'Reason'} hint="Recorded in the journal with your name.">
              <textarea
                value={text}
                onChange={(e) => setText(e.target.value)}
                required={reason === 'required'}
                maxLength={500}
                rows={2}
                autoFocus
              />
            </Field>
          )}
        </AdminForm>
      )}
    </Dialog>
  );
}

/** A create or edit form in a modal dialog; closes when the server accepts it. */
export function FormDialog({
  open,
  title,
  onClose,
  ...form
}: Omit<AdminFormProps, 'label' | 'onCancel'> & { open: boolean; title: string; onClose: () => void }) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {open && (
        <AdminForm
          label={title}
          {...form}
          onCancel={onClose}
          onDone={() => {
            form.onDone?.();
            onClose();
          }}
        />
      )}
    </Dialog>
  );
}

/** Confirmation before deleting `item` (DELETE at `path(item)`); open while `item` is set. */
export function DeleteDialog<T extends { id: string }>({
  item,
  title,
  confirmLabel = 'Delete',
  path,
  onDeleted,
  onClose,
  children,
}: {
  item: T | null;
  title: string;
  confirmLabel?: string;
  path: (item: T) => string;
  onDeleted: () => Promise<unknown>;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      open={item !== null}
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={async () => {
        if (!item) return;
        await api.delete(path(item));
        await onDeleted();
      }}
      onClose={onClose}
    >
      {children}
    </ConfirmDialog>
  );
}

/**
 * Form pieces for the administration screens. A form checks what it can before sending — the
 * browser's own constraint validation (required, pattern, min/max) and a `validate` step for rules
 * that span fields — and then always shows what the server answered, message and code, because the
 * server is the authority and may refuse what looked valid here.
 */
import { cloneElement, useId, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { useAction } from './hooks.ts';
import { ServerError } from './ServerError.tsx';

interface AdminFormProps {
  /** Accessible name of the form. */
  label: string;
  submitLabel: string;
  /** Sends the form; throws the server's ApiError on refusal. */
  onSubmit: () => Promise<unknown>;
  /** Checks that span fields; returns a message to show instead of sending, or null. */
  validate?: () => string | null;
  onDone?: () => void;
  onCancel?: () => void;
  danger?: boolean;
  className?: string;
  children: ReactNode;
}

export function AdminForm({ label, submitLabel, onSubmit, validate, onDone, onCancel, danger, className, children }: AdminFormProps) {
  const { busy, error, run } = useAction();
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = validate?.() ?? null;
    setProblem(local);
    if (local) return;
    if (await run(onSubmit)) onDone?.();
  }

  return (
    <form className={className ?? 'admin-form'} aria-label={label} onSubmit={(e) => void submit(e)}>
      {children}
      {problem && (
        <p role="alert" className="error" data-code="console.invalid">
          {problem}
        </p>
      )}
      <ServerError error={error} />
      <div className="form-actions">
        <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
          {busy ? 'Working…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** A problem the server found with one field, shown beside it. */
export interface FieldError {
  message: string;
  code: string;
}

/**
 * A label with its control (tied by id, so the control's name is the label alone) and, when given,
 * a hint and the server's problem with the field, both read out after its name.
 */
export function Field({
  label,
  hint,
  error,
  children,
  wide,
}: {
  label: string;
  hint?: string;
  error?: FieldError | undefined;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
  wide?: boolean;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error && errorId, hint && hintId].filter(Boolean).join(' ');
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {error && (
        <small id={errorId} className="error field-error" data-code={error.code}>
          {error.message}
        </small>
      )}
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

/** Several choices from a fixed list, as checkboxes in a fieldset (keyboard: Tab and Space). */
export function CheckboxList<T extends string>({
  legend,
  options,
  selected,
  onChange,
  labelOf = (value) => value,
}: {
  legend: string;
  options: readonly T[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  labelOf?: (value: T) => string;
}) {
  return (
    <fieldset className="checkbox-list">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="inline">
          <input
            type="checkbox"
            checked={selected.includes(option)}
            onChange={(e) => onChange(e.target.checked ? [...selected, option] : selected.filter((value) => value !== option))}
          />
          {labelOf(option)}
        </label>
      ))}
    </fieldset>
  );
}

/** A `<select>` of named items with an optional "none" entry; '' stands for none. */
export function ItemSelect({
  items,
  value,
  onChange,
  none,
  required,
  label,
  id,
  'aria-describedby': describedBy,
}: {
  items: readonly { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  none?: string;
  required?: boolean;
  label?: string;
  /** Set by Field, which labels the select. */
  id?: string;
  'aria-describedby'?: string;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required={required}
      aria-label={label}
      aria-describedby={describedBy}
    >
      {(none !== undefined || !value) && <option value="">{none ?? 'Choose…'}</option>}
      {items.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </select>
  );
}

/** '' → undefined, so optional text fields are left out of a request rather than sent empty. */
export const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
/** '' → null, for PATCH bodies where null clears a field. */
export const nullable = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/**
 * A secret the server shows exactly once (a one-time password, an API token): displayed in a
 * dialog with a copy button and a plain warning that it cannot be shown again.
 */
import { useState } from 'react';
import { Dialog } from '../../shell/widgets.tsx';

export function SecretOnce({
  title,
  secret,
  explanation,
  onClose,
}: {
  title: string;
  secret: string | null;
  explanation: string;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open={secret !== null} title={title} onClose={onClose}>
      <p>{explanation}</p>
      <p>
        <code className="secret" data-testid="one-time-secret">
          {secret}
        </code>
      </p>
      <p className="muted">It is shown only now; Vigil keeps only a hash of it.</p>
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(secret ?? '').then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          onClick={() => {
            setCopied(false);
            onClose();
          }}
        >
          Done
        </button>
      </div>
    </Dialog>
  );
}

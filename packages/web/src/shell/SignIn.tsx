/**
 * Sign-in as the server leads it: password, then a TOTP code when the operator has MFA; an
 * operator signed in with a one-time password must choose a new one, and one whose role requires
 * MFA must enrol an authenticator before anything else answers.
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError } from '../api/client.ts';
import { useSession, type WhoAmI } from './session.tsx';
import { ErrorNote } from './widgets.tsx';

type Step = { kind: 'password' } | { kind: 'code'; challenge: string };

export function SignIn() {
  const { signedIn } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (step.kind === 'password') {
        signedIn(await api.post<WhoAmI>('/api/auth/sign-in', { username, password }));
      } else {
        signedIn(await api.post<WhoAmI>('/api/auth/mfa', { challenge: step.challenge, code }));
      }
    } catch (e) {
      if (isApiError(e, 'auth.mfa_required') && typeof e.problem['challenge'] === 'string') {
        setStep({ kind: 'code', challenge: e.problem['challenge'] });
        setPassword('');
      } else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <h1>Vigil</h1>
        {step.kind === 'password' ? (
          <>
            <label>
              User name
              <input
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
                autoFocus
              />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </label>
          </>
        ) : (
          <label>
            Code from your authenticator app
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
              autoFocus
            />
          </label>
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {step.kind === 'password' ? 'Sign in' : 'Verify'}
        </button>
      </form>
    </main>
  );
}

/** The set-up the server demands before anything else: a new password, then TOTP enrolment. */
export function AccountSetup({ me }: { me: WhoAmI }) {
  const { refresh, signOut } = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [uri, setUri] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
  }

  if (me.passwordChangeRequired) {
    return (
      <main className="sign-in">
        <form
          aria-label="Choose a new password"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api.post('/api/auth/password', { currentPassword, newPassword });
              await refresh();
            });
          }}
        >
          <h1>Choose a new password</h1>
          <p>You signed in with a one-time password. Choose your own: at least 12 characters, not a common password.</p>
          <label>
            One-time password
            <input
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.target.value)}
              required
            />
          </label>
          <label>
            New password
            <input
              type="password"
              autoComplete="new-password"
              minLength={12}
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
          </label>
          <ErrorNote error={error} />
          <button type="submit">Save password</button>
        </form>
      </main>
    );
  }

  return (
    <main className="sign-in">
      <form
        aria-label="Enrol an authenticator"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.post('/api/auth/mfa/enrolment/confirm', { code });
            await refresh();
          });
        }}
      >
        <h1>Enrol an authenticator</h1>
        <p>Your role requires a second factor. Add this account to an authenticator app (TOTP), then enter the code it shows.</p>
        {uri ? (
          <p>
            <code className="otpauth" data-testid="otpauth-uri">
              {uri}
            </code>
          </p>
        ) : (
          <button
            type="button"
            onClick={() => void run(async () => setUri((await api.post<{ uri: string }>('/api/auth/mfa/enrolment')).uri))}
          >
            Show the enrolment key
          </button>
        )}
        <label>
          Code
          <input inputMode="numeric" pattern="[0-9]{6}" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} required />
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={!uri}>
          Confirm
        </button>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </form>
    </main>
  );
}

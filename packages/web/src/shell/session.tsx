/**
 * Who is signed in. The console asks the server (`GET /api/auth/me`) rather than keeping any
 * credential itself: the session is an HttpOnly cookie the page cannot read. Permissions and site
 * grants drive what the shell shows; the server enforces them regardless.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, isApiError, onSessionLost } from '../api/client.ts';
import { live } from '../api/live.ts';

export interface Grant {
  role: string;
  site: string; // a site id or '*'
}

export interface WhoAmI {
  kind: 'operator' | 'token' | 'edge';
  id: string;
  name: string;
  displayName: string | null;
  grants: Grant[];
  permissions: string[];
  mfaEnrolled: boolean | null;
  mfaEnrolmentPending: boolean;
  passwordChangeRequired: boolean;
}

interface SessionState {
  me: WhoAmI | null;
  loading: boolean;
  /** Replaces the known identity after a sign-in step answered with one. */
  signedIn: (me: WhoAmI) => void;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
  can: (permission: string) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<WhoAmI | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setMe(await api.get<WhoAmI>('/api/auth/me'));
    } catch (e) {
      if (!isApiError(e)) throw e;
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => setMe(null));
  }, [refresh]);

  const ready = me !== null && !me.passwordChangeRequired && !me.mfaEnrolmentPending;
  useEffect(() => {
    if (!ready) return;
    live.start();
    return () => live.stop();
  }, [ready]);

  const value = useMemo<SessionState>(
    () => ({
      me,
      loading,
      signedIn: setMe,
      refresh,
      signOut: async () => {
        try {
          await api.post('/api/auth/sign-out');
        } finally {
          setMe(null);
        }
      },
      can: (permission) => me?.permissions.includes(permission) ?? false,
    }),
    [me, loading, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

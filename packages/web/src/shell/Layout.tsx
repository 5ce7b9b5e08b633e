/** The frame around every screen: navigation (what the operator's permissions allow), site, live status. */
import { NavLink, Outlet } from 'react-router';
import { useLiveStatus } from '../api/live.ts';
import { AlarmBell } from '../components/AlarmBell.tsx';
import { NAVIGATION } from '../routes.tsx';
import { useSession } from './session.tsx';
import { useSites } from './sites.tsx';

export function Layout() {
  const { me, can, signOut } = useSession();
  const { sites, site, select } = useSites();
  const { connected } = useLiveStatus();
  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Vigil</span>
        <label className="site-picker">
          <span className="visually-hidden">Site</span>
          <select value={site?.id ?? ''} onChange={(e) => select(e.target.value)} aria-label="Site">
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <span className={connected ? 'live on' : 'live off'} role="status" aria-live="polite">
          {connected ? 'Live' : 'Reconnecting…'}
        </span>
        {can('alarms.handle') ? <AlarmBell /> : null}
        <span className="who">{me?.displayName ?? me?.name}</span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        {NAVIGATION.filter((entry) => entry.permission === null || can(entry.permission)).map((entry) => (
          <NavLink key={entry.path} to={entry.path} end={entry.path === '/'}>
            {entry.label}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {site || sites.length === 0 ? <Outlet /> : null}
      </main>
    </div>
  );
}

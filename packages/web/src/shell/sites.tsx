/**
 * The site the operator is looking at. The list comes from the server, which returns only the
 * sites the operator's roles cover; the choice is remembered per browser.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { allPages } from '../api/client.ts';

export interface Site {
  id: string;
  name: string;
  timeZone: string;
}

interface SiteState {
  sites: Site[];
  site: Site | null;
  select: (id: string) => void;
}

const SiteContext = createContext<SiteState | null>(null);
const STORAGE_KEY = 'vigil.site';

export function SiteProvider({ children }: { children: ReactNode }) {
  const { data: sites = [] } = useQuery({ queryKey: ['sites'], queryFn: () => allPages<Site>('/api/sites') });
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(STORAGE_KEY));
  const site = sites.find((s) => s.id === selected) ?? sites[0] ?? null;
  useEffect(() => {
    if (site) localStorage.setItem(STORAGE_KEY, site.id);
  }, [site]);
  const value = useMemo(() => ({ sites, site, select: setSelected }), [sites, site]);
  return <SiteContext.Provider value={value}>{children}</SiteContext.Provider>;
}

export function useSites(): SiteState {
  const state = useContext(SiteContext);
  if (!state) throw new Error('useSites outside SiteProvider');
  return state;
}

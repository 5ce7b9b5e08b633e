/**
 * The lists an administrator picks from (a site's buildings, floors, zones, doors, devices,
 * schedules, groups; departments and job roles), read whole and cached under one key each, so a
 * change made on one screen refreshes every picker (`facilityKeys`, `peopleKeys`).
 */
import { useQuery } from '@tanstack/react-query';
import { allPages, api } from '../../api/client.ts';
import type { AccessGroup, AccessSchedule, Building, Device, Door, Floor, NamedItem, Zone, ZoneTypeInfo } from './api-types.ts';

export const facilityKeys = {
  all: ['admin', 'facility'] as const,
  sites: ['sites'] as const,
  buildings: (site: string | undefined) => ['admin', 'facility', 'buildings', site] as const,
  floors: (site: string | undefined) => ['admin', 'facility', 'floors', site] as const,
  zones: (site: string | undefined) => ['admin', 'facility', 'zones', site] as const,
  doors: (site: string | undefined) => ['admin', 'facility', 'doors', site] as const,
  devices: (site: string | undefined) => ['admin', 'facility', 'devices', site] as const,
};

export const accessKeys = {
  all: ['admin', 'access'] as const,
  schedules: (site: string | undefined) => ['admin', 'access', 'schedules', site] as const,
  holidays: (site: string | undefined) => ['admin', 'access', 'holidays', site] as const,
  groups: (site: string | undefined) => ['admin', 'access', 'groups', site] as const,
};

export const peopleKeys = {
  all: ['admin', 'people'] as const,
  departments: ['admin', 'people', 'departments'] as const,
  jobRoles: ['admin', 'people', 'job-roles'] as const,
};

function useSiteList<T>(key: readonly unknown[], path: string, site: string | undefined, param = 'site') {
  return useQuery({ queryKey: key, queryFn: () => allPages<T>(path, { [param]: site }), enabled: site !== undefined });
}

export const useBuildings = (site: string | undefined) => useSiteList<Building>(facilityKeys.buildings(site), '/api/buildings', site);
export const useFloors = (site: string | undefined) => useSiteList<Floor>(facilityKeys.floors(site), '/api/floors', site);
export const useZones = (site: string | undefined) => useSiteList<Zone>(facilityKeys.zones(site), '/api/zones', site);
export const useDoors = (site: string | undefined) => useSiteList<Door>(facilityKeys.doors(site), '/api/doors', site);
export const useDevices = (site: string | undefined) => useSiteList<Device>(facilityKeys.devices(site), '/api/devices', site);
export const useAccessGroups = (site: string | undefined) =>
  useSiteList<AccessGroup>(accessKeys.groups(site), '/api/access-groups', site, 'siteId');

export function useSchedules(site: string | undefined) {
  return useQuery({
    queryKey: accessKeys.schedules(site),
    queryFn: () => allPages<AccessSchedule>(`/api/sites/${site ?? ''}/access-schedules`),
    enabled: site !== undefined,
  });
}

export function useZoneTypes() {
  return useQuery({ queryKey: ['admin', 'zone-types'], queryFn: () => api.get<ZoneTypeInfo[]>('/api/zone-types'), staleTime: Infinity });
}

export function useDepartments() {
  return useQuery({ queryKey: peopleKeys.departments, queryFn: () => allPages<NamedItem>('/api/people/departments') });
}

export function useJobRoles() {
  return useQuery({ queryKey: peopleKeys.jobRoles, queryFn: () => allPages<NamedItem>('/api/people/job-roles') });
}

/** id → name for showing references in tables ('—' for none, the id itself when unknown). */
export function namer(items: readonly { id: string; name: string }[] | undefined): (id: string | null | undefined) => string {
  const names = new Map((items ?? []).map((item) => [item.id, item.name]));
  return (id) => (id ? (names.get(id) ?? id) : '—');
}

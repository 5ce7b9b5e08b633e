/**
 * The facility as the operations screens read it: a site's buildings, floors, zones and doors,
 * fetched whole (sites have hundreds to a few thousand doors) and cached, so alarm rows and floor
 * plans can name a door or zone without a request per row.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { allPages, api } from '../api/client.ts';

export interface Building {
  id: string;
  siteId: string;
  name: string;
}

export interface ViewBox {
  minX: number;
  minY: number;
  width: number;
  height: number;
}

export interface Floor {
  id: string;
  siteId: string;
  buildingId: string;
  name: string;
  level: number;
  plan: { sha256: string; viewBox: ViewBox; uploadedAt: string } | null;
}

export interface Zone {
  id: string;
  siteId: string;
  buildingId: string | null;
  floorId: string | null;
  name: string;
  type: string;
  securityLevel: number;
  securityLevelName: string;
}

export interface Door {
  id: string;
  siteId: string;
  buildingId: string | null;
  floorId: string | null;
  name: string;
  fromZoneId: string | null;
  toZoneId: string | null;
  egress: boolean;
  lockFailMode: 'fail_safe' | 'fail_secure';
  unlockSeconds: number;
  heldOpenSeconds: number;
  position: { x: number; y: number } | null;
}

const LONG = 60_000;

/** One whole list of the site (`GET path?site=…`), cached under a key other screens do not use. */
function useSiteList<T>(what: string, path: string, siteId: string | undefined) {
  return useQuery({
    // Namespaced: other screens cache the same lists in their own shapes.
    queryKey: ['ops', what, siteId ?? ''],
    queryFn: () => allPages<T>(path, { site: siteId }),
    enabled: !!siteId,
    staleTime: LONG,
  });
}

export const useBuildings = (siteId: string | undefined) => useSiteList<Building>('buildings', '/api/buildings', siteId);
export const useFloors = (siteId: string | undefined) => useSiteList<Floor>('floors', '/api/floors', siteId);
export const useZones = (siteId: string | undefined) => useSiteList<Zone>('zones', '/api/zones', siteId);
export const useDoors = (siteId: string | undefined) => useSiteList<Door>('doors', '/api/doors', siteId);

export interface FacilityNames {
  door: (id: string | null | undefined) => Door | undefined;
  zone: (id: string | null | undefined) => Zone | undefined;
}

/** Look-ups by id for one site's doors and zones (undefined while loading or unknown). */
export function useFacilityNames(siteId: string | undefined): FacilityNames {
  const { data: doors } = useDoors(siteId);
  const { data: zones } = useZones(siteId);
  return useMemo(() => {
    const doorById = new Map((doors ?? []).map((d) => [d.id, d]));
    const zoneById = new Map((zones ?? []).map((z) => [z.id, z]));
    return {
      door: (id) => (id ? doorById.get(id) : undefined),
      zone: (id) => (id ? zoneById.get(id) : undefined),
    };
  }, [doors, zones]);
}

/** A zone's polygon on one floor's plan, in the plan's viewBox units. */
export interface ZoneOutline {
  zoneId: string;
  floorId: string;
  points: { x: number; y: number }[];
  updatedAt: string;
}

export const zoneOutlinesKey = (floorId: string | undefined) => ['zone-outlines', floorId ?? ''] as const;

/** The zone outlines drawn on a floor (shared by the live plan and the facility editor). */
export function useZoneOutlines(floorId: string | undefined) {
  return useQuery({
    queryKey: zoneOutlinesKey(floorId),
    queryFn: async () => (await api.get<{ items: ZoneOutline[] }>(`/api/floors/${encodeURIComponent(floorId ?? '')}/zone-outlines`)).items,
    enabled: !!floorId,
    staleTime: LONG,
  });
}

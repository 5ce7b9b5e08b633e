/**
 * What the health screen reads for the chosen site — edge agents with their last heartbeat, live
 * door states, the device registry — refreshed every 15 s and at once when a door changes on the
 * live stream; and the rule that says when an agent counts as offline.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { allPages } from '../../api/client.ts';
import { useLive } from '../../api/live.ts';
import type { DoorState } from '../doors/door-state.ts';

export interface AgentHealth {
  agentVersion: string;
  snapshotVersion: number | null;
  alarms: string[];
  readers: { name: string; address: number; online: boolean; secure: boolean; serialNumber: string | null }[];
  doors: { doorId: string; open: boolean | null; locked: boolean; mode: string; alarm: 'forced_open' | 'held_open' | null }[];
  bufferDepth: number;
  oldestBufferedAt: string | null;
  decisionP99Ms: number | null;
}

export interface EdgeAgent {
  id: string;
  siteId: string;
  name: string;
  status: 'active' | 'revoked';
  lastSeenAt: string | null;
  snapshotVersion: number | null;
  health: AgentHealth | null;
}

/** One door's last report, as `GET /api/sites/{siteId}/door-states` returns it (one shape for every screen). */
export type { DoorState };

/** Agents send a heartbeat every few seconds (5 s by default); six missed ones mean the agent is offline. */
export const AGENT_OFFLINE_AFTER_MS = 30_000;

export function agentOnline(agent: EdgeAgent, now: number): boolean {
  return agent.status === 'active' && agent.lastSeenAt !== null && now - Date.parse(agent.lastSeenAt) < AGENT_OFFLINE_AFTER_MS;
}

const REFRESH_MS = 15_000;
export const healthKey = (site: string) => ['admin', 'health', site] as const;

export function useHealthData(site: string) {
  const client = useQueryClient();
  useLive(['door'], () => void client.invalidateQueries({ queryKey: [...healthKey(site), 'doors'] }));
  const agents = useQuery({
    queryKey: [...healthKey(site), 'agents'],
    queryFn: () => allPages<EdgeAgent>('/api/edge/agents', { siteId: site }),
    refetchInterval: REFRESH_MS,
  });
  const doors = useQuery({
    queryKey: [...healthKey(site), 'doors'],
    queryFn: () => allPages<DoorState>(`/api/sites/${site}/door-states`),
    refetchInterval: REFRESH_MS,
  });
  return { agents, doors };
}

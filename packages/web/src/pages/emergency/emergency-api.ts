/** Emergency plans and their activations (`/api/emergency/…`). */
import { allPages, api } from '../../api/client.ts';

export type PlanKind = 'fire' | 'lockdown' | 'code_pink' | 'shelter_in_place';
export type ActivationState = 'pending_confirmation' | 'active' | 'cleared' | 'cancelled';
export type DoorStatus = 'commanded' | 'secured' | 'failed' | 'held' | 'simulated';

export interface Plan {
  id: string;
  siteId: string;
  name: string;
  kind: PlanKind;
  scope: { buildingIds: string[]; zoneIds: string[]; zoneTypes: string[] };
  doors: { selection: 'all' | 'perimeter'; include: string[]; exclude: string[] };
  requiresConfirmation: boolean;
  version: number;
}

export interface Activation {
  id: string;
  planId: string;
  siteId: string;
  kind: PlanKind;
  drill: boolean;
  state: ActivationState;
  trigger: 'operator' | 'rule' | 'button';
  triggerEventId: string | null;
  requestedBy: string;
  requestedAt: string;
  confirmedBy: string | null;
  startedAt: string | null;
  clearedBy: string | null;
  clearedAt: string | null;
  reason: string | null;
}

export interface DoorTiming {
  doorId: string;
  doorName: string;
  targetMode: string;
  priorMode: string | null;
  status: DoorStatus;
  commandedAt: string | null;
  confirmedAt: string | null;
  secondsToSecure: number | null;
  attempts: number;
  error: string | null;
  restoredAt: string | null;
  restoreConfirmedAt: string | null;
  restoredMode: string | null;
}

export interface Report {
  activation: Activation;
  planName: string;
  doors: DoorTiming[];
  summary: {
    doors: number;
    secured: number;
    failed: number;
    pending: number;
    held: number;
    medianSeconds: number | null;
    p95Seconds: number | null;
    maxSeconds: number | null;
  };
}

export const KIND_WORDS: Record<PlanKind, string> = {
  fire: 'Fire',
  lockdown: 'Lockdown',
  code_pink: 'Code Pink (infant abduction)',
  shelter_in_place: 'Shelter in place',
};

const activation = (id: string) => `/api/emergency/activations/${encodeURIComponent(id)}`;

export const emergencyApi = {
  plans: () => api.get<{ items: Plan[] }>('/api/emergency/plans').then((r) => r.items),
  start: (planId: string, drill: boolean, reason: string) =>
    api.post<Activation>(`/api/emergency/plans/${encodeURIComponent(planId)}/start`, {
      drill,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    }),
  live: () => allPages<Activation>('/api/emergency/activations', { live: true }),
  recent: () => api.get<{ items: Activation[] }>('/api/emergency/activations', { limit: 20 }).then((r) => r.items),
  report: (id: string) => api.get<Report>(`${activation(id)}/report`),
  confirm: (id: string) => api.post<Activation>(`${activation(id)}/confirm`),
  cancel: (id: string) => api.post<Activation>(`${activation(id)}/cancel`),
  clear: (id: string, reason: string) => api.post<Activation>(`${activation(id)}/clear`, reason.trim() ? { reason: reason.trim() } : {}),
};

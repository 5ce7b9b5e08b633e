/** Door control and door state calls (`/api/doors/{id}/…`, `/api/sites/{id}/door-states`, `/api/journal`). */
import { allPages, api, type Page } from '../../api/client.ts';
import type { DoorState } from './door-state.ts';

export const OVERRIDE_MODES = ['locked', 'unlocked', 'card_only', 'card_and_pin', 'scheduled', 'first_person_in'] as const;
export type OverrideMode = (typeof OVERRIDE_MODES)[number];

export const MODE_WORDS: Record<string, string> = {
  scheduled: 'Scheduled',
  locked: 'Locked (no entry)',
  unlocked: 'Unlocked (free entry)',
  card_only: 'Card only',
  card_and_pin: 'Card and PIN',
  first_person_in: 'First person in',
  lockdown: 'Lockdown',
  fire_egress: 'Fire egress',
  unknown: 'Not reported',
};

export interface DoorCommand {
  id: string;
  doorId: string;
  command: 'unlock' | 'lock';
  seconds: number | null;
  status: 'pending' | 'executed' | 'expired' | 'unknown_door';
  requestedAt: string;
  expiresAt: string;
}

export interface AccessMode {
  doorId: string;
  siteId: string;
  mode: string;
  scheduleId: string | null;
  updatedAt: string | null;
}

/** One journal record, as far as the door history needs it. */
export interface JournalRecord {
  id: string;
  type: string;
  at: string;
  source: string;
  subject: string | null;
  data: Record<string, unknown>;
}

const door = (id: string) => `/api/doors/${encodeURIComponent(id)}`;

export const doorApi = {
  siteStates: (siteId: string) => allPages<DoorState>(`/api/sites/${encodeURIComponent(siteId)}/door-states`),
  state: (id: string) => api.get<DoorState>(`${door(id)}/state`),
  unlock: (id: string, reason: string, seconds?: number) =>
    api.post<DoorCommand>(`${door(id)}/unlock`, { reason, ...(seconds ? { seconds } : {}) }),
  lock: (id: string, reason: string) => api.post<DoorCommand>(`${door(id)}/lock`, { reason }),
  override: (id: string, mode: OverrideMode | null, reason: string) => api.put<unknown>(`${door(id)}/mode-override`, { mode, reason }),
  command: (id: string) => api.get<DoorCommand>(`/api/door-commands/${encodeURIComponent(id)}`),
  /** The mode the door is configured with (an operator mode overrides it for a while). */
  accessMode: (id: string) => api.get<AccessMode>(`${door(id)}/access-mode`),
  /** The door's latest journal records, newest first. */
  history: (id: string, limit = 20): Promise<JournalRecord[]> =>
    api.get<Page<JournalRecord>>('/api/journal', { door: id, limit }).then((page) => page.items),
};

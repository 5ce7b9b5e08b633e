/** The calls behind lifting a PIN lockout from its alarm (`/api/journal/events/{id}`, `/api/sites/{id}/pin-lockouts…`, `/api/pin-lockout-lifts…`). */
import { allPages, api, isApiError } from '../../api/client.ts';
import type { AlarmSummary } from './alarm-model.ts';
import { PIN_LOCKED_OUT, type JournalRecord, type PinLockoutLift } from './pin-lockout.ts';

export const pinLockoutApi = {
  /** The lockout event that raised the alarm, or null when its triggering event is something else (or not readable). */
  async triggerOf(alarm: Pick<AlarmSummary, 'triggerEventId'>): Promise<JournalRecord | null> {
    if (!alarm.triggerEventId) return null;
    try {
      const record = await api.get<JournalRecord>(`/api/journal/events/${encodeURIComponent(alarm.triggerEventId)}`);
      return record.type === PIN_LOCKED_OUT ? record : null;
    } catch (error) {
      if (isApiError(error, 'audit.event_not_found')) return null;
      throw error;
    }
  },
  lift: (siteId: string, credentialId: string, reason: string) =>
    api.post<PinLockoutLift>(`/api/sites/${encodeURIComponent(siteId)}/pin-lockouts/${encodeURIComponent(credentialId)}/lift`, { reason }),
  get: (liftId: string) => api.get<PinLockoutLift>(`/api/pin-lockout-lifts/${encodeURIComponent(liftId)}`),
  /** The site's door controllers by id, to name them in a lift's outcome. */
  agentNames: async (siteId: string) =>
    new Map((await allPages<{ id: string; name: string }>('/api/edge/agents', { siteId })).map((agent) => [agent.id, agent.name])),
  personName: async (personId: string) => {
    const person = await api.get<{ givenName: string; familyName: string }>(`/api/people/persons/${encodeURIComponent(personId)}`);
    return `${person.givenName} ${person.familyName}`;
  },
};

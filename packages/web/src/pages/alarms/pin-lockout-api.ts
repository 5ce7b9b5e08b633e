/** The calls behind lifting a PIN lockout from its alarm (`/api/journal`, `/api/sites/{id}/pin-lockouts…`, `/api/pin-lockout-lifts…`). */
import { allPages, api, type Page } from '../../api/client.ts';
import type { AlarmSummary } from './alarm-model.ts';
import { PIN_LOCKED_OUT, type JournalRecord, type PinLockoutLift } from './pin-lockout.ts';

/** Journal pages searched for the alarm's triggering lockout, newest first; lockouts at one door are few. */
const SEARCH_PAGES = 4;

export const pinLockoutApi = {
  /**
   * The lockout event that raised the alarm, or null when its triggering event is something else.
   * The journal has no look-up by id, so this searches the site's lockouts at the alarm's door.
   */
  async triggerOf(alarm: Pick<AlarmSummary, 'triggerEventId' | 'siteId' | 'doorId'>): Promise<JournalRecord | null> {
    if (!alarm.triggerEventId) return null;
    let cursor: string | null = null;
    for (let n = 0; n < SEARCH_PAGES; n++) {
      const page: Page<JournalRecord> = await api.get<Page<JournalRecord>>('/api/journal', {
        type: PIN_LOCKED_OUT,
        site: alarm.siteId,
        door: alarm.doorId,
        limit: 100,
        cursor,
      });
      const found = page.items.find((record) => record.id === alarm.triggerEventId);
      if (found) return found;
      if (!page.nextCursor) return null;
      cursor = page.nextCursor;
    }
    return null;
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

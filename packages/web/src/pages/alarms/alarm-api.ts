/** The alarm workflow's calls (`/api/alarms…`, `/api/incidents…`, `/api/alarm-shelves…`). */
import { allPages, api } from '../../api/client.ts';
import type { Alarm, AlarmSummary, Incident, Shelf } from './alarm-model.ts';

const alarm = (id: string) => `/api/alarms/${encodeURIComponent(id)}`;

export const alarmApi = {
  /** The whole queue the operator may see: every state but closed, shelved included, every site. */
  queue: () => allPages<AlarmSummary>('/api/alarms'),
  get: (id: string) => api.get<Alarm>(alarm(id)),
  acknowledge: (id: string) => api.post<AlarmSummary>(`${alarm(id)}/acknowledge`),
  assign: (id: string, assignee: string) => api.post<AlarmSummary>(`${alarm(id)}/assign`, { assignee }),
  completeStep: (id: string, position: number, note: string) =>
    api.post<AlarmSummary>(`${alarm(id)}/steps/${position}/complete`, note.trim() ? { note: note.trim() } : {}),
  resolve: (id: string, note: string, falseAlarm: boolean) =>
    api.post<AlarmSummary>(`${alarm(id)}/resolve`, { ...(note.trim() ? { note: note.trim() } : {}), falseAlarm }),
  markFalseAlarm: (id: string, falseAlarm: boolean) => api.post<AlarmSummary>(`${alarm(id)}/false-alarm`, { falseAlarm }),
  close: (id: string) => api.post<AlarmSummary>(`${alarm(id)}/close`),
  shelve: (id: string, reason: string, minutes: number) => api.post<Shelf>(`${alarm(id)}/shelve`, { reason, minutes }),
  shelves: () => api.get<{ items: Shelf[] }>('/api/alarm-shelves').then((r) => r.items),
  releaseShelf: (id: string) => api.post<Shelf>(`/api/alarm-shelves/${encodeURIComponent(id)}/release`),
  incidents: (open?: boolean) => allPages<Incident>('/api/incidents', { open }),
  incident: (id: string) => api.get<Incident>(`/api/incidents/${encodeURIComponent(id)}`),
  closeIncident: (id: string, note: string) =>
    api.post<Incident>(`/api/incidents/${encodeURIComponent(id)}/close`, note.trim() ? { note: note.trim() } : {}),
};

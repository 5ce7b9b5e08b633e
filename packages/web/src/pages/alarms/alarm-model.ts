/**
 * The alarm queue as data: the shapes the API returns, the order an operator works them in, and
 * how a live message changes the queue. Pure functions, so the queue a screen shows after a burst
 * of live messages is the queue the server holds. A message that changes nothing returns the same
 * list, so nothing re-renders.
 */

export const ALARM_STATES = ['new', 'acknowledged', 'assigned', 'resolved', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export interface AlarmSummary {
  id: string;
  siteId: string | null;
  type: string;
  priority: number;
  state: AlarmState;
  title: string;
  zoneId: string | null;
  doorId: string | null;
  device: string | null;
  ruleId: string | null;
  triggerEventId: string | null;
  raisedAt: string;
  raisedBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignedTo: string | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  falseAlarm: boolean;
  closedAt: string | null;
  closedBy: string | null;
  shelfId: string | null;
  escalationLevel: number;
  nextEscalationAt: string | null;
  incidentId: string | null;
}

export interface ProcedureStep {
  position: number;
  text: string;
  required: boolean;
  completedAt: string | null;
  completedBy: string | null;
  note: string | null;
}

export interface Alarm extends AlarmSummary {
  procedure: ProcedureStep[];
}

export interface Incident {
  id: string;
  siteId: string | null;
  zoneId: string | null;
  kind: string;
  title: string;
  priority: number;
  state: 'open' | 'closed';
  openedAt: string;
  lastAlarmAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeNote: string | null;
  alarmIds: string[];
}

export interface Shelf {
  id: string;
  siteId: string | null;
  alarmType: string;
  sourceKey: string;
  reason: string;
  shelvedBy: string;
  shelvedAt: string;
  expiresAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
}

/** Alarms still being worked: not resolved, not closed. */
export function isOpen(alarm: Pick<AlarmSummary, 'state'>): boolean {
  return alarm.state === 'new' || alarm.state === 'acknowledged' || alarm.state === 'assigned';
}

/** Priority 1–2 alarms nobody has acknowledged yet and no shelf silences: what the sound is for. */
export function needsAttention(alarm: AlarmSummary): boolean {
  return alarm.state === 'new' && alarm.priority <= 2 && alarm.shelfId === null;
}

/** The queue's order: most urgent priority first, then the one waiting longest. Rows do not jump when acknowledged. */
export function compareAlarms(a: AlarmSummary, b: AlarmSummary): number {
  return a.priority - b.priority || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id);
}

export interface QueueSections {
  /** Open, not shelved, on the site shown: the work. */
  active: AlarmSummary[];
  /** Open but suppressed by a shelf. */
  shelved: AlarmSummary[];
  /** Resolved, waiting to be closed. */
  resolved: AlarmSummary[];
  /** Open alarms on the operator's other sites, per site id. */
  elsewhere: Map<string, number>;
}

export function queueSections(alarms: readonly AlarmSummary[], siteId: string | null): QueueSections {
  const sections: QueueSections = { active: [], shelved: [], resolved: [], elsewhere: new Map() };
  for (const alarm of alarms) {
    if (siteId !== null && alarm.siteId !== null && alarm.siteId !== siteId) {
      if (isOpen(alarm) && alarm.shelfId === null) sections.elsewhere.set(alarm.siteId, (sections.elsewhere.get(alarm.siteId) ?? 0) + 1);
      continue;
    }
    if (alarm.state === 'resolved') sections.resolved.push(alarm);
    else if (!isOpen(alarm)) continue;
    else if (alarm.shelfId !== null) sections.shelved.push(alarm);
    else sections.active.push(alarm);
  }
  sections.active.sort(compareAlarms);
  sections.shelved.sort(compareAlarms);
  sections.resolved.sort((a, b) => Date.parse(b.resolvedAt ?? b.raisedAt) - Date.parse(a.resolvedAt ?? a.raisedAt));
  return sections;
}

/** The live-stream fields this module reads (messages are `{ kind, type, at, site, ...event data }`). */
export interface AlarmLiveMessage {
  kind: string;
  type: string;
  [key: string]: unknown;
}

function upsert(list: readonly AlarmSummary[], alarm: AlarmSummary): readonly AlarmSummary[] {
  const index = list.findIndex((a) => a.id === alarm.id);
  if (alarm.state === 'closed') return index < 0 ? list : list.filter((a) => a.id !== alarm.id);
  if (index < 0) return [...list, alarm];
  const next = [...list];
  next[index] = alarm;
  return next;
}

function patch(list: readonly AlarmSummary[], ids: readonly string[], change: Partial<AlarmSummary>): readonly AlarmSummary[] {
  const wanted = new Set(ids);
  if (!list.some((a) => wanted.has(a.id))) return list;
  return list.map((a) => (wanted.has(a.id) ? { ...a, ...change } : a));
}

function isSummary(value: unknown): value is AlarmSummary {
  return typeof value === 'object' && value !== null && typeof (value as AlarmSummary).id === 'string' && 'priority' in value;
}

/**
 * The queue after one live message. Applying a message twice gives the same queue, so messages
 * received while the queue was being fetched can be replayed onto the fetched list.
 */
export function applyLiveMessage(list: readonly AlarmSummary[], message: AlarmLiveMessage): readonly AlarmSummary[] {
  if (message.kind === 'alarm') {
    if (isSummary(message['alarm'])) return upsert(list, message['alarm']);
    const shelf = message['shelf'] as Shelf | undefined;
    const ids = Array.isArray(message['alarmIds']) ? (message['alarmIds'] as string[]) : [];
    if (message.type === 'alarm.shelved' && shelf) return patch(list, ids, { shelfId: shelf.id });
    if (message.type === 'alarm.unshelved') return patch(list, ids, { shelfId: null });
    return list;
  }
  if (message.kind === 'incident') {
    const incident = message['incident'] as Incident | undefined;
    if (incident && Array.isArray(incident.alarmIds)) return patch(list, incident.alarmIds, { incidentId: incident.id });
  }
  return list;
}

export const PRIORITY_WORDS: Record<number, string> = { 1: 'life safety', 2: 'urgent', 3: 'high', 4: 'normal', 5: 'low' };

export function stateWords(alarm: Pick<AlarmSummary, 'state' | 'assignedTo'>): string {
  switch (alarm.state) {
    case 'new':
      return 'New — not acknowledged';
    case 'acknowledged':
      return 'Acknowledged';
    case 'assigned':
      return `Assigned to ${alarm.assignedTo ?? '—'}`;
    case 'resolved':
      return 'Resolved';
    case 'closed':
      return 'Closed';
  }
}

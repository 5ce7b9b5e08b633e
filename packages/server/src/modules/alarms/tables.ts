/** Tables owned by the alarms module. Instants are ISO-8601 UTC text, flags 0/1 (see storage/database.ts). */

export type AlarmState = 'new' | 'acknowledged' | 'assigned' | 'resolved' | 'closed';

export interface AlarmsTable {
  id: string;
  site_id: string | null;
  /** What kind of alarm (`door_forced`, `panic`): selects the procedure and the shelving key. */
  type: string;
  /** 1 (most urgent) to 5. */
  priority: number;
  state: AlarmState;
  title: string;
  zone_id: string | null;
  door_id: string | null;
  /** The reporting device (`device:<serial>`) of the triggering event; false-alarm rates group on it. */
  device: string | null;
  rule_id: string | null;
  trigger_event_id: string | null;
  /** Raising the same key twice returns the first alarm (a redelivered event, a second node). */
  dedupe_key: string;
  raised_at: string;
  raised_by: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  assigned_to: string | null;
  assigned_at: string | null;
  assigned_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  false_alarm: number;
  closed_at: string | null;
  closed_by: string | null;
  /** The shelf that suppresses this alarm (no escalation, hidden from the default queue). */
  shelf_id: string | null;
  /** Escalation steps already taken. */
  escalation_level: number;
  /** When the next escalation step is due; null: none (acknowledged, shelved or no chain). */
  escalate_at: string | null;
  incident_id: string | null;
  updated_at: string;
}

export interface AlarmStepsTable {
  alarm_id: string;
  /** 1-based position in the procedure copied onto the alarm when it was raised. */
  position: number;
  text: string;
  required: number;
  completed_at: string | null;
  completed_by: string | null;
  note: string | null;
}

export interface AlarmProceduresTable {
  id: string;
  /** A site id, or `*` for the procedure used on sites that define none of their own. */
  site_key: string;
  alarm_type: string;
  name: string;
  /** JSON array of `{ text, required }`. */
  steps: string;
  version: number;
  updated_at: string;
  updated_by: string;
}

export interface AlarmShelvesTable {
  id: string;
  site_id: string | null;
  alarm_type: string;
  /** The device, door or zone the shelved alarms come from (`device:…`, `door:…`, `zone:…`, `*`). */
  source_key: string;
  reason: string;
  shelved_by: string;
  shelved_at: string;
  expires_at: string;
  released_at: string | null;
  released_by: string | null;
}

export interface IncidentsTable {
  id: string;
  site_id: string | null;
  zone_id: string | null;
  /** What the grouped alarms amount to (`break_in`). */
  kind: string;
  title: string;
  priority: number;
  state: 'open' | 'closed';
  opened_at: string;
  /** The latest alarm added; a correlated alarm within the window joins the open incident. */
  last_alarm_at: string;
  closed_at: string | null;
  closed_by: string | null;
  close_note: string | null;
  dedupe_key: string;
}

export interface AlarmTables {
  alarms: AlarmsTable;
  alarm_steps: AlarmStepsTable;
  alarm_procedures: AlarmProceduresTable;
  alarm_shelves: AlarmShelvesTable;
  incidents: IncidentsTable;
}

/** Tables owned by the automation module. Instants are ISO-8601 UTC text, flags 0/1, JSON as text. */

export interface AutomationRulesTable {
  id: string;
  /** null: the rule applies on every site. */
  site_id: string | null;
  name: string;
  enabled: number;
  version: number;
  /** The validated rule document (JSON). */
  document: string;
  /** The text as submitted (YAML keeps its comments), or null when submitted as JSON. */
  source_text: string | null;
  format: 'json' | 'yaml';
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface AutomationRuleVersionsTable {
  rule_id: string;
  version: number;
  change: 'created' | 'changed' | 'enabled' | 'disabled' | 'deleted';
  enabled: number;
  document: string;
  source_text: string | null;
  format: 'json' | 'yaml';
  changed_at: string;
  changed_by: string;
}

export interface AutomationCorrelationsTable {
  id: string;
  site_id: string | null;
  name: string;
  /** Incident kind (`break_in`). */
  incident_kind: string;
  title: string;
  priority: number;
  /** JSON array of alarm types that correlate. */
  alarm_types: string;
  /** How many distinct types of the list make an incident. */
  min_types: number;
  window_seconds: number;
  /** `zone`: the alarms must share a zone; `site`: anywhere on the site. */
  scope: 'zone' | 'site';
  enabled: number;
  updated_at: string;
  updated_by: string;
}

export type PlanKind = 'fire' | 'lockdown' | 'code_pink' | 'shelter_in_place';

export interface EmergencyPlansTable {
  id: string;
  site_id: string;
  name: string;
  kind: PlanKind;
  /** JSON: `{ buildingIds, zoneIds, zoneTypes }` (all empty: the whole site). */
  scope: string;
  /** JSON: `{ selection: 'all' | 'perimeter', doorIds }`. */
  doors: string;
  /** JSON array of `{ outputId, label }` switched on while the plan is active. */
  outputs: string;
  /** JSON array of notification channel ids told when the plan starts and clears. */
  notify: string;
  /** JSON array of `{ event, source }` physical buttons that start the plan. */
  buttons: string;
  requires_confirmation: number;
  version: number;
  created_at: string;
  updated_at: string;
  /** When the plan was removed; its row stays for the activations that name it. */
  removed_at?: string | null;
  updated_by: string;
}

export type ActivationState = 'pending_confirmation' | 'active' | 'cleared' | 'cancelled';

export interface EmergencyActivationsTable {
  id: string;
  plan_id: string;
  site_id: string;
  kind: PlanKind;
  drill: number;
  state: ActivationState;
  /** Equal to the plan id while pending or active, null afterwards: one live activation per plan. */
  live_key: string | null;
  trigger: 'operator' | 'rule' | 'button';
  trigger_event_id: string | null;
  requested_by: string;
  requested_at: string;
  confirmed_by: string | null;
  started_at: string | null;
  cleared_by: string | null;
  cleared_at: string | null;
  reason: string | null;
}

export interface EmergencyDoorActionsTable {
  activation_id: string;
  door_id: string;
  door_name: string;
  /** The door's mode before the first plan took it (restored when no plan holds it any more). */
  prior_mode: string | null;
  target_mode: string;
  /** `commanded`, `secured`, `failed`, `held` (a higher plan holds the door), `simulated`. */
  status: string;
  commanded_at: string | null;
  confirmed_at: string | null;
  attempts: number;
  error: string | null;
  restored_at: string | null;
  restore_confirmed_at: string | null;
  restored_mode: string | null;
}

export interface NotificationChannelsTable {
  id: string;
  site_id: string | null;
  name: string;
  kind: 'webhook' | 'email';
  /** Webhook URL; null for e-mail. */
  url: string | null;
  /** Webhook HMAC secret, sealed (AES-GCM) with the server's secret key. */
  secret_sealed: string | null;
  /** JSON array of e-mail addresses; null for webhooks. */
  recipients: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface NotificationDeliveriesTable {
  id: string;
  channel_id: string | null;
  /** Direct e-mail recipients (on-call members) when there is no channel. */
  recipients: string | null;
  kind: 'webhook' | 'email';
  site_id: string | null;
  /** Enqueuing the same key again is a no-op (a redelivered event, a second node). */
  dedupe_key: string;
  subject: string;
  /** JSON body of the notification. */
  payload: string;
  state: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OncallSchedulesTable {
  id: string;
  site_id: string;
  name: string;
  /** JSON array of `{ name, email }` in rotation order. */
  members: string;
  /** Instant the rotation starts from (member 0's first shift). */
  starts_at: string;
  shift_hours: number;
  updated_at: string;
  updated_by: string;
}

export interface EscalationChainsTable {
  id: string;
  site_id: string;
  name: string;
  /** Alarms of priority min..max use this chain. */
  min_priority: number;
  max_priority: number;
  /** JSON array of `{ afterSeconds, target }`. */
  steps: string;
  updated_at: string;
  updated_by: string;
}

export interface AutomationRuleDefaultsTable {
  /** Which default (`door_forced`), seeded at most once per installation. */
  key: string;
  /** null: not created, the installation already had its own rule for the default's event. */
  rule_id: string | null;
  seeded_at: string;
}

export interface AutomationTables {
  automation_rule_defaults: AutomationRuleDefaultsTable;
  automation_rules: AutomationRulesTable;
  automation_rule_versions: AutomationRuleVersionsTable;
  automation_correlations: AutomationCorrelationsTable;
  emergency_plans: EmergencyPlansTable;
  emergency_activations: EmergencyActivationsTable;
  emergency_door_actions: EmergencyDoorActionsTable;
  notification_channels: NotificationChannelsTable;
  notification_deliveries: NotificationDeliveriesTable;
  oncall_schedules: OncallSchedulesTable;
  escalation_chains: EscalationChainsTable;
}

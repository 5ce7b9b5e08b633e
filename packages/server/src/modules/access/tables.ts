/**
 * Tables owned by the access module. Instants are ISO-8601 UTC text, flags 0/1, JSON as text (see
 * storage/database.ts). Site, door, zone and person ids are the facility and people modules' ids
 * held as plain text: the modules evolve separately, so there are no foreign keys across them.
 */

/** A weekly schedule of one site. `intervals` and `holidays` are core's ScheduleInput fields as JSON. */
export interface AccessSchedulesTable {
  id: string;
  site_id: string;
  name: string;
  intervals: string;
  holidays: string;
  created_at: string;
  updated_at: string;
}

export interface AccessHolidaysTable {
  id: string;
  site_id: string;
  /** Local date at the site, YYYY-MM-DD. */
  date: string;
  type: string;
  name: string;
  created_at: string;
}

export interface AccessGroupsTable {
  id: string;
  site_id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** A door a group may pass, and the schedule in which it may. */
export interface AccessGroupDoorsTable {
  group_id: string;
  door_id: string;
  schedule_id: string;
}

export interface AccessGroupMembersTable {
  group_id: string;
  person_id: string;
}

/** lockdown_override | first_person_in | escort | escort_required */
export interface AccessPersonPrivilegesTable {
  person_id: string;
  privilege: string;
}

/** The configured mode of a door (doors without a row run `card_only`). */
export interface AccessDoorModesTable {
  door_id: string;
  site_id: string;
  mode: string;
  schedule_id: string | null;
  updated_at: string;
}

/** Bumped with every policy write of a site, so the snapshot service sees a change cheaply. */
export interface AccessPolicyRevisionsTable {
  site_id: string;
  revision: number;
}

/** Signed snapshots per site; `version` grows by one with each change of the compiled policy. */
export interface AccessSnapshotsTable {
  site_id: string;
  version: number;
  /** SHA-256 of the policy input the snapshot was compiled from (without the version). */
  digest: string;
  compiled_at: string;
  /** The signed envelope, base64. */
  bytes: string;
}

export interface EdgeAgentsTable {
  id: string;
  site_id: string;
  name: string;
  /** Ed25519 public key, SPKI PEM. */
  public_key: string;
  /** Base64url SHA-256 prefix of the key: what requests name and events carry as `edge:<key_id>`. */
  key_id: string;
  /** active | revoked */
  status: string;
  registered_by: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  /** Set while the agent is declared offline (agent-supervision.ts): since when. */
  offline_since: string | null;
  /** The last health report, JSON. */
  health: string | null;
  snapshot_version: number | null;
  controls_version: number | null;
  /** The controller whose facility wiring the agent runs (the serial it last fetched wiring for); null: none yet. */
  controller_serial: string | null;
}

/** Durable door controls of a site: the version agents compare, and the emergency modes in force. */
export interface AccessSiteControlsTable {
  site_id: string;
  version: number;
  /** DoorScope JSON, or null when inactive. */
  fire_egress: string | null;
  lockdown: string | null;
  updated_at: string;
}

/** An operator's mode for a door, in force until cleared. */
export interface AccessDoorOverridesTable {
  door_id: string;
  site_id: string;
  mode: string;
  reason: string;
  set_by: string;
  set_at: string;
}

/** One-off operator commands (unlock, lock) waiting for, or carried out by, the site's agent. */
export interface AccessDoorCommandsTable {
  id: string;
  site_id: string;
  door_id: string;
  /** unlock | lock */
  command: string;
  seconds: number | null;
  reason: string;
  requested_by: string;
  requested_at: string;
  expires_at: string;
  /** pending | executed | expired | unknown_door (every agent it went to said it has no such door) */
  status: string;
  completed_at: string | null;
}

/** Live state of each door as its agent last reported it. */
export interface AccessDoorStatesTable {
  door_id: string;
  site_id: string;
  agent_id: string;
  open: number | null;
  locked: number;
  mode: string;
  alarm: string | null;
  /** Instant of the report or event the row reflects (older reports never overwrite newer ones). */
  reported_at: string;
}

export interface AccessTables {
  access_schedules: AccessSchedulesTable;
  access_holidays: AccessHolidaysTable;
  access_groups: AccessGroupsTable;
  access_group_doors: AccessGroupDoorsTable;
  access_group_members: AccessGroupMembersTable;
  access_person_privileges: AccessPersonPrivilegesTable;
  access_door_modes: AccessDoorModesTable;
  access_policy_revisions: AccessPolicyRevisionsTable;
  access_snapshots: AccessSnapshotsTable;
  edge_agents: EdgeAgentsTable;
  access_site_controls: AccessSiteControlsTable;
  access_door_overrides: AccessDoorOverridesTable;
  access_door_commands: AccessDoorCommandsTable;
  access_door_states: AccessDoorStatesTable;
  access_outputs: AccessOutputsTable;
  access_output_commands: AccessOutputCommandsTable;
  access_pin_lockout_lifts: AccessPinLockoutLiftsTable;
  access_pin_lockout_lift_agents: AccessPinLockoutLiftAgentsTable;
  access_command_agents: AccessCommandAgentsTable;
}

/** A named auxiliary output a site's agent drives (an elevator hold relay, a sounder). */
export interface AccessOutputsTable {
  id: string;
  site_id: string;
  name: string;
  /** OSDP reader (by the agent's name for it) whose output this is; null: a point of the controller's own I/O. */
  reader: string | null;
  /** The reader's output number, or the controller I/O point. */
  point: number;
  created_by: string;
  created_at: string;
}

export interface AccessOutputCommandsTable {
  id: string;
  site_id: string;
  output_id: string;
  /** on | off | pulse */
  action: string;
  pulse_ms: number | null;
  reason: string;
  requested_by: string;
  requested_at: string;
  expires_at: string;
  /** pending | executed | expired | failed | unknown_output (every agent it went to said it has no such output) */
  status: string;
  completed_at: string | null;
}

/**
 * A door or output command as each agent it went to was asked to carry it out (command-routing.ts).
 * `command_id` is a door or an output command's id (both UUIDv7, never the same).
 */
export interface AccessCommandAgentsTable {
  command_id: string;
  agent_id: string;
  /** pending, or the outcome the agent reported */
  status: string;
  completed_at: string | null;
}

/** An operator's request to lift a credential's PIN lockout on a site's controllers. */
export interface AccessPinLockoutLiftsTable {
  id: string;
  site_id: string;
  credential_id: string;
  /** The credential's holder, for the journal. */
  person_id: string;
  reason: string;
  requested_by: string;
  requested_at: string;
  expires_at: string;
}

/** The lift as each agent of the site was asked to carry it out: every controller keeps its own lockouts. */
export interface AccessPinLockoutLiftAgentsTable {
  lift_id: string;
  agent_id: string;
  /** pending | lifted | not_locked_out | expired (as the agent reported it) */
  status: string;
  completed_at: string | null;
}

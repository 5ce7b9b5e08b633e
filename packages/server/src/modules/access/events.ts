/**
 * Facts the access module records on the server: policy changes, operator door control and
 * emergency modes, edge agent registration. What the doors themselves report (grants, denials,
 * door alarms) is defined with the agent in @vigil/edge and journaled as delivered.
 */
import { defineEvent } from '@vigil/core';
import { DoorModeSchema, DoorScopeSchema, edgeEvents } from '@vigil/edge';
import { edgeAgentOffline, edgeAgentOnline } from './agent-supervision.js';
import Type from 'typebox';
import { AccessGroupSchema, DoorAccessModeSchema, HolidaySchema, MAX_MEMBERS_PER_REQUEST, ScheduleSchema } from './schemas.js';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });
const Removal = Type.Object({ id: Id, name: Type.String() }, closed);
const Reason = Type.String();

export const scheduleCreated = defineEvent(
  'schedule.created',
  'A weekly schedule was created',
  Type.Object({ schedule: ScheduleSchema }, closed),
);
export const scheduleChanged = defineEvent(
  'schedule.changed',
  'A schedule’s name, intervals or holiday treatment changed',
  Type.Object({ before: ScheduleSchema, after: ScheduleSchema }, closed),
);
export const scheduleRemoved = defineEvent('schedule.removed', 'An unused schedule was removed', Removal);

export const holidayAdded = defineEvent(
  'holiday.added',
  'A holiday was added to a site’s calendar',
  Type.Object({ holiday: HolidaySchema }, closed),
);
export const holidayRemoved = defineEvent(
  'holiday.removed',
  'A holiday was removed from a site’s calendar',
  Type.Object({ holiday: HolidaySchema }, closed),
);

export const accessGroupCreated = defineEvent(
  'access_group.created',
  'An access group was created',
  Type.Object({ group: AccessGroupSchema }, closed),
);
export const accessGroupChanged = defineEvent(
  'access_group.changed',
  'An access group’s name, description or doors changed',
  Type.Object({ before: AccessGroupSchema, after: AccessGroupSchema }, closed),
);
export const accessGroupRemoved = defineEvent('access_group.removed', 'An access group was removed (its members lost it)', Removal);

// One event per request, however many persons it names: `personIds` lists exactly those whose
// membership changed (persons already in, or already out, are left out).
const MemberIds = Type.Array(Id, { minItems: 1, maxItems: MAX_MEMBERS_PER_REQUEST });
export const accessGroupMembersAdded = defineEvent(
  'access_group.members_added',
  'Persons were added to an access group in one request',
  Type.Object({ groupId: Id, personIds: MemberIds }, closed),
);
export const accessGroupMembersRemoved = defineEvent(
  'access_group.members_removed',
  'Persons were removed from an access group in one request',
  Type.Object({ groupId: Id, personIds: MemberIds }, closed),
);

const Rights = Type.Object({ groupIds: Type.Array(Id), privileges: Type.Array(Type.String()) }, closed);
export const accessRightsChanged = defineEvent(
  'access_rights.changed',
  'A person’s access groups or access privileges changed',
  Type.Object({ personId: Id, before: Rights, after: Rights }, closed),
);

export const doorModeConfigured = defineEvent(
  'door_mode.configured',
  'A door’s configured mode (and schedule) changed',
  Type.Object({ before: DoorAccessModeSchema, after: DoorAccessModeSchema }, closed),
);

export const doorUnlockRequested = defineEvent(
  'door.unlock_requested',
  'An operator asked for a momentary unlock of a door',
  Type.Object({ commandId: Id, seconds: Type.Integer(), reason: Reason }, closed),
);
export const doorLockRequested = defineEvent(
  'door.lock_requested',
  'An operator asked for a door to be locked at once',
  Type.Object({ commandId: Id, reason: Reason }, closed),
);
export const outputDefined = defineEvent(
  'output.defined',
  'An auxiliary output (an elevator hold relay) was named for a site',
  Type.Object({ outputId: Id, name: Type.String(), reader: Type.Union([Type.String(), Type.Null()]), point: Type.Integer() }, closed),
);
export const outputCommandRequested = defineEvent(
  'output.command_requested',
  'An operator or an emergency plan asked for an auxiliary output to be switched on, off, or pulsed',
  Type.Object(
    {
      commandId: Id,
      outputId: Id,
      action: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('pulse')]),
      pulseMs: Type.Union([Type.Integer(), Type.Null()]),
      reason: Reason,
    },
    closed,
  ),
);
export const pinLockoutLiftRequested = defineEvent(
  'access.pin_lockout_lift_requested',
  'An operator asked a site’s door controllers to lift a credential’s PIN lockout before it runs out; each reports `access.pin_lockout_lift_executed`',
  Type.Object({ commandId: Id, credentialId: Id, agentIds: Type.Array(Id, { minItems: 1 }), reason: Reason }, closed),
);
export const doorModeOverridden = defineEvent(
  'door.mode_overridden',
  'An operator set a door’s mode until further notice, or returned it to its configured mode (mode null)',
  Type.Object(
    { mode: Type.Union([DoorModeSchema, Type.Null()]), previous: Type.Union([DoorModeSchema, Type.Null()]), reason: Reason },
    closed,
  ),
);
export const emergencyModeChanged = defineEvent(
  'emergency_mode.changed',
  'Fire egress or lockdown was started or ended for a site (or part of it)',
  Type.Object(
    {
      mode: Type.Union([Type.Literal('fire_egress'), Type.Literal('lockdown')]),
      active: Type.Boolean(),
      scope: Type.Union([DoorScopeSchema, Type.Null()]),
      reason: Reason,
    },
    closed,
  ),
);

const AgentRef = Type.Object({ agentId: Id, name: Type.String(), keyId: Type.String() }, closed);
export const edgeAgentRegistered = defineEvent(
  'edge_agent.registered',
  'A door controller agent’s key was registered for a site',
  AgentRef,
);
export const edgeAgentRevoked = defineEvent('edge_agent.revoked', 'A door controller agent’s key was revoked', AgentRef);

/** Server-side access events plus everything an agent may deliver. */
export const accessEvents = [
  scheduleCreated,
  scheduleChanged,
  scheduleRemoved,
  holidayAdded,
  holidayRemoved,
  accessGroupCreated,
  accessGroupChanged,
  accessGroupRemoved,
  accessGroupMembersAdded,
  accessGroupMembersRemoved,
  accessRightsChanged,
  doorModeConfigured,
  doorUnlockRequested,
  doorLockRequested,
  doorModeOverridden,
  outputDefined,
  outputCommandRequested,
  pinLockoutLiftRequested,
  emergencyModeChanged,
  edgeAgentRegistered,
  edgeAgentRevoked,
  edgeAgentOffline,
  edgeAgentOnline,
  ...edgeEvents,
];

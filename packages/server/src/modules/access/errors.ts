import { defineErrors, errorFactory } from '@vigil/core';

/**
 * Errors of the access module: its policy (`access_policy.*`), edge agents and their requests
 * (`edge.*`), door control (`door_control.*`), auxiliary outputs (`output_control.*`) and PIN
 * lockout lifts (`pin_lockout.*`). The decision engine's own `access.*` codes belong to @vigil/core.
 */
export const accessModuleErrors = defineErrors({
  'access_policy.schedule_not_found': { kind: 'not_found', description: 'No schedule has this id.' },
  'access_policy.group_not_found': { kind: 'not_found', description: 'No access group has this id.' },
  'access_policy.holiday_not_found': { kind: 'not_found', description: 'No holiday has this id on this site.' },
  'access_policy.door_not_found': { kind: 'not_found', description: 'No door has this id.' },
  'access_policy.person_not_found': { kind: 'not_found', description: 'No person has this id.' },
  'access_policy.persons_not_found': {
    kind: 'invalid',
    description: 'Some of the listed person ids name no person; `details.personIds` lists them and nothing was changed.',
  },
  'access_policy.name_taken': { kind: 'conflict', description: 'Another schedule or group of the site already has this name.' },
  'access_policy.holiday_exists': { kind: 'conflict', description: 'The site already has a holiday of this type on this date.' },
  'access_policy.other_site': {
    kind: 'invalid',
    description: 'A group, door or schedule of another site was named; a site’s policy refers only to its own doors and schedules.',
  },
  'access_policy.schedule_required': {
    kind: 'invalid',
    description: 'The door mode `scheduled` or `first_person_in` needs a schedule; name one with `scheduleId`.',
  },
  'access_policy.schedule_in_use': {
    kind: 'conflict',
    description: 'The schedule is still used by an access group or a door mode; change those first.',
  },
  'access_policy.schedule_invalid': {
    kind: 'invalid',
    description: 'The schedule’s intervals or holiday treatments are not valid (times must be HH:MM, days sun..sat).',
  },
  'access_policy.compile_failed': {
    kind: 'conflict',
    description:
      'The site’s policy could not be compiled into a snapshot (e.g. two credentials with the same card); `details.cause` names the fault.',
  },
  'edge.agent_unknown': {
    kind: 'unauthenticated',
    description: 'The request names an agent key that is not registered, or was revoked; register the agent’s public key first.',
  },
  'edge.signature_invalid': {
    kind: 'unauthenticated',
    description: 'The request signature, its content digest or its headers do not verify against the agent’s registered key.',
  },
  'edge.request_expired': {
    kind: 'unauthenticated',
    description: 'The request timestamp is more than five minutes from the server’s clock; set the agent’s clock (NTP).',
  },
  'edge.request_replayed': {
    kind: 'unauthenticated',
    description: 'The request nonce was already used; a captured request cannot be sent again.',
  },
  'edge.agent_required': {
    kind: 'forbidden',
    description: 'The route serves door controller agents only; requests must be signed with a registered agent key.',
  },
  'edge.public_key_invalid': { kind: 'invalid', description: 'The public key is not an Ed25519 public key in SPKI PEM form.' },
  'edge.agent_exists': { kind: 'conflict', description: 'An agent with this public key is already registered.' },
  'edge.agent_not_found': { kind: 'not_found', description: 'No edge agent has this id.' },
  'edge.event_rejected': {
    kind: 'invalid',
    description: 'An event of the batch is not one an agent of this site may report (type, site, source or data); `eventId` names it.',
  },
  'edge.snapshot_unavailable': {
    kind: 'unavailable',
    description: 'No snapshot could be compiled for the agent’s site yet; the agent keeps its last one and asks again.',
  },
  'door_control.door_not_found': { kind: 'not_found', description: 'No door has this id.' },
  'door_control.command_not_found': { kind: 'not_found', description: 'No door command has this id.' },
  'door_control.fire_plan_active': {
    kind: 'conflict',
    description:
      'A live fire plan holds the door free: it cannot be locked, or put in a mode that locks it, until the plan is cleared (`planName` and `activationId` name the plan). A momentary unlock is allowed.',
  },
  'door_control.fire_egress_active': {
    kind: 'conflict',
    description:
      'Fire egress switched on for the site (the emergency-modes route, not a plan) covers the door: it cannot be locked, or put in a mode that locks it, by an operator or by automation (plans, rule actions), until fire egress is ended. A momentary unlock is allowed.',
  },
  'output_control.output_not_found': { kind: 'not_found', description: 'No auxiliary output has this id.' },
  'output_control.name_taken': { kind: 'conflict', description: 'The site already has an output of that name.' },
  'output_control.point_is_door_lock': {
    kind: 'conflict',
    description: 'The controller point is a door’s lock output; doors are commanded through door control, never as auxiliary outputs.',
  },
  'output_control.pulse_needs_duration': { kind: 'invalid', description: 'A pulse needs `pulseMs`; `on` and `off` take none.' },
  'output_control.command_not_found': { kind: 'not_found', description: 'No output command has this id.' },
  'pin_lockout.credential_not_found': { kind: 'not_found', description: 'No card credential has this id.' },
  'pin_lockout.lift_not_found': { kind: 'not_found', description: 'No PIN lockout lift has this id.' },
  'pin_lockout.no_agent': {
    kind: 'conflict',
    description: 'No active edge agent serves the site, so no door controller could be asked to lift the lockout.',
  },
  'door_control.no_agent': {
    kind: 'conflict',
    description: 'No active edge agent serves the door’s site, so the command could not reach the door.',
  },
});

export const accessModuleError = errorFactory(accessModuleErrors);

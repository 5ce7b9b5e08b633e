import { defineErrors, errorFactory } from '@vigil/core';

export const alarmErrors = defineErrors({
  'alarms.not_found': { kind: 'not_found', description: 'No alarm has this id.' },
  'alarms.incident_not_found': { kind: 'not_found', description: 'No incident has this id.' },
  'alarms.shelf_not_found': { kind: 'not_found', description: 'No active shelf has this id.' },
  'alarms.invalid_transition': {
    kind: 'conflict',
    description:
      'The alarm is not in a state that allows this step (new → acknowledged → assigned → resolved → closed); `details.state` is its current state.',
  },
  'alarms.resolution_note_required': {
    kind: 'invalid',
    description: 'Priority 1 and 2 alarms are resolved only with a resolution note saying what was found and done.',
  },
  'alarms.procedure_incomplete': {
    kind: 'conflict',
    description: 'Required procedure steps are not completed yet; `details.positions` lists them.',
  },
  'alarms.step_not_found': { kind: 'not_found', description: 'The alarm’s procedure has no step at this position.' },
  'alarms.step_already_completed': {
    kind: 'conflict',
    description: 'This procedure step was already completed (by whom and when is on the alarm).',
  },
  'alarms.cannot_shelve': {
    kind: 'conflict',
    description: 'The alarm cannot be shelved: it is priority 1 (life safety), already shelved, or no longer open.',
  },
  'alarms.shelve_too_long': {
    kind: 'invalid',
    description: 'A shelf may last at most the configured maximum; shelve again when it expires.',
  },
  'alarms.incident_closed': { kind: 'conflict', description: 'The incident is already closed.' },
});

export const alarmError = errorFactory(alarmErrors);

import { defineErrors, errorFactory } from '@vigil/core';

export const peopleErrors = defineErrors({
  'people.person_not_found': { kind: 'not_found', description: 'No person has that id.' },
  'people.employee_id_taken': {
    kind: 'conflict',
    description: 'Another person already has that employee/external id; `details.personId` names them.',
  },
  'people.invalid_transition': {
    kind: 'conflict',
    description:
      'The person is not in a state that allows this (for example reinstating an active person); `details.from` and `details.to` name the states.',
  },
  'people.person_terminated': {
    kind: 'conflict',
    description: 'The person is terminated: they cannot be changed or given credentials until reinstated.',
  },
  'people.validity_window_invalid': { kind: 'invalid', description: 'A validity window ends before (or when) it starts.' },
  'people.department_not_found': { kind: 'not_found', description: 'No department has that id.' },
  'people.department_name_taken': { kind: 'conflict', description: 'A department with that name exists.' },
  'people.department_in_use': {
    kind: 'conflict',
    description: 'Persons still belong to the department; move them before deleting it. `details.persons` counts them.',
  },
  'people.job_role_not_found': { kind: 'not_found', description: 'No job role has that id (or one of the listed ids).' },
  'people.job_role_name_taken': { kind: 'conflict', description: 'A job role with that name exists.' },
  'people.job_role_in_use': {
    kind: 'conflict',
    description: 'Persons still hold the job role; remove it from them before deleting it. `details.persons` counts them.',
  },
  'people.unknown_competency': {
    kind: 'invalid',
    description: 'The competency is not in the catalogue (`GET /api/people/competencies` lists it).',
  },
  'people.training_dates_invalid': { kind: 'invalid', description: 'A training record expires before it was completed.' },
  'people.training_batch_rejected': {
    kind: 'invalid',
    description:
      'The training batch was rejected and nothing was recorded; `details.errors` lists each failing record with its 0-based `index` and a code: `training.person_not_found`, `training.unknown_competency`, `training.dates_invalid` (expires before it was completed), `training.duplicate` (the same record earlier in the batch) or `training.site_not_permitted` (the caller may not manage people on any of the person’s sites).',
  },
  'people.training_not_found': { kind: 'not_found', description: 'No training record has that id.' },
  'people.credential_not_found': { kind: 'not_found', description: 'No credential has that id.' },
  'people.card_invalid': {
    kind: 'invalid',
    description:
      'The card does not fit its Wiegand format (unknown format, facility code or card number out of range); `details.reason` gives the `wiegand.*` code and the range.',
  },
  'people.card_duplicate': {
    kind: 'conflict',
    description:
      'A credential with this card number already exists under the same format and facility code; `details.credentialId` names it. Card numbers are never reused while a card may still be presented.',
  },
  'people.pin_invalid': { kind: 'invalid', description: 'A PIN must be 4 to 8 digits.' },
  'people.pin_weak': {
    kind: 'invalid',
    description: 'The PIN is one digit repeated or a run of consecutive digits (1234, 9876), which is the first thing anyone tries.',
  },
  'people.mobile_duplicate': {
    kind: 'conflict',
    description: 'That mobile enrolment id is already a credential on that platform; `details.credentialId` names it.',
  },
  'people.biometric_template_rejected': {
    kind: 'invalid',
    description:
      'The biometric reference looks like template data (too long, or base64/hex-encoded bytes). Vigil stores only the reader vendor\u2019s enrolment id, never biometric data.',
  },
  'people.biometric_duplicate': {
    kind: 'conflict',
    description: 'That vendor enrolment id is already a credential; `details.credentialId` names it.',
  },
  'people.credential_transition_invalid': {
    kind: 'conflict',
    description:
      'The credential is not in a state that allows this (lost, stolen and revoked are final, except that a lost credential may still be reported stolen); `details.from` and `details.to` name the states.',
  },
  'people.import_rejected': {
    kind: 'invalid',
    description:
      'The CSV import was rejected and nothing was written; `details.errors` lists each problem with line, column and a code from docs/import.md.',
  },
  'people.import_conflict': {
    kind: 'conflict',
    description:
      'While the import was writing, someone else created a person or card that the file also contains; nothing was written. Run the import again to see which rows.',
  },
  'people.hr_batch_rejected': {
    kind: 'invalid',
    description:
      'The HR termination batch was rejected and nothing was changed; `details.errors` lists each item that failed (unknown employee id, site not permitted).',
  },
});

export const peopleError = errorFactory(peopleErrors);

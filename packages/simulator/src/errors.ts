import { defineErrors, errorFactory } from '@vigil/core';

/**
 * Errors of the simulator (`simulator.*`). They are the simulator's own, raised on the client
 * side of Vigil's API, so they are not part of the server's error reference.
 */
export const simulatorErrors = defineErrors({
  'simulator.unknown_preset': {
    kind: 'invalid',
    description: 'The hospital preset is not one of the known presets; the message lists them.',
  },
  'simulator.invalid_seed': {
    kind: 'invalid',
    description: 'The seed is not a whole number from 0 to 4294967295.',
  },
  'simulator.vigil_unreachable': {
    kind: 'unavailable',
    description: 'Vigil did not answer at the given URL within the timeout (not running, wrong address, or a network fault).',
  },
  'simulator.credentials_refused': {
    kind: 'unauthenticated',
    description: 'Vigil refused the API token (unknown, revoked or expired, or its owner is disabled).',
  },
  'simulator.permissions_missing': {
    kind: 'forbidden',
    description: 'The API token lacks permissions the simulator needs on every site; the details list them.',
  },
  'simulator.unexpected_response': {
    kind: 'unavailable',
    description: 'Vigil answered with something that is neither the expected JSON nor a problem document.',
  },
  'simulator.site_conflict': {
    kind: 'conflict',
    description: 'A site with the hospital’s name exists but is set up differently (another time zone): it is not this hospital.',
  },
  'simulator.broker_unreachable': {
    kind: 'unavailable',
    description: 'The MQTT broker the sensors publish through did not accept a connection within the timeout.',
  },
  'simulator.unknown_scenario': {
    kind: 'invalid',
    description: 'No scenario has that name; the message lists the scenarios there are (`vigil sim list`).',
  },
  'simulator.scenario_not_applicable': {
    kind: 'invalid',
    description: 'The hospital lacks what the scenario needs (a second building, a pharmacy vault, MQTT sensors); the message says what.',
  },
  'simulator.expectations_unmet': {
    kind: 'internal',
    description:
      'A scenario ran but Vigil did not show every alarm or journal entry the scenario expects; the details list what is missing.',
  },
  'simulator.invalid_option': {
    kind: 'invalid',
    description: 'A command-line option of `vigil sim` has a value that makes no sense (an acceleration below 1, a negative interval).',
  },
});

export const simulatorError = errorFactory(simulatorErrors);

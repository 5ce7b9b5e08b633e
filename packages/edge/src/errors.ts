import { defineErrors, errorFactory } from '@vigil/core';

/** Errors of the door controller agent (`agent.*`); the server's edge routes use `edge.*`. */
export const agentErrors = defineErrors({
  'agent.config_invalid': {
    kind: 'invalid',
    description: 'The agent configuration file is missing, is not JSON, or does not match the configuration schema.',
  },
  'agent.wiring_bus_unknown': {
    kind: 'invalid',
    description:
      'A door’s readers are on an OSDP bus (or the I/O backend on one) that the agent’s `buses` do not name; `details.bus` is the name. The agent keeps its last good wiring.',
  },
  'agent.wiring_conflict': {
    kind: 'conflict',
    description:
      'Two doors (or a door and the I/O module) claim the same reader address on a bus or the same output or input point; `details` names both. The agent keeps its last good wiring.',
  },
  'agent.wiring_lock_missing': {
    kind: 'invalid',
    description: 'A door assigned to the agent has no lock output; give it one in the facility. The agent keeps its last good wiring.',
  },
  'agent.key_invalid': {
    kind: 'integrity',
    description: 'The agent key file cannot be read as an Ed25519 private key, or is readable by others than its owner.',
  },
  'agent.server_rejected': {
    kind: 'unavailable',
    description: 'The server answered a sync request with an error; the agent keeps working on its snapshot and retries.',
  },
  'agent.server_unreachable': {
    kind: 'unavailable',
    description: 'The server could not be reached; decisions continue locally and events stay buffered until it answers.',
  },
  'agent.buffer_unavailable': {
    kind: 'unavailable',
    description: 'The local event buffer could not be written; the agent refuses to act on decisions it cannot record.',
  },
});

export const agentError = errorFactory(agentErrors);

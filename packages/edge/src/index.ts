/**
 * @vigil/edge: the door controller agent. OSDP readers, lock outputs and door inputs, local access
 * decisions from the signed snapshot, a durable event buffer, and sync with the server.
 */
export { EdgeAgent, AGENT_VERSION, type AgentOptions, type AgentLogger } from './agent.js';
export {
  AgentConfigSchema,
  parseAgentConfig,
  loadAgentConfig,
  type AgentConfig,
  type DoorConfig,
  type ReaderConfig,
  type PointConfig,
  type BusConfig,
} from './config.js';
export { WiredAgent } from './wired-agent.js';
export {
  DoorWiringSchema,
  WiringResponseSchema,
  applyWiring,
  isWiring,
  wiringVersion,
  type DoorWiring,
  type WiringResponse,
} from './wiring.js';
export { agentErrors, agentError } from './errors.js';
export * from './events.js';
export * from './protocol.js';
export { loadOrCreateAgentKey, type AgentKey } from './keys.js';
export { SimulatedIo, type LockChange } from './io/simulated.js';
export type { IoBackend, LockOutput, DoorPositionInput, RequestToExitInput } from './io/types.js';
export { DoorController, type DoorAlarm, type ReleaseCause, type DoorFacts } from './door.js';
export { ReaderHub, type ReaderStatus } from './readers.js';
export { AgentStore } from './store.js';
export { AuxOutputs, outputCommandExecuted } from './outputs.js';
export { PinLockoutLifts, pinLockoutLiftExecuted } from './pin-lockout-lifts.js';
export type { SnapshotOutcome } from './snapshot-update.js';
export { ServerClient } from './sync/client.js';
export { SyncEngine, type SyncStatus } from './sync/engine.js';

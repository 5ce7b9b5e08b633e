export type * from './model.js';
export { simulatorErrors, simulatorError } from './errors.js';
export {
  generateHospital,
  PRESETS,
  PRESET_NAMES,
  MAX_SEED,
  TRAINING_EPOCH,
  type HospitalRequest,
  type PresetSize,
} from './hospital/index.js';
export {
  provisionHospital,
  importCsv,
  PROVISIONING_PERMISSIONS,
  type ProvisionOptions,
  type ProvisioningPermission,
} from './provision/index.js';
export { VigilClient, type VigilClientOptions } from './live/vigil-client.js';
export { LiveWorld, defaultPollIntervalMs, type LiveWorldOptions } from './live/world.js';
export { SIMULATOR_PERMISSIONS, connect, startSession, type Session, type SessionOptions } from './live/session.js';
export { Simulation, type SimulationOptions } from './live/simulation.js';
export { SCENARIOS, findScenario, playScenario, describeReport, type ScenarioReport } from './scenarios/library.js';
export { ensureScenarioSetup, type ScenarioSetup } from './scenarios/setup.js';
export { runSimCli, type SimIo } from './cli.js';

export { generateHospital, type HospitalRequest } from './generate.js';
export { PRESETS, PRESET_NAMES, MAX_SEED, type PresetSize } from './presets.js';
export { TRAINING_EPOCH } from './people.js';

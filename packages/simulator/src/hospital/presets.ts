/**
 * The hospital presets and the checks on what a caller asks for. Sizes are targets: the generator
 * builds whole units (a ward with its rooms, an MRI suite with its four zones) until each floor
 * has its share of the door target, and hires staff to the staff target.
 */
import type { PresetName } from '../model.js';
import { simulatorError } from '../errors.js';

export interface PresetSize {
  readonly buildings: number;
  readonly doors: number;
  readonly staff: number;
}

export const PRESETS: Readonly<Record<PresetName, PresetSize>> = {
  clinic: { buildings: 1, doors: 40, staff: 80 },
  community: { buildings: 4, doors: 600, staff: 2_500 },
  academic: { buildings: 12, doors: 4_000, staff: 18_000 },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Seeds are 32-bit: the generator's state is seeded from exactly these. */
export const MAX_SEED = 0xffff_ffff;

export function assertPreset(value: unknown): PresetName {
  if (typeof value === 'string' && Object.hasOwn(PRESETS, value)) return value as PresetName;
  throw simulatorError(
    'simulator.unknown_preset',
    `Unknown hospital preset ${JSON.stringify(value)}; valid presets: ${PRESET_NAMES.join(', ')}`,
    {
      preset: value,
      presets: PRESET_NAMES,
    },
  );
}

export function assertSeed(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEED) return value;
  throw simulatorError('simulator.invalid_seed', `The seed must be a whole number from 0 to ${MAX_SEED}; got ${String(value)}`, {
    seed: typeof value === 'number' || typeof value === 'string' ? value : typeof value,
    max: MAX_SEED,
  });
}

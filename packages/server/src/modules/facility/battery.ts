/** A device's reported battery as the API shows it, with the low-battery flag derived, never stored. */
import { LOW_BATTERY_PERCENT, type Battery } from './model.js';

export function batteryOf(percent: number | null, reportedAt: string | null): Battery | null {
  if (percent === null || reportedAt === null) return null;
  return { percent, reportedAt, low: percent <= LOW_BATTERY_PERCENT };
}

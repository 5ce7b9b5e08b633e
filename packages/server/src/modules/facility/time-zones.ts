import { facilityError } from './errors.js';

/**
 * Validates an IANA time-zone name against the ICU time-zone data Node ships, and returns it in
 * its canonical spelling (`america/chicago` becomes `America/Chicago`). Abbreviations and bare
 * offsets (`EST`, `GMT+5`) are refused: they carry no daylight-saving rules, so schedules evaluated
 * in them would be an hour wrong for half the year.
 */
export function validateTimeZone(name: string): string {
  const trimmed = name.trim();
  const shaped = trimmed === 'UTC' || /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(trimmed);
  let resolved: string | undefined;
  if (shaped) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
  }
  if (!resolved) {
    throw facilityError('facility.time_zone_unknown', `${JSON.stringify(name)} is not an IANA time zone (for example Europe/London)`, {
      timeZone: name,
    });
  }
  // ICU resolves links to its own canonical id (US/Eastern to America/New_York, but also
  // Asia/Kolkata to Asia/Calcutta); keep the caller's valid name unless only its case differed.
  return resolved.toLowerCase() === trimmed.toLowerCase() ? resolved : trimmed;
}

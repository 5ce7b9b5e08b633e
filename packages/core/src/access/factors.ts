/** Second factors: the PIN of card+PIN doors and the PIN or biometric a high-security zone demands. */
import type { DecisionReason } from './decision.js';
import type { AccessRequest } from './requests.js';
import { FACTOR_BIOMETRIC, FACTOR_PIN, MODE_CARD_AND_PIN, type AccessSnapshot } from './snapshot.js';

function zoneFactors(s: AccessSnapshot, toZone: number): number {
  return toZone >= 0 && s.zones.securityLevel[toZone]! >= s.secondFactorLevel ? s.zones.secondFactor[toZone]! : 0;
}

export function factorLabel(s: AccessSnapshot, mode: number, toZone: number): string {
  const zone = zoneFactors(s, toZone);
  if (mode === MODE_CARD_AND_PIN) return zone === FACTOR_BIOMETRIC ? 'PIN and biometric' : 'PIN';
  return zone === (FACTOR_PIN | FACTOR_BIOMETRIC) ? 'PIN or biometric' : zone === FACTOR_PIN ? 'PIN' : 'biometric';
}

/** Whether the person has a PIN that is valid at `now`. */
function pinEnrolled(s: AccessSnapshot, person: number, now: number): boolean {
  const pin = s.persons.pin[person]!;
  return pin >= 0 && now >= s.pins.validFrom[pin]! && now < s.pins.validUntil[pin]!;
}

/**
 * card+PIN mode demands the PIN; a zone at or above the second-factor level demands one of the
 * factors it accepts (a PIN checked for card+PIN also counts for the zone when the zone accepts PINs).
 * The PIN itself was checked by the controller against the holder's hash; here only its verdict counts.
 */
export function secondFactorVerdict(
  s: AccessSnapshot,
  request: AccessRequest,
  mode: number,
  toZone: number,
  person: number,
  now: number,
): DecisionReason | null {
  const pinRequired = mode === MODE_CARD_AND_PIN;
  const zone = zoneFactors(s, toZone);
  if (!pinRequired && zone === 0) return null;
  const enrolled = pinEnrolled(s, person, now);
  let pinOk = false;
  if (request.pinMatch !== undefined && (pinRequired || (zone & FACTOR_PIN) !== 0)) {
    if (!enrolled) return 'access.pin_not_enrolled';
    if (!request.pinMatch) return 'access.pin_incorrect';
    pinOk = true;
  }
  const biometricAccepted = (zone & FACTOR_BIOMETRIC) !== 0;
  if (biometricAccepted && request.biometricMatch === false) return 'access.biometric_mismatch';
  const biometricOk = biometricAccepted && request.biometricMatch === true;
  if (pinRequired && !pinOk) return enrolled ? 'access.second_factor_required' : 'access.pin_not_enrolled';
  if (zone !== 0 && !(((zone & FACTOR_PIN) !== 0 && pinOk) || biometricOk)) return 'access.second_factor_required';
  return null;
}

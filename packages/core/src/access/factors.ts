/** Second factors: the PIN of card+PIN doors and the PIN or biometric a high-security zone demands. */
import type { DecisionReason } from './decision.js';
import { pinMatches } from './pin.js';
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

/**
 * card+PIN mode demands the PIN; a zone at or above the second-factor level demands one of the
 * factors it accepts (a PIN checked for card+PIN also counts for the zone when the zone accepts PINs).
 */
export function secondFactorVerdict(
  s: AccessSnapshot,
  request: AccessRequest,
  mode: number,
  toZone: number,
  credential: number,
): DecisionReason | null {
  const pinRequired = mode === MODE_CARD_AND_PIN;
  const zone = zoneFactors(s, toZone);
  if (!pinRequired && zone === 0) return null;
  const slot = s.credentials.pinSlot[credential]!;
  let pinOk = false;
  if (request.pin !== undefined && (pinRequired || (zone & FACTOR_PIN) !== 0)) {
    if (slot < 0) return 'access.pin_not_enrolled';
    if (!s.pinKey || !pinMatches(s.pinKey, s.credentials.pinVerifiers, slot, s.credentials.ids[credential]!, request.pin)) {
      return 'access.pin_incorrect';
    }
    pinOk = true;
  }
  const biometricAccepted = (zone & FACTOR_BIOMETRIC) !== 0;
  if (biometricAccepted && request.biometricMatch === false) return 'access.biometric_mismatch';
  const biometricOk = biometricAccepted && request.biometricMatch === true;
  if (pinRequired && !pinOk) return slot < 0 ? 'access.pin_not_enrolled' : 'access.second_factor_required';
  if (zone !== 0 && !(((zone & FACTOR_PIN) !== 0 && pinOk) || biometricOk)) return 'access.second_factor_required';
  return null;
}

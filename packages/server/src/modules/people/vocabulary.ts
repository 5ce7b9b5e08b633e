/** The people module's vocabulary: kinds, lifecycles and the competency catalogue. */
export const PERSON_KINDS = ['staff', 'contractor', 'visitor', 'patient', 'infant'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

export const PERSON_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export const CREDENTIAL_TYPES = ['card', 'pin', 'mobile', 'biometric'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const CREDENTIAL_STATUSES = ['active', 'suspended', 'lost', 'stolen', 'revoked'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export const MOBILE_PLATFORMS = ['ios', 'android'] as const;
export type MobilePlatform = (typeof MOBILE_PLATFORMS)[number];

/** Competencies that gate zones (MRI, pharmacy, maternity) or are required by regulation. */
export const COMPETENCIES = {
  mri_safety: 'MRI safety (zone III/IV access)',
  controlled_substances: 'Controlled substances handling (pharmacy, vaults, dispensing cabinets)',
  infant_security: 'Infant security (maternity and NICU)',
  bloodborne_pathogens: 'Bloodborne pathogens (OSHA 29 CFR 1910.1030)',
  fire_safety: 'Fire safety and evacuation',
} as const;
export type Competency = keyof typeof COMPETENCIES;

export function isCompetency(value: string): value is Competency {
  return Object.hasOwn(COMPETENCIES, value);
}

/** Credential states from which the credential can no longer be used or brought back. */
export const FINAL_CREDENTIAL_STATUSES: readonly CredentialStatus[] = ['lost', 'stolen', 'revoked'];

/** Why a credential was revoked when its holder was terminated (kept in `status_reason`). */
export const TERMINATION_REASON = 'holder terminated';

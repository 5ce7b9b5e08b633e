/**
 * The zone-type catalogue. A type says what a space is; its default security level is what a
 * hospital usually applies there, and a zone may raise or lower it. MRI zones follow the ACR
 * four-zone model (I public, II screening, III restricted to screened people, IV the magnet room).
 */
import { facilityError } from './errors.js';

export const SECURITY_LEVELS = {
  1: 'public',
  2: 'staff',
  3: 'restricted',
  4: 'high',
  5: 'critical',
} as const;

export type SecurityLevel = keyof typeof SECURITY_LEVELS;
export type SecurityLevelName = (typeof SECURITY_LEVELS)[SecurityLevel];

export const SECURITY_LEVEL_NAMES = Object.values(SECURITY_LEVELS) as SecurityLevelName[];

export interface ZoneTypeDefinition {
  readonly label: string;
  readonly defaultSecurityLevel: SecurityLevel;
  readonly description: string;
}

export const ZONE_TYPES = {
  public: {
    label: 'Public area',
    defaultSecurityLevel: 1,
    description: 'Lobbies, corridors, cafeterias and waiting rooms open to visitors.',
  },
  clinical: {
    label: 'Clinical area',
    defaultSecurityLevel: 2,
    description: 'General wards and outpatient clinics; staff, patients and escorted visitors.',
  },
  ed: {
    label: 'Emergency department',
    defaultSecurityLevel: 2,
    description: 'Open to walk-in patients at triage; treatment areas behind it are staff-controlled.',
  },
  icu: { label: 'Intensive care', defaultSecurityLevel: 3, description: 'Critical-care units with controlled visiting.' },
  or: { label: 'Operating suite', defaultSecurityLevel: 3, description: 'Theatres and sterile corridors; scrubbed staff only.' },
  behavioural_health: {
    label: 'Behavioural health',
    defaultSecurityLevel: 3,
    description: 'Locked psychiatric or memory-care units; both entry and exit are controlled.',
  },
  maternity: {
    label: 'Maternity',
    defaultSecurityLevel: 4,
    description: 'Labour, delivery and postpartum; infant-abduction protection applies.',
  },
  nicu: {
    label: 'Neonatal intensive care',
    defaultSecurityLevel: 4,
    description: 'Neonatal ICU; infant protection and strict visitor control.',
  },
  pharmacy: { label: 'Pharmacy', defaultSecurityLevel: 4, description: 'Dispensing pharmacy; licensed staff only.' },
  pharmacy_vault: {
    label: 'Pharmacy vault',
    defaultSecurityLevel: 5,
    description: 'Controlled-substance storage (DEA Schedule II); two-person access and full audit.',
  },
  data_centre: { label: 'Data centre', defaultSecurityLevel: 4, description: 'Server and network rooms holding clinical systems.' },
  mri_zone_1: { label: 'MRI zone I', defaultSecurityLevel: 1, description: 'Freely accessible area outside the MR environment.' },
  mri_zone_2: {
    label: 'MRI zone II',
    defaultSecurityLevel: 2,
    description: 'Reception and screening, between public areas and the controlled MR zones.',
  },
  mri_zone_3: {
    label: 'MRI zone III',
    defaultSecurityLevel: 4,
    description: 'Restricted: only MR personnel and screened people; ferromagnetic objects are a danger here.',
  },
  mri_zone_4: {
    label: 'MRI zone IV',
    defaultSecurityLevel: 5,
    description: 'The MR scanner room itself, under direct MR-personnel supervision.',
  },
} as const satisfies Record<string, ZoneTypeDefinition>;

export type ZoneType = keyof typeof ZONE_TYPES;

export const ZONE_TYPE_NAMES = Object.keys(ZONE_TYPES) as ZoneType[];

export function isZoneType(value: string): value is ZoneType {
  return Object.hasOwn(ZONE_TYPES, value);
}

export function assertZoneType(value: string): ZoneType {
  if (!isZoneType(value)) throw facilityError('facility.zone_type_unknown', `Unknown zone type ${value}`, { type: value });
  return value;
}

/** Accepts 1..5 or a level name; throws `facility.security_level_invalid` otherwise. */
export function parseSecurityLevel(value: number | string): SecurityLevel {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1 && value <= 5) return value as SecurityLevel;
  } else {
    const entry = Object.entries(SECURITY_LEVELS).find(([, name]) => name === value.trim().toLowerCase());
    if (entry) return Number(entry[0]) as SecurityLevel;
  }
  throw facilityError('facility.security_level_invalid', `Security level ${String(value)} is not 1–5 or a level name`, {
    securityLevel: value,
    names: SECURITY_LEVEL_NAMES,
  });
}

export function securityLevelName(level: number): SecurityLevelName {
  return SECURITY_LEVELS[level as SecurityLevel];
}

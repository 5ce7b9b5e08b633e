/** How stored rows become what the rest of Vigil sees: card numbers masked, PIN hashes never. */
import type { Credential, Person, TrainingRecord } from './schemas.js';
import type { PersonCredentialsTable, PersonsTable, TrainingRecordsTable } from './tables.js';
import type { Competency, CredentialStatus, CredentialType, MobilePlatform, PersonKind, PersonStatus } from './vocabulary.js';

/**
 * Shows enough of a card number to tell two cards of one person apart, never enough to clone it:
 * at most the last four digits, and never more than half of them.
 */
export function maskCardNumber(cardNumber: number): string {
  const digits = String(cardNumber);
  const shown = Math.min(4, Math.floor(digits.length / 2));
  return `${'*'.repeat(Math.max(4, digits.length - shown))}${shown > 0 ? digits.slice(-shown) : ''}`;
}

export function toPerson(row: PersonsTable, sites: readonly string[], jobRoleIds: readonly string[]): Person {
  return {
    id: row.id,
    kind: row.kind as PersonKind,
    employeeId: row.employee_id,
    givenName: row.given_name,
    familyName: row.family_name,
    departmentId: row.department_id,
    jobRoleIds: [...jobRoleIds],
    sites: [...sites],
    status: row.status as PersonStatus,
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toCredential(row: PersonCredentialsTable): Credential {
  return {
    id: row.id,
    personId: row.person_id,
    type: row.type as CredentialType,
    status: row.status as CredentialStatus,
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    card:
      row.type === 'card' && row.card_format !== null && row.facility_code !== null && row.card_number !== null
        ? { format: row.card_format, facilityCode: row.facility_code, cardNumberMasked: maskCardNumber(row.card_number) }
        : null,
    mobile:
      row.type === 'mobile' && row.mobile_platform !== null && row.mobile_enrolment_id !== null
        ? { platform: row.mobile_platform as MobilePlatform, enrolmentId: row.mobile_enrolment_id }
        : null,
    biometric:
      row.type === 'biometric' && row.biometric_vendor !== null && row.biometric_template_ref !== null
        ? { vendor: row.biometric_vendor, templateRef: row.biometric_template_ref }
        : null,
    issuedBy: row.issued_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toTrainingRecord(row: TrainingRecordsTable, now: Date): TrainingRecord {
  return {
    id: row.id,
    personId: row.person_id,
    competency: row.competency as Competency,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
    current: row.completed_at <= now.toISOString() && row.expires_at > now.toISOString(),
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
  };
}

/** Normalises an instant given with any offset to the stored form (UTC, milliseconds, `Z`). */
export function toInstant(value: string): string {
  return new Date(value).toISOString();
}

export function optionalInstant(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : toInstant(value);
}

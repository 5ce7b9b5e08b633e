/**
 * The CSV import's column set and its per-row error codes (docs/import.md documents both; a test
 * checks the document names every code). Codes are stable: scripts may branch on them.
 */

export const IMPORT_COLUMNS = {
  kind: { required: true, description: 'staff, contractor, visitor, patient or infant' },
  given_name: { required: true, description: 'Given name(s), at most 200 characters' },
  family_name: { required: true, description: 'Family name, at most 200 characters' },
  employee_id: {
    required: false,
    description: 'Employee number or external id, unique; rows with the same value are one person (one row per credential)',
  },
  department: { required: false, description: 'Name of an existing department' },
  job_roles: { required: false, description: 'Names of existing job roles, separated by `;`' },
  sites: { required: false, description: 'Site ids separated by `;`, home site first' },
  valid_from: { required: false, description: 'ISO-8601 date-time with offset or `Z`; the person is valid from then' },
  valid_until: { required: false, description: 'ISO-8601 date-time with offset or `Z`; the person is valid until then' },
  card_format: { required: false, description: 'Wiegand format id (H10301, H10306, H10304, C1000-35, C1000-48)' },
  facility_code: { required: false, description: 'Facility code, a whole number in the format’s range' },
  card_number: { required: false, description: 'Card number, a whole number in the format’s range' },
  card_valid_from: { required: false, description: 'Start of the card’s validity window (ISO-8601 date-time)' },
  card_valid_until: { required: false, description: 'End of the card’s validity window (ISO-8601 date-time)' },
  pin: { required: false, description: '4–8 digit PIN, hashed with scrypt on import (slow: see below); never stored in clear' },
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

export const IMPORT_ERROR_CODES = {
  'import.malformed_csv': 'The file is not well-formed CSV (an unclosed quote, for instance); reading stops there.',
  'import.missing_column': 'A required column is missing from the header line.',
  'import.unknown_column': 'The header names a column the import does not know (a typo would otherwise drop data silently).',
  'import.duplicate_column': 'The header names the same column twice.',
  'import.column_count': 'The row has a different number of fields from the header.',
  'import.required': 'A required value is empty.',
  'import.too_long': 'The value is longer than the column allows.',
  'import.invalid_value': 'The value is not one of those the column allows.',
  'import.invalid_number': 'The value is not a whole number.',
  'import.invalid_date': 'The value is not an ISO-8601 date-time with an offset or `Z`.',
  'import.validity_window_invalid': 'The validity window ends before (or when) it starts.',
  'import.unknown_department': 'No department has that name.',
  'import.unknown_job_role': 'No job role has that name.',
  'import.unknown_card_format': 'The card format is not in the Wiegand catalogue.',
  'import.card_out_of_range': 'The facility code or card number does not fit the card format.',
  'import.card_incomplete': 'A card needs card_format, facility_code and card_number together.',
  'import.card_duplicate': 'The card (format, facility code, number) is already a credential, or appears twice in the file.',
  'import.pin_invalid': 'The PIN is not 4–8 digits, or is a repeated digit or a run (1234).',
  'import.pin_repeated': 'A person may have one PIN; a second row gives another.',
  'import.conflicting_person': 'A row repeats an employee id but gives different person details from its first row.',
  'import.employee_id_exists': 'A person with that employee id already exists.',
  'import.site_not_permitted': 'The operator may not manage people on that site.',
} as const;

export type ImportErrorCode = keyof typeof IMPORT_ERROR_CODES;

/** Codes of the HR termination feed (API batch and CSV drop directory). */
export const HR_ERROR_CODES = {
  'hr.malformed_csv': 'The dropped file is not well-formed CSV.',
  'hr.missing_column': 'The header line has no `employee_id` column.',
  'hr.required': 'A row has an empty employee id.',
  'hr.unknown_employee_id': 'No person has that employee id.',
  'hr.site_not_permitted': 'The caller may not terminate people on any of that person’s sites.',
} as const;

export type HrErrorCode = keyof typeof HR_ERROR_CODES;

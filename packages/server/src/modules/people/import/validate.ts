/**
 * Checks each CSV row on its own and against the rows before it, collecting every error with its
 * line and column, and gathers the valid rows into persons with their credentials.
 */
import { findWiegandFormat, type WiegandFormatId } from '@vigil/core';
import type { ImportError } from '../schemas.js';
import { PERSON_KINDS, type PersonKind } from '../vocabulary.js';
import { isVigilError } from '@vigil/core';
import { checkPin } from '../pin.js';
import { IMPORT_COLUMNS, IMPORT_ERROR_CODES, type ImportColumn, type ImportErrorCode } from './columns.js';

export interface ImportedCard {
  line: number;
  format: WiegandFormatId;
  facilityCode: number;
  cardNumber: number;
  validFrom: string | null;
  validUntil: string | null;
  /** Assigned when written. */
  id?: string;
}

export interface ImportedPerson {
  line: number;
  employeeId: string | null;
  kind: PersonKind;
  givenName: string;
  familyName: string;
  departmentId: string | null;
  jobRoleIds: string[];
  sites: string[];
  validFrom: string | null;
  validUntil: string | null;
  cards: ImportedCard[];
  pin: { line: number; pin: string; hash?: string; id?: string } | null;
  id?: string;
}

export interface Lookups {
  departments: ReadonlyMap<string, string>;
  jobRoles: ReadonlyMap<string, string>;
  scope: 'all' | ReadonlySet<string>;
}

const KINDS = new Set<string>(PERSON_KINDS);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const DIGITS = /^\d{1,15}$/;
const SITE = /^[A-Za-z0-9._:-]{1,100}$/;
const CARD_FIELDS = ['card_format', 'facility_code', 'card_number'] as const;
const PERSON_FIELDS = ['kind', 'given_name', 'family_name', 'department', 'job_roles', 'sites', 'valid_from', 'valid_until'] as const;

export class RowValidator {
  readonly errors: ImportError[] = [];
  errorCount = 0;
  rows = 0;
  readonly persons: ImportedPerson[] = [];
  /** First row of each employee id, with its person fields as given (later rows must match them). */
  private byEmployeeId = new Map<string, { person: ImportedPerson; raw: string[] }>();
  private cardLines = new Map<string, number>();
  private columns: (ImportColumn | null)[] = [];
  private index = new Map<ImportColumn, number>();
  /** The same positions as `index`, in a plain object: read about twenty times per row. */
  private positions: Partial<Record<ImportColumn, number>> = {};
  /** The fields of the row being validated, for `get`. */
  private current: readonly string[] = [];
  /** A field of the current row by column name ('' when the file has no such column). */
  private readonly get = (c: ImportColumn): string => {
    const i = this.positions[c];
    return i === undefined ? '' : (this.current[i] ?? '');
  };

  constructor(
    private readonly lookups: Lookups,
    private readonly maxErrors = 1000,
  ) {}

  error(line: number, column: ImportColumn | null, code: ImportErrorCode, detail?: string): void {
    this.errorCount++;
    if (this.errors.length >= this.maxErrors) return;
    const position = column === null ? null : (this.index.get(column) ?? null);
    this.errors.push({
      line,
      column: position === null ? null : position + 1,
      columnName: column,
      code,
      message: detail ?? IMPORT_ERROR_CODES[code],
    });
  }

  /** Reads the header line; false when the rows cannot be interpreted. */
  header(names: readonly string[]): boolean {
    const ok = this.errorCount;
    this.columns = names.map((raw, i) => {
      const name = raw.trim().toLowerCase();
      if (!Object.hasOwn(IMPORT_COLUMNS, name)) {
        this.errorAt(1, i, name, 'import.unknown_column', `Unknown column "${raw}"`);
        return null;
      }
      const column = name as ImportColumn;
      if (this.index.has(column)) this.errorAt(1, i, name, 'import.duplicate_column', `Column ${name} appears twice`);
      else {
        this.index.set(column, i);
        this.positions[column] = i;
      }
      return column;
    });
    for (const [name, def] of Object.entries(IMPORT_COLUMNS)) {
      if (def.required && !this.index.has(name as ImportColumn)) {
        this.errorAt(1, null, name, 'import.missing_column', `The header has no ${name} column`);
      }
    }
    return this.errorCount === ok;
  }

  row(fields: readonly string[], line: number): void {
    this.rows++;
    if (fields.length !== this.columns.length) {
      this.error(line, null, 'import.column_count', `The row has ${fields.length} fields; the header has ${this.columns.length}`);
      return;
    }
    const before = this.errorCount;
    this.current = fields;
    const get = this.get;
    const employeeId = get('employee_id') || null;
    if (employeeId && employeeId.length > 64)
      this.error(line, 'employee_id', 'import.too_long', 'An employee id has at most 64 characters');
    const first = employeeId ? this.byEmployeeId.get(employeeId) : undefined;

    const card = this.card(get, line);
    const pin = get('pin');
    if (pin) this.pin(pin, line);

    if (first) {
      // A further row for a person already seen: person details must be blank or the same.
      for (const [i, field] of PERSON_FIELDS.entries()) {
        const value = get(field);
        if (value !== '' && value !== first.raw[i]) {
          this.error(
            line,
            field,
            'import.conflicting_person',
            `${field} differs from line ${first.person.line} for employee id ${employeeId}`,
          );
        }
      }
      if (this.errorCount !== before) return;
      if (card) first.person.cards.push(card);
      if (pin) {
        if (first.person.pin)
          this.error(line, 'pin', 'import.pin_repeated', `Line ${first.person.pin.line} already gives this person a PIN`);
        else first.person.pin = { line, pin };
      }
      return;
    }

    const person = this.person(get, line, employeeId);
    if (this.errorCount !== before || !person) return;
    if (card) person.cards.push(card);
    if (pin) person.pin = { line, pin };
    this.persons.push(person);
    if (employeeId) this.byEmployeeId.set(employeeId, { person, raw: PERSON_FIELDS.map(get) });
  }

  private person(get: (c: ImportColumn) => string, line: number, employeeId: string | null): ImportedPerson | null {
    const kind = get('kind');
    if (!kind) this.error(line, 'kind', 'import.required');
    else if (!KINDS.has(kind)) this.error(line, 'kind', 'import.invalid_value', `Kind must be one of ${PERSON_KINDS.join(', ')}`);
    const givenName = this.name(get('given_name'), line, 'given_name');
    const familyName = this.name(get('family_name'), line, 'family_name');

    const departmentName = get('department');
    const departmentId = departmentName ? (this.lookups.departments.get(departmentName) ?? null) : null;
    if (departmentName && !departmentId)
      this.error(line, 'department', 'import.unknown_department', `No department named "${departmentName}"`);

    const jobRoleIds: string[] = [];
    for (const name of splitList(get('job_roles'))) {
      const id = this.lookups.jobRoles.get(name);
      if (id) {
        if (!jobRoleIds.includes(id)) jobRoleIds.push(id);
      } else this.error(line, 'job_roles', 'import.unknown_job_role', `No job role named "${name}"`);
    }

    const sites = [...new Set(splitList(get('sites')))];
    for (const site of sites) {
      if (!SITE.test(site)) this.error(line, 'sites', 'import.invalid_value', `"${site}" is not a site id`);
      else if (this.lookups.scope !== 'all' && !this.lookups.scope.has(site)) {
        this.error(line, 'sites', 'import.site_not_permitted', `You may not manage people on site ${site}`);
      }
    }
    const validFrom = this.instant(get('valid_from'), line, 'valid_from');
    const validUntil = this.instant(get('valid_until'), line, 'valid_until');
    this.window(validFrom, validUntil, line, 'valid_until');
    if (!givenName || !familyName || !KINDS.has(kind)) return null;
    return {
      line,
      employeeId,
      kind: kind as PersonKind,
      givenName,
      familyName,
      departmentId,
      jobRoleIds: jobRoleIds.sort(),
      sites,
      validFrom,
      validUntil,
      cards: [],
      pin: null,
    };
  }

  private card(get: (c: ImportColumn) => string, line: number): ImportedCard | null {
    const formatId = get('card_format');
    const fc = get('facility_code');
    const cn = get('card_number');
    if (!formatId && !fc && !cn) {
      if (get('card_valid_from') || get('card_valid_until')) this.error(line, 'card_format', 'import.card_incomplete');
      return null;
    }
    if (!formatId || !fc || !cn) {
      for (const column of CARD_FIELDS) if (!get(column)) this.error(line, column, 'import.card_incomplete');
      return null;
    }
    const format = findWiegandFormat(formatId);
    if (!format) this.error(line, 'card_format', 'import.unknown_card_format', `Unknown card format "${formatId}"`);
    const facilityCode = this.number(fc, line, 'facility_code');
    const cardNumber = this.number(cn, line, 'card_number');
    const validFrom = this.instant(get('card_valid_from'), line, 'card_valid_from');
    const validUntil = this.instant(get('card_valid_until'), line, 'card_valid_until');
    this.window(validFrom, validUntil, line, 'card_valid_until');
    if (!format || facilityCode === null || cardNumber === null) return null;
    const fcRange = format.facilityCodeRange;
    const cnRange = format.cardNumberRange;
    if (facilityCode < fcRange.min || facilityCode > fcRange.max) {
      this.error(line, 'facility_code', 'import.card_out_of_range', `Facility code must be ${fcRange.min}..${fcRange.max} in ${format.id}`);
      return null;
    }
    if (cardNumber < cnRange.min || cardNumber > cnRange.max) {
      this.error(line, 'card_number', 'import.card_out_of_range', `Card number must be ${cnRange.min}..${cnRange.max} in ${format.id}`);
      return null;
    }
    const key = `${format.id}/${facilityCode}/${cardNumber}`;
    const seen = this.cardLines.get(key);
    if (seen !== undefined) {
      this.error(line, 'card_number', 'import.card_duplicate', `The same card is on line ${seen}`);
      return null;
    }
    this.cardLines.set(key, line);
    return { line, format: format.id, facilityCode, cardNumber, validFrom, validUntil };
  }

  private pin(pin: string, line: number): void {
    try {
      checkPin(pin);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      // The message names the rule, never the PIN.
      this.error(line, 'pin', 'import.pin_invalid', error.message);
    }
  }

  private name(value: string, line: number, column: ImportColumn): string | null {
    if (!value) this.error(line, column, 'import.required');
    else if (value.length > 200) this.error(line, column, 'import.too_long', 'A name has at most 200 characters');
    else return value;
    return null;
  }

  private number(value: string, line: number, column: ImportColumn): number | null {
    if (DIGITS.test(value)) return Number(value);
    this.error(line, column, 'import.invalid_number', `"${column === 'card_number' ? 'the card number' : value}" is not a whole number`);
    return null;
  }

  private instant(value: string, line: number, column: ImportColumn): string | null {
    if (!value) return null;
    const ms = INSTANT.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) {
      this.error(line, column, 'import.invalid_date', `"${value}" is not an ISO-8601 date-time with an offset`);
      return null;
    }
    return new Date(ms).toISOString();
  }

  private window(from: string | null, until: string | null, line: number, column: ImportColumn): void {
    if (from && until && until <= from) this.error(line, column, 'import.validity_window_invalid');
  }

  private errorAt(line: number, position: number | null, name: string, code: ImportErrorCode, message: string): void {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) {
      this.errors.push({ line, column: position === null ? null : position + 1, columnName: name, code, message });
    }
  }

  /** Drops what only cross-row checks needed, so a large import writes with a smaller heap. */
  release(): void {
    this.byEmployeeId = new Map();
    this.cardLines = new Map();
  }
}

function splitList(value: string): string[] {
  if (!value) return [];
  if (!value.includes(';')) return [value];
  const items: string[] = [];
  for (const part of value.split(';')) {
    const item = part.trim();
    if (item.length > 0) items.push(item);
  }
  return items;
}

/**
 * Writes validated persons and credentials inside one transaction: rows first, each table in
 * multi-row statements sized for the dialect and built without the query builder
 * (storage/bulk-insert.ts), then the journal's `people.imported` events. Appending last keeps the
 * journal head (which every other writer needs) locked only for the append itself, not for the
 * whole import.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import { dialectOf } from '../../../storage/bulk-insert.js';
import type { Database } from '../../../storage/schema.js';
import type { RecordEvents } from '../../audit/index.js';
import { IMPORT_PERSONS_PER_EVENT, peopleImported, present } from '../events.js';
import { maskCardNumber } from '../model.js';
import type { PersonCredentialsTable, PersonJobRolesTable, PersonSitesTable, PersonsTable } from '../tables.js';
import { importInserts } from './bulk.js';
import type { ImportedPerson } from './validate.js';

/** Well under SQLite's 32,766 bound variables per statement. */
const MAX_VARIABLES = 30_000;
/**
 * Events per journal append: the journal chains a batch in one pass and writes it in as few
 * statements as it can; the bound keeps one append (tens of kilobytes per event) to a few megabytes.
 */
const EVENTS_PER_APPEND = 100;

export interface WriteContext {
  readonly source: string;
  readonly now: Date;
  readonly correlationId: string;
  readonly onProgress: (written: number) => void;
}

/** Inserts rows in as few statements as the bound-variable limit allows. */
export async function insertAll<T extends object>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += perStatement) await insert(rows.slice(i, i + perStatement));
}

function credentialRow(personId: string, at: string, source: string): Omit<PersonCredentialsTable, 'id' | 'type'> {
  return {
    person_id: personId,
    status: 'active',
    status_reason: null,
    status_changed_at: at,
    valid_from: null,
    valid_until: null,
    card_format: null,
    facility_code: null,
    card_number: null,
    pin_hash: null,
    mobile_platform: null,
    mobile_enrolment_id: null,
    biometric_vendor: null,
    biometric_template_ref: null,
    issued_by: source,
    created_at: at,
    updated_at: at,
  };
}

export async function writeImport(
  trx: Transaction<Database>,
  record: RecordEvents,
  persons: readonly ImportedPerson[],
  context: WriteContext,
): Promise<{ persons: number; credentials: number }> {
  const at = context.now.toISOString();
  const personRows: PersonsTable[] = [];
  const siteRows: PersonSitesTable[] = [];
  const roleRows: PersonJobRolesTable[] = [];
  const credentialRows: PersonCredentialsTable[] = [];
  for (const person of persons) {
    const id = (person.id = newId());
    personRows.push({
      id,
      kind: person.kind,
      employee_id: person.employeeId,
      given_name: person.givenName,
      family_name: person.familyName,
      department_id: person.departmentId,
      status: 'active',
      status_reason: null,
      status_changed_at: at,
      valid_from: person.validFrom,
      valid_until: person.validUntil,
      created_at: at,
      updated_at: at,
    });
    person.sites.forEach((site_id, position) => siteRows.push({ person_id: id, site_id, position }));
    for (const job_role_id of person.jobRoleIds) roleRows.push({ person_id: id, job_role_id });
    for (const card of person.cards) {
      credentialRows.push({
        ...credentialRow(id, at, context.source),
        id: (card.id = newId()),
        type: 'card',
        valid_from: card.validFrom,
        valid_until: card.validUntil,
        card_format: card.format,
        facility_code: card.facilityCode,
        card_number: card.cardNumber,
      });
    }
    if (person.pin?.hash) {
      credentialRows.push({
        ...credentialRow(id, at, context.source),
        id: (person.pin.id = newId()),
        type: 'pin',
        pin_hash: person.pin.hash,
      });
    }
  }
  const inserts = importInserts(dialectOf(trx));
  await inserts.persons.run(trx, personRows, context.onProgress);
  await inserts.sites.run(trx, siteRows);
  await inserts.roles.run(trx, roleRows);
  await inserts.credentials.run(trx, credentialRows);

  await journalImport(trx, record, persons, context);
  return { persons: persons.length, credentials: credentialRows.length };
}

/**
 * Journals the import as `people.imported` events (people/events.ts): the persons grouped by home
 * site, in file order, up to IMPORT_PERSONS_PER_EVENT per event, numbered part 1 to n of the import.
 */
async function journalImport(
  trx: Transaction<Database>,
  record: RecordEvents,
  persons: readonly ImportedPerson[],
  context: WriteContext,
): Promise<void> {
  const bySite = new Map<string | null, ImportedPerson[]>();
  for (const person of persons) {
    const site = person.sites[0] ?? null;
    let group = bySite.get(site);
    if (!group) bySite.set(site, (group = []));
    group.push(person);
  }
  let parts = 0;
  for (const group of bySite.values()) parts += Math.ceil(group.length / IMPORT_PERSONS_PER_EVENT);

  let part = 0;
  let drafts: EventDraft[] = [];
  for (const [site, group] of bySite) {
    for (let i = 0; i < group.length; i += IMPORT_PERSONS_PER_EVENT) {
      const envelope = { site, source: context.source, subject: null, correlationId: context.correlationId, at: context.now };
      drafts.push(
        peopleImported.draft(envelope, { part: ++part, parts, persons: group.slice(i, i + IMPORT_PERSONS_PER_EVENT).map(entry) }),
      );
      if (drafts.length >= EVENTS_PER_APPEND) {
        await record(trx, drafts);
        drafts = [];
      }
    }
  }
  await record(trx, drafts);
}

type ImportedEntry = Parameters<typeof peopleImported.draft>[1]['persons'][number];

function entry(person: ImportedPerson): ImportedEntry {
  const credentials: ImportedEntry['credentials'] = person.cards.map((card) => ({
    credentialId: card.id!,
    type: 'card' as const,
    format: card.format,
    facilityCode: card.facilityCode,
    cardNumberMasked: maskCardNumber(card.cardNumber),
    ...present({ validFrom: card.validFrom, validUntil: card.validUntil }),
  }));
  if (person.pin?.id) credentials.push({ credentialId: person.pin.id, type: 'pin' });
  return {
    personId: person.id!,
    line: person.line,
    kind: person.kind,
    jobRoleIds: person.jobRoleIds,
    sites: person.sites,
    ...present({
      employeeId: person.employeeId,
      departmentId: person.departmentId,
      validFrom: person.validFrom,
      validUntil: person.validUntil,
    }),
    credentials,
  };
}

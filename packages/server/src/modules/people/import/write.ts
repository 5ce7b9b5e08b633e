/**
 * Writes validated persons and credentials inside one transaction: rows first, each table in
 * multi-row statements sized for the dialect and built without the query builder
 * (storage/bulk-insert.ts), then the journal events in large appends. Appending last keeps the journal head (which every other writer needs) locked
 * only for the append itself, not for the whole import.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import { dialectOf } from '../../../storage/bulk-insert.js';
import type { Database } from '../../../storage/schema.js';
import type { RecordEvents } from '../../audit/index.js';
import { credentialIssued, personCreated, present } from '../events.js';
import { maskCardNumber } from '../model.js';
import type { PersonCredentialsTable, PersonJobRolesTable, PersonSitesTable, PersonsTable } from '../tables.js';
import { importInserts } from './bulk.js';
import type { ImportedPerson } from './validate.js';

/** Well under SQLite's 32,766 bound variables per statement. */
const MAX_VARIABLES = 30_000;
/**
 * Events per journal append: the journal chains a batch in one pass and writes it in as few
 * statements as it can; the bound keeps the rows of one append (a few hundred bytes each) in memory.
 */
const EVENTS_PER_APPEND = 20_000;

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

  let drafts: EventDraft[] = [];
  for (const person of persons) {
    const envelope = {
      site: person.sites[0] ?? null,
      source: context.source,
      subject: person.id!,
      correlationId: context.correlationId,
      at: context.now,
    };
    drafts.push(
      personCreated.draft(envelope, {
        kind: person.kind,
        status: 'active',
        jobRoleIds: person.jobRoleIds,
        sites: person.sites,
        ...present({
          employeeId: person.employeeId,
          departmentId: person.departmentId,
          validFrom: person.validFrom,
          validUntil: person.validUntil,
        }),
      }),
    );
    for (const card of person.cards) {
      drafts.push(
        credentialIssued.draft(envelope, {
          credentialId: card.id!,
          type: 'card',
          format: card.format,
          facilityCode: card.facilityCode,
          cardNumberMasked: maskCardNumber(card.cardNumber),
          ...present({ validFrom: card.validFrom, validUntil: card.validUntil }),
        }),
      );
    }
    if (person.pin?.id) {
      drafts.push(credentialIssued.draft(envelope, { credentialId: person.pin.id, type: 'pin' }));
    }
    if (drafts.length >= EVENTS_PER_APPEND) {
      await record(trx, drafts);
      drafts = [];
    }
  }
  await record(trx, drafts);
  return { persons: persons.length, credentials: credentialRows.length };
}

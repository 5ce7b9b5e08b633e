/**
 * Credentials: issuing cards, PINs, mobile credentials and biometric references, and their
 * lifecycle. Lost, stolen and revoked are final (a found card is reissued, not revived; a lost
 * card may still be reported stolen). Card numbers leave this module only masked.
 */
import { isVigilError, newId, validateCard, type EventDefinition, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { checkTemplateRef } from './biometric.js';
import { decodeCursor, encodeCursor, isUniqueViolation, transact, type Page, type PeopleDeps } from './context.js';
import { peopleError } from './errors.js';
import {
  credentialIssued,
  credentialReportedLost,
  credentialReportedStolen,
  credentialResumed,
  credentialRevoked,
  credentialSuspended,
  present,
} from './events.js';
import { maskCardNumber, optionalInstant, toCredential } from './model.js';
import { checkWindow, requirePersonRow, sitesOfPerson, type Executor } from './person-store.js';
import { checkPin, hashPin } from './pin.js';
import type { BiometricIssue, CardIssue, Credential, MobileIssue, PinIssue } from './schemas.js';
import type { PersonCredentialsTable } from './tables.js';
import type { CredentialStatus, CredentialType } from './vocabulary.js';

type Change = 'suspend' | 'resume' | 'report_lost' | 'report_stolen' | 'revoke';

const TRANSITIONS: Record<
  Change,
  { from: readonly CredentialStatus[]; to: CredentialStatus; event: EventDefinition<string, typeof credentialSuspended.schema> }
> = {
  suspend: { from: ['active'], to: 'suspended', event: credentialSuspended },
  resume: { from: ['suspended'], to: 'active', event: credentialResumed },
  report_lost: { from: ['active', 'suspended'], to: 'lost', event: credentialReportedLost },
  report_stolen: { from: ['active', 'suspended', 'lost'], to: 'stolen', event: credentialReportedStolen },
  revoke: { from: ['active', 'suspended'], to: 'revoked', event: credentialRevoked },
};

const LIST = 'credentials';

/** Throws `people.card_invalid` unless the numbers fit the Wiegand format. */
export function checkCard(format: string, facilityCode: number, cardNumber: number): void {
  try {
    validateCard(format, facilityCode, cardNumber);
  } catch (error) {
    if (!isVigilError(error)) throw error;
    throw peopleError('people.card_invalid', error.message, { reason: error.code, ...error.details });
  }
}

export async function findCardHolder(db: Executor, format: string, facilityCode: number, cardNumber: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('person_credentials')
    .select('id')
    .where('card_format', '=', format)
    .where('facility_code', '=', facilityCode)
    .where('card_number', '=', cardNumber)
    .executeTakeFirst();
  return row?.id;
}

type TypeColumns = Pick<
  PersonCredentialsTable,
  | 'card_format'
  | 'facility_code'
  | 'card_number'
  | 'pin_hash'
  | 'mobile_platform'
  | 'mobile_enrolment_id'
  | 'biometric_vendor'
  | 'biometric_template_ref'
>;
const NO_TYPE_COLUMNS: TypeColumns = {
  card_format: null,
  facility_code: null,
  card_number: null,
  pin_hash: null,
  mobile_platform: null,
  mobile_enrolment_id: null,
  biometric_vendor: null,
  biometric_template_ref: null,
};

export class CredentialService {
  constructor(private readonly deps: PeopleDeps) {}

  async listForPerson(personId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<Credential>> {
    await requirePersonRow(this.deps.db, personId);
    let select = this.deps.db.selectFrom('person_credentials').selectAll().where('person_id', '=', personId);
    if (page.cursor) select = select.where('id', '>', decodeCursor(LIST, page.cursor, 1)[0]!);
    const rows = await select
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(toCredential), nextCursor: rows.length > page.limit && last ? encodeCursor(LIST, [last.id]) : null };
  }

  async get(credentialId: string): Promise<Credential> {
    return toCredential(await this.requireRow(this.deps.db, credentialId));
  }

  /** The holder's sites, for site-scoped access checks (empty if the credential is unknown). */
  async sitesOf(credentialId: string): Promise<string[]> {
    const row = await this.deps.db.selectFrom('person_credentials').select('person_id').where('id', '=', credentialId).executeTakeFirst();
    return row ? sitesOfPerson(this.deps.db, row.person_id) : [];
  }

  async issueCard(personId: string, input: CardIssue, source: string): Promise<Credential> {
    checkCard(input.format, input.facilityCode, input.cardNumber);
    const duplicate = async (db: Executor) => {
      const holder = await findCardHolder(db, input.format, input.facilityCode, input.cardNumber);
      return holder
        ? peopleError(
            'people.card_duplicate',
            `That card number is already credential ${holder} under facility code ${input.facilityCode}`,
            {
              credentialId: holder,
              format: input.format,
              facilityCode: input.facilityCode,
            },
          )
        : undefined;
    };
    return this.issue(
      personId,
      'card',
      input,
      { card_format: input.format, facility_code: input.facilityCode, card_number: input.cardNumber },
      source,
      duplicate,
    );
  }

  /** Issues a PIN; an earlier usable PIN of the person is revoked in the same transaction (a PIN change). */
  async issuePin(personId: string, input: PinIssue, source: string): Promise<Credential> {
    checkPin(input.pin);
    const pinHash = await hashPin(input.pin);
    return this.issue(personId, 'pin', input, { pin_hash: pinHash }, source, undefined, async (trx, envelope) => {
      const previous = await trx
        .selectFrom('person_credentials')
        .select(['id', 'status'])
        .where('person_id', '=', personId)
        .where('type', '=', 'pin')
        .where('status', 'in', ['active', 'suspended'])
        .execute();
      if (previous.length === 0) return [];
      const at = this.deps.clock().toISOString();
      await trx
        .updateTable('person_credentials')
        .set({ status: 'revoked', status_reason: 'replaced by a new PIN', status_changed_at: at, updated_at: at })
        .where(
          'id',
          'in',
          previous.map((p) => p.id),
        )
        .execute();
      return previous.map((p) =>
        credentialRevoked.draft(envelope, {
          credentialId: p.id,
          type: 'pin',
          from: p.status as CredentialStatus,
          reason: 'replaced by a new PIN',
          cardNumberMasked: null,
        }),
      );
    });
  }

  async issueMobile(personId: string, input: MobileIssue, source: string): Promise<Credential> {
    const duplicate = async (db: Executor) => {
      const row = await db
        .selectFrom('person_credentials')
        .select('id')
        .where('mobile_platform', '=', input.platform)
        .where('mobile_enrolment_id', '=', input.enrolmentId)
        .executeTakeFirst();
      return row
        ? peopleError('people.mobile_duplicate', `That enrolment is already credential ${row.id}`, { credentialId: row.id })
        : undefined;
    };
    return this.issue(
      personId,
      'mobile',
      input,
      { mobile_platform: input.platform, mobile_enrolment_id: input.enrolmentId },
      source,
      duplicate,
    );
  }

  async issueBiometric(personId: string, input: BiometricIssue, source: string): Promise<Credential> {
    checkTemplateRef(input.templateRef);
    const vendor = input.vendor.trim();
    const duplicate = async (db: Executor) => {
      const row = await db
        .selectFrom('person_credentials')
        .select('id')
        .where('biometric_vendor', '=', vendor)
        .where('biometric_template_ref', '=', input.templateRef)
        .executeTakeFirst();
      return row
        ? peopleError('people.biometric_duplicate', `That enrolment is already credential ${row.id}`, { credentialId: row.id })
        : undefined;
    };
    return this.issue(
      personId,
      'biometric',
      input,
      { biometric_vendor: vendor, biometric_template_ref: input.templateRef },
      source,
      duplicate,
    );
  }

  async change(credentialId: string, change: Change, reason: string | null, source: string): Promise<Credential> {
    const transition = TRANSITIONS[change];
    return transact(this.deps, async (trx, record) => {
      const row = await this.requireRow(trx, credentialId);
      const from = row.status as CredentialStatus;
      if (!transition.from.includes(from)) {
        throw peopleError('people.credential_transition_invalid', `A ${from} credential cannot become ${transition.to}`, {
          from,
          to: transition.to,
        });
      }
      const at = this.deps.clock().toISOString();
      const updated = await trx
        .updateTable('person_credentials')
        .set({ status: transition.to, status_reason: reason, status_changed_at: at, updated_at: at })
        .where('id', '=', credentialId)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw peopleError('people.credential_transition_invalid', 'The credential changed concurrently; retry', {
          from,
          to: transition.to,
        });
      }
      const sites = await sitesOfPerson(trx, row.person_id);
      await record(
        trx,
        transition.event.draft(
          { site: sites[0] ?? null, source, subject: row.person_id },
          {
            credentialId,
            type: row.type as CredentialType,
            from,
            reason,
            cardNumberMasked: row.card_number === null ? null : maskCardNumber(row.card_number),
          },
        ),
      );
      return toCredential({ ...row, status: transition.to, status_reason: reason, status_changed_at: at, updated_at: at });
    });
  }

  private async issue(
    personId: string,
    type: CredentialType,
    window: { validFrom?: string | undefined; validUntil?: string | undefined },
    columns: Partial<TypeColumns>,
    source: string,
    duplicate?: (db: Executor) => Promise<Error | undefined>,
    before?: (trx: Transaction<Database>, envelope: { site: string | null; source: string; subject: string }) => Promise<EventDraft[]>,
  ): Promise<Credential> {
    checkWindow(window.validFrom, window.validUntil);
    const now = this.deps.clock().toISOString();
    const row: PersonCredentialsTable = {
      id: newId(),
      person_id: personId,
      type,
      status: 'active',
      status_reason: null,
      status_changed_at: now,
      valid_from: optionalInstant(window.validFrom),
      valid_until: optionalInstant(window.validUntil),
      ...NO_TYPE_COLUMNS,
      ...columns,
      issued_by: source,
      created_at: now,
      updated_at: now,
    };
    try {
      return await transact(this.deps, async (trx, record) => {
        const person = await requirePersonRow(trx, personId);
        if (person.status === 'terminated') {
          throw peopleError('people.person_terminated', 'A terminated person cannot be given credentials', { personId });
        }
        const conflict = await duplicate?.(trx);
        if (conflict) throw conflict;
        const sites = await sitesOfPerson(trx, personId);
        const envelope = { site: sites[0] ?? null, source, subject: personId };
        const replaced = (await before?.(trx, envelope)) ?? [];
        await trx.insertInto('person_credentials').values(row).execute();
        const credential = toCredential(row);
        await record(trx, [
          ...replaced,
          credentialIssued.draft(envelope, {
            credentialId: row.id,
            type,
            ...present({
              format: credential.card?.format,
              facilityCode: credential.card?.facilityCode,
              cardNumberMasked: credential.card?.cardNumberMasked,
              platform: credential.mobile?.platform,
              vendor: credential.biometric?.vendor,
              validFrom: row.valid_from,
              validUntil: row.valid_until,
            }),
          }),
        ]);
        return credential;
      });
    } catch (error) {
      // A concurrent issue of the same card or enrolment won the race: answer as if we had seen it.
      if (duplicate && isUniqueViolation(error)) throw (await duplicate(this.deps.db)) ?? error;
      throw error;
    }
  }

  private async requireRow(db: Executor, credentialId: string): Promise<PersonCredentialsTable> {
    const row = await db.selectFrom('person_credentials').selectAll().where('id', '=', credentialId).executeTakeFirst();
    if (!row) throw peopleError('people.credential_not_found', `No credential ${credentialId}`, { credentialId });
    return row;
  }
}

/**
 * Termination: the person's status and every credential they could still use change in one
 * transaction, with an event for each, so there is no moment (and no crash) in which a
 * terminated person holds a working card.
 */
import type { EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { peopleError } from './errors.js';
import { credentialRevoked, personTerminated } from './events.js';
import { maskCardNumber } from './model.js';
import type { PersonsTable } from './tables.js';
import { TERMINATION_REASON, type CredentialType, type PersonStatus } from './vocabulary.js';

/** States in which a credential still works (or can be made to work again). */
const USABLE = ['active', 'suspended'] as const;

export interface TerminationContext {
  readonly source: string;
  readonly reason: string | null;
  readonly now: Date;
  /** Ties the events of one termination (or one HR batch) together. */
  readonly correlationId: string;
}

/**
 * Terminates the person and revokes their usable credentials inside `trx`; returns the events to
 * record (the caller records them in the same transaction) and how many credentials were disabled.
 * Lost and stolen credentials keep their state: they are already unusable, and the report of
 * theft must stay visible.
 */
export async function terminatePerson(
  trx: Transaction<Database>,
  person: PersonsTable,
  sites: readonly string[],
  context: TerminationContext,
): Promise<{ drafts: EventDraft[]; credentialsDisabled: number }> {
  const from = person.status as PersonStatus;
  if (from === 'terminated') {
    throw peopleError('people.invalid_transition', 'The person is already terminated', { from, to: 'terminated' });
  }
  const at = context.now.toISOString();
  const updated = await trx
    .updateTable('persons')
    .set({ status: 'terminated', status_reason: context.reason, status_changed_at: at, updated_at: at })
    .where('id', '=', person.id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    // Someone changed the person since it was read: the caller's view is stale.
    throw peopleError('people.invalid_transition', 'The person changed state concurrently; retry', { from, to: 'terminated' });
  }

  const credentials = await trx
    .selectFrom('person_credentials')
    .select(['id', 'type', 'status', 'card_number'])
    .where('person_id', '=', person.id)
    .where('status', 'in', USABLE)
    .orderBy('id')
    .execute();
  if (credentials.length > 0) {
    await trx
      .updateTable('person_credentials')
      .set({ status: 'revoked', status_reason: TERMINATION_REASON, status_changed_at: at, updated_at: at })
      .where('person_id', '=', person.id)
      .where('status', 'in', USABLE)
      .execute();
  }

  const envelope = {
    site: sites[0] ?? null,
    source: context.source,
    subject: person.id,
    correlationId: context.correlationId,
    at: context.now,
  };
  const drafts: EventDraft[] = [
    personTerminated.draft(envelope, { from, reason: context.reason, credentialsDisabled: credentials.length }),
    ...credentials.map((c) =>
      credentialRevoked.draft(envelope, {
        credentialId: c.id,
        type: c.type as CredentialType,
        from: c.status as (typeof USABLE)[number],
        reason: TERMINATION_REASON,
        cardNumberMasked: c.card_number === null ? null : maskCardNumber(c.card_number),
      }),
    ),
  ];
  return { drafts, credentialsDisabled: credentials.length };
}

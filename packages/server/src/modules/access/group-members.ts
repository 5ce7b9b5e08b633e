/**
 * Access group membership in bulk: many persons added to, or removed from, one group in a single
 * transaction with the one event that records it. Loading a hospital's staff one person at a time
 * costs a transaction (and a disk flush) per person; this costs one per request.
 *
 * Both directions are idempotent: persons already in (or already out) are counted, not changed,
 * and a request that changes nothing writes nothing (no event, no new policy revision).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { bumpRevision, type AccessDeps } from './context.js';
import { accessModuleError } from './errors.js';
import { accessGroupMembersAdded, accessGroupMembersRemoved } from './events.js';
import type { PolicyChanged } from './schedules.js';
import type { GroupMembersChange } from './schemas.js';

/** How many unknown ids the error message spells out; `details.personIds` has them all. */
const NAMED_IN_MESSAGE = 5;

export class GroupMembershipService {
  constructor(
    private readonly deps: AccessDeps,
    private readonly changed: PolicyChanged,
  ) {}

  /** Adds the persons to the group; all of them must exist. */
  add(actor: string, groupId: string, personIds: readonly string[]): Promise<GroupMembersChange> {
    return this.change(actor, groupId, personIds, 'add');
  }

  /** Removes the persons from the group; all of them must exist, members or not. */
  remove(actor: string, groupId: string, personIds: readonly string[]): Promise<GroupMembersChange> {
    return this.change(actor, groupId, personIds, 'remove');
  }

  private async change(
    actor: string,
    groupId: string,
    personIds: readonly string[],
    direction: 'add' | 'remove',
  ): Promise<GroupMembersChange> {
    const requested = [...new Set(personIds)];
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const group = await trx.selectFrom('access_groups').select('site_id').where('id', '=', groupId).executeTakeFirst();
      if (!group) throw accessModuleError('access_policy.group_not_found', `No access group ${groupId}`, { groupId });
      await assertPersonsExist(trx, requested);
      const members = await currentMembers(trx, groupId, requested);
      const changed = requested.filter((id) => (direction === 'add' ? !members.has(id) : members.has(id))).sort();
      if (changed.length === 0) return { siteId: group.site_id, changed };
      if (direction === 'add') {
        await trx
          .insertInto('access_group_members')
          .values(changed.map((person_id) => ({ group_id: groupId, person_id })))
          // A concurrent request may have added some of them since they were read: they are in either way.
          .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
          .execute();
      } else {
        await trx.deleteFrom('access_group_members').where('group_id', '=', groupId).where('person_id', 'in', changed).execute();
      }
      const event = direction === 'add' ? accessGroupMembersAdded : accessGroupMembersRemoved;
      await this.deps.record(trx, event.draft({ site: group.site_id, source: actor }, { groupId, personIds: changed }));
      await bumpRevision(trx, group.site_id);
      return { siteId: group.site_id, changed };
    });
    if (outcome.changed.length > 0) this.changed(outcome.siteId);
    return { groupId, changed: outcome.changed, unchanged: requested.length - outcome.changed.length };
  }
}

async function assertPersonsExist(trx: Transaction<Database>, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  const found = new Set(
    (
      await trx
        .selectFrom('persons')
        .select('id')
        .where('id', 'in', [...personIds])
        .execute()
    ).map((row) => row.id),
  );
  const unknown = personIds.filter((id) => !found.has(id));
  if (unknown.length === 0) return;
  const named = unknown.slice(0, NAMED_IN_MESSAGE).join(', ');
  const more = unknown.length > NAMED_IN_MESSAGE ? ` and ${unknown.length - NAMED_IN_MESSAGE} more` : '';
  throw accessModuleError('access_policy.persons_not_found', `No person has the id ${named}${more}; nothing was changed`, {
    personIds: unknown,
  });
}

async function currentMembers(trx: Transaction<Database>, groupId: string, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom('access_group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .where('person_id', 'in', [...personIds])
    .execute();
  return new Set(rows.map((row) => row.person_id));
}

/**
 * Access groups (doors of one site, each with the schedule in which the group may pass), who holds
 * them and which access privileges, and the configured mode of each door. Every change is
 * journaled and marks the sites it touches changed, so their snapshots are compiled again.
 */
import { newId } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { bumpRevision, isUniqueViolation, type AccessDeps, type Executor } from './context.js';
import { accessModuleError } from './errors.js';
import { accessGroupChanged, accessGroupCreated, accessGroupRemoved, accessRightsChanged, doorModeConfigured } from './events.js';
import { afterId, pageFrom, type Page, type PageRequest } from './page.js';
import type { PolicyChanged } from './schedules.js';
import type {
  AccessGroup,
  AccessGroupCreate,
  AccessGroupPatch,
  DoorAccessMode,
  DoorAccessModeUpdate,
  PersonAccess,
  PersonAccessUpdate,
  Privilege,
} from './schemas.js';
import type { AccessGroupsTable } from './tables.js';

export class AccessGroupService {
  constructor(
    private readonly deps: AccessDeps,
    private readonly changed: PolicyChanged,
  ) {}

  async list(scope: 'all' | readonly string[], options: PageRequest & { siteId?: string | undefined }): Promise<Page<AccessGroup>> {
    let query = this.deps.db.selectFrom('access_groups').selectAll();
    if (scope !== 'all') query = scope.length === 0 ? query.where('id', '=', '') : query.where('site_id', 'in', [...scope]);
    if (options.siteId) query = query.where('site_id', '=', options.siteId);
    const after = afterId('access-groups', options.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    const page = pageFrom('access-groups', options.limit, rows, (row) => row);
    return { items: await this.withDoors(this.deps.db, page.items), nextCursor: page.nextCursor };
  }

  async get(id: string, ex: Executor = this.deps.db): Promise<AccessGroup> {
    const row = await ex.selectFrom('access_groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw accessModuleError('access_policy.group_not_found', `No access group ${id}`, { groupId: id });
    return (await this.withDoors(ex, [row]))[0]!;
  }

  async siteOf(id: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_groups').select('site_id').where('id', '=', id).executeTakeFirst();
    return row?.site_id ?? null;
  }

  async create(actor: string, input: AccessGroupCreate): Promise<AccessGroup> {
    const now = this.deps.clock().toISOString();
    const group: AccessGroup = {
      id: newId(),
      siteId: input.siteId,
      name: input.name.trim(),
      description: input.description ?? null,
      doors: input.doors,
      createdAt: now,
      updatedAt: now,
    };
    await this.write([group.siteId], async (trx) => {
      await this.assertSameSite(trx, group);
      await trx
        .insertInto('access_groups')
        .values({ id: group.id, site_id: group.siteId, name: group.name, description: group.description, created_at: now, updated_at: now })
        .execute();
      await this.storeDoors(trx, group);
      await this.deps.record(trx, accessGroupCreated.draft({ site: group.siteId, source: actor }, { group }));
    });
    return group;
  }

  async update(actor: string, id: string, patch: AccessGroupPatch): Promise<AccessGroup> {
    const before = await this.get(id);
    const after: AccessGroup = {
      ...before,
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.doors !== undefined ? { doors: patch.doors } : {}),
      updatedAt: this.deps.clock().toISOString(),
    };
    await this.write([before.siteId], async (trx) => {
      await this.assertSameSite(trx, after);
      await trx
        .updateTable('access_groups')
        .set({ name: after.name, description: after.description, updated_at: after.updatedAt })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('access_group_doors').where('group_id', '=', id).execute();
      await this.storeDoors(trx, after);
      await this.deps.record(trx, accessGroupChanged.draft({ site: before.siteId, source: actor }, { before, after }));
    });
    return after;
  }

  async remove(actor: string, id: string): Promise<void> {
    const group = await this.get(id);
    await this.write([group.siteId], async (trx) => {
      await trx.deleteFrom('access_group_doors').where('group_id', '=', id).execute();
      await trx.deleteFrom('access_group_members').where('group_id', '=', id).execute();
      await trx.deleteFrom('access_groups').where('id', '=', id).execute();
      await this.deps.record(trx, accessGroupRemoved.draft({ site: group.siteId, source: actor }, { id, name: group.name }));
    });
  }

  async personAccess(personId: string, ex: Executor = this.deps.db): Promise<PersonAccess> {
    const person = await ex.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst();
    if (!person) throw accessModuleError('access_policy.person_not_found', `No person ${personId}`, { personId });
    const groups = await ex
      .selectFrom('access_group_members')
      .select('group_id')
      .where('person_id', '=', personId)
      .orderBy('group_id')
      .execute();
    const privileges = await ex
      .selectFrom('access_person_privileges')
      .select('privilege')
      .where('person_id', '=', personId)
      .orderBy('privilege')
      .execute();
    return { personId, groupIds: groups.map((g) => g.group_id), privileges: privileges.map((p) => p.privilege as Privilege) };
  }

  /** Sites of the given groups (unknown ids are skipped; the update refuses them). */
  async sitesOfGroups(groupIds: readonly string[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.deps.db
      .selectFrom('access_groups')
      .select('site_id')
      .where('id', 'in', [...groupIds])
      .execute();
    return [...new Set(rows.map((r) => r.site_id))];
  }

  async setPersonAccess(actor: string, personId: string, update: PersonAccessUpdate): Promise<PersonAccess> {
    const before = await this.personAccess(personId);
    const groups = update.groupIds.length
      ? await this.deps.db.selectFrom('access_groups').select(['id', 'site_id']).where('id', 'in', update.groupIds).execute()
      : [];
    const missing = update.groupIds.find((id) => !groups.some((g) => g.id === id));
    if (missing) throw accessModuleError('access_policy.group_not_found', `No access group ${missing}`, { groupId: missing });
    const after: PersonAccess = { personId, groupIds: [...update.groupIds].sort(), privileges: [...update.privileges].sort() };
    // Privileges count on every site the person is known to; group changes on the groups' sites.
    const sites = new Set([...(await this.sitesOfGroups([...before.groupIds, ...after.groupIds])), ...(await this.personSites(personId))]);
    await this.write([...sites], async (trx) => {
      await trx.deleteFrom('access_group_members').where('person_id', '=', personId).execute();
      await trx.deleteFrom('access_person_privileges').where('person_id', '=', personId).execute();
      if (after.groupIds.length)
        await trx
          .insertInto('access_group_members')
          .values(after.groupIds.map((group_id) => ({ group_id, person_id: personId })))
          .execute();
      if (after.privileges.length) {
        await trx
          .insertInto('access_person_privileges')
          .values(after.privileges.map((privilege) => ({ person_id: personId, privilege })))
          .execute();
      }
      const drafts = accessRightsChanged.draft(
        { site: null, source: actor, subject: personId },
        {
          personId,
          before: { groupIds: before.groupIds, privileges: before.privileges },
          after: { groupIds: after.groupIds, privileges: after.privileges },
        },
      );
      await this.deps.record(trx, drafts);
    });
    return after;
  }

  async doorMode(doorId: string, ex: Executor = this.deps.db): Promise<DoorAccessMode> {
    const door = await ex.selectFrom('doors').select(['id', 'site_id']).where('id', '=', doorId).executeTakeFirst();
    if (!door) throw accessModuleError('access_policy.door_not_found', `No door ${doorId}`, { doorId });
    const row = await ex.selectFrom('access_door_modes').selectAll().where('door_id', '=', doorId).executeTakeFirst();
    return {
      doorId,
      siteId: door.site_id,
      mode: (row?.mode ?? 'card_only') as DoorAccessMode['mode'],
      scheduleId: row?.schedule_id ?? null,
      updatedAt: row?.updated_at ?? null,
    };
  }

  async setDoorMode(actor: string, doorId: string, update: DoorAccessModeUpdate): Promise<DoorAccessMode> {
    const before = await this.doorMode(doorId);
    const scheduleId = update.scheduleId ?? null;
    if ((update.mode === 'scheduled' || update.mode === 'first_person_in') && scheduleId === null) {
      throw accessModuleError('access_policy.schedule_required', `Mode ${update.mode} needs a schedule`);
    }
    const after: DoorAccessMode = { ...before, mode: update.mode, scheduleId, updatedAt: this.deps.clock().toISOString() };
    await this.write([before.siteId], async (trx) => {
      if (scheduleId) await this.assertSchedule(trx, scheduleId, before.siteId);
      const row = { door_id: doorId, site_id: before.siteId, mode: after.mode, schedule_id: scheduleId, updated_at: after.updatedAt! };
      await trx
        .insertInto('access_door_modes')
        .values(row)
        .onConflict((oc) => oc.column('door_id').doUpdateSet(row))
        .execute();
      await this.deps.record(trx, doorModeConfigured.draft({ site: before.siteId, source: actor, door: doorId }, { before, after }));
    });
    return after;
  }

  private async personSites(personId: string): Promise<string[]> {
    const rows = await this.deps.db.selectFrom('person_sites').select('site_id').where('person_id', '=', personId).execute();
    return rows.map((r) => r.site_id);
  }

  private async assertSameSite(trx: Executor, group: AccessGroup): Promise<void> {
    const doorIds = [...new Set(group.doors.map((d) => d.doorId))];
    if (doorIds.length !== group.doors.length) throw accessModuleError('access_policy.other_site', 'A door is listed twice in the group');
    if (doorIds.length === 0) return;
    const doors = await trx.selectFrom('doors').select(['id', 'site_id']).where('id', 'in', doorIds).execute();
    for (const doorId of doorIds) {
      const door = doors.find((d) => d.id === doorId);
      if (!door) throw accessModuleError('access_policy.door_not_found', `No door ${doorId}`, { doorId });
      if (door.site_id !== group.siteId)
        throw accessModuleError('access_policy.other_site', `Door ${doorId} is on another site`, { doorId });
    }
    for (const scheduleId of new Set(group.doors.map((d) => d.scheduleId))) await this.assertSchedule(trx, scheduleId, group.siteId);
  }

  private async assertSchedule(trx: Executor, scheduleId: string, siteId: string): Promise<void> {
    const schedule = await trx.selectFrom('access_schedules').select('site_id').where('id', '=', scheduleId).executeTakeFirst();
    if (!schedule) throw accessModuleError('access_policy.schedule_not_found', `No schedule ${scheduleId}`, { scheduleId });
    if (schedule.site_id !== siteId)
      throw accessModuleError('access_policy.other_site', `Schedule ${scheduleId} is on another site`, { scheduleId });
  }

  private async storeDoors(trx: Transaction<Database>, group: AccessGroup): Promise<void> {
    if (group.doors.length === 0) return;
    await trx
      .insertInto('access_group_doors')
      .values(group.doors.map((d) => ({ group_id: group.id, door_id: d.doorId, schedule_id: d.scheduleId })))
      .execute();
  }

  private async withDoors(ex: Executor, rows: readonly AccessGroupsTable[]): Promise<AccessGroup[]> {
    if (rows.length === 0) return [];
    const doors = await ex
      .selectFrom('access_group_doors')
      .selectAll()
      .where(
        'group_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('door_id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      siteId: row.site_id,
      name: row.name,
      description: row.description,
      doors: doors.filter((d) => d.group_id === row.id).map((d) => ({ doorId: d.door_id, scheduleId: d.schedule_id })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  private async write(sites: readonly string[], work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await work(trx);
        for (const site of sites) await bumpRevision(trx, site);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw accessModuleError('access_policy.name_taken', 'Another access group of the site has this name');
      throw error;
    }
    for (const site of sites) this.changed(site);
  }
}

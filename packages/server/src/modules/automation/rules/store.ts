/**
 * Rules as stored: created, changed, enabled, disabled and deleted with a new version each time
 * (every version kept) and a journal entry carrying the document. Saving validates the document,
 * checks what it names exists on its site, and refuses a rule that would close a loop among the
 * enabled rules.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../../storage/schema.js';
import { afterCursor, commit, isUniqueViolation, pageCursor, type AutomationContext, type Page } from '../context.js';
import { automationError } from '../errors.js';
import { ruleChanged, ruleCreated, ruleDeleted } from '../events.js';
import type { AutomationRulesTable, AutomationRuleVersionsTable } from '../tables.js';
import { findCycle, loopNode } from './loops.js';
import type { Rule, RuleVersion } from './model.js';
import { digestOf, invalid, parseRule, storedDocument, type ParsedRule, type RuleInput } from './parse.js';
import type { SchemaProblem, RuleDocument } from './schema.js';

export interface RuleReferences {
  /** Whether some catalogued event type matches the pattern (`door.*` matches `door.contact_opened`). */
  knownEventType(pattern: string): boolean;
  /** The site of a door, zone, plan or channel; undefined when it does not exist. */
  siteOfDoor(id: string): string | undefined;
  siteOfZone(id: string): string | undefined;
  siteOfPlan(id: string): Promise<string | undefined>;
  siteOfChannel(id: string): Promise<string | null | undefined>;
  /** Event types door commands journal (for the loop check). */
  doorEvents(): readonly string[];
}

function toRule(row: AutomationRulesTable): Rule {
  return {
    id: row.id,
    name: row.name,
    siteId: row.site_id,
    enabled: row.enabled === 1,
    version: row.version,
    document: JSON.parse(row.document) as unknown,
    format: row.format,
    source: row.source_text,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function recordOf(row: AutomationRulesTable) {
  const document = JSON.parse(row.document) as RuleDocument;
  return {
    id: row.id,
    name: row.name,
    siteId: row.site_id,
    enabled: row.enabled === 1,
    version: row.version,
    document,
    sha256: digestOf(document),
  };
}

export class RuleStore {
  constructor(
    private readonly ctx: AutomationContext,
    private readonly refs: RuleReferences,
  ) {}

  /** Parses and fully validates a rule without saving it (dry runs use this). */
  async check(input: RuleInput): Promise<ParsedRule> {
    const parsed = parseRule(input);
    const problems = await this.referenceProblems(parsed.document);
    if (problems.length > 0) throw invalid(problems);
    return parsed;
  }

  async create(actor: string, input: RuleInput): Promise<Rule> {
    return this.insert(actor, input, () => Promise.resolve());
  }

  /**
   * Creates a rule Vigil ships as a default, once per installation: the `automation_rule_defaults`
   * row written in the same transaction lets one node win a race and outlives the rule, so a
   * default an operator deleted is never created again. Null when it was seeded before.
   */
  async createDefault(key: string, actor: string, input: RuleInput): Promise<Rule | null> {
    const seeded = await this.ctx.db.selectFrom('automation_rule_defaults').select('key').where('key', '=', key).executeTakeFirst();
    if (seeded) return null;
    try {
      // An installation that already answers the event with a rule of its own (an upgrade, or an
      // integrator's) keeps its rule alone: a default beside it would raise every alarm twice.
      if (await this.anyRuleTriggeredBy(input.document)) {
        await this.ctx.db
          .insertInto('automation_rule_defaults')
          .values({ key, rule_id: null, seeded_at: this.ctx.clock().toISOString() })
          .execute();
        return null;
      }
      return await this.insert(actor, input, async (trx, ruleId, now) => {
        await trx.insertInto('automation_rule_defaults').values({ key, rule_id: ruleId, seeded_at: now }).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  /** Whether a stored rule (any site, enabled or not) triggers on one of the event types `document` triggers on. */
  private async anyRuleTriggeredBy(document: unknown): Promise<boolean> {
    const types = triggerTypes(document);
    if (types.length === 0) return false;
    const rows = await this.ctx.db.selectFrom('automation_rules').select('document').execute();
    return rows.some((row) => triggerTypes(JSON.parse(row.document)).some((t) => types.includes(t)));
  }

  private async insert(
    actor: string,
    input: RuleInput,
    alongside: (trx: Transaction<Database>, ruleId: string, now: string) => Promise<void>,
  ): Promise<Rule> {
    const parsed = await this.check(input);
    const enabled = parsed.document.enabled ?? true;
    const id = newId();
    if (enabled) await this.assertNoLoop(id, parsed.document);
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      await alongside(trx, id, now);
      const row: AutomationRulesTable = {
        id,
        site_id: parsed.document.site,
        name: parsed.document.name,
        enabled: enabled ? 1 : 0,
        version: 1,
        document: JSON.stringify(storedDocument(parsed.document)),
        source_text: parsed.sourceText,
        format: parsed.format,
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
      };
      await trx.insertInto('automation_rules').values(row).execute();
      await this.addVersion(trx, row, 'created');
      return { result: toRule(row), events: [ruleCreated.draft({ site: row.site_id, source: actor }, { rule: recordOf(row) })] };
    });
  }

  async update(actor: string, id: string, input: RuleInput, expectedVersion?: number): Promise<Rule> {
    const parsed = await this.check(input);
    const current = await this.require(id);
    const enabled = parsed.document.enabled ?? current.enabled === 1;
    if (enabled) await this.assertNoLoop(id, parsed.document);
    return this.save(actor, current, expectedVersion, 'changed', {
      site_id: parsed.document.site,
      name: parsed.document.name,
      enabled: enabled ? 1 : 0,
      document: JSON.stringify(storedDocument(parsed.document)),
      source_text: parsed.sourceText,
      format: parsed.format,
    });
  }

  async setEnabled(actor: string, id: string, enabled: boolean, expectedVersion?: number): Promise<Rule> {
    const current = await this.require(id);
    if (enabled) await this.assertNoLoop(id, JSON.parse(current.document) as RuleDocument);
    return this.save(actor, current, expectedVersion, enabled ? 'enabled' : 'disabled', { enabled: enabled ? 1 : 0 });
  }

  async remove(actor: string, id: string, expectedVersion?: number): Promise<void> {
    const current = await this.require(id);
    await commit(this.ctx, async (trx) => {
      const deleted = await trx
        .deleteFrom('automation_rules')
        .where('id', '=', id)
        .where('version', '=', expectedVersion ?? current.version)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) throw this.versionConflict(id);
      await this.addVersion(
        trx,
        { ...current, version: current.version + 1, enabled: 0, updated_at: this.ctx.clock().toISOString(), updated_by: actor },
        'deleted',
      );
      return {
        result: undefined,
        events: [
          ruleDeleted.draft({ site: current.site_id, source: actor }, { ruleId: id, name: current.name, version: current.version + 1 }),
        ],
      };
    });
  }

  async get(id: string): Promise<Rule> {
    return toRule(await this.require(id));
  }

  async siteOf(id: string): Promise<string | null | undefined> {
    const row = await this.ctx.db.selectFrom('automation_rules').select('site_id').where('id', '=', id).executeTakeFirst();
    return row ? row.site_id : undefined;
  }

  async list(options: { sites: 'all' | readonly string[]; limit: number; cursor?: string | undefined }): Promise<Page<Rule>> {
    const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
    let query = this.ctx.db.selectFrom('automation_rules').selectAll();
    if (options.sites !== 'all')
      query = query.where((eb) =>
        eb.or([eb('site_id', 'is', null), ...(options.sites.length > 0 ? [eb('site_id', 'in', [...options.sites])] : [])]),
      );
    const after = afterCursor('rules', options.cursor);
    if (after) query = query.where('id', '>', after);
    const rows = await query
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toRule), nextCursor: rows.length > limit && last ? pageCursor('rules', last.id) : null };
  }

  async versions(id: string): Promise<RuleVersion[]> {
    const rows = await this.ctx.db
      .selectFrom('automation_rule_versions')
      .selectAll()
      .where('rule_id', '=', id)
      .orderBy('version')
      .execute();
    if (rows.length === 0) throw automationError('automation.rule_not_found', `No rule ${id}`, { rule: id });
    return rows.map((r) => ({
      version: r.version,
      change: r.change,
      enabled: r.enabled === 1,
      document: JSON.parse(r.document) as unknown,
      format: r.format,
      source: r.source_text,
      changedAt: r.changed_at,
      changedBy: r.changed_by,
    }));
  }

  /** Every enabled rule, for the engine. */
  async enabledRules(): Promise<{ id: string; version: number; document: RuleDocument }[]> {
    const rows = await this.ctx.db.selectFrom('automation_rules').select(['id', 'version', 'document']).where('enabled', '=', 1).execute();
    return rows.map((r) => ({ id: r.id, version: r.version, document: JSON.parse(r.document) as RuleDocument }));
  }

  /** One rule as the engine needs it (null: deleted or disabled). */
  async enabledRule(id: string): Promise<{ id: string; version: number; document: RuleDocument } | null> {
    const row = await this.ctx.db
      .selectFrom('automation_rules')
      .select(['id', 'version', 'document', 'enabled'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && row.enabled === 1 ? { id: row.id, version: row.version, document: JSON.parse(row.document) as RuleDocument } : null;
  }

  private async save(
    actor: string,
    current: AutomationRulesTable,
    expectedVersion: number | undefined,
    change: 'changed' | 'enabled' | 'disabled',
    patch: Partial<AutomationRulesTable>,
  ): Promise<Rule> {
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      const base = expectedVersion ?? current.version;
      const row: AutomationRulesTable = { ...current, ...patch, version: base + 1, updated_at: now, updated_by: actor };
      const updated = await trx
        .updateTable('automation_rules')
        .set(row)
        .where('id', '=', current.id)
        .where('version', '=', base)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw this.versionConflict(current.id);
      await this.addVersion(trx, row, change);
      const event: EventDraft = ruleChanged.draft({ site: row.site_id, source: actor }, { rule: recordOf(row), change });
      return { result: toRule(row), events: [event] };
    });
  }

  private async addVersion(
    trx: Transaction<Database>,
    row: AutomationRulesTable,
    change: AutomationRuleVersionsTable['change'],
  ): Promise<void> {
    await trx
      .insertInto('automation_rule_versions')
      .values({
        rule_id: row.id,
        version: row.version,
        change,
        enabled: row.enabled,
        document: row.document,
        source_text: row.source_text,
        format: row.format,
        changed_at: row.updated_at,
        changed_by: row.updated_by,
      })
      .execute();
  }

  private async require(id: string): Promise<AutomationRulesTable> {
    const row = await this.ctx.db.selectFrom('automation_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw automationError('automation.rule_not_found', `No rule ${id}`, { rule: id });
    return row;
  }

  private versionConflict(id: string) {
    return automationError('automation.rule_version_conflict', `Rule ${id} changed meanwhile; reload it`, { rule: id });
  }

  private async assertNoLoop(id: string, document: RuleDocument): Promise<void> {
    const doorEvents = this.refs.doorEvents();
    const others = (await this.enabledRules()).filter((r) => r.id !== id).map((r) => loopNode(r.id, r.document, doorEvents));
    const cycle = findCycle(loopNode(id, document, doorEvents), others);
    if (cycle) {
      throw automationError('automation.rule_loop', `The rule would trigger itself through ${cycle.join(' → ')}`, { cycle });
    }
  }

  private async referenceProblems(doc: RuleDocument): Promise<SchemaProblem[]> {
    const problems: SchemaProblem[] = [];
    const types = (value: string | readonly string[]) => (typeof value === 'string' ? [value] : value);
    const checkTypes = (path: string, value: string | readonly string[]) => {
      for (const t of types(value)) if (!this.refs.knownEventType(t)) problems.push({ path, message: `no event type matches \`${t}\`` });
    };
    checkTypes('/trigger/event', doc.trigger.event);
    (doc.conditions ?? []).forEach((c, i) => {
      if ('count' in c) checkTypes(`/conditions/${i}/count/event`, c.count.event);
      if ('absent' in c) checkTypes(`/conditions/${i}/absent/event`, c.absent.event);
    });
    const onSite = (path: string, what: string, id: string, site: string | null | undefined) => {
      if (site === undefined) problems.push({ path, message: `no ${what} ${id}` });
      else if (doc.site !== null && site !== null && site !== doc.site)
        problems.push({ path, message: `${what} ${id} is on another site` });
    };
    for (const [i, action] of doc.actions.entries()) {
      const path = `/actions/${i}`;
      if ('startPlan' in action) onSite(path, 'plan', action.startPlan.plan, await this.refs.siteOfPlan(action.startPlan.plan));
      if ('notify' in action) onSite(path, 'channel', action.notify.channel, await this.refs.siteOfChannel(action.notify.channel));
      if ('webhook' in action) onSite(path, 'channel', action.webhook.channel, await this.refs.siteOfChannel(action.webhook.channel));
      const door =
        'lockDoor' in action
          ? action.lockDoor.door
          : 'unlockDoor' in action
            ? action.unlockDoor.door
            : 'setDoorMode' in action
              ? action.setDoorMode.door
              : undefined;
      if (door) onSite(path, 'door', door, this.refs.siteOfDoor(door));
      const zone = 'lockZone' in action ? action.lockZone.zone : 'unlockZone' in action ? action.unlockZone.zone : undefined;
      if (zone) onSite(path, 'zone', zone, this.refs.siteOfZone(zone));
    }
    return problems;
  }
}

/** The exact event types a rule document's trigger names (patterns such as `door.*` are not counted). */
function triggerTypes(document: unknown): string[] {
  const event = (document as { trigger?: { event?: unknown } } | null)?.trigger?.event;
  const list = Array.isArray(event) ? event : [event];
  return list.filter((t): t is string => typeof t === 'string' && !t.endsWith('*'));
}

/**
 * Procedures: the SOP checklist for an alarm type, per site or for every site. Each alarm gets a
 * copy of the procedure in force when it was raised, so changing a procedure never rewrites what
 * an operator already followed.
 */
import { newId } from '@vigil/core';
import { commit, type AlarmsContext } from './context.js';
import { procedureDefined } from './events.js';
import type { Procedure, ProcedureInput } from './model.js';
import { toProcedure } from './rows.js';

export class AlarmProcedures {
  constructor(private readonly ctx: AlarmsContext) {}

  /** Defines (or replaces, bumping the version) the procedure for the alarm type on the site. */
  define(actor: string, input: ProcedureInput): Promise<Procedure> {
    const siteKey = input.siteId ?? '*';
    const steps = JSON.stringify(input.steps.map((s) => ({ text: s.text, required: s.required })));
    return commit(this.ctx, async (trx) => {
      const now = this.ctx.clock().toISOString();
      const current = await trx
        .selectFrom('alarm_procedures')
        .selectAll()
        .where('site_key', '=', siteKey)
        .where('alarm_type', '=', input.alarmType)
        .executeTakeFirst();
      const row = {
        id: current?.id ?? newId(),
        site_key: siteKey,
        alarm_type: input.alarmType,
        name: input.name,
        steps,
        version: (current?.version ?? 0) + 1,
        updated_at: now,
        updated_by: actor,
      };
      if (current) await trx.updateTable('alarm_procedures').set(row).where('id', '=', current.id).execute();
      else await trx.insertInto('alarm_procedures').values(row).execute();
      const procedure = toProcedure(row);
      return { result: procedure, events: [procedureDefined.draft({ site: input.siteId, source: actor }, { procedure })] };
    });
  }

  async list(options: { sites: 'all' | readonly string[] }): Promise<Procedure[]> {
    let query = this.ctx.db.selectFrom('alarm_procedures').selectAll();
    if (options.sites !== 'all') query = query.where('site_key', 'in', ['*', ...options.sites]);
    return (await query.orderBy('alarm_type').orderBy('site_key').execute()).map(toProcedure);
  }
}

/**
 * The alarm workflow: raise, acknowledge, assign, resolve (a note is required for priority 1–2,
 * and every required procedure step must be done), close, false-alarm review, procedure steps.
 * Each transition is a conditional update on the state it starts from, so two operators (or two
 * nodes) acting at once cannot both succeed; the loser gets `alarms.invalid_transition`.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { commit, isUniqueViolation, type AlarmsContext } from './context.js';
import { alarmError } from './errors.js';
import {
  alarmAcknowledged,
  alarmAssigned,
  alarmClosed,
  alarmFalseMarked,
  alarmRaised,
  alarmResolved,
  alarmStepCompleted,
  incidentClosed,
} from './events.js';
import type { AlarmSummary, EscalationPort, RaiseAlarm } from './model.js';
import { sourceKeyOf, toIncident, toSummary } from './rows.js';
import type { AlarmState, AlarmsTable } from './tables.js';

export interface ResolveInput {
  readonly note?: string | null | undefined;
  readonly falseAlarm?: boolean | undefined;
}

const OPEN: readonly AlarmState[] = ['new', 'acknowledged', 'assigned'];

export class AlarmLifecycle {
  constructor(
    private readonly ctx: AlarmsContext,
    private readonly escalation: () => EscalationPort | undefined,
  ) {}

  /** Raises an alarm once per dedupe key; `created` is false when the key was already raised. */
  async raise(input: RaiseAlarm): Promise<{ alarm: AlarmSummary; created: boolean }> {
    const existing = await this.byDedupeKey(input.dedupeKey);
    if (existing) return { alarm: toSummary(existing), created: false };
    const now = this.ctx.clock().toISOString();
    const row: AlarmsTable = {
      id: newId(),
      site_id: input.siteId,
      type: input.type,
      priority: input.priority,
      state: 'new',
      title: input.title,
      zone_id: input.zoneId ?? null,
      door_id: input.doorId ?? null,
      device: input.device ?? null,
      rule_id: input.ruleId ?? null,
      trigger_event_id: input.triggerEventId ?? null,
      dedupe_key: input.dedupeKey,
      raised_at: now,
      raised_by: input.source,
      acknowledged_at: null,
      acknowledged_by: null,
      assigned_to: null,
      assigned_at: null,
      assigned_by: null,
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
      false_alarm: 0,
      closed_at: null,
      closed_by: null,
      shelf_id: null,
      escalation_level: 0,
      escalate_at: null,
      incident_id: null,
      updated_at: now,
    };
    row.escalate_at = await this.firstEscalation(row);
    try {
      const alarm = await commit(this.ctx, async (trx) => {
        const shelf = await this.activeShelf(trx, row, now);
        if (shelf) {
          row.shelf_id = shelf;
          row.escalate_at = null;
        }
        await trx.insertInto('alarms').values(row).execute();
        const steps = await this.procedureSteps(trx, row);
        if (steps.length > 0) await trx.insertInto('alarm_steps').values(steps).execute();
        const summary = toSummary(row);
        const envelope = { ...envelopeOf(row), source: input.source, correlationId: input.correlationId ?? row.id };
        return { result: summary, events: [alarmRaised.draft(envelope, { alarm: summary })] };
      });
      return { alarm, created: true };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const winner = await this.byDedupeKey(input.dedupeKey);
      if (!winner) throw e;
      return { alarm: toSummary(winner), created: false };
    }
  }

  acknowledge(actor: string, id: string): Promise<AlarmSummary> {
    return this.transition(
      id,
      ['new'],
      (row, now) => ({ state: 'acknowledged', acknowledged_at: now, acknowledged_by: actor, escalate_at: null }),
      (row) => alarmAcknowledged.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row) }),
    );
  }

  assign(actor: string, id: string, assignee: string): Promise<AlarmSummary> {
    return this.transition(
      id,
      ['acknowledged', 'assigned'],
      (_row, now) => ({ state: 'assigned', assigned_to: assignee, assigned_at: now, assigned_by: actor }),
      (row) => alarmAssigned.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row), assignee }),
    );
  }

  resolve(actor: string, id: string, input: ResolveInput): Promise<AlarmSummary> {
    const note = input.note?.trim() ? input.note.trim() : null;
    const falseAlarm = input.falseAlarm ?? false;
    return this.transition(
      id,
      ['acknowledged', 'assigned'],
      async (row, now, trx) => {
        if (row.priority <= 2 && !note) {
          throw alarmError('alarms.resolution_note_required', `Priority ${row.priority} alarms need a resolution note`, {
            priority: row.priority,
          });
        }
        const open = await trx
          .selectFrom('alarm_steps')
          .select('position')
          .where('alarm_id', '=', row.id)
          .where('required', '=', 1)
          .where('completed_at', 'is', null)
          .orderBy('position')
          .execute();
        if (open.length > 0) {
          const positions = open.map((s) => s.position);
          throw alarmError('alarms.procedure_incomplete', `Procedure steps ${positions.join(', ')} are not completed`, { positions });
        }
        return {
          state: 'resolved',
          resolved_at: now,
          resolved_by: actor,
          resolution_note: note,
          false_alarm: falseAlarm ? 1 : 0,
          escalate_at: null,
        };
      },
      (row) => alarmResolved.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row), note, falseAlarm }),
    );
  }

  close(actor: string, id: string): Promise<AlarmSummary> {
    return this.transition(
      id,
      ['resolved'],
      (_row, now) => ({ state: 'closed', closed_at: now, closed_by: actor }),
      (row) => alarmClosed.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row) }),
      (trx, row) => this.closeIncidentIfDone(trx, actor, row),
    );
  }

  /** After review: a resolved or closed alarm was (or was not) a false alarm. */
  markFalseAlarm(actor: string, id: string, falseAlarm: boolean): Promise<AlarmSummary> {
    return this.transition(
      id,
      ['resolved', 'closed'],
      () => ({ false_alarm: falseAlarm ? 1 : 0 }),
      (row) => alarmFalseMarked.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row), falseAlarm }),
    );
  }

  completeStep(actor: string, id: string, position: number, note: string | null): Promise<AlarmSummary> {
    let text = '';
    return this.transition(
      id,
      OPEN,
      async (row, now, trx) => {
        const step = await trx
          .selectFrom('alarm_steps')
          .selectAll()
          .where('alarm_id', '=', row.id)
          .where('position', '=', position)
          .executeTakeFirst();
        if (!step) throw alarmError('alarms.step_not_found', `Alarm ${row.id} has no procedure step ${position}`, { position });
        if (step.completed_at) {
          throw alarmError('alarms.step_already_completed', `Step ${position} was completed at ${step.completed_at}`, {
            position,
            completedAt: step.completed_at,
            completedBy: step.completed_by,
          });
        }
        const done = await trx
          .updateTable('alarm_steps')
          .set({ completed_at: now, completed_by: actor, note })
          .where('alarm_id', '=', row.id)
          .where('position', '=', position)
          .where('completed_at', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1)
          throw alarmError('alarms.step_already_completed', `Step ${position} was just completed`, { position });
        text = step.text;
        return {};
      },
      (row) => alarmStepCompleted.draft({ ...envelopeOf(row), source: actor }, { alarm: toSummary(row), position, text, note }),
    );
  }

  private async transition(
    id: string,
    from: readonly AlarmState[],
    change: (row: AlarmsTable, now: string, trx: Transaction<Database>) => Partial<AlarmsTable> | Promise<Partial<AlarmsTable>>,
    event: (row: AlarmsTable) => EventDraft,
    after?: (trx: Transaction<Database>, row: AlarmsTable) => Promise<EventDraft[]>,
  ): Promise<AlarmSummary> {
    return commit(this.ctx, async (trx) => {
      const row = await trx.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw alarmError('alarms.not_found', `No alarm ${id}`, { alarm: id });
      if (!from.includes(row.state)) {
        throw alarmError('alarms.invalid_transition', `Alarm ${id} is ${row.state}; this step needs ${from.join(' or ')}`, {
          state: row.state,
          allowed: from,
        });
      }
      const now = this.ctx.clock().toISOString();
      const patch = { ...(await change(row, now, trx)), updated_at: now };
      const updated = await trx.updateTable('alarms').set(patch).where('id', '=', id).where('state', '=', row.state).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw alarmError('alarms.invalid_transition', `Alarm ${id} changed meanwhile`, { state: row.state, allowed: from });
      }
      const next: AlarmsTable = { ...row, ...patch };
      const extra = after ? await after(trx, next) : [];
      return { result: toSummary(next), events: [event(next), ...extra] };
    });
  }

  private async closeIncidentIfDone(trx: Transaction<Database>, actor: string, row: AlarmsTable): Promise<EventDraft[]> {
    if (!row.incident_id) return [];
    const members = await trx.selectFrom('alarms').select(['id', 'state']).where('incident_id', '=', row.incident_id).execute();
    if (members.some((m) => m.id !== row.id && m.state !== 'closed')) return [];
    const now = this.ctx.clock().toISOString();
    const closed = await trx
      .updateTable('incidents')
      .set({ state: 'closed', closed_at: now, closed_by: actor, close_note: 'Every alarm of the incident was closed' })
      .where('id', '=', row.incident_id)
      .where('state', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (!closed) return [];
    const incident = toIncident(
      closed,
      members.map((m) => m.id),
    );
    return [incidentClosed.draft({ site: closed.site_id, zone: closed.zone_id, source: actor, correlationId: closed.id }, { incident })];
  }

  private byDedupeKey(key: string): Promise<AlarmsTable | undefined> {
    return this.ctx.db.selectFrom('alarms').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  }

  /** When step 0 of the escalation chain is due; a failing chain look-up is retried by the sweep. */
  private async firstEscalation(row: AlarmsTable): Promise<string | null> {
    const port = this.escalation();
    if (!port) return null;
    try {
      const after = await port.firstStepAfter(toSummary(row));
      return after === null ? null : new Date(Date.parse(row.raised_at) + after * 1000).toISOString();
    } catch (e) {
      this.ctx.logger.warn({ err: e, alarm: row.id }, 'escalation chain look-up failed; the sweep retries');
      return row.raised_at;
    }
  }

  private async activeShelf(trx: Transaction<Database>, row: AlarmsTable, now: string): Promise<string | null> {
    const shelf = await trx
      .selectFrom('alarm_shelves')
      .select('id')
      .where('alarm_type', '=', row.type)
      .where('source_key', 'in', [sourceKeyOf(row), '*'])
      .where('released_at', 'is', null)
      .where('expires_at', '>', now)
      .where((eb) => (row.site_id === null ? eb('site_id', 'is', null) : eb('site_id', '=', row.site_id)))
      .executeTakeFirst();
    return shelf?.id ?? null;
  }

  private async procedureSteps(trx: Transaction<Database>, row: AlarmsTable) {
    const keys = row.site_id ? [row.site_id, '*'] : ['*'];
    const procedures = await trx
      .selectFrom('alarm_procedures')
      .select(['site_key', 'steps'])
      .where('alarm_type', '=', row.type)
      .where('site_key', 'in', keys)
      .execute();
    const chosen = procedures.find((p) => p.site_key !== '*') ?? procedures[0];
    if (!chosen) return [];
    const steps = JSON.parse(chosen.steps) as { text: string; required: boolean }[];
    return steps.map((s, i) => ({
      alarm_id: row.id,
      position: i + 1,
      text: s.text,
      required: s.required ? 1 : 0,
      completed_at: null,
      completed_by: null,
      note: null,
    }));
  }
}

export function envelopeOf(row: Pick<AlarmsTable, 'id' | 'site_id' | 'zone_id' | 'door_id'>) {
  return { site: row.site_id, zone: row.zone_id, door: row.door_id, correlationId: row.id };
}

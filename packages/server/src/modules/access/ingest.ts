/**
 * Events delivered by an agent from its buffer. A batch is checked whole (types an agent may
 * report, its own site and source, doors of that site, data that matches the schema) and then
 * appended in one transaction through the journal, which skips ids it already stored: a batch
 * re-sent after a lost acknowledgement is stored once. Door states and command outcomes the
 * events report are updated in the same transaction; newly stored events are fanned out after it.
 *
 * A connection that drops after COMMIT was sent leaves the outcome open: the database is asked
 * whether the batch landed before the agent is answered, as the general intake does, and the
 * agent is told `intake.outcome_unknown` (retry with the same ids) if it never says.
 */
import { isUuidV7, type EventDraft } from '@vigil/core';
import { EDGE_EVENT_TYPES, type EdgeEvent } from '@vigil/edge';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { journalTransaction } from '../../intake/outcome.js';
import type { EdgePrincipal } from './agents.js';
import type { AccessDeps } from './context.js';
import { reportCommandOutcome } from './command-routing.js';
import type { PinLockoutCommands } from './pin-lockout-commands.js';
import { accessModuleError } from './errors.js';

export interface IngestDeps extends AccessDeps {
  /** Throws `validation.*` when a draft does not match its event schema (the catalogue's `validate`). */
  readonly validate: (draft: EventDraft) => void;
  /** How long a commit whose answer was lost is asked about (default 30 s). */
  readonly outcomeTimeoutMs?: number;
}

type DoorStatePatch = { open?: number | null; locked?: number; mode?: string; alarm?: string | null };

/** How a delivered event moves the door's live state. */
function doorPatch(event: EdgeEvent): DoorStatePatch | null {
  switch (event.type) {
    case 'door.opened':
      return { open: 1 };
    case 'door.closed':
      return { open: 0, alarm: null };
    case 'door.forced_open':
      return { open: 1, alarm: 'forced_open' };
    case 'door.held_open':
      return { alarm: 'held_open' };
    case 'door.unlocked':
      return { locked: 0 };
    case 'door.locked':
      return { locked: 1 };
    case 'door.mode_changed':
      return { mode: String(event.data['mode']) };
    default:
      return null;
  }
}

export class EdgeIngest {
  constructor(
    private readonly deps: IngestDeps,
    private readonly pinLockouts: Pick<PinLockoutCommands, 'complete'>,
  ) {}

  /** Stores the batch once; returns every id of it (duplicates included), which the agent may now drop. */
  async ingest(agent: EdgePrincipal, events: readonly EdgeEvent[]): Promise<string[]> {
    const drafts = await this.check(agent, events);
    const { db, record, publish } = this.deps;
    const { fresh } = await journalTransaction(
      db,
      async (trx) => {
        const ids = events.map((e) => e.id);
        // The journal is idempotent by id; knowing which ids are new keeps fan-out (alarms,
        // automation) to one delivery per event too.
        const known = new Set((await trx.selectFrom('journal_events').select('id').where('id', 'in', ids).execute()).map((row) => row.id));
        const stored = await record(trx, drafts);
        for (const event of events) {
          if (known.has(event.id)) continue;
          await this.applyToDoor(trx, agent, event);
          if (event.type === 'door.command_executed' || event.type === 'output.command_executed') {
            await reportCommandOutcome(trx, event.type === 'door.command_executed' ? 'access_door_commands' : 'access_output_commands', {
              siteId: agent.siteId,
              agentId: agent.agentId,
              commandId: String(event.data['commandId']),
              outcome: String(event.data['outcome']),
              at: event.at,
            });
          }
          if (event.type === 'access.pin_lockout_lift_executed') {
            const { commandId, outcome } = event.data;
            await this.pinLockouts.complete(trx, agent.agentId, String(commandId), String(outcome), event.at);
          }
        }
        return { stored, fresh: stored.filter((e) => !known.has(e.id)) };
      },
      {
        written: (result) => result.stored,
        timeoutMs: this.deps.outcomeTimeoutMs,
      },
    );
    publish(fresh);
    return events.map((e) => e.id);
  }

  private async check(agent: EdgePrincipal, events: readonly EdgeEvent[]): Promise<EventDraft[]> {
    const reject = (event: EdgeEvent, reason: string) =>
      accessModuleError('edge.event_rejected', `Event ${event.id} refused: ${reason}`, { eventId: event.id, reason });
    const doorIds = [...new Set(events.flatMap((e) => (e.door ? [e.door] : [])))];
    const siteDoors = new Set(
      doorIds.length === 0
        ? []
        : (
            await this.deps.db.selectFrom('doors').select('id').where('site_id', '=', agent.siteId).where('id', 'in', doorIds).execute()
          ).map((row) => row.id),
    );
    return events.map((event) => {
      if (!isUuidV7(event.id)) throw reject(event, 'the id is not a UUIDv7');
      if (!EDGE_EVENT_TYPES.has(event.type)) throw reject(event, `agents do not report ${event.type}`);
      if (event.site !== agent.siteId) throw reject(event, 'the event is for another site');
      if (event.source !== `edge:${agent.keyId}`) throw reject(event, 'the source is not this agent');
      if (event.door !== null && !siteDoors.has(event.door)) throw reject(event, 'the door is not a door of this site');
      const at = new Date(event.at);
      if (Number.isNaN(at.getTime())) throw reject(event, 'the instant is invalid');
      const draft: EventDraft = {
        id: event.id,
        type: event.type,
        at,
        site: event.site,
        source: event.source,
        subject: event.subject,
        zone: event.zone,
        door: event.door,
        correlationId: event.correlationId,
        data: event.data,
      };
      try {
        this.deps.validate(draft);
      } catch (error) {
        throw reject(event, (error as Error).message);
      }
      return draft;
    });
  }

  private async applyToDoor(trx: Transaction<Database>, agent: EdgePrincipal, event: EdgeEvent): Promise<void> {
    const patch = event.door ? doorPatch(event) : null;
    if (!patch || !event.door) return;
    const existing = await trx.selectFrom('access_door_states').selectAll().where('door_id', '=', event.door).executeTakeFirst();
    // Events arrive in order per agent; a state a later heartbeat already reported is not rolled back.
    if (existing && existing.reported_at > event.at) return;
    const row = {
      door_id: event.door,
      site_id: agent.siteId,
      agent_id: agent.agentId,
      open: existing?.open ?? null,
      locked: existing?.locked ?? 1,
      mode: existing?.mode ?? 'unknown',
      alarm: existing?.alarm ?? null,
      ...patch,
      reported_at: event.at,
    };
    await trx
      .insertInto('access_door_states')
      .values(row)
      .onConflict((oc) => oc.column('door_id').doUpdateSet({ ...row }))
      .execute();
  }
}

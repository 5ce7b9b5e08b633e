/**
 * Auxiliary outputs: a site's named outputs (an elevator hold relay on a reader or on the
 * controller's own I/O) and the commands that drive them. Like a door command, each command is
 * journaled with its requester and reason in the transaction that stores it, reaches every active
 * agent of the site through the command queue (agents in a long poll are woken at once), expires
 * if not carried out in time, and is marked done when an agent that has the output reports
 * `output.command_executed`; agents without it report `unknown_output`, which fails the command
 * only once all of them said so (command-routing.ts).
 */
import { newId, type VigilEvent } from '@vigil/core';
import type { OutputCommand } from '@vigil/edge';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/constraint-errors.js';
import { expirePendingCommands } from './command-expiry.js';
import { activeAgentIds, addressCommand, awaitingReport } from './command-routing.js';
import type { AccessDeps, Executor } from './context.js';
import { accessModuleError } from './errors.js';
import { outputCommandRequested, outputDefined } from './events.js';
import type { OutputAction, OutputCommandRecord, OutputCreate, OutputRecord } from './output-schemas.js';
import type { AccessOutputCommandsTable, AccessOutputsTable } from './tables.js';

export interface OutputControlPorts {
  /** A command not carried out within this time is dropped: a late hold must not stop a lift unasked. */
  readonly commandTtlMs: number;
  /** Throws `door_control.no_agent` when no active agent serves the site. */
  readonly requireAgent: (ex: Executor, siteId: string) => Promise<void>;
  /** Wakes the site's agents waiting in a long poll. */
  readonly wake: (siteId: string) => void;
}

const toOutput = (row: AccessOutputsTable): OutputRecord => ({
  id: row.id,
  siteId: row.site_id,
  name: row.name,
  reader: row.reader,
  point: row.point,
  createdAt: row.created_at,
});

const toCommand = (row: AccessOutputCommandsTable): OutputCommandRecord => ({
  id: row.id,
  outputId: row.output_id,
  action: row.action as OutputAction,
  pulseMs: row.pulse_ms,
  status: row.status as OutputCommandRecord['status'],
  requestedAt: row.requested_at,
  expiresAt: row.expires_at,
  completedAt: row.completed_at,
});

export class OutputControl {
  constructor(
    private readonly deps: AccessDeps,
    private readonly ports: OutputControlPorts,
  ) {}

  /** Names an output of the site; the name is unique on the site. */
  async define(actor: string, siteId: string, input: OutputCreate): Promise<OutputRecord> {
    const row: AccessOutputsTable = {
      id: newId(),
      site_id: siteId,
      name: input.name.trim(),
      reader: input.reader ?? null,
      point: input.point,
      created_by: actor,
      created_at: this.deps.clock().toISOString(),
    };
    const recorded = await this.transact(async (trx) => {
      const site = await trx.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      if (!site) throw accessModuleError('access_policy.other_site', `No site ${siteId}`, { siteId });
      // A door's lock output is door control's alone: commanding it as an auxiliary output would
      // lock a door past the fire-egress checks and leave no door command in the journal.
      if (row.reader === null) {
        const door = await trx
          .selectFrom('doors')
          .select(['id', 'name'])
          .where('site_id', '=', siteId)
          .where('lock_output', '=', row.point)
          .executeTakeFirst();
        if (door) {
          throw accessModuleError('output_control.point_is_door_lock', `Point ${row.point} is the lock output of door ${door.name}`, {
            point: row.point,
            doorId: door.id,
          });
        }
      }
      await trx.insertInto('access_outputs').values(row).execute();
      return this.deps.record(
        trx,
        outputDefined.draft({ site: siteId, source: actor }, { outputId: row.id, name: row.name, reader: row.reader, point: row.point }),
      );
    }).catch((e: unknown) => {
      if (isUniqueViolation(e))
        throw accessModuleError('output_control.name_taken', `The site already has an output named ${row.name}`, {});
      throw e;
    });
    this.deps.publish(recorded);
    return toOutput(row);
  }

  async list(siteId: string): Promise<OutputRecord[]> {
    const rows = await this.deps.db.selectFrom('access_outputs').selectAll().where('site_id', '=', siteId).orderBy('name').execute();
    return rows.map(toOutput);
  }

  async get(outputId: string, ex: Executor = this.deps.db): Promise<OutputRecord> {
    const row = await ex.selectFrom('access_outputs').selectAll().where('id', '=', outputId).executeTakeFirst();
    if (!row) throw accessModuleError('output_control.output_not_found', `No output ${outputId}`, { outputId });
    return toOutput(row);
  }

  async siteOfOutput(outputId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_outputs').select('site_id').where('id', '=', outputId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  async siteOfCommand(commandId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('access_output_commands').select('site_id').where('id', '=', commandId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  /** Queues the command for the site's agent; the record's `status` shows when it reported it done. */
  async command(
    actor: string,
    outputId: string,
    action: OutputAction,
    pulseMs: number | null,
    reason: string,
  ): Promise<OutputCommandRecord> {
    if ((action === 'pulse') !== (pulseMs !== null)) {
      throw accessModuleError('output_control.pulse_needs_duration', 'A pulse needs pulseMs; on and off take none', { action });
    }
    const now = this.deps.clock();
    let row!: AccessOutputCommandsTable;
    const recorded = await this.transact(async (trx) => {
      const output = await this.get(outputId, trx);
      await this.ports.requireAgent(trx, output.siteId);
      row = {
        id: newId(),
        site_id: output.siteId,
        output_id: outputId,
        action,
        pulse_ms: pulseMs,
        reason,
        requested_by: actor,
        requested_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.ports.commandTtlMs).toISOString(),
        status: 'pending',
        completed_at: null,
      };
      await trx.insertInto('access_output_commands').values(row).execute();
      // An output names no controller: any agent of the site may be the one that has it.
      await addressCommand(trx, row.id, await activeAgentIds(trx, output.siteId));
      return this.deps.record(
        trx,
        outputCommandRequested.draft(
          { site: output.siteId, source: actor, correlationId: row.id },
          { commandId: row.id, outputId, action, pulseMs, reason },
        ),
      );
    });
    this.deps.publish(recorded);
    this.ports.wake(row.site_id);
    return toCommand(row);
  }

  async getCommand(commandId: string): Promise<OutputCommandRecord> {
    const row = await this.deps.db.selectFrom('access_output_commands').selectAll().where('id', '=', commandId).executeTakeFirst();
    if (!row) throw accessModuleError('output_control.command_not_found', `No output command ${commandId}`, { commandId });
    return toCommand(row);
  }

  /**
   * The output commands the agent has still to carry out or report on (without an agent: every one
   * of the site still to be carried out), in the agents' form; expired ones are marked so and left out.
   */
  async pending(siteId: string, agentId?: string): Promise<OutputCommand[]> {
    const { db, clock } = this.deps;
    await expirePendingCommands(db, 'access_output_commands', siteId, clock().toISOString());
    let query = db
      .selectFrom('access_output_commands')
      .innerJoin('access_outputs', 'access_outputs.id', 'access_output_commands.output_id')
      .select([
        'access_output_commands.id',
        'access_output_commands.output_id',
        'access_output_commands.action',
        'access_output_commands.pulse_ms',
        'access_output_commands.expires_at',
        'access_outputs.reader',
        'access_outputs.point',
      ])
      .where('access_output_commands.site_id', '=', siteId)
      .where('access_output_commands.status', '=', 'pending');
    if (agentId !== undefined) query = query.where((eb) => eb.exists(awaitingReport(db, 'access_output_commands.id', agentId)));
    const rows = await query.orderBy('access_output_commands.id').limit(100).execute();
    return rows.map((r) => ({
      id: r.id,
      command: 'output' as const,
      outputId: r.output_id,
      reader: r.reader,
      point: r.point,
      action: r.action as OutputAction,
      pulseMs: r.pulse_ms,
      expiresAt: r.expires_at,
    }));
  }

  private transact(work: (trx: Transaction<Database>) => Promise<VigilEvent[]>): Promise<VigilEvent[]> {
    return this.deps.db.transaction().execute(work);
  }
}

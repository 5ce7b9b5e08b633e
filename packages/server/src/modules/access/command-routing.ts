/**
 * Door and output commands, agent by agent. A site has many door controllers, each with its own
 * doors and outputs, so a command goes to the agents that may carry it out, each handed it (with
 * the heartbeat and the long poll) until it reported on it:
 *
 * - a door command goes to the agents known to run the door: the agent running the facility
 *   wiring of the door's controller, and the agent whose heartbeat last reported the door. A door
 *   neither names (one configured only in an agent's own file, not reported yet) goes to every
 *   active agent of the site, as an output command does (outputs name no controller);
 * - an agent that reports it has no such door or output closes its own part only: the command
 *   fails with that outcome once every agent it went to (and that is still active) said so, or
 *   expires. Any other report (carried out, too late, refused by the hardware) comes from an agent
 *   that has it, and closes the command, whichever agent it came from.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Executor } from './context.js';

export type CommandTable = 'access_door_commands' | 'access_output_commands';

/** What an agent reports when it has no such door or output. */
const NOT_HERE: Record<CommandTable, string> = { access_door_commands: 'unknown_door', access_output_commands: 'unknown_output' };

/** The active agents of a site, in id order. */
export async function activeAgentIds(ex: Executor, siteId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('edge_agents')
    .select('id')
    .where('site_id', '=', siteId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The active agents known to run the door: the one running its controller's facility wiring, and
 * the one whose heartbeat (or door events) last reported it; every active agent of the site when
 * neither is known.
 */
export async function doorAgentIds(ex: Executor, siteId: string, doorId: string): Promise<string[]> {
  const known = await ex
    .selectFrom('edge_agents')
    .select('id')
    .where('site_id', '=', siteId)
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('access_door_states').select('agent_id').where('door_id', '=', doorId)),
        eb(
          'controller_serial',
          'in',
          eb
            .selectFrom('doors')
            .innerJoin('devices', 'devices.id', 'doors.controller_id')
            .select('devices.serial_number')
            .where('doors.id', '=', doorId)
            .where('devices.site_id', '=', siteId),
        ),
      ]),
    )
    .orderBy('id')
    .execute();
  return known.length > 0 ? known.map((row) => row.id) : activeAgentIds(ex, siteId);
}

/** Hands the command to each of these agents (in the transaction that stores it). */
export async function addressCommand(trx: Transaction<Database>, commandId: string, agentIds: readonly string[]): Promise<void> {
  if (agentIds.length === 0) return;
  await trx
    .insertInto('access_command_agents')
    .values(agentIds.map((agentId) => ({ command_id: commandId, agent_id: agentId, status: 'pending', completed_at: null })))
    .execute();
}

/**
 * The agent's open part of the command whose id is in `commandId`: `eb.exists(…)` of it is the
 * condition on a site's pending commands. Asked per pending command, by the primary key, so parts
 * left open when another agent settled their command are never read again.
 */
export function awaitingReport(ex: Executor, commandId: `${CommandTable}.id`, agentId: string) {
  return ex
    .selectFrom('access_command_agents')
    .select('access_command_agents.agent_id')
    .where('access_command_agents.command_id', '=', sql.ref<string>(commandId))
    .where('access_command_agents.agent_id', '=', agentId)
    .where('access_command_agents.status', '=', 'pending');
}

export interface CommandReport {
  readonly siteId: string;
  readonly agentId: string;
  readonly commandId: string;
  readonly outcome: string;
  readonly at: string;
}

/**
 * Records an agent's report on a command (inside the ingest transaction) and closes the command
 * when the report settles it. A report that arrives after the command expired still counts: the
 * agent's word is the fact.
 */
export async function reportCommandOutcome(trx: Transaction<Database>, table: CommandTable, report: CommandReport): Promise<void> {
  const { siteId, agentId, commandId, outcome, at } = report;
  // Taking the command's row first: the last two agents reporting at once then see each other's
  // part, so one of them closes the command. SQLite has no row locks; the write takes its lock.
  const held = await trx
    .updateTable(table)
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', commandId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (Number(held.numUpdatedRows) === 0) return;
  await trx
    .updateTable('access_command_agents')
    .set({ status: outcome, completed_at: at })
    .where('command_id', '=', commandId)
    .where('agent_id', '=', agentId)
    .where('status', '=', 'pending')
    .execute();
  if (outcome === NOT_HERE[table]) {
    const stillOpen = await trx
      .selectFrom('access_command_agents')
      .innerJoin('edge_agents', 'edge_agents.id', 'access_command_agents.agent_id')
      .select('access_command_agents.agent_id')
      .where('access_command_agents.command_id', '=', commandId)
      .where('access_command_agents.status', '!=', outcome)
      .where('edge_agents.status', '=', 'active')
      .executeTakeFirst();
    if (stillOpen) return;
  }
  await trx
    .updateTable(table)
    .set({ status: outcome, completed_at: at })
    .where('id', '=', commandId)
    .where('site_id', '=', siteId)
    .where('status', 'in', ['pending', 'expired'])
    .execute();
}

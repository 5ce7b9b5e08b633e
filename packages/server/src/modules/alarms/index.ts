/**
 * The alarms module: the alarm workflow, procedures, shelving, escalation and incidents. Built by
 * the composition root with `createAlarms`; other modules use it through this file only.
 */
import type { VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Logger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';
import type { AlarmsContext } from './context.js';
import { AlarmSweeper } from './escalation.js';
import { AlarmIncidents } from './incidents.js';
import { AlarmLifecycle } from './lifecycle.js';
import type { EscalationPort } from './model.js';
import { AlarmProcedures } from './procedures.js';
import { AlarmQueries } from './queries.js';
import { AlarmShelving } from './shelving.js';

export * from './model.js';
export { alarmEvents } from './events.js';
export * from './events.js';
export { alarmErrors, alarmError } from './errors.js';
export type { AlarmTables, AlarmState } from './tables.js';
export type { AlarmListOptions } from './queries.js';
export type { GroupAlarms } from './incidents.js';
export type { ResolveInput } from './lifecycle.js';
export type { ShelveInput } from './shelving.js';

export interface AlarmsOptions {
  db: Kysely<Database>;
  record: RecordEvents;
  /** Fans out events the module journaled in its own transactions (the intake's `publishCommitted`). */
  publish: (events: readonly VigilEvent[]) => void;
  clock?: () => Date;
  logger: Logger;
  /** The on-call chain; without it alarms do not escalate. */
  escalation?: EscalationPort;
  /** Longest a shelf may last (minutes). */
  maxShelveMinutes?: number;
  /** How often escalations and shelf expiries are swept. */
  sweepIntervalMs?: number;
}

export interface AlarmsModule {
  readonly alarms: AlarmLifecycle;
  readonly queries: AlarmQueries;
  readonly procedures: AlarmProcedures;
  readonly shelving: AlarmShelving;
  readonly incidents: AlarmIncidents;
  readonly sweeper: AlarmSweeper;
  start(): void;
  stop(): Promise<void>;
}

export function createAlarms(options: AlarmsOptions): AlarmsModule {
  const ctx: AlarmsContext = {
    db: options.db,
    record: options.record,
    publish: options.publish,
    clock: options.clock ?? (() => new Date()),
    logger: options.logger,
  };
  const escalation = () => options.escalation;
  const shelving = new AlarmShelving(ctx, options.maxShelveMinutes ?? 480);
  const sweeper = new AlarmSweeper(ctx, shelving, escalation, options.sweepIntervalMs ?? 1000);
  return {
    alarms: new AlarmLifecycle(ctx, escalation),
    queries: new AlarmQueries(ctx.db),
    procedures: new AlarmProcedures(ctx),
    shelving,
    incidents: new AlarmIncidents(ctx),
    sweeper,
    start: () => sweeper.start(),
    stop: () => sweeper.stop(),
  };
}

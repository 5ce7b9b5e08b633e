/**
 * Escalation of unacknowledged alarms along their on-call chain (next on-call, then supervisor),
 * and the expiry of shelves. Runs on every node: a step is claimed with a conditional update on
 * the level it starts from, so it is taken once however many nodes sweep.
 */
import { alarmEscalated } from './events.js';
import { commit, type AlarmsContext } from './context.js';
import type { EscalationPort } from './model.js';
import { envelopeOf } from './lifecycle.js';
import { toSummary } from './rows.js';
import type { AlarmShelving } from './shelving.js';

/** How long a node holds a claimed step before another may retry it (it crashed meanwhile). */
const CLAIM_SECONDS = 60;
/** Retry delay after a chain step failed (the notification service was unreachable). */
const RETRY_SECONDS = 15;

export class AlarmSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: AlarmsContext,
    private readonly shelving: AlarmShelving,
    private readonly escalation: () => EscalationPort | undefined,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: expire shelves, then take every due escalation step. Resolves to the steps taken. */
  async sweep(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.shelving.expireDue();
        await this.escalateDue();
      } catch (e) {
        this.ctx.logger.warn({ err: e }, 'alarm sweep failed; retrying on the next pass');
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async escalateDue(): Promise<void> {
    const port = this.escalation();
    if (!port) return;
    const now = this.ctx.clock();
    const due = await this.ctx.db
      .selectFrom('alarms')
      .selectAll()
      .where('state', '=', 'new')
      .where('shelf_id', 'is', null)
      .where('escalate_at', '<=', now.toISOString())
      .orderBy('priority')
      .orderBy('escalate_at')
      .limit(50)
      .execute();
    for (const row of due) {
      const claim = new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString();
      const claimed = await this.ctx.db
        .updateTable('alarms')
        .set({ escalate_at: claim })
        .where('id', '=', row.id)
        .where('state', '=', 'new')
        .where('escalation_level', '=', row.escalation_level)
        .where('escalate_at', '=', row.escalate_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const step = row.escalation_level;
      let outcome: { notified: string[]; nextAfterSeconds: number | null };
      try {
        outcome = await port.escalate(toSummary(row), step);
      } catch (e) {
        this.ctx.logger.warn({ err: e, alarm: row.id, step }, 'escalation step failed; retrying');
        const retry = new Date(this.ctx.clock().getTime() + RETRY_SECONDS * 1000).toISOString();
        await this.ctx.db
          .updateTable('alarms')
          .set({ escalate_at: retry })
          .where('id', '=', row.id)
          .where('escalate_at', '=', claim)
          .execute();
        continue;
      }
      await commit(this.ctx, async (trx) => {
        const at = this.ctx.clock();
        const next = outcome.nextAfterSeconds === null ? null : new Date(at.getTime() + outcome.nextAfterSeconds * 1000).toISOString();
        // Acknowledged or shelved while the step ran: the step counts, but nothing more is due.
        const updated =
          (await trx
            .updateTable('alarms')
            .set({ escalation_level: step + 1, escalate_at: next, updated_at: at.toISOString() })
            .where('id', '=', row.id)
            .where('escalation_level', '=', step)
            .where('state', '=', 'new')
            .where('shelf_id', 'is', null)
            .returningAll()
            .executeTakeFirst()) ??
          (await trx
            .updateTable('alarms')
            .set({ escalation_level: step + 1, updated_at: at.toISOString() })
            .where('id', '=', row.id)
            .where('escalation_level', '=', step)
            .returningAll()
            .executeTakeFirst());
        if (!updated || outcome.notified.length === 0) return { result: undefined, events: [] };
        const alarm = toSummary(updated);
        return {
          result: undefined,
          events: [
            alarmEscalated.draft(
              { ...envelopeOf(updated), source: 'system:alarm-escalation' },
              { alarm, step, notified: outcome.notified },
            ),
          ],
        };
      });
    }
  }
}

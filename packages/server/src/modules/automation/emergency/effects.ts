/** What a plan does besides its doors: controller outputs (elevator hold) and notifications. */
import { commit, type AutomationContext } from '../context.js';
import { planOutputDriven } from '../events.js';
import type { DoorCommands } from '../ports.js';
import type { LiveActivation } from './live.js';
import type { Plan } from './model.js';

export type Notifier = (request: {
  channelId: string;
  siteId: string;
  dedupeKey: string;
  subject: string;
  payload: Record<string, unknown>;
}) => Promise<unknown>;

export class PlanEffects {
  constructor(
    private readonly ctx: AutomationContext,
    private readonly doors: DoorCommands,
    private readonly notify: Notifier,
    private readonly options: { readonly timeoutMs: number },
  ) {}

  /**
   * Switches the plan's outputs on (start) or off (clear) and journals each with the time its
   * controller took to confirm, or why it did not; a drill simulates them and records the same.
   * A failing output is recorded and logged, never fatal to the plan.
   */
  async outputs(a: LiveActivation, plan: Plan, active: boolean): Promise<void> {
    await Promise.all(plan.outputs.map((o) => this.drive(a, plan, o, active)));
  }

  private async drive(a: LiveActivation, plan: Plan, o: Plan['outputs'][number], active: boolean): Promise<void> {
    const commandedAt = this.ctx.clock();
    let confirmedAt: Date | null = null;
    let error: string | null = null;
    try {
      const receipt = await this.doors.setOutput(
        o.outputId,
        active,
        `${a.drill ? 'Drill: ' : ''}${plan.name}: ${o.label}`,
        `plan:${a.id}`,
        {
          simulate: a.drill,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
      confirmedAt = receipt.confirmedAt;
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
      this.ctx.logger.error({ err: e, output: o, activation: a.id }, 'plan output failed');
    }
    const seconds = confirmedAt === null ? null : Math.max(0, (confirmedAt.getTime() - commandedAt.getTime()) / 1000);
    await commit(this.ctx, () =>
      Promise.resolve({
        result: undefined,
        events: [
          planOutputDriven.draft(
            { site: plan.siteId, source: `plan:${a.id}`, correlationId: a.id },
            {
              activationId: a.id,
              outputId: o.outputId,
              label: o.label,
              active,
              drill: a.drill,
              commandedAt: commandedAt.toISOString(),
              confirmedAt: confirmedAt?.toISOString() ?? null,
              seconds,
              error,
            },
          ),
        ],
      }),
    ).catch((e: unknown) => this.ctx.logger.error({ err: e, output: o, activation: a.id }, 'plan output could not be journaled'));
  }

  /** Queues the plan's notifications for this phase, once per activation and phase. */
  async tell(a: LiveActivation, plan: Plan, phase: 'started' | 'cleared'): Promise<void> {
    const subject = `${a.drill ? 'DRILL — ' : ''}${plan.name} ${phase}`;
    for (const channelId of plan.notify) {
      await this.notify({
        channelId,
        siteId: plan.siteId,
        dedupeKey: `plan:${a.id}:${phase}`,
        subject,
        payload: {
          activation: a.id,
          plan: { id: plan.id, name: plan.name, kind: plan.kind },
          phase,
          drill: a.drill,
          doors: a.doorIds.length,
        },
      }).catch((e: unknown) => this.ctx.logger.error({ err: e, channelId, activation: a.id }, 'plan notification could not be queued'));
    }
  }
}

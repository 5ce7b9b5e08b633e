/** What a plan does besides its doors: controller outputs (elevator hold) and notifications. */
import type { Logger } from '../../../kernel/logger.js';
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
    private readonly doors: DoorCommands,
    private readonly notify: Notifier,
    private readonly logger: Logger,
  ) {}

  /** Drives the plan's outputs on (start) or off (clear); a failing output is logged, never fatal. */
  async outputs(a: LiveActivation, plan: Plan, active: boolean): Promise<void> {
    await Promise.all(
      plan.outputs.map((o) =>
        this.doors
          .setOutput(o.controllerId, o.output, active, `${a.drill ? 'Drill: ' : ''}${plan.name}: ${o.label}`, `plan:${a.id}`, {
            simulate: a.drill,
          })
          .catch((e: unknown) => this.logger.error({ err: e, output: o, activation: a.id }, 'plan output failed')),
      ),
    );
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
      }).catch((e: unknown) => this.logger.error({ err: e, channelId, activation: a.id }, 'plan notification could not be queued'));
    }
  }
}

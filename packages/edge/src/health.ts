/**
 * The agent's health alarms and report: what the heartbeat tells the server (readers, doors,
 * buffer depth, snapshot version, active alarms) and what an operator reads on the box.
 */
import type { HealthReport } from './protocol.js';
import type { AgentStore } from './store.js';

export type HealthAlarm = 'snapshot_rejected' | 'buffer_unavailable' | 'lock_fault' | 'events_rejected' | 'wiring_rejected';

export class AgentHealth {
  private readonly alarms = new Map<HealthAlarm, string>();

  constructor(private readonly store: AgentStore) {}

  setAlarm(alarm: HealthAlarm, active: boolean, cause?: unknown): void {
    if (!active) {
      this.alarms.delete(alarm);
      return;
    }
    const text = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : '';
    this.alarms.set(alarm, text);
  }

  has(alarm: HealthAlarm): boolean {
    return this.alarms.has(alarm);
  }

  /** The cause recorded with an active alarm (an error code, a message). */
  cause(alarm: HealthAlarm): string | undefined {
    return this.alarms.get(alarm);
  }

  report(base: Omit<HealthReport, 'alarms' | 'bufferDepth' | 'oldestBufferedAt'>): HealthReport {
    const alarms: string[] = [...this.alarms.keys()];
    if (this.store.rejectedCount() > 0 && !alarms.includes('events_rejected')) alarms.push('events_rejected');
    if (base.snapshotVersion === null) alarms.push('no_snapshot');
    return { ...base, alarms, bufferDepth: this.store.depth(), oldestBufferedAt: this.store.oldestAt() };
  }
}

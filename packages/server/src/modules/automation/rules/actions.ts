/**
 * Runs the actions of rules that fired, off the event path: the engine decides synchronously and
 * hands firings here, so a slow door or notification never holds up the next event. Actions of
 * one firing run in order; a failing action is journaled (`automation.action_failed`, on the door
 * it was for) and the others still run. A door action refused because fire egress holds the door
 * free is journaled so (`automation.fire_plan_active`, `door_control.fire_egress_active`); a zone
 * action journals each door it could not command and still commands the others. Above a
 * high-water mark `enqueue` returns a promise, so the bus handler waits and the intake's own
 * bounded queue pushes back instead of this one growing without limit.
 */
import { isVigilError, type VigilEvent } from '@vigil/core';
import type { RaiseAlarm } from '../../alarms/index.js';
import { recordFacts, type AutomationContext } from '../context.js';
import { ruleActionFailed } from '../events.js';
import type { DoorCommands, FacilityFacts } from '../ports.js';
import type { Firing } from './engine.js';
import type { Action } from './schema.js';

export interface NotifyRequest {
  readonly channelId: string;
  readonly dedupeKey: string;
  readonly siteId: string | null;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
  /** Only a channel of this kind is acceptable (the `webhook` action). */
  readonly requireKind?: 'webhook';
}

export interface ActionPorts {
  raiseAlarm(input: RaiseAlarm): Promise<unknown>;
  readonly doors: DoorCommands;
  startPlan(planId: string, by: { ruleId: string; ruleName: string; event: VigilEvent }): Promise<unknown>;
  notify(request: NotifyRequest): Promise<unknown>;
  readonly facts: FacilityFacts;
}

const CONCURRENCY = 8;
const HIGH_WATER = 5_000;

export function renderTitle(template: string, event: VigilEvent, facts: FacilityFacts): string {
  const names: Record<string, string> = {
    type: event.type,
    source: event.source,
    site: (event.site && facts.siteName(event.site)) ?? event.site ?? '',
    zone: (event.zone && facts.zone(event.zone)?.name) ?? event.zone ?? '',
    door: (event.door && facts.door(event.door)?.name) ?? event.door ?? '',
  };
  return template.replace(/\{(type|source|site|zone|door)\}/g, (_m, key: string) => names[key] ?? '').slice(0, 200);
}

export class ActionRunner {
  private readonly queue: Firing[] = [];
  private active = 0;
  private drained: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private counters = { fired: 0, actions: 0, failed: 0 };

  constructor(
    private readonly ctx: AutomationContext,
    private readonly ports: ActionPorts,
  ) {}

  enqueue(firing: Firing): Promise<void> | undefined {
    this.queue.push(firing);
    this.counters.fired++;
    this.pump();
    if (this.queue.length < HIGH_WATER) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when every queued firing has run (tests, shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  stats() {
    return { ...this.counters, queued: this.queue.length, active: this.active };
  }

  private pump(): void {
    while (this.active < CONCURRENCY && this.queue.length > 0) {
      const firing = this.queue.shift()!;
      this.active++;
      void this.run(firing).finally(() => {
        this.active--;
        if (this.queue.length < HIGH_WATER / 2) for (const wake of this.roomWaiters.splice(0)) wake();
        this.pump();
        if (this.queue.length === 0 && this.active === 0) for (const done of this.drained.splice(0)) done();
      });
    }
  }

  private async run(firing: Firing): Promise<void> {
    for (const [index, action] of firing.rule.actions.entries()) {
      this.counters.actions++;
      try {
        await this.perform(firing, action, index);
      } catch (e) {
        await this.reportFailure(firing, action, e, this.targetDoor(action, firing.event));
      }
    }
  }

  private perform(firing: Firing, action: Action, index: number): Promise<unknown> {
    const { rule, event } = firing;
    const actor = `rule:${rule.id}`;
    const reason = `Rule “${rule.name}” on ${event.type} ${event.id}`;
    if ('raiseAlarm' in action) {
      const a = action.raiseAlarm;
      return this.ports.raiseAlarm({
        siteId: event.site,
        type: a.type,
        priority: a.priority,
        title: renderTitle(a.title ?? `${a.type.replace(/_/g, ' ')} ({zone}{door})`, event, this.ports.facts),
        zoneId: event.zone,
        doorId: event.door,
        device: event.source.startsWith('device:') ? event.source : null,
        ruleId: rule.id,
        triggerEventId: event.id,
        dedupeKey: `rule:${rule.id}:${event.id}:${index}`,
        source: actor,
        correlationId: firing.chainId,
      });
    }
    if ('lockDoor' in action) return this.ports.doors.lock(this.doorOf(action.lockDoor.door, event), reason, actor);
    if ('unlockDoor' in action) {
      const seconds = action.unlockDoor.seconds;
      return this.ports.doors.unlock(this.doorOf(action.unlockDoor.door, event), reason, actor, seconds ? { seconds } : {});
    }
    if ('setDoorMode' in action)
      return this.ports.doors.setMode(this.doorOf(action.setDoorMode.door, event), action.setDoorMode.mode as never, reason, actor);
    if ('lockZone' in action)
      return this.eachDoorInto(firing, action, action.lockZone.zone, (door) => this.ports.doors.lock(door, reason, actor));
    if ('unlockZone' in action)
      return this.eachDoorInto(firing, action, action.unlockZone.zone, (door) => this.ports.doors.unlock(door, reason, actor));
    if ('startPlan' in action) return this.ports.startPlan(action.startPlan.plan, { ruleId: rule.id, ruleName: rule.name, event });
    const notify = 'notify' in action ? action.notify : action.webhook;
    return this.ports.notify({
      channelId: notify.channel,
      dedupeKey: `rule:${rule.id}:${event.id}:${index}`,
      siteId: event.site,
      subject: `${rule.name}: ${event.type}`,
      payload: {
        rule: { id: rule.id, name: rule.name, version: rule.version },
        message: notify.message ?? null,
        event: {
          id: event.id,
          type: event.type,
          at: event.at.toISOString(),
          site: event.site,
          zone: event.zone,
          door: event.door,
          source: event.source,
          data: event.data,
        },
      },
      ...('webhook' in action ? { requireKind: 'webhook' as const } : {}),
    });
  }

  private doorOf(door: string | undefined, event: VigilEvent): string {
    const id = door ?? event.door;
    if (!id) throw new Error('the action names no door and the trigger event has none');
    return id;
  }

  /** The door a door action is for (its own or the trigger's); other actions: the trigger's door, if any. */
  private targetDoor(action: Action, event: VigilEvent): string | null {
    if ('lockDoor' in action) return action.lockDoor.door ?? event.door;
    if ('unlockDoor' in action) return action.unlockDoor.door ?? event.door;
    if ('setDoorMode' in action) return action.setDoorMode.door ?? event.door;
    return event.door;
  }

  /** Commands every door into the zone; each door that could not be commanded is journaled on its own. */
  private async eachDoorInto(
    firing: Firing,
    action: Action,
    zone: string | undefined,
    act: (door: string) => Promise<unknown>,
  ): Promise<void> {
    const zoneId = zone ?? firing.event.zone;
    if (!zoneId) throw new Error('the action names no zone and the trigger event has none');
    const site = this.ports.facts.zone(zoneId)?.siteId;
    const doors = site ? this.ports.facts.doorsOfSite(site).filter((d) => d.toZoneId === zoneId) : [];
    const results = await Promise.allSettled(doors.map((d) => act(d.id)));
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') await this.reportFailure(firing, action, result.reason, doors[i]!.id);
    }
  }

  private async reportFailure(firing: Firing, action: Action, error: unknown, door: string | null): Promise<void> {
    this.counters.failed++;
    const kind = Object.keys(action)[0]!;
    const message = error instanceof Error ? error.message : String(error);
    this.ctx.logger.warn({ rule: firing.rule.id, action: kind, door, err: error }, 'rule action failed');
    try {
      await recordFacts(this.ctx, [
        ruleActionFailed.draft(
          {
            site: firing.event.site,
            zone: firing.event.zone,
            door,
            source: `rule:${firing.rule.id}`,
            correlationId: firing.chainId,
          },
          {
            ruleId: firing.rule.id,
            ruleName: firing.rule.name,
            action: kind,
            triggerEventId: firing.event.id,
            error: message.slice(0, 500),
            code: isVigilError(error) ? error.code : null,
          },
        ),
      ]);
    } catch (e) {
      this.ctx.logger.error({ err: e }, 'could not journal a failed rule action');
    }
  }
}

/**
 * The automation module: rules on the event stream, alarm correlation, emergency plans with
 * drills, and notifications (webhooks, e-mail, CAP, on-call escalation). Built by the composition
 * root in two steps — `createNotifications` first (the alarms module escalates through its on-call
 * chains), then `createAutomation` with the alarms module.
 */
import type { VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { EventBus } from '../../bus/index.js';
import type { Logger } from '../../kernel/logger.js';
import type { Database } from '../../storage/schema.js';
import type { AlarmsModule } from '../alarms/index.js';
import type { RecordEvents } from '../audit/index.js';
import type { AutomationContext } from './context.js';
import { CorrelationService } from './correlation.js';
import { ActivationService } from './emergency/activations.js';
import { DoorCommander } from './emergency/commands.js';
import { lifeSafetyGuard } from './emergency/doors.js';
import { PlanEffects } from './emergency/effects.js';
import { LiveActivations } from './emergency/live.js';
import { PlanService } from './emergency/plans.js';
import { seedDefaultRules } from './rules/defaults.js';
import { ActivationReports } from './emergency/report.js';
import { ResilientWriter } from './emergency/writer.js';
import { FACILITY_CHANGE_TYPES, FacilityView, type FacilityReader } from './facility-view.js';
import { ChannelService } from './notifications/channels.js';
import { DeliveryQueue } from './notifications/deliveries.js';
import type { SecretSealer } from './notifications/model.js';
import { OnCallService } from './notifications/oncall.js';
import { Mailer } from './notifications/senders.js';
import { DOORS_NOT_CONNECTED, type DoorCommands, type DoorStates } from './ports.js';
import { ActionRunner } from './rules/actions.js';
import type { JournalSearch } from './rules/dry-run.js';
import { RuleRuntime } from './rules/runtime.js';
import { RuleStore } from './rules/store.js';

export * from './ports.js';
export { automationEvents } from './events.js';
export { automationErrors, automationError } from './errors.js';
export type { AutomationTables, PlanKind } from './tables.js';
export { BREAK_IN_CORRELATION_ID } from './migrations.js';
export { RuleSchema, RuleVersionSchema, type Rule, type RuleVersion } from './rules/model.js';
export { ruleDocumentJsonSchema, type RuleDocument } from './rules/schema.js';
export type { RuleInput } from './rules/parse.js';
export type { DryRunResult } from './rules/dry-run.js';
export { CorrelationInputSchema, CorrelationSchema, type Correlation, type CorrelationInput } from './correlation.js';
export * from './emergency/model.js';
export * from './notifications/model.js';
export { capAlert, capFeed, capIdentifier, type CapContext, type FeedEntry } from './notifications/cap.js';
export { signatureOf } from './notifications/senders.js';
export { memberAt } from './notifications/oncall.js';
export { lifeSafetyGuard, doorsOfPlan } from './emergency/doors.js';
export { AccessDoorCommands } from './access-doors.js';
export { compileRule, type CompiledRule } from './rules/compile.js';
export { RuleEngine, type Firing } from './rules/engine.js';
export { parseRule } from './rules/parse.js';
export { DEFAULT_RULES, DEFAULTS_ACTOR, seedDefaultRules, type DefaultRule } from './rules/defaults.js';
export type { FacilityReader } from './facility-view.js';

interface Ports {
  db: Kysely<Database>;
  record: RecordEvents;
  publish: (events: readonly VigilEvent[]) => void;
  clock?: () => Date;
  logger: Logger;
}

export interface NotificationOptions extends Ports {
  sealer: SecretSealer;
  smtpUrl: string;
  mailFrom: string;
  webhookTimeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  pollMs?: number;
}

export interface Notifications {
  readonly channels: ChannelService;
  readonly deliveries: DeliveryQueue;
  readonly oncall: OnCallService;
}

function contextOf(ports: Ports): AutomationContext {
  return { db: ports.db, record: ports.record, publish: ports.publish, clock: ports.clock ?? (() => new Date()), logger: ports.logger };
}

export function createNotifications(options: NotificationOptions): Notifications {
  const ctx = contextOf(options);
  const channels = new ChannelService(ctx, options.sealer);
  const mailer = new Mailer(options.smtpUrl, options.mailFrom, options.webhookTimeoutMs);
  const deliveries = new DeliveryQueue(ctx, channels, mailer, {
    timeoutMs: options.webhookTimeoutMs,
    maxAttempts: options.maxAttempts,
    retryBaseMs: options.retryBaseMs,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  return { channels, deliveries, oncall: new OnCallService(ctx, deliveries) };
}

export interface AutomationOptions extends Ports {
  bus: Pick<EventBus, 'subscribe' | 'unsubscribeAll'>;
  /** The event catalogue: rules may only name event types it knows. */
  catalogue: { has(type: string): boolean; definitions(): readonly { type: string }[] };
  facility: FacilityReader;
  alarms: AlarmsModule;
  notifications: Notifications;
  search: JournalSearch;
  /** Door control (modules/access); without it door actions fail with `automation.doors_unavailable`. */
  doors?: DoorCommands;
  doorStates?: DoorStates;
  doorTimeoutMs: number;
  doorRetryMs: number;
  maxChainFirings?: number;
}

export interface Automation {
  readonly facts: FacilityView;
  readonly rules: RuleStore;
  readonly runtime: RuleRuntime;
  readonly runner: ActionRunner;
  readonly correlations: CorrelationService;
  readonly plans: PlanService;
  readonly activations: ActivationService;
  readonly reports: ActivationReports;
  readonly live: LiveActivations;
  readonly notifications: Notifications;
  /** Door control as rules see it: nothing may lock a door a live fire plan or the site's fire egress holds free. */
  readonly guardedDoors: DoorCommands;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const OWNER = 'automation';

export function createAutomation(options: AutomationOptions): Automation {
  const ctx = contextOf(options);
  const doors = options.doors ?? DOORS_NOT_CONNECTED;
  const facts = new FacilityView(options.facility, options.logger);
  const { channels, deliveries } = options.notifications;
  const plans = new PlanService(
    ctx,
    (id) => channels.siteOf(id),
    (id) => doors.outputSite(id),
  );
  const live = new LiveActivations();
  const writer = new ResilientWriter(options.logger);
  const commander = new DoorCommander(ctx, doors, live, writer, {
    timeoutMs: options.doorTimeoutMs,
    retryMs: options.doorRetryMs,
    maxAttempts: 5,
  });
  const notify = (r: Parameters<DeliveryQueue['enqueue']>[0]) => deliveries.enqueue(r);
  const activations = new ActivationService(
    ctx,
    plans,
    facts,
    live,
    commander,
    writer,
    new PlanEffects(ctx, doors, notify, { timeoutMs: options.doorTimeoutMs }),
  );
  const guardedDoors = lifeSafetyGuard(doors, live);
  const known = (pattern: string) =>
    pattern === '*' ||
    (pattern.endsWith('.*')
      ? options.catalogue.definitions().some((d) => d.type.startsWith(pattern.slice(0, -1)))
      : options.catalogue.has(pattern));
  const rules = new RuleStore(ctx, {
    knownEventType: known,
    siteOfDoor: (id) => facts.door(id)?.siteId,
    siteOfZone: (id) => facts.zone(id)?.siteId,
    siteOfPlan: (id) => plans.siteOf(id),
    siteOfChannel: (id) => channels.siteOf(id),
    doorEvents: () => doors.emits,
  });
  const raiseAlarm = (input: Parameters<AlarmsModule['alarms']['raise']>[0]) => options.alarms.alarms.raise(input);
  const runner = new ActionRunner(ctx, {
    raiseAlarm,
    doors: guardedDoors,
    startPlan: (planId, by) => activations.startByRule(planId, by),
    notify,
    facts,
  });
  const runtime = new RuleRuntime({
    ctx,
    store: rules,
    compile: { facts, doors: options.doorStates ?? { modeOf: () => undefined } },
    runner,
    bus: options.bus,
    search: options.search,
    raiseAlarm,
    ...(options.maxChainFirings ? { maxChainFirings: options.maxChainFirings } : {}),
  });
  const correlations = new CorrelationService(ctx, {
    recent: (f) => options.alarms.queries.recent(f),
    group: (g) => options.alarms.incidents.group(g),
  });
  const reports = new ActivationReports(ctx, plans);
  const background = (what: string, work: Promise<unknown>) =>
    void work.catch((e: unknown) => options.logger.error({ err: e }, `${what} failed`));

  return {
    facts,
    rules,
    runtime,
    runner,
    correlations,
    plans,
    activations,
    reports,
    live,
    notifications: options.notifications,
    guardedDoors,
    async start() {
      await facts.load();
      await plans.load();
      await correlations.load();
      const { bus } = options;
      bus.subscribe({ types: FACILITY_CHANGE_TYPES }, facts.onEvent, OWNER);
      bus.subscribe(
        { types: ['emergency.plan_defined', 'emergency.plan_removed'] },
        (e) => background('plan reload', plans.onEvent(e)),
        OWNER,
      );
      bus.subscribe({ types: ['emergency.plan_started', 'emergency.plan_cleared'] }, activations.onEvent, OWNER);
      bus.subscribe(
        { types: ['alarm.raised', 'automation.correlation_changed', 'automation.correlation_removed'] },
        (e) => background('alarm correlation', correlations.onEvent(e)),
        OWNER,
      );
      // Buttons start plans directly, not through the rule engine: nothing in the rules can stop them.
      bus.subscribe(
        {},
        (e) => (plans.byButton(e.type, e.source, e.site).length > 0 ? background('plan button', activations.onButton(e)) : undefined),
        OWNER,
      );
      await runtime.start();
      // After the runtime listens, so the defaults' creation events load them like any new rule.
      await seedDefaultRules(rules, options.logger);
      deliveries.start();
    },
    async stop() {
      options.bus.unsubscribeAll(OWNER);
      await runtime.stop();
      await deliveries.stop();
      writer.stop();
      for (const a of live.all()) a.stopped = true;
      await facts.stop();
    },
  };
}

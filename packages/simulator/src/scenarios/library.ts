/**
 * The scenario library and its player: plays one scenario on the live world, then reads back
 * through Vigil's API whether every alarm and journal entry it expects is there: entries from the
 * journal (`GET /api/journal`), alarms from the queue (`GET /api/alarms`) raised by an event the
 * live stream, opened before the scenario acted, carried during the run.
 */
import { Random } from '../hospital/random.js';
import { simulatorError } from '../errors.js';
import type { ProvisionedHospital } from '../model.js';
import { JournalWatch, type JournalEntry } from '../live/journal-watch.js';
import type { VigilClient } from '../live/vigil-client.js';
import type { LiveWorld } from '../live/world.js';
import { codePinkDrill, firePanelAlarm, readerPowerLoss } from './device-scenarios.js';
import { dataCentreDenials, forcedVaultDoor, orTailgating, proppedDoor } from './door-scenarios.js';
import { clonedCard, terminatedBadge } from './people-scenarios.js';
import type { ScenarioSetup } from './setup.js';
import type { ExpectedAlarm, ExpectedEntry, Scenario } from './types.js';

export const SCENARIOS: readonly Scenario[] = [
  forcedVaultDoor,
  orTailgating,
  terminatedBadge,
  clonedCard,
  proppedDoor,
  firePanelAlarm,
  codePinkDrill,
  readerPowerLoss,
  dataCentreDenials,
];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (scenario) return scenario;
  const names = SCENARIOS.map((s) => s.name);
  throw simulatorError('simulator.unknown_scenario', `No scenario "${name}". Scenarios: ${names.join(', ')}`, {
    scenario: name,
    scenarios: names,
  });
}

export interface PlayDependencies {
  readonly world: LiveWorld;
  readonly api: VigilClient;
  readonly setup: ScenarioSetup;
  readonly pace?: number;
  /** How long to wait for each expected alarm and entry after the script ended (default 30 s). */
  readonly verifyTimeoutMs?: number;
  readonly log: (message: string) => void;
}

export interface AlarmCheck {
  readonly expected: ExpectedAlarm;
  /** The id of the alarm Vigil raised, or null when none was found in time. */
  readonly alarmId: string | null;
  readonly title: string | null;
}

export interface EntryCheck {
  readonly expected: ExpectedEntry;
  readonly found: number;
  readonly eventIds: readonly string[];
}

export interface ScenarioReport {
  readonly scenario: string;
  readonly title: string;
  readonly passed: boolean;
  readonly alarms: readonly AlarmCheck[];
  readonly journal: readonly EntryCheck[];
  readonly seconds: number;
}

interface AlarmSummary {
  id: string;
  type: string;
  priority: number;
  title: string;
  doorId: string | null;
  triggerEventId: string | null;
}

export function applicability(scenario: Scenario, world: LiveWorld): string | null {
  return scenario.applicable(world.hospital, { mqtt: world.sensors !== null });
}

export async function playScenario(scenario: Scenario, deps: PlayDependencies): Promise<ScenarioReport> {
  const { world, api } = deps;
  const hospital: ProvisionedHospital = world.hospital;
  const why = applicability(scenario, world);
  if (why)
    throw simulatorError('simulator.scenario_not_applicable', `Scenario "${scenario.name}" cannot run here: ${why}`, {
      scenario: scenario.name,
      reason: why,
    });
  const started = Date.now();
  // Entries are searched by their instant; controllers and Vigil share the machine or NTP.
  const from = new Date(started - 5000).toISOString();
  const journal = await JournalWatch.open(api.baseUrl, api.token, hospital.siteId);
  try {
    const outcome = await scenario.run({
      world,
      api,
      hospital,
      setup: deps.setup,
      journal,
      random: Random.seeded(hospital.model.seed).fork(`scenario:${scenario.name}`),
      pace: deps.pace ?? 1,
      log: deps.log,
    });
    const timeoutMs = deps.verifyTimeoutMs ?? 30_000;
    const [alarms, entries] = await Promise.all([
      Promise.all(outcome.alarms.map((expected) => findAlarm(api, hospital.siteId, expected, journal, timeoutMs))),
      Promise.all(outcome.journal.map((expected) => findEntries(api, hospital.siteId, expected, from, timeoutMs))),
    ]);
    const passed = alarms.every((a) => a.alarmId !== null) && entries.every((e) => e.found >= (e.expected.atLeast ?? 1));
    return { scenario: scenario.name, title: scenario.title, passed, alarms, journal: entries, seconds: (Date.now() - started) / 1000 };
  } finally {
    journal.close();
  }
}

/**
 * The alarm this run caused: of the expected type, priority and door, raised by an event the
 * journal watch saw during the run (its trigger), so an older alarm of the same kind never counts.
 */
async function findAlarm(
  api: VigilClient,
  siteId: string,
  expected: ExpectedAlarm,
  journal: JournalWatch,
  timeoutMs: number,
): Promise<AlarmCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = new Set(journal.entries.map((e) => e.eventId));
    const page = await api.get<{ items: AlarmSummary[] }>('/api/alarms', { site: siteId, type: expected.type, limit: 100 });
    const alarm = page.items.find(
      (a) =>
        a.triggerEventId !== null &&
        seen.has(a.triggerEventId) &&
        a.priority === expected.priority &&
        (expected.doorId === undefined || a.doorId === expected.doorId),
    );
    if (alarm) return { expected, alarmId: alarm.id, title: alarm.title };
    if (Date.now() > deadline) return { expected, alarmId: null, title: null };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface JournalSearchEntry extends Omit<JournalEntry, 'eventId'> {
  id: string;
}

/** Expected entries as the journal holds them (`GET /api/journal`), recorded since the run began. */
async function findEntries(
  api: VigilClient,
  siteId: string,
  expected: ExpectedEntry,
  from: string,
  timeoutMs: number,
): Promise<EntryCheck> {
  const deadline = Date.now() + timeoutMs;
  const want = expected.atLeast ?? 1;
  for (;;) {
    const page = await api.get<{ items: JournalSearchEntry[] }>('/api/journal', { site: siteId, from, type: expected.types, limit: 1000 });
    const found = page.items.map(({ id, ...rest }): JournalEntry => ({ eventId: id, ...rest })).filter(expected.matches);
    if (found.length >= want || Date.now() > deadline) return { expected, found: found.length, eventIds: found.map((e) => e.eventId) };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The report as lines for a terminal. */
export function describeReport(report: ScenarioReport): string[] {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  return [
    `${mark(report.passed)} ${report.scenario}: ${report.title} (${report.seconds.toFixed(1)} s)`,
    ...report.alarms.map(
      (a) =>
        `    ${mark(a.alarmId !== null)} alarm ${a.expected.type} (priority ${a.expected.priority}): ${a.title ?? `not raised — expected ${a.expected.description}`}`,
    ),
    ...report.journal.map(
      (e) =>
        `    ${mark(e.found >= (e.expected.atLeast ?? 1))} journal: ${e.expected.description}${(e.expected.atLeast ?? 1) > 1 ? ` (${e.found}/${e.expected.atLeast})` : ''}`,
    ),
  ];
}

/**
 * A scenario is a short script played on the live hospital — people and devices doing something
 * a security operator must see — that declares what Vigil should make of it: the alarms it should
 * raise and the journal entries it should record. Scripts are repeatable: every choice (which
 * door, which person) comes from a generator seeded by the hospital's seed and the scenario's
 * name, and depends on nothing else but the state Vigil reports.
 */
import type { Random } from '../hospital/random.js';
import type { ProvisionedHospital } from '../model.js';
import type { JournalEntry, JournalWatch } from '../live/journal-watch.js';
import type { VigilClient } from '../live/vigil-client.js';
import type { LiveWorld } from '../live/world.js';
import type { ScenarioSetup } from './setup.js';

export interface ScenarioContext {
  readonly world: LiveWorld;
  readonly api: VigilClient;
  readonly hospital: ProvisionedHospital;
  readonly setup: ScenarioSetup;
  readonly journal: JournalWatch;
  readonly random: Random;
  /**
   * Divides the script's waits that stand for human time ("a few minutes later"), never the
   * device timings Vigil measures (held-open limits, reader timeouts). 1 in a demo; tests use more.
   */
  readonly pace: number;
  log(message: string): void;
}

export interface ExpectedAlarm {
  /** The alarm type (`door_forced`); the rule that raises it is part of the scenario's setup. */
  readonly type: string;
  readonly priority: number;
  /** The door the alarm must name, when it names one. */
  readonly doorId?: string;
  readonly description: string;
}

export interface ExpectedEntry {
  readonly types: readonly string[];
  readonly description: string;
  readonly matches: (entry: JournalEntry) => boolean;
  /** How many such entries (default 1). */
  readonly atLeast?: number;
}

/** What one run of a scenario should leave in Vigil, with the ids of the doors and people it used. */
export interface ScenarioOutcome {
  readonly alarms: readonly ExpectedAlarm[];
  readonly journal: readonly ExpectedEntry[];
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Alarm types and event types the scenario leads to, for `vigil sim list`. */
  readonly declares: { readonly alarms: readonly string[]; readonly journal: readonly string[] };
  /** Why the scenario cannot run on this hospital or world (no vault, one building, no MQTT), or null. */
  applicable(hospital: ProvisionedHospital, world: { readonly mqtt: boolean }): string | null;
  /** Plays the script and returns what Vigil should show for it. */
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

export interface EntryWhere {
  readonly door?: string;
  readonly subject?: string;
  readonly source?: string;
  /** Values at dotted paths of `data` (`activation.kind`). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly atLeast?: number;
}

/** An entry of one of these types with the given envelope fields and data values. */
export function entry(types: string | readonly string[], description: string, where: EntryWhere = {}): ExpectedEntry {
  const accepted = typeof types === 'string' ? [types] : types;
  return {
    types: accepted,
    description,
    ...(where.atLeast !== undefined ? { atLeast: where.atLeast } : {}),
    matches: (e) =>
      accepted.includes(e.type) &&
      (where.door === undefined || e.door === where.door) &&
      (where.subject === undefined || e.subject === where.subject) &&
      (where.source === undefined || e.source === where.source) &&
      Object.entries(where.data ?? {}).every(([path, value]) => valueAt(e.data, path) === value),
  };
}

function valueAt(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

/**
 * The daily rhythm: people on shift badge through the doors their access groups open (and now and
 * then one they may not, or at a time their schedule does not cover), walk through, and leave
 * again later by the exit reader or the exit button; deliveries come through the dock in the
 * morning and visitors in visiting hours. Each second it draws how many passages the simulated
 * time since the last second holds (a Poisson draw on the profile's rates), capped so a high
 * acceleration cannot flood the controllers.
 */
import type { PersonModel } from '../model.js';
import type { Random } from '../hospital/random.js';
import type { SimClock } from './clock.js';
import type { PassageOutcome, VirtualDoor } from './doors.js';
import { passagesPerHour, perimeterShare } from './profile.js';
import type { LiveWorld, WorldLogger } from './world.js';

export interface RhythmOptions {
  readonly world: LiveWorld;
  readonly clock: SimClock;
  readonly random: Random;
  readonly logger: WorldLogger;
  /** Upper bound on passages started per real second (default 8). */
  readonly maxPassagesPerSecond?: number;
  /** Upper bound on passages under way at once (default 64). */
  readonly maxInFlight?: number;
}

export interface RhythmStats {
  passages: number;
  /** Card presented → green or red at the reader, ms, of the latest answered badges (up to 1,000). */
  readonly answerMs: number[];
  granted: number;
  denied: number;
  noAnswer: number;
  exits: number;
}

interface Walker {
  readonly person: PersonModel;
  /** Doors their groups open, in the live world; those into their home zone; perimeter doors of their building. */
  readonly allowed: readonly VirtualDoor[];
  readonly home: readonly VirtualDoor[];
  readonly perimeter: readonly VirtualDoor[];
  readonly elsewhere: readonly VirtualDoor[];
}

interface PendingExit {
  readonly walker: Walker;
  readonly door: VirtualDoor;
  readonly dueAt: number;
}

/** A person now and then tries a door their groups do not open. */
const WRONG_DOOR_SHARE = 0.04;
const EXIT_SHARE = 0.6;
const DWELL_MINUTES = { min: 5, max: 45 } as const;
const MOTION_GAP_MS = 60_000;

export class DailyRhythm {
  readonly stats: RhythmStats = { passages: 0, answerMs: [], granted: 0, denied: 0, noAnswer: 0, exits: 0 };
  private readonly walkers: Walker[];
  private readonly exits: PendingExit[] = [];
  private readonly lastMotion = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private backlog = 0;
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: RhythmOptions) {
    this.walkers = walkersOf(options.world);
  }

  start(): void {
    this.lastTick = this.options.clock.now();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** People with a card and at least one door of the live world they may use. */
  get population(): number {
    return this.walkers.length;
  }

  private tick(): void {
    const { clock, random } = this.options;
    const now = clock.now();
    const simHours = (now - this.lastTick) / 3_600_000;
    this.lastTick = now;
    const local = clock.local(now);
    const rates = this.walkers.map((w) => passagesPerHour(w.person, local));
    const maxPerSecond = this.options.maxPassagesPerSecond ?? 8;
    const drawn = poisson(rates.reduce((a, b) => a + b, 0) * simHours, random) + this.backlog;
    const count = Math.min(drawn, Math.max(0, Math.min(maxPerSecond, (this.options.maxInFlight ?? 64) - this.inFlight)));
    // What the cap held back is not lost, only late (up to one second's worth).
    this.backlog = Math.min(drawn - count, maxPerSecond);
    const departed = this.options.world.departed;
    const onShift = this.walkers.filter((w, i) => rates[i]! > 0 && !departed.has(w.person.key));
    const weightOf = new Map(this.walkers.map((w, i) => [w, rates[i]!]));
    for (let i = 0; i < count && onShift.length > 0; i++) {
      const walker = random.weighted(onShift, (w) => weightOf.get(w) ?? 0);
      this.track(this.enter(walker, this.chooseDoor(walker, perimeterShare(local))));
    }
    const realNow = Date.now();
    for (let i = this.exits.length - 1; i >= 0; i--) {
      const exit = this.exits[i]!;
      if (exit.dueAt > realNow || this.inFlight >= (this.options.maxInFlight ?? 64)) continue;
      this.exits.splice(i, 1);
      this.track(this.leave(exit));
    }
  }

  private chooseDoor(walker: Walker, perimeterShareNow: number): VirtualDoor {
    const { random } = this.options;
    if (walker.elsewhere.length > 0 && random.chance(WRONG_DOOR_SHARE)) return random.pick(walker.elsewhere);
    if (walker.perimeter.length > 0 && random.chance(perimeterShareNow)) return random.pick(walker.perimeter);
    if (walker.home.length > 0 && random.chance(0.7)) return random.pick(walker.home);
    return random.pick(walker.allowed);
  }

  private async enter(walker: Walker, door: VirtualDoor): Promise<void> {
    const card = walker.person.cards[0]!;
    const outcome = await door.enter(card, { openMs: 1500 + this.options.random.int(0, 2500) });
    this.count(outcome, door);
    if (outcome !== 'granted') return;
    this.motionIn(door);
    if ((door.exitReader || door.points.requestToExit !== null) && this.options.random.chance(EXIT_SHARE)) {
      const dwellMs = this.options.random.int(DWELL_MINUTES.min, DWELL_MINUTES.max) * 60_000;
      this.exits.push({ walker, door, dueAt: Date.now() + this.options.clock.realMs(dwellMs) });
    }
  }

  private async leave(exit: PendingExit): Promise<void> {
    const outcome = await exit.door.leave(exit.walker.person.cards[0] ?? null, { openMs: 1500 });
    this.stats.exits++;
    this.count(outcome, exit.door);
  }

  private count(outcome: PassageOutcome, door: VirtualDoor): void {
    this.stats.passages++;
    if (outcome !== 'no_answer' && door.lastAnswerMs !== null) {
      this.stats.answerMs.push(door.lastAnswerMs);
      if (this.stats.answerMs.length > 1000) this.stats.answerMs.shift();
    }
    if (outcome === 'granted') this.stats.granted++;
    else if (outcome === 'denied') this.stats.denied++;
    else this.stats.noAnswer++;
  }

  /** A motion sensor in the zone entered sees the person (at most once a minute per sensor). */
  private motionIn(door: VirtualDoor): void {
    const sensors = this.options.world.sensors;
    const sensor = sensors?.find('motion', (s) => s.zone === door.model.into);
    if (!sensors || !sensor) return;
    const last = this.lastMotion.get(sensor.serial) ?? 0;
    if (Date.now() - last < MOTION_GAP_MS) return;
    this.lastMotion.set(sensor.serial, Date.now());
    sensors.motion(sensor).catch(() => undefined);
  }

  private track(work: Promise<void>): void {
    this.inFlight++;
    const tracked = work
      .catch((e: unknown) => this.options.logger.warn({ err: String(e) }, 'a passage failed'))
      .finally(() => {
        this.inFlight--;
        this.running.delete(tracked);
      });
    this.running.add(tracked);
  }
}

/** Who can walk where in the live world: everyone with a card and at least one door of theirs. */
function walkersOf(world: LiveWorld): Walker[] {
  const { model } = world.hospital;
  const groupDoors = new Map(model.accessGroups.map((g) => [g.key, g.doors.filter((key) => world.hasDoor(key))]));
  const buildingOfZone = new Map(model.zones.map((z) => [z.key, model.floors.find((f) => f.key === z.floor)?.building]));
  const doorsByBuilding = new Map<string, VirtualDoor[]>();
  for (const door of world.doors) {
    const list = doorsByBuilding.get(door.building) ?? [];
    list.push(door);
    doorsByBuilding.set(door.building, list);
  }
  const walkers: Walker[] = [];
  for (const person of model.persons) {
    if (person.cards.length === 0) continue;
    const keys = new Set(person.accessGroups.flatMap((g) => groupDoors.get(g) ?? []));
    if (keys.size === 0) continue;
    const everywhere = [...keys].map((key) => world.door(key));
    const building = person.homeZone ? buildingOfZone.get(person.homeZone) : everywhere[0]!.building;
    // People stay in their own building: a walk to another one is the cloned-card rule's business.
    const allowed = everywhere.filter((d) => d.building === building);
    if (allowed.length === 0) continue;
    const inBuilding = doorsByBuilding.get(building ?? '') ?? [];
    walkers.push({
      person,
      allowed,
      home: allowed.filter((d) => d.model.into === person.homeZone),
      perimeter: allowed.filter((d) => d.model.perimeter && d.building === building),
      elsewhere: inBuilding.filter((d) => !keys.has(d.model.key)),
    });
  }
  return walkers;
}

/** Knuth's method; `expected` is small (a second's worth of passages). */
function poisson(expected: number, random: Random): number {
  if (expected <= 0) return 0;
  const limit = Math.exp(-expected);
  let k = 0;
  let p = random.float();
  while (p > limit) {
    k++;
    p *= random.float();
  }
  return k;
}

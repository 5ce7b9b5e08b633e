/**
 * `vigil sim run`: the live hospital with its daily rhythm and, every few minutes, a scenario from
 * the library (in a seeded order, one at a time, each checked against what Vigil shows). A status
 * line every minute says what the simulated day is doing and what the simulator costs in CPU.
 */
import { Random } from '../hospital/random.js';
import { SCENARIOS, applicability, describeReport, playScenario } from '../scenarios/library.js';
import type { Scenario } from '../scenarios/types.js';
import { SimClock } from './clock.js';
import { DailyRhythm } from './rhythm.js';
import { startSession, type Session, type SessionOptions } from './session.js';

export interface SimulationOptions extends SessionOptions {
  /** Simulated time runs this many times faster than real time (1–3600). */
  readonly accelerate: number;
  /** Minutes between scenarios; 0: none. */
  readonly scenariosEveryMinutes: number;
  readonly firstScenarioAfterSeconds?: number;
  /** The daily rhythm of people badging through doors (default on); off: only devices, heartbeats and scenarios. */
  readonly rhythm?: boolean;
  readonly statusEverySeconds?: number;
}

export class Simulation {
  private readonly timers: NodeJS.Timeout[] = [];
  private scenarioRunning: Promise<void> | null = null;
  private played = 0;
  private passed = 0;
  private cpuMark = { usage: process.cpuUsage(), at: performance.now() };

  private constructor(
    readonly session: Session,
    readonly rhythm: DailyRhythm,
    readonly clock: SimClock,
    private readonly options: SimulationOptions,
    private readonly order: readonly Scenario[],
  ) {}

  static async start(options: SimulationOptions): Promise<Simulation> {
    const session = await startSession(options);
    const { world, hospital } = session;
    const clock = new SimClock(hospital.model.site.timeZone, options.accelerate);
    const random = Random.seeded(options.seed);
    const rhythm = new DailyRhythm({ world, clock, random: random.fork('rhythm'), logger: options.logger });
    const [first, ...rest] = SCENARIOS.filter((s) => applicability(s, world) === null);
    // The library's first (the forced vault) opens the show; the rest follow in a seeded order.
    const order = first ? [first, ...random.fork('scenario-order').shuffled(rest)] : [];
    const simulation = new Simulation(session, rhythm, clock, options, order);
    if (options.rhythm ?? true) {
      rhythm.start();
      options.out(
        `Daily rhythm: ${rhythm.population} people with badges, simulated time ${clock.label()} at ${options.accelerate}× real time.`,
      );
    } else options.out('Daily rhythm off: devices, heartbeats and scenarios only.');
    simulation.schedule();
    return simulation;
  }

  /** CPU used by this process since the last call, as a share of one core. */
  cpuPercent(): number {
    const usage = process.cpuUsage(this.cpuMark.usage);
    const now = performance.now();
    const percent = (100 * (usage.user + usage.system)) / 1000 / Math.max(1, now - this.cpuMark.at);
    this.cpuMark = { usage: process.cpuUsage(), at: now };
    return percent;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.scenarioRunning;
    await this.rhythm.stop();
    await this.session.world.stop();
  }

  private schedule(): void {
    const { options } = this;
    this.timers.push(setInterval(() => this.status(), (options.statusEverySeconds ?? 60) * 1000));
    if (options.scenariosEveryMinutes <= 0 || this.order.length === 0) return;
    const first = setTimeout(
      () => {
        this.playNext();
        this.timers.push(setInterval(() => this.playNext(), options.scenariosEveryMinutes * 60_000));
      },
      (options.firstScenarioAfterSeconds ?? 30) * 1000,
    );
    this.timers.push(first);
  }

  private playNext(): void {
    if (this.scenarioRunning) return;
    const scenario = this.order[this.played % this.order.length]!;
    const out = this.options.out;
    out(`Scenario: ${scenario.title}`);
    this.scenarioRunning = playScenario(scenario, {
      world: this.session.world,
      api: this.session.api,
      setup: this.session.setup,
      log: (message) => out(`  ${message}`),
    })
      .then((report) => {
        if (report.passed) this.passed++;
        for (const line of describeReport(report)) out(line);
      })
      .catch((e: unknown) => out(`  scenario ${scenario.name} failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.played++;
        this.scenarioRunning = null;
      });
  }

  private status(): void {
    const s = this.rhythm.stats;
    const sorted = [...s.answerMs].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? '–' : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!));
    this.options.out(
      `[${this.clock.label()}] ${s.passages} passages (${s.granted} granted, ${s.denied} denied, ${s.noAnswer} unanswered; badge → light p50 ${at(0.5)} ms, p95 ${at(0.95)} ms) · scenarios ${this.passed}/${this.played} as expected · simulator CPU ${this.cpuPercent().toFixed(1)}%`,
    );
  }
}

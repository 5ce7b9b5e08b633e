/**
 * The simulated day. Vigil and its door controllers always run on real time (they journal real
 * instants and decide schedules on them); what acceleration changes is the hospital's behaviour:
 * with a factor of 60 a simulated hour of shift changes, visiting and deliveries passes in a real
 * minute. The simulated clock starts at the real time (or a chosen instant) and runs `factor`
 * times faster; the daily rhythm reads its local time in the site's time zone.
 */

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight, fractional. */
  readonly minuteOfDay: number;
  /** YYYY-MM-DD in the site's zone. */
  readonly date: string;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export class SimClock {
  private readonly realStart: number;
  private readonly simStart: number;
  private readonly format: Intl.DateTimeFormat;
  private readonly realNow: () => number;

  constructor(
    readonly timeZone: string,
    readonly factor = 1,
    options: { startAt?: number; realNow?: () => number } = {},
  ) {
    if (!(factor >= 1 && factor <= 3600)) throw new RangeError('the acceleration factor must be between 1 and 3600');
    this.realNow = options.realNow ?? Date.now;
    this.realStart = this.realNow();
    this.simStart = options.startAt ?? this.realStart;
    this.format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.simStart + (this.realNow() - this.realStart) * this.factor;
  }

  /** Real milliseconds a simulated span takes. */
  realMs(simulatedMs: number): number {
    return simulatedMs / this.factor;
  }

  local(at = this.now()): LocalTime {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(at)) parts[part.type] = part.value;
    const minuteOfDay = Number(parts['hour']) * 60 + Number(parts['minute']) + Number(parts['second']) / 60;
    return { weekday: WEEKDAYS[parts['weekday'] ?? 'Sun'] ?? 0, minuteOfDay, date: `${parts['year']}-${parts['month']}-${parts['day']}` };
  }

  /** `HH:MM` local, for logs. */
  label(at = this.now()): string {
    const { minuteOfDay, weekday } = this.local(at);
    const h = Math.floor(minuteOfDay / 60);
    const m = Math.floor(minuteOfDay % 60);
    return `${Object.keys(WEEKDAYS)[weekday]} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  }
}

/** The last N card-read-to-lock-command times, for the p99 the agent reports in its health. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(size = 1024) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count++;
  }

  percentile(p: number): number | null {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return null;
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]!;
  }
}

/**
 * Per-source token buckets, so one chattering device cannot crowd out the others or fill the
 * intake queue. Memory is bounded: only `maxSources` buckets are kept, and an idle source's bucket
 * (which would be full again) is the first to be forgotten.
 */

export interface SourceRateOptions {
  /** Sustained events per second per source; 0 disables limiting (counting still happens). */
  ratePerSecond: number;
  burst: number;
  maxSources?: number;
  /** Milliseconds from a monotonic origin. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  accepted: number;
  rejected: number;
}

export interface SourceCount {
  source: string;
  accepted: number;
  rejected: number;
}

export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxSources: number;
  private readonly now: () => number;
  private rejectedTotal = 0;

  constructor(private readonly options: SourceRateOptions) {
    this.maxSources = options.maxSources ?? 50_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes `count` events for every source in `wanted`, all or none; false when any is over. */
  tryTake(wanted: ReadonlyMap<string, number>): boolean {
    const at = this.now();
    const buckets: [Bucket, number][] = [];
    let allowed = true;
    for (const [source, count] of wanted) {
      const bucket = this.bucket(source, at);
      buckets.push([bucket, count]);
      if (this.options.ratePerSecond > 0 && bucket.tokens < count) allowed = false;
    }
    for (const [bucket, count] of buckets) {
      if (allowed) {
        bucket.tokens -= this.options.ratePerSecond > 0 ? count : 0;
        bucket.accepted += count;
      } else {
        bucket.rejected += count;
        this.rejectedTotal += count;
      }
    }
    return allowed;
  }

  get totalRejected(): number {
    return this.rejectedTotal;
  }

  /** Sources with the most rejected events first. */
  topRejected(limit = 10): SourceCount[] {
    return [...this.buckets]
      .filter(([, b]) => b.rejected > 0)
      .sort(([, a], [, b]) => b.rejected - a.rejected)
      .slice(0, limit)
      .map(([source, b]) => ({ source, accepted: b.accepted, rejected: b.rejected }));
  }

  count(source: string): SourceCount | undefined {
    const b = this.buckets.get(source);
    return b && { source, accepted: b.accepted, rejected: b.rejected };
  }

  private bucket(source: string, at: number): Bucket {
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.maxSources) this.evict(at);
      bucket = { tokens: this.options.burst, updatedAt: at, accepted: 0, rejected: 0 };
      this.buckets.set(source, bucket);
      return bucket;
    }
    const refill = ((at - bucket.updatedAt) / 1000) * this.options.ratePerSecond;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + refill);
    bucket.updatedAt = at;
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.buckets.delete(source);
    this.buckets.set(source, bucket);
    return bucket;
  }

  private evict(at: number): void {
    const target = Math.floor(this.maxSources * 0.9);
    for (const [source, bucket] of this.buckets) {
      if (this.buckets.size <= target) return;
      const full = bucket.tokens + ((at - bucket.updatedAt) / 1000) * this.options.ratePerSecond >= this.options.burst;
      if (full && bucket.rejected === 0) this.buckets.delete(source);
    }
    // Still over: forget the least recently used, counted sources included.
    for (const source of this.buckets.keys()) {
      if (this.buckets.size <= target) return;
      this.buckets.delete(source);
    }
  }
}

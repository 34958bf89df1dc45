import type { JobStats } from '@botwire/core';

/**
 * How late occurrences started in this process: the last `size` of them kept, so the
 * percentiles reflect recent behaviour while `count` is every start since the queue opened.
 */
export class LatenessWindow {
  private readonly recent: number[] = [];
  private count = 0;
  private max = 0;

  constructor(private readonly size = 10_000) {}

  record(lateMs: number): void {
    if (this.recent.length >= this.size) this.recent.shift();
    this.recent.push(lateMs);
    this.count += 1;
    this.max = Math.max(this.max, lateMs);
  }

  summary(): JobStats['lateness'] {
    const sorted = [...this.recent].sort((a, b) => a - b);
    const at = (fraction: number) =>
      sorted.length === 0
        ? 0
        : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
    return { p50: at(0.5), p99: at(0.99), max: this.max, count: this.count };
  }
}

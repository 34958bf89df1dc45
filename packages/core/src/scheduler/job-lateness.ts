/** The most lateness samples kept; past it, the older half is dropped. */
const maxSamples = 100_000;

/** Lateness of the occurrences a queue started, for its stats. */
export class JobLateness {
  private samples: number[] = [];
  private total = 0;

  record(ms: number): void {
    this.total += 1;
    if (this.samples.length >= maxSamples) this.samples = this.samples.slice(maxSamples / 2);
    this.samples.push(ms);
  }

  /** p50, p99 and max over the kept samples (the latest 50,000 to 100,000); count of all. */
  summary(): { p50: number; p99: number; max: number; count: number } {
    if (this.samples.length === 0) return { p50: 0, p99: 0, max: 0, count: 0 };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (quantile: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!;
    return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]!, count: this.total };
  }
}

/**
 * The `limit` best (slot, score) pairs seen so far: a min-heap on typed arrays, so keeping the
 * top 10 of a million scores costs one comparison for most of them.
 *
 * @example
 * const top = new TopMatches(10);
 * for (let slot = 0; slot < count; slot++) top.offer(slot, scoreOf(slot));
 * top.sorted(); // best first
 */
export class TopMatches {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private size = 0;

  constructor(private readonly limit: number) {
    this.scores = new Float64Array(limit);
    this.slots = new Int32Array(limit);
  }

  /** The score a new pair must beat to get in, -Infinity while there is room. */
  get threshold(): number {
    return this.size < this.limit ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  offer(slot: number, score: number): void {
    if (this.size < this.limit) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[at] = this.scores[parent]!;
        this.slots[at] = this.slots[parent]!;
        at = parent;
      }
      this.scores[at] = score;
      this.slots[at] = slot;
      return;
    }
    if (score <= this.scores[0]!) return;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.scores[right]! < this.scores[left]! ? right : left;
      if (this.scores[child]! >= score) break;
      this.scores[at] = this.scores[child]!;
      this.slots[at] = this.slots[child]!;
      at = child;
    }
    this.scores[at] = score;
    this.slots[at] = slot;
  }

  /** The pairs kept, best first. */
  sorted(): Array<{ slot: number; score: number }> {
    const pairs: Array<{ slot: number; score: number }> = [];
    for (let at = 0; at < this.size; at++)
      pairs.push({ slot: this.slots[at]!, score: this.scores[at]! });
    return pairs.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }
}

import type { DueEntry } from './job-store';

/** A due entry this process knows of: its key, its time and its value. */
export interface KnownDue {
  key: string;
  at: number;
  value: DueEntry;
}

/**
 * The due entries this process knows of (written by it, or listed from storage), earliest
 * first: a binary min-heap by time, with a map by key so an entry is held once. It spares the
 * queue a listing of storage for the work it already knows about; storage stays the truth
 * (an entry taken here is checked there when it is claimed).
 */
export class DueIndex {
  private readonly heap: KnownDue[] = [];
  private readonly byKey = new Map<string, KnownDue>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Adds an entry; false when it is known already or the index is full. */
  add(entry: KnownDue): boolean {
    if (this.byKey.has(entry.key) || this.byKey.size >= this.capacity) return false;
    this.byKey.set(entry.key, entry);
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return true;
  }

  /** The earliest entry's time, or Infinity. */
  earliest(): number {
    this.dropRemoved();
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest entry due by `now`. */
  takeDue(now: number): KnownDue | undefined {
    this.dropRemoved();
    const top = this.heap[0];
    if (!top || top.at > now) return undefined;
    this.pop();
    this.byKey.delete(top.key);
    return top;
  }

  /** Forgets an entry (it is dropped from the heap when it reaches the top). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  private dropRemoved(): void {
    while (this.heap.length > 0 && this.byKey.get(this.heap[0]!.key) !== this.heap[0]) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private before(a: KnownDue, b: KnownDue): boolean {
    return a.at < b.at || (a.at === b.at && a.key < b.key);
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index]!, heap[parent]!)) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = index * 2 + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (left + 1 < heap.length && this.before(heap[left + 1]!, heap[smallest]!))
        smallest = left + 1;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

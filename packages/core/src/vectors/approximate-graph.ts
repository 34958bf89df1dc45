import type { HierarchicalNSW } from 'hnswlib-node';

/** The hnswlib-node constructor, as `embeddedVectorIndex` takes it. */
export type HierarchicalNswConstructor = typeof HierarchicalNSW;

/** HNSW parameters: links per node, candidates while building, candidates while searching. */
export interface HnswSettings {
  m: number;
  efConstruction: number;
  efSearch: number;
}

const firstCapacity = 1024;

/** Loads hnswlib-node's constructor; undefined when the module cannot be loaded. */
export async function loadHierarchicalNsw(): Promise<HierarchicalNswConstructor | undefined> {
  try {
    const loaded = (await import('hnswlib-node')) as {
      default?: { HierarchicalNSW?: HierarchicalNswConstructor };
      HierarchicalNSW?: HierarchicalNswConstructor;
    };
    return loaded.HierarchicalNSW ?? loaded.default?.HierarchicalNSW;
  } catch {
    return undefined;
  }
}

/**
 * An HNSW graph (hnswlib-node, inner product on vectors of length 1, which is cosine) over
 * the slots of one namespace: a slot number is its label. A removed slot is marked deleted;
 * when the slot is used again, adding it replaces the point and clears the mark. The graph
 * grows (doubling) as slots are added.
 *
 * @example
 * const graph = new ApproximateGraph(HierarchicalNSW, 384, settings);
 * graph.add(0, vector);
 * graph.search(query, 10, 64); // slots, closest first
 */
export class ApproximateGraph {
  private readonly index: HierarchicalNSW;
  private capacity: number;

  constructor(
    HierarchicalNswClass: HierarchicalNswConstructor,
    dimensions: number,
    settings: HnswSettings,
    capacity = firstCapacity,
  ) {
    this.capacity = Math.max(firstCapacity, capacity);
    this.index = new HierarchicalNswClass('ip', dimensions);
    this.index.initIndex(this.capacity, settings.m, settings.efConstruction, 100);
    this.index.setEf(settings.efSearch);
  }

  /** Adds the point of `slot`, or replaces it (clearing a deletion mark). */
  add(slot: number, vector: Float32Array): void {
    if (slot >= this.capacity) {
      this.capacity = Math.max(this.capacity * 2, slot + 1);
      this.index.resizeIndex(this.capacity);
    }
    this.index.addPoint(Array.from(vector), slot);
  }

  /** Marks the point of `slot` deleted: searches skip it. */
  remove(slot: number): void {
    this.index.markDelete(slot);
  }

  /**
   * Up to `count` slots closest to `query`, closest first, looking at `ef` candidates (at
   * least `count`); with `accept`, only slots it accepts.
   */
  search(
    query: Float32Array,
    count: number,
    ef: number,
    accept?: (slot: number) => boolean,
  ): number[] {
    this.index.setEf(Math.max(ef, count));
    const found = this.index.searchKnn(Array.from(query), Math.min(count, this.capacity), accept);
    return found.neighbors;
  }
}

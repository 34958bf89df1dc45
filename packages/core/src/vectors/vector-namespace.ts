import type { VectorMatch, VectorRecord } from '../ports/vector-index';
import type { ApproximateGraph } from './approximate-graph';
import type { PayloadPredicate } from './check-vector-arguments';
import { TopMatches } from './top-matches';
import { decodeVectorInto } from './vector-encoding';

/** What a search needs besides the query vector. */
export interface SearchOptions {
  limit: number;
  minScore: number;
  matches?: PayloadPredicate | undefined;
  /** Use the graph from this many records (matching the filter, when there is one). */
  approximateFrom: number;
  /** The graph's candidate list size without a filter. */
  efSearch: number;
}

/** A scored slot. */
interface Scored {
  slot: number;
  score: number;
}

const firstSlots = 64;
/** How much a filter may raise the candidate list size, at most. */
const maxFilterEfFactor = 8;

/** The dot product of the vector at `offset` in `vectors` with `query` (both of length 1). */
function dot(vectors: Float32Array, offset: number, query: Float32Array, dimensions: number) {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let at = 0;
  for (const end = dimensions - (dimensions % 4); at < end; at += 4) {
    sum0 += vectors[offset + at]! * query[at]!;
    sum1 += vectors[offset + at + 1]! * query[at + 1]!;
    sum2 += vectors[offset + at + 2]! * query[at + 2]!;
    sum3 += vectors[offset + at + 3]! * query[at + 3]!;
  }
  for (; at < dimensions; at++) sum0 += vectors[offset + at]! * query[at]!;
  return sum0 + sum1 + sum2 + sum3;
}

/**
 * The records of one namespace in memory: vectors of length 1 in one contiguous Float32Array
 * (slot `n` at items `n * dimensions`), ids and payloads in arrays by slot, the slot of each id
 * in a Map. A removed record frees its slot for the next one. Exact search scores every slot;
 * with an {@link ApproximateGraph} attached, large searches go through it.
 */
export class VectorNamespace {
  /** Set by the first record (or by the length stored for the namespace). */
  dimensions: number | undefined;
  /** The HNSW graph over the slots, once the namespace is large enough and hnswlib loaded. */
  graph: ApproximateGraph | undefined;
  private vectors = new Float32Array(0);
  private readonly ids: Array<string | undefined> = [];
  private readonly payloads: Array<Record<string, unknown> | undefined> = [];
  private readonly slotById = new Map<string, number>();
  private readonly free: number[] = [];

  constructor(dimensions?: number) {
    this.dimensions = dimensions;
  }

  /** How many records it holds. */
  get size(): number {
    return this.slotById.size;
  }

  /** How many slots exist, used or free: graph labels are below it. */
  get slotCount(): number {
    return this.ids.length;
  }

  /** Makes room for `count` records in all, so that loading them does not grow memory stepwise. */
  reserve(count: number): void {
    const items = count * (this.dimensions ?? 0);
    if (items <= this.vectors.length) return;
    const grown = new Float32Array(items);
    grown.set(this.vectors);
    this.vectors = grown;
  }

  /** Whether a slot holds a record. */
  isUsed(slot: number): boolean {
    return this.ids[slot] !== undefined;
  }

  /** The vector of a slot, a view on the namespace's memory. */
  vectorAt(slot: number): Float32Array {
    const dimensions = this.dimensions ?? 0;
    return this.vectors.subarray(slot * dimensions, (slot + 1) * dimensions);
  }

  /** Adds or replaces a record; returns its slot. The vector has length `dimensions`. */
  set(id: string, vector: Float32Array, payload: Record<string, unknown>): number {
    const slot = this.slotFor(id, payload);
    this.vectors.set(vector, slot * vector.length);
    return slot;
  }

  /**
   * Adds a record as stored (its vector in base64); false, adding nothing, when the stored
   * vector does not have `dimensions` items.
   */
  setEncoded(id: string, encoded: unknown, payload: Record<string, unknown>): boolean {
    const dimensions = this.dimensions ?? 0;
    const slot = this.slotFor(id, payload);
    if (decodeVectorInto(encoded, this.vectors, slot * dimensions, dimensions)) return true;
    this.remove(id);
    return false;
  }

  /** Removes a record; returns its former slot, or undefined when it was not there. */
  remove(id: string): number | undefined {
    const slot = this.slotById.get(id);
    if (slot === undefined) return undefined;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    this.payloads[slot] = undefined;
    this.free.push(slot);
    return slot;
  }

  /** A copy of the record with this id. */
  get(id: string): VectorRecord | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.recordAt(slot);
  }

  /** The ids of the records whose payload matches (all of them without a predicate). */
  idsMatching(matches: PayloadPredicate | undefined): string[] {
    const found: string[] = [];
    for (const [id, slot] of this.slotById)
      if (!matches || matches(this.payloads[slot]!)) found.push(id);
    return found;
  }

  /** How many records match (all of them without a predicate). */
  count(matches: PayloadPredicate | undefined): number {
    if (!matches) return this.size;
    let count = 0;
    for (const payload of this.payloads) if (payload !== undefined && matches(payload)) count++;
    return count;
  }

  /**
   * The best matches for `query` (length 1, `dimensions` items), best first. Exact unless a
   * graph is attached and at least `approximateFrom` records match; a filter is applied before
   * scoring (exact) or during the graph walk (approximate).
   */
  search(query: Float32Array, options: SearchOptions): VectorMatch[] {
    const { matches, approximateFrom } = options;
    // A bigger graph needs a wider search for the same recall: efSearch is for 100k records,
    // and grows as size^0.75 past it (at 1M, about 5.6 times), at most 1024.
    const efSearch = Math.min(
      Math.max(options.efSearch, 1024),
      Math.ceil(options.efSearch * Math.max(1, (this.size / 100_000) ** 0.75)),
    );
    let scored: Scored[];
    if (!this.graph || this.size < approximateFrom) {
      scored = this.exactSearch(
        query,
        options.limit,
        matches && ((slot) => matches(this.payloads[slot]!)),
      );
    } else if (!matches) {
      scored = this.approximateSearch(query, options.limit, efSearch);
    } else {
      const accepted = new Uint8Array(this.slotCount);
      let matching = 0;
      for (let slot = 0; slot < accepted.length; slot++) {
        const payload = this.payloads[slot];
        if (payload !== undefined && matches(payload)) {
          accepted[slot] = 1;
          matching++;
        }
      }
      const accept = (slot: number) => accepted[slot] === 1;
      // A graph walk that must skip most nodes finds few of the true neighbours: when few
      // records match, scoring them all is both exact and cheap.
      scored =
        matching < approximateFrom
          ? this.exactSearch(query, options.limit, accept)
          : this.approximateSearch(
              query,
              Math.min(options.limit, matching),
              Math.ceil(efSearch * Math.min(this.size / matching, maxFilterEfFactor)),
              accept,
            );
    }
    const found: VectorMatch[] = [];
    for (const { slot, score } of scored) {
      if (score < options.minScore) break;
      found.push({ ...this.recordAt(slot), score });
    }
    return found;
  }

  private exactSearch(
    query: Float32Array,
    limit: number,
    accept: ((slot: number) => boolean) | undefined,
  ): Scored[] {
    const dimensions = query.length;
    const top = new TopMatches(limit);
    const slots = this.ids.length;
    for (let slot = 0; slot < slots; slot++) {
      if (this.ids[slot] === undefined || (accept && !accept(slot))) continue;
      top.offer(slot, dot(this.vectors, slot * dimensions, query, dimensions));
    }
    return top.sorted();
  }

  private approximateSearch(
    query: Float32Array,
    limit: number,
    ef: number,
    accept?: (slot: number) => boolean,
  ): Scored[] {
    const dimensions = query.length;
    const slots = this.graph!.search(query, Math.min(limit, this.size), ef, accept);
    return slots
      .filter((slot) => this.ids[slot] !== undefined)
      .map((slot) => ({ slot, score: dot(this.vectors, slot * dimensions, query, dimensions) }))
      .sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private recordAt(slot: number): VectorRecord {
    return {
      id: this.ids[slot]!,
      vector: Array.from(this.vectorAt(slot)),
      payload: structuredClone(this.payloads[slot]!),
    };
  }

  /** The slot of `id`, taken (a free one, or a new one) when it has none, with its payload set. */
  private slotFor(id: string, payload: Record<string, unknown>): number {
    let slot = this.slotById.get(id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.newSlot();
      this.slotById.set(id, slot);
      this.ids[slot] = id;
    }
    this.payloads[slot] = payload;
    return slot;
  }

  private newSlot(): number {
    const slot = this.ids.length;
    const dimensions = this.dimensions ?? 0;
    if ((slot + 1) * dimensions > this.vectors.length) {
      const grown = new Float32Array(Math.max(firstSlots, slot * 2) * dimensions);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.ids.push(undefined);
    this.payloads.push(undefined);
    return slot;
  }
}

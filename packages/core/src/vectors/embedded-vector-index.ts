import { setImmediate as nextTurn } from 'node:timers/promises';
import { BotwireError } from '../errors/botwire-error';
import type { StorageDriver } from '../ports/storage';
import type {
  VectorFilter,
  VectorIndex,
  VectorQueryOptions,
  VectorRecord,
} from '../ports/vector-index';
import { invalidArgument } from '../storage/check-storage-arguments';
import {
  ApproximateGraph,
  type HierarchicalNswConstructor,
  type HnswSettings,
  loadHierarchicalNsw,
} from './approximate-graph';
import {
  type CheckedRecord,
  checkIds,
  checkLimit,
  checkMinScore,
  checkNamespace,
  checkRecords,
  compileFilter,
  normalizedVector,
} from './check-vector-arguments';
import { encodeVector } from './vector-encoding';
import { VectorNamespace } from './vector-namespace';

/** Options for {@link embeddedVectorIndex}. */
export interface EmbeddedVectorIndexOptions {
  /** The bot's storage, opened by its owner; the index keeps its vectors in `storage.kv` and never closes it. */
  storage: StorageDriver;
  /**
   * From how many records a namespace is searched through an HNSW graph instead of exactly.
   * Default 10,000 (exact search of 10,000 vectors of 384 dimensions takes about 5 ms);
   * `Infinity` keeps every search exact.
   */
  approximateFrom?: number;
  /**
   * HNSW parameters: `m` links per node (default 16), `efConstruction` candidates while
   * adding (default 100), `efSearch` candidates while searching (default 128; past 100k
   * records it grows as size^0.75, up to 1024, so recall holds).
   */
  hnsw?: { m?: number; efConstruction?: number; efSearch?: number };
  /**
   * hnswlib-node's `HierarchicalNSW` constructor; loaded with `import('hnswlib-node')` when a
   * namespace first reaches `approximateFrom`. When it cannot be loaded (or fails), searches
   * stay exact; nothing is logged.
   */
  HierarchicalNSW?: HierarchicalNswConstructor;
}

/** A record as stored under `record:<id>` in the namespace's key-value namespace. */
interface StoredRecord {
  /** Base64 of the vector (length 1) as Float32 little-endian. */
  vector: string;
  payload: Record<string, unknown>;
}

/** A namespace in memory and the version of the stored namespace it reflects. */
interface LoadedNamespace {
  data: VectorNamespace;
  /** The stored version it was loaded at; NaN when it must be loaded again. */
  version: number;
}

const defaultApproximateFrom = 10_000;
const defaultHnsw: HnswSettings = { m: 16, efConstruction: 100, efSearch: 128 };
/** Key-value calls issued at once during one write. */
const writeChunk = 1_000;
/** Graph insertions between two turns of the event loop while a graph is built. */
const buildChunk = 500;
const recordPrefix = 'record:';
const versionKey = 'version';
const dimensionsKey = 'dimensions';

const kvNamespaceOf = (namespace: string) => `vectors:${namespace}`;

function checkPositiveInteger(value: unknown, what: string, allowInfinity = false): void {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw invalidArgument(`${what} must be a positive integer; got ${String(value)}.`);
}

function settingsOf(options: EmbeddedVectorIndexOptions): HnswSettings {
  const settings = { ...defaultHnsw, ...options.hnsw };
  for (const field of ['m', 'efConstruction', 'efSearch'] as const)
    checkPositiveInteger(settings[field], `hnsw.${field}`);
  return settings;
}

/**
 * The default vector index: vectors live in the bot's storage (`storage.kv`, so any storage
 * driver will do) and are searched in this process. A namespace is loaded into memory on first
 * use and kept there; below `approximateFrom` records it is searched exactly, from there on
 * through an HNSW graph (hnswlib-node). Several processes may share one storage: each write
 * bumps the namespace's version, and a process that sees another version loads the namespace
 * again before it answers.
 *
 * @example
 * const storage = sqliteStorage({ path: 'data/bot.db' });
 * await storage.open();
 * const vectors = embeddedVectorIndex({ storage });
 * await vectors.upsert('bot:demo/user:usr_1/memory', [{ id: 'm1', vector, payload: { text } }]);
 */
export function embeddedVectorIndex(options: EmbeddedVectorIndexOptions): VectorIndex {
  const storage = options?.storage;
  if (!storage?.kv) throw invalidArgument('embeddedVectorIndex needs the storage option.');
  const kv = storage.kv;
  const approximateFrom = options.approximateFrom ?? defaultApproximateFrom;
  checkPositiveInteger(approximateFrom, 'approximateFrom', true);
  const settings = settingsOf(options);
  const loaded = new Map<string, LoadedNamespace>();
  const tails = new Map<string, Promise<unknown>>();
  let graphClass: Promise<HierarchicalNswConstructor | undefined> | undefined;
  let graphsFailed = false;

  /** Runs work on a namespace after the work queued on it before: one at a time. */
  const exclusive = <T>(namespace: string, work: () => Promise<T>): Promise<T> => {
    const run = (tails.get(namespace) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    tails.set(namespace, tail);
    void tail.then(() => {
      if (tails.get(namespace) === tail) tails.delete(namespace);
    });
    return run;
  };

  /** Builds the namespace's graph when it is large enough and hnswlib is there. */
  const attachGraph = async (data: VectorNamespace): Promise<void> => {
    if (data.graph || graphsFailed || data.dimensions === undefined) return;
    if (data.size < approximateFrom) return;
    graphClass ??= options.HierarchicalNSW
      ? Promise.resolve(options.HierarchicalNSW)
      : loadHierarchicalNsw();
    const HierarchicalNSW = await graphClass;
    if (!HierarchicalNSW) return;
    try {
      const graph = new ApproximateGraph(
        HierarchicalNSW,
        data.dimensions,
        settings,
        data.slotCount,
      );
      let added = 0;
      for (let slot = 0; slot < data.slotCount; slot++) {
        if (!data.isUsed(slot)) continue;
        graph.add(slot, data.vectorAt(slot));
        if (++added % buildChunk === 0) await nextTurn();
      }
      data.graph = graph;
    } catch {
      graphsFailed = true;
    }
  };

  /** Applies a change to the graph; on failure, drops every graph and keeps to exact search. */
  const changeGraph = (data: VectorNamespace, change: (graph: ApproximateGraph) => void) => {
    if (!data.graph) return;
    try {
      change(data.graph);
    } catch {
      graphsFailed = true;
      for (const entry of loaded.values()) entry.data.graph = undefined;
    }
  };

  const load = async (namespace: string, version: number): Promise<LoadedNamespace> => {
    const kvNamespace = kvNamespaceOf(namespace);
    const dimensions = await kv.get<number>(kvNamespace, dimensionsKey);
    const entries = await kv.list<StoredRecord>(kvNamespace, { prefix: recordPrefix });
    const data = new VectorNamespace(dimensions);
    if (entries.length > 0 && typeof dimensions !== 'number') {
      throw new BotwireError('BOTWIRE_VECTOR_INDEX_FAILED', {
        message: `The vector namespace ${namespace} holds records but no vector length.`,
        hint: `Its key-value namespace ${kvNamespace} was changed by something else than the vector index.`,
      });
    }
    data.reserve(entries.length);
    for (const { key, value } of entries) {
      if (!data.setEncoded(key.slice(recordPrefix.length), value?.vector, value?.payload ?? {})) {
        throw new BotwireError('BOTWIRE_VECTOR_INDEX_FAILED', {
          message: `The stored vector ${key} of ${namespace} does not hold ${dimensions} numbers.`,
          hint: `Its key-value namespace ${kvNamespace} was changed by something else than the vector index.`,
        });
      }
    }
    await attachGraph(data);
    return { data, version };
  };

  /** The namespace in memory, loaded again first when another writer changed its version. */
  const current = async (namespace: string): Promise<LoadedNamespace> => {
    const version = (await kv.get<number>(kvNamespaceOf(namespace), versionKey)) ?? 0;
    const known = loaded.get(namespace);
    if (known && known.version === version) return known;
    const fresh = await load(namespace, version);
    loaded.set(namespace, fresh);
    return fresh;
  };

  /**
   * Runs storage calls in chunks, then `apply` to memory, then bumps the stored version. When
   * storage fails, the namespace is loaded again on its next use.
   */
  const write = async <T>(
    namespace: string,
    entry: LoadedNamespace,
    calls: Array<() => Promise<T>>,
    apply: (results: T[]) => boolean,
  ): Promise<void> => {
    const kvNamespace = kvNamespaceOf(namespace);
    const results: T[] = [];
    try {
      for (let at = 0; at < calls.length; at += writeChunk)
        results.push(
          ...(await Promise.all(calls.slice(at, at + writeChunk).map((call) => call()))),
        );
    } catch (error) {
      // Some calls may have gone through: other processes must load the namespace again too.
      loaded.delete(namespace);
      await kv.increment(kvNamespace, versionKey).catch(() => undefined);
      throw error;
    }
    if (!apply(results)) return;
    try {
      const version = await kv.increment(kvNamespace, versionKey);
      // Another writer bumped it in between: its change is not in memory yet.
      entry.version = version === entry.version + 1 ? version : Number.NaN;
    } catch (error) {
      loaded.delete(namespace);
      throw error;
    }
  };

  const removeIds = async (namespace: string, entry: LoadedNamespace, ids: string[]) => {
    const kvNamespace = kvNamespaceOf(namespace);
    let removed = 0;
    await write(
      namespace,
      entry,
      ids.map((id) => () => kv.delete(kvNamespace, recordPrefix + id)),
      (deleted) => {
        ids.forEach((id, at) => {
          const slot = entry.data.remove(id);
          if (slot !== undefined) changeGraph(entry.data, (graph) => graph.remove(slot));
          if (slot !== undefined || deleted[at]) removed++;
        });
        return removed > 0;
      },
    );
    return removed;
  };

  const upsertChecked = async (namespace: string, records: CheckedRecord[]) => {
    const kvNamespace = kvNamespaceOf(namespace);
    const length = records[0]!.vector.length;
    const entry = await current(namespace);
    const data = entry.data;
    if (data.dimensions === undefined) {
      data.dimensions = (await kv.add(kvNamespace, dimensionsKey, length))
        ? length
        : await kv.get<number>(kvNamespace, dimensionsKey);
    }
    if (data.dimensions !== length) {
      throw invalidArgument(
        `The vector namespace ${namespace} holds vectors of ${data.dimensions} numbers; got ${length}.`,
      );
    }
    await write(
      namespace,
      entry,
      records.map((record) => () => {
        const stored: StoredRecord = {
          vector: encodeVector(record.vector),
          payload: record.payload,
        };
        return kv.set(kvNamespace, recordPrefix + record.id, stored);
      }),
      () => {
        for (const record of records) {
          const slot = data.set(record.id, record.vector, record.payload);
          changeGraph(data, (graph) => graph.add(slot, record.vector));
        }
        return true;
      },
    );
    await attachGraph(data);
  };

  return {
    name: 'embedded',

    async upsert(namespace: string, records: VectorRecord[]) {
      checkNamespace(namespace);
      const checked = checkRecords(records);
      if (checked.length === 0) return;
      const length = checked[0]!.vector.length;
      const other = checked.find((record) => record.vector.length !== length);
      if (other) {
        throw invalidArgument(
          `All vectors of one upsert must have the same length: ${checked[0]!.id} has ${length} numbers, ${other.id} ${other.vector.length}.`,
        );
      }
      await exclusive(namespace, () => upsertChecked(namespace, checked));
    },

    async query(namespace: string, vector: number[], queryOptions: VectorQueryOptions = {}) {
      checkNamespace(namespace);
      const query = normalizedVector(vector, 'The query vector');
      if (typeof queryOptions !== 'object' || queryOptions === null)
        throw invalidArgument('Query options must be an object.');
      const limit = checkLimit(queryOptions.limit);
      const minScore = checkMinScore(queryOptions.minScore);
      const matches = compileFilter(queryOptions.filter);
      return exclusive(namespace, async () => {
        const { data } = await current(namespace);
        if (data.dimensions === undefined) return [];
        if (query.length !== data.dimensions) {
          throw invalidArgument(
            `The vector namespace ${namespace} holds vectors of ${data.dimensions} numbers; the query has ${query.length}.`,
          );
        }
        return data.search(query, {
          limit,
          minScore,
          matches,
          approximateFrom,
          efSearch: settings.efSearch,
        });
      });
    },

    async delete(namespace: string, ids: string[]) {
      checkNamespace(namespace);
      checkIds(ids);
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      await exclusive(namespace, async () => {
        await removeIds(namespace, await current(namespace), unique);
      });
    },

    async deleteWhere(namespace: string, filter: VectorFilter) {
      checkNamespace(namespace);
      if (filter === undefined) throw invalidArgument('deleteWhere needs a filter.');
      const matches = compileFilter(filter);
      return exclusive(namespace, async () => {
        const entry = await current(namespace);
        const ids = entry.data.idsMatching(matches);
        if (ids.length === 0) return 0;
        await removeIds(namespace, entry, ids);
        return ids.length;
      });
    },

    async count(namespace: string, filter?: VectorFilter) {
      checkNamespace(namespace);
      const matches = compileFilter(filter);
      return exclusive(namespace, async () => (await current(namespace)).data.count(matches));
    },

    async get(namespace: string, ids: string[]) {
      checkNamespace(namespace);
      checkIds(ids);
      return exclusive(namespace, async () => {
        const { data } = await current(namespace);
        return ids.flatMap((id) => data.get(id) ?? []);
      });
    },

    /** Waits for the calls under way, then forgets every namespace; the storage stays open. */
    async close() {
      await Promise.all(tails.values());
      loaded.clear();
    },
  };
}

import {
  BotwireError,
  type VectorFilter,
  type VectorIndex,
  type VectorMatch,
  type VectorQueryOptions,
  type VectorRecord,
} from '@botwire/core';
import type { QdrantClient } from '@qdrant/js-client-rest';
import { safeUrl, statusOf, vectorIndexFailure } from './qdrant-errors';
import {
  checkIds,
  checkNamespace,
  checkVector,
  fields,
  pointId,
  qdrantFilter,
} from './qdrant-layout';

/** Options of {@link qdrantVectorIndex}. */
export interface QdrantVectorIndexOptions {
  /** The Qdrant REST endpoint (default: env `QDRANT_URL`, else `http://127.0.0.1:6333`). */
  url?: string;
  /** Sent as the `api-key` header (default: env `QDRANT_API_KEY`). Never logged nor put in errors. */
  apiKey?: string;
  /** Collections are named `<prefix>_<dimensions>` (default `botwire`): letters, digits, `_`, `-`. */
  collectionPrefix?: string;
  /** How long one request may take, in ms (default 30000). */
  timeoutMs?: number;
  /** A ready client; `url`, `apiKey` and `timeoutMs` are then only used in messages. */
  client?: QdrantClient;
}

/** Points per upsert request. */
const batchSize = 256;

type StoredPayload = { namespace?: unknown; record_id?: unknown; payload?: unknown };
type QdrantPoint = { payload?: StoredPayload | null; vector?: unknown };

const invalid = (message: string) => new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });

/**
 * A vector index on a Qdrant server, through `@qdrant/js-client-rest` (loaded on first use).
 * Multitenant as Qdrant recommends: one collection per vector length (`botwire_384`, Cosine),
 * every record's namespace in its payload (with a keyword index) and every request filtered by
 * it. A record is the point `uuid(sha256(namespace, id))` with the payload
 * `{ namespace, record_id, payload }`, the user's payload kept whole under `payload`.
 *
 * A namespace lives in one collection at a time: the driver finds it by counting the
 * namespace's points in each `<prefix>_<n>` collection (count, get and delete always ask;
 * upsert and query trust what this instance saw when the length agrees), and refuses vectors
 * of another length with BOTWIRE_INVALID_ARGUMENT; once emptied, a namespace takes any length. Failures of the server or
 * the connection are BOTWIRE_VECTOR_INDEX_FAILED.
 *
 * @example
 * const vectors = qdrantVectorIndex({ url: 'http://qdrant:6333', apiKey: process.env.QDRANT_API_KEY });
 * await vectors.upsert('bot:demo/docs', [{ id: 'c1', vector, payload: { text } }]);
 */
export function qdrantVectorIndex(options: QdrantVectorIndexOptions = {}): VectorIndex {
  const url = options.url ?? process.env.QDRANT_URL ?? 'http://127.0.0.1:6333';
  const apiKey = options.apiKey ?? (process.env.QDRANT_API_KEY || undefined);
  const prefix = options.collectionPrefix ?? 'botwire';
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw invalid(`collectionPrefix may hold only letters, digits, _ and - (got "${prefix}").`);
  }
  if (!options.client && !/^https?:\/\/[^/]/.test(url)) {
    throw invalid(`The Qdrant url must start with http:// or https:// (got "${safeUrl(url)}").`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw invalid(`timeoutMs must be a positive number (got ${timeoutMs}).`);
  }

  const collectionOf = (dimensions: number) => `${prefix}_${dimensions}`;
  const collectionName = new RegExp(`^${prefix}_(\\d+)$`);
  let client: Promise<QdrantClient> | undefined;
  /** Collections this instance has made sure of (created, namespace index). */
  const ensured = new Set<string>();
  /** The vector length of namespaces seen: a hint for upserts and queries only. */
  const lengths = new Map<string, number>();

  const connect = () => {
    client ??= options.client
      ? Promise.resolve(options.client)
      : import('@qdrant/js-client-rest').then(
          ({ QdrantClient: Client }) => new Client({ url, apiKey, timeout: timeoutMs }),
          (error: unknown) => {
            client = undefined;
            throw new BotwireError('BOTWIRE_VECTOR_INDEX_FAILED', {
              message: 'The package @qdrant/js-client-rest could not be loaded.',
              hint: 'Install it: pnpm add @qdrant/js-client-rest',
              cause: error,
            });
          },
        );
    return client;
  };

  /** Runs one client call; failures become BOTWIRE_VECTOR_INDEX_FAILED, a 404 `onMissing`. */
  async function call<T>(
    action: string,
    run: (qdrant: QdrantClient) => Promise<T>,
    onMissing?: () => T,
  ): Promise<T> {
    const qdrant = await connect();
    try {
      return await run(qdrant);
    } catch (error) {
      if (onMissing && statusOf(error) === 404) return onMissing();
      throw vectorIndexFailure(error, { url, apiKey, action, timeoutMs });
    }
  }

  /**
   * Where a namespace's records are: the length of its vectors and how many it holds, found by
   * counting its points in every `<prefix>_<n>` collection; undefined when it holds none.
   */
  async function locate(
    namespace: string,
  ): Promise<{ dimensions: number; count: number } | undefined> {
    const { collections } = await call('list collections', (qdrant) => qdrant.getCollections());
    const filter = qdrantFilter(namespace, undefined);
    for (const { name } of collections) {
      const match = collectionName.exec(name);
      if (!match) continue;
      const { count } = await call(
        `count in ${name}`,
        (qdrant) => qdrant.count(name, { filter, exact: true }),
        () => ({ count: 0 }),
      );
      if (count > 0) {
        lengths.set(namespace, Number(match[1]));
        return { dimensions: Number(match[1]), count };
      }
    }
    lengths.delete(namespace);
    return undefined;
  }

  /**
   * The vector length of a namespace for an upsert or a query of vectors of length `expected`:
   * what this instance remembers when it agrees, otherwise (and for a disagreement, before it is
   * refused) what the server says.
   */
  async function lengthFor(namespace: string, expected: number): Promise<number | undefined> {
    if (lengths.get(namespace) === expected) return expected;
    return (await locate(namespace))?.dimensions;
  }

  async function ensureCollection(dimensions: number): Promise<string> {
    const name = collectionOf(dimensions);
    if (ensured.has(name)) return name;
    const exists = await call(`check ${name}`, (qdrant) => qdrant.collectionExists(name));
    if (!exists.exists) {
      await call(`create ${name}`, async (qdrant) => {
        try {
          await qdrant.createCollection(name, {
            vectors: { size: dimensions, distance: 'Cosine' },
          });
        } catch (error) {
          if (statusOf(error) !== 409) throw error;
        }
      });
    }
    await call(`index ${name}.${fields.namespace}`, (qdrant) =>
      qdrant.createPayloadIndex(name, {
        field_name: fields.namespace,
        field_schema: 'keyword',
        wait: true,
      }),
    );
    ensured.add(name);
    return name;
  }

  const recordOf = (point: QdrantPoint): VectorRecord => {
    const stored = point.payload ?? {};
    const vector = point.vector;
    if (
      typeof stored.record_id !== 'string' ||
      !Array.isArray(vector) ||
      !vector.every((value) => typeof value === 'number')
    ) {
      throw new BotwireError('BOTWIRE_VECTOR_INDEX_FAILED', {
        message: `Qdrant at ${safeUrl(url)} returned a point that was not written by this driver (no record_id or no plain vector).`,
        hint: `Keep the collections named ${prefix}_<n> for Botwire alone, or choose another collectionPrefix.`,
      });
    }
    return {
      id: stored.record_id,
      vector: vector as number[],
      payload: (stored.payload ?? {}) as Record<string, unknown>,
    };
  };

  return {
    name: 'qdrant',

    async open() {
      await call('connect', (qdrant) => qdrant.getCollections());
    },

    async ping() {
      const qdrant = await connect();
      const started = performance.now();
      await call('ping', () => qdrant.getCollections());
      return performance.now() - started;
    },

    async upsert(namespace, records) {
      checkNamespace(namespace);
      if (!Array.isArray(records)) throw invalid('upsert takes an array of records.');
      if (records.length === 0) return;
      const dimensions = (records[0]?.vector as unknown[] | undefined)?.length ?? 0;
      for (const record of records) {
        checkIds([record?.id]);
        checkVector(record.vector, `The vector of record "${record.id}"`);
        if (record.vector.length !== dimensions) {
          throw invalid(
            `The records hold vectors of different lengths (${dimensions} and ${record.vector.length}); one namespace holds one length.`,
          );
        }
        if (
          record.payload !== undefined &&
          (typeof record.payload !== 'object' || record.payload === null)
        ) {
          throw invalid(`The payload of record "${record.id}" must be an object.`);
        }
      }
      const current = await lengthFor(namespace, dimensions);
      if (current !== undefined && current !== dimensions) {
        throw invalid(
          `The namespace "${namespace}" holds vectors of length ${current}; got ${dimensions}. Use another namespace, or delete its records first.`,
        );
      }
      const name = await ensureCollection(dimensions);
      for (let start = 0; start < records.length; start += batchSize) {
        const points = records.slice(start, start + batchSize).map((record) => ({
          id: pointId(namespace, record.id),
          vector: record.vector,
          payload: { namespace, record_id: record.id, payload: record.payload ?? {} },
        }));
        const write = (qdrant: QdrantClient) => qdrant.upsert(name, { wait: true, points });
        const missing = await call(
          `upsert into ${name}`,
          async (qdrant) => {
            await write(qdrant);
            return false;
          },
          () => true,
        );
        if (missing) {
          // The collection was removed since this instance made sure of it: make it again.
          ensured.delete(name);
          await ensureCollection(dimensions);
          await call(`upsert into ${name}`, write);
        }
      }
      lengths.set(namespace, dimensions);
    },

    async query(namespace, vector, queryOptions: VectorQueryOptions = {}) {
      checkNamespace(namespace);
      checkVector(vector, 'The query vector');
      const limit = queryOptions.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1) {
        throw invalid(`limit must be a positive integer (got ${limit}).`);
      }
      const { minScore } = queryOptions;
      if (minScore !== undefined && !Number.isFinite(minScore)) {
        throw invalid(`minScore must be a finite number (got ${minScore}).`);
      }
      const filter = qdrantFilter(namespace, queryOptions.filter);
      const dimensions = await lengthFor(namespace, vector.length);
      if (dimensions === undefined) return [];
      if (dimensions !== vector.length) {
        throw invalid(
          `The namespace "${namespace}" holds vectors of length ${dimensions}; the query vector has ${vector.length}.`,
        );
      }
      const name = collectionOf(dimensions);
      const { points } = await call(
        `query ${name}`,
        (qdrant) =>
          qdrant.query(name, {
            query: vector,
            filter,
            limit,
            ...(minScore !== undefined ? { score_threshold: minScore } : {}),
            with_payload: true,
            with_vector: true,
          }),
        () => ({ points: [] }),
      );
      return points.map((point): VectorMatch => ({ ...recordOf(point), score: point.score }));
    },

    async delete(namespace, ids) {
      checkNamespace(namespace);
      checkIds(ids);
      if (ids.length === 0) return;
      const dimensions = (await locate(namespace))?.dimensions;
      if (dimensions === undefined) return;
      const name = collectionOf(dimensions);
      const points = ids.map((id) => pointId(namespace, id));
      await call(
        `delete from ${name}`,
        (qdrant) => qdrant.delete(name, { wait: true, points }),
        () => undefined,
      );
    },

    async deleteWhere(namespace, filter: VectorFilter) {
      checkNamespace(namespace);
      const where = qdrantFilter(namespace, filter ?? {});
      const dimensions = (await locate(namespace))?.dimensions;
      if (dimensions === undefined) return 0;
      const name = collectionOf(dimensions);
      const { count } = await call(
        `count in ${name}`,
        (qdrant) => qdrant.count(name, { filter: where, exact: true }),
        () => ({ count: 0 }),
      );
      if (count === 0) return 0;
      await call(
        `delete from ${name}`,
        (qdrant) => qdrant.delete(name, { wait: true, filter: where }),
        () => undefined,
      );
      return count;
    },

    async count(namespace, filter?: VectorFilter) {
      checkNamespace(namespace);
      const where = qdrantFilter(namespace, filter);
      const located = await locate(namespace);
      if (located === undefined) return 0;
      if (filter === undefined) return located.count;
      const name = collectionOf(located.dimensions);
      const { count } = await call(
        `count in ${name}`,
        (qdrant) => qdrant.count(name, { filter: where, exact: true }),
        () => ({ count: 0 }),
      );
      return count;
    },

    async get(namespace, ids) {
      checkNamespace(namespace);
      checkIds(ids);
      if (ids.length === 0) return [];
      const dimensions = (await locate(namespace))?.dimensions;
      if (dimensions === undefined) return [];
      const name = collectionOf(dimensions);
      const unique = [...new Set(ids)];
      const points = await call(
        `retrieve from ${name}`,
        (qdrant) =>
          qdrant.retrieve(name, {
            ids: unique.map((id) => pointId(namespace, id)),
            with_payload: true,
            with_vector: true,
          }),
        () => [],
      );
      const byId = new Map<string, VectorRecord>();
      for (const point of points) {
        if (point.payload?.[fields.namespace] !== namespace) continue;
        const record = recordOf(point as QdrantPoint);
        byId.set(record.id, record);
      }
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    async close() {
      client = undefined;
      ensured.clear();
      lengths.clear();
    },
  };
}

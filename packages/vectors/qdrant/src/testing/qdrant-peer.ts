import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RecordedRequest, recordRequest, sendJson } from '@botwire/core/testing';
import {
  compareIds,
  formatError,
  idKey,
  PeerInputError,
  type PeerPoint,
  parseFilter,
  parsePointId,
} from './qdrant-peer-filter';

/** Options of {@link startQdrantPeer}. */
export interface QdrantPeerOptions {
  /** Require this key in the `api-key` header (or `Authorization: Bearer`): 401 without, 403 when wrong. */
  apiKey?: string;
  /** The loopback port to listen on (default: any free port). */
  port?: number;
  /** The version `GET /` reports (default `1.19.0`, what the client of this package expects). */
  version?: string;
}

/** A request the peer received, with its query string. */
export interface QdrantPeerRequest extends RecordedRequest {
  query: Record<string, string>;
}

/** A collection as the peer keeps it. */
export interface QdrantPeerCollection {
  size: number;
  distance: Distance;
  points: Map<string, PeerPoint>;
  /** Payload indexes: field name → schema. */
  payloadSchema: Record<string, string>;
}

/** A running Qdrant peer. */
export interface QdrantPeer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: QdrantPeerRequest[];
  /** The collections, by name (to look at in tests). */
  readonly collections: ReadonlyMap<string, QdrantPeerCollection>;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';
const distances: Distance[] = ['Cosine', 'Dot', 'Euclid', 'Manhattan'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const normalize = (vector: number[]) => {
  const norm = Math.hypot(...vector);
  return norm < Number.EPSILON ? vector : vector.map((value) => value / norm);
};

/** The score of `stored` for `query`, and whether higher is better. */
function score(distance: Distance, query: number[], stored: number[]): number {
  let total = 0;
  for (let at = 0; at < query.length; at++) {
    const a = query[at]!;
    const b = stored[at]!;
    if (distance === 'Euclid') total += (a - b) ** 2;
    else if (distance === 'Manhattan') total += Math.abs(a - b);
    else total += a * b;
  }
  return distance === 'Euclid' ? Math.sqrt(total) : total;
}
const higherIsBetter = (distance: Distance) => distance === 'Cosine' || distance === 'Dot';

function readVector(raw: unknown, size: number): number[] {
  if (!Array.isArray(raw) || !raw.every((value) => typeof value === 'number')) {
    throw formatError('data did not match any variant of untagged enum VectorStruct');
  }
  if (raw.length !== size) {
    throw new PeerInputError(
      400,
      `Wrong input: Vector dimension error: expected dim: ${size}, got ${raw.length}`,
    );
  }
  return raw as number[];
}

/** `with_payload`: true, false, a list of keys, or `{ include }` / `{ exclude }`. */
function selectPayload(selector: unknown, payload: Record<string, unknown>) {
  if (selector === undefined || selector === null || selector === false) return null;
  if (selector === true) return payload;
  const pick = (keys: unknown, keep: boolean) => {
    const names = new Set(Array.isArray(keys) ? keys.map(String) : [String(keys)]);
    return Object.fromEntries(Object.entries(payload).filter(([key]) => names.has(key) === keep));
  };
  if (Array.isArray(selector)) return pick(selector, true);
  if (isObject(selector) && selector.include !== undefined) return pick(selector.include, true);
  if (isObject(selector) && selector.exclude !== undefined) return pick(selector.exclude, false);
  throw formatError('data did not match any variant of untagged enum WithPayloadInterface');
}

const recordOf = (point: PeerPoint, withPayload: unknown, withVector: unknown) => ({
  id: point.id,
  payload: selectPayload(withPayload, point.payload),
  vector: withVector === true || Array.isArray(withVector) ? [...point.vector] : null,
});

function readLimit(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    throw formatError(`invalid value: ${JSON.stringify(raw)}, expected usize`);
  }
  return raw;
}

/**
 * Starts a local server that speaks the part of the Qdrant REST API that
 * `@qdrant/js-client-rest` and the Botwire driver use: `GET /` (version), collections (list,
 * exists, info, create, delete), payload indexes, points (upsert, retrieve, delete by ids or
 * filter, scroll, count, search, query) with Qdrant's filters, and Qdrant's answers: the
 * `{ result, status: "ok", time }` envelope, 400 with `status.error` for wrong input and 404 for
 * a missing collection. Vectors of Cosine collections are stored normalized, as Qdrant does.
 * Search is exact (no HNSW), which is what Qdrant does for small collections too.
 *
 * @example
 * const peer = await startQdrantPeer({ apiKey: 'secret' });
 * const index = qdrantVectorIndex({ url: peer.url, apiKey: 'secret' });
 */
export async function startQdrantPeer(options: QdrantPeerOptions = {}): Promise<QdrantPeer> {
  const collections = new Map<string, QdrantPeerCollection>();
  const requests: QdrantPeerRequest[] = [];
  let operationId = 0;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;

  const send = (
    response: ServerResponse,
    record: QdrantPeerRequest,
    status: number,
    body: unknown,
  ) => {
    record.answer = status;
    sendJson(response, status, body);
  };
  const ok = (response: ServerResponse, record: QdrantPeerRequest, result: unknown) =>
    send(response, record, 200, { result, status: 'ok', time: elapsed() % 1 });
  const updated = (record: QdrantPeerRequest) => ({
    operation_id: ++operationId,
    status: record.query.wait === 'true' ? 'completed' : 'acknowledged',
  });

  const collectionOf = (name: string) => {
    const collection = collections.get(name);
    if (!collection)
      throw new PeerInputError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return collection;
  };

  const nearest = (
    collection: QdrantPeerCollection,
    body: Record<string, unknown>,
    query: number[],
  ) => {
    const limit = readLimit(body.limit, 10);
    const offset = readLimit(body.offset, 0);
    const test = parseFilter(body.filter);
    const probe = collection.distance === 'Cosine' ? normalize(query) : query;
    const better = higherIsBetter(collection.distance);
    const threshold = typeof body.score_threshold === 'number' ? body.score_threshold : undefined;
    return [...collection.points.values()]
      .filter(test)
      .map((point) => ({ point, score: score(collection.distance, probe, point.vector) }))
      .filter(
        ({ score }) =>
          threshold === undefined || (better ? score >= threshold : score <= threshold),
      )
      .sort(
        (a, b) =>
          (better ? b.score - a.score : a.score - b.score) || compareIds(a.point.id, b.point.id),
      )
      .slice(offset, offset + limit)
      .map(({ point, score }) => ({
        ...recordOf(point, body.with_payload, body.with_vector),
        version: 0,
        score,
      }));
  };

  const routes: [
    string,
    RegExp,
    (match: string[], body: Record<string, unknown>, record: QdrantPeerRequest) => unknown,
  ][] = [
    [
      'GET',
      /^\/collections$/,
      () => ({ collections: [...collections.keys()].map((name) => ({ name })) }),
    ],
    ['GET', /^\/collections\/([^/]+)\/exists$/, ([name]) => ({ exists: collections.has(name!) })],
    [
      'GET',
      /^\/collections\/([^/]+)$/,
      ([name]) => {
        const collection = collectionOf(name!);
        return {
          status: 'green',
          optimizer_status: 'ok',
          indexed_vectors_count: 0,
          points_count: collection.points.size,
          segments_count: 1,
          config: {
            params: {
              vectors: { size: collection.size, distance: collection.distance },
              shard_number: 1,
              replication_factor: 1,
              write_consistency_factor: 1,
              on_disk_payload: true,
            },
            hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
            optimizer_config: { indexing_threshold: 10000 },
            wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
            quantization_config: null,
          },
          payload_schema: Object.fromEntries(
            Object.entries(collection.payloadSchema).map(([field, type]) => [
              field,
              { data_type: type, params: { type }, points: collection.points.size },
            ]),
          ),
        };
      },
    ],
    [
      'PUT',
      /^\/collections\/([^/]+)$/,
      ([name], body) => {
        if (collections.has(name!)) {
          throw new PeerInputError(409, `Wrong input: Collection \`${name}\` already exists!`);
        }
        const vectors = body.vectors;
        if (
          !isObject(vectors) ||
          typeof vectors.size !== 'number' ||
          !distances.includes(vectors.distance as Distance)
        ) {
          throw formatError('missing field `vectors`, or it is not { size, distance }');
        }
        if (!Number.isInteger(vectors.size) || vectors.size < 1 || vectors.size > 65536) {
          throw new PeerInputError(
            400,
            'Validation error in JSON body: [vectors.size: value 0 invalid, must be from 1 to 65536]',
          );
        }
        collections.set(name!, {
          size: vectors.size,
          distance: vectors.distance as Distance,
          points: new Map(),
          payloadSchema: {},
        });
        return true;
      },
    ],
    ['DELETE', /^\/collections\/([^/]+)$/, ([name]) => collections.delete(name!)],
    [
      'PUT',
      /^\/collections\/([^/]+)\/index$/,
      ([name], body, record) => {
        const collection = collectionOf(name!);
        const schema = isObject(body.field_schema) ? body.field_schema.type : body.field_schema;
        if (typeof body.field_name !== 'string' || typeof schema !== 'string') {
          throw formatError('missing field `field_name` or `field_schema`');
        }
        collection.payloadSchema[body.field_name] = schema;
        return updated(record);
      },
    ],
    [
      'PUT',
      /^\/collections\/([^/]+)\/points$/,
      ([name], body, record) => {
        const collection = collectionOf(name!);
        let incoming: { id: unknown; vector: unknown; payload: unknown }[];
        if (Array.isArray(body.points)) {
          incoming = body.points.map((point) => (isObject(point) ? point : {})) as typeof incoming;
        } else if (
          isObject(body.batch) &&
          Array.isArray(body.batch.ids) &&
          Array.isArray(body.batch.vectors)
        ) {
          const { ids, vectors, payloads } = body.batch as {
            ids: unknown[];
            vectors: unknown[];
            payloads?: unknown[];
          };
          incoming = ids.map((id, at) => ({ id, vector: vectors[at], payload: payloads?.[at] }));
        } else {
          throw formatError(
            'data did not match any variant of untagged enum PointInsertOperations',
          );
        }
        const points = incoming.map((point): PeerPoint => {
          const vector = readVector(point.vector, collection.size);
          if (point.payload !== undefined && point.payload !== null && !isObject(point.payload)) {
            throw formatError('invalid type: expected a map for payload');
          }
          return {
            id: parsePointId(point.id),
            vector: collection.distance === 'Cosine' ? normalize(vector) : [...vector],
            payload: structuredClone((point.payload as Record<string, unknown>) ?? {}),
          };
        });
        for (const point of points) collection.points.set(idKey(point.id), point);
        return updated(record);
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points$/,
      ([name], body) => {
        const collection = collectionOf(name!);
        if (!Array.isArray(body.ids)) throw formatError('missing field `ids`');
        const keys = [...new Set(body.ids.map((id) => idKey(parsePointId(id))))];
        return keys
          .flatMap((key) => collection.points.get(key) ?? [])
          .sort((a, b) => compareIds(a.id, b.id))
          .map((point) => recordOf(point, body.with_payload ?? true, body.with_vector));
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points\/delete$/,
      ([name], body, record) => {
        const collection = collectionOf(name!);
        if (Array.isArray(body.points)) {
          for (const id of body.points) collection.points.delete(idKey(parsePointId(id)));
        } else if (isObject(body.filter)) {
          const test = parseFilter(body.filter);
          for (const [key, point] of collection.points)
            if (test(point)) collection.points.delete(key);
        } else {
          throw formatError('data did not match any variant of untagged enum PointsSelector');
        }
        return updated(record);
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points\/scroll$/,
      ([name], body) => {
        const collection = collectionOf(name!);
        if (body.order_by !== undefined)
          throw new PeerInputError(400, 'Wrong input: this peer does not support order_by');
        const limit = readLimit(body.limit, 10);
        const test = parseFilter(body.filter);
        const from =
          body.offset === undefined || body.offset === null ? undefined : parsePointId(body.offset);
        const matching = [...collection.points.values()]
          .filter((point) => (from === undefined || compareIds(point.id, from) >= 0) && test(point))
          .sort((a, b) => compareIds(a.id, b.id));
        return {
          points: matching
            .slice(0, limit)
            .map((point) => recordOf(point, body.with_payload ?? true, body.with_vector)),
          next_page_offset: matching[limit]?.id ?? null,
        };
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points\/count$/,
      ([name], body) => {
        const test = parseFilter(body.filter);
        return { count: [...collectionOf(name!).points.values()].filter(test).length };
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points\/search$/,
      ([name], body) => {
        const collection = collectionOf(name!);
        if (body.limit === undefined) throw formatError('missing field `limit`');
        return nearest(collection, body, readVector(body.vector, collection.size));
      },
    ],
    [
      'POST',
      /^\/collections\/([^/]+)\/points\/query$/,
      ([name], body) => {
        const collection = collectionOf(name!);
        if (body.prefetch !== undefined)
          throw new PeerInputError(400, 'Wrong input: this peer does not support prefetch');
        let query =
          isObject(body.query) && 'nearest' in body.query ? body.query.nearest : body.query;
        if (typeof query === 'number' || typeof query === 'string') {
          const point = collection.points.get(idKey(parsePointId(query)));
          if (!point) throw new PeerInputError(404, `Not found: No point with id ${query} found`);
          query = point.vector;
        }
        if (query === undefined || query === null)
          throw new PeerInputError(400, 'Wrong input: this peer needs a `query` vector');
        return {
          points: nearest(
            collection,
            { with_payload: false, ...body },
            readVector(query, collection.size),
          ),
        };
      },
    ],
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const { record: base, parsed } = await recordRequest(request);
    const url = new URL(request.url ?? '/', 'http://peer');
    const record: QdrantPeerRequest = { ...base, query: Object.fromEntries(url.searchParams) };
    requests.push(record);
    if (options.apiKey !== undefined && !['/healthz', '/livez', '/readyz'].includes(record.path)) {
      const given =
        (request.headers['api-key'] as string | undefined) ??
        request.headers.authorization?.replace(/^Bearer /, '');
      if (given !== options.apiKey) {
        record.answer = given === undefined ? 401 : 403;
        response.writeHead(record.answer, { 'content-type': 'text/plain' });
        response.end(
          given === undefined
            ? 'Must provide an API key or an Authorization bearer token'
            : 'Invalid api-key',
        );
        return;
      }
    }
    if (request.method === 'GET' && record.path === '/') {
      send(response, record, 200, {
        title: 'qdrant - vector search engine',
        version: options.version ?? '1.19.0',
        commit: null,
      });
      return;
    }
    if (request.method === 'GET' && ['/healthz', '/livez', '/readyz'].includes(record.path)) {
      record.answer = 200;
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${record.path.slice(1)} check passed`);
      return;
    }
    try {
      let body: Record<string, unknown> = {};
      if (parsed.ok) {
        if (!isObject(parsed.value)) throw formatError('invalid type: expected a JSON object');
        body = parsed.value;
      } else if (base.body !== undefined) {
        throw formatError('expected value at line 1 column 1');
      }
      for (const [method, pattern, run] of routes) {
        const match = method === request.method ? pattern.exec(record.path) : null;
        if (!match) continue;
        const names = match.slice(1).map((part) => decodeURIComponent(part));
        ok(response, record, run(names, body, record));
        return;
      }
      send(response, record, 404, {
        status: { error: `Not found: ${request.method} ${record.path}` },
        time: 0,
      });
    } catch (error) {
      if (!(error instanceof PeerInputError)) throw error;
      send(response, record, error.status, {
        status: { error: error.message },
        time: elapsed() % 1,
      });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, {
          status: { error: `Service internal error: ${String(error)}` },
          time: 0,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    collections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { isBotwireError, type VectorIndex } from '@botwire/core';
import { runVectorIndexContract } from '@botwire/core/contract-suites';
import { freePort } from '@botwire/core/testing';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pointId } from './qdrant-layout';
import { qdrantVectorIndex } from './qdrant-vector-index';
import { type QdrantPeer, startQdrantPeer } from './testing';

const client = (url: string, apiKey?: string) =>
  new QdrantClient({ url, ...(apiKey ? { apiKey } : {}), checkCompatibility: false });

runVectorIndexContract('qdrant', async () => {
  const peer = await startQdrantPeer();
  return {
    index: qdrantVectorIndex({ url: peer.url }),
    reopen: async () => qdrantVectorIndex({ client: client(peer.url), url: peer.url }),
    close: () => peer.close(),
  };
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isBotwireError(error)) throw new Error(`expected a BotwireError, got ${String(error)}`);
  return error;
}

describe('qdrantVectorIndex', () => {
  let peer: QdrantPeer | undefined;
  let index: VectorIndex | undefined;
  afterEach(async () => {
    await index?.close();
    await peer?.close();
    index = undefined;
    peer = undefined;
    vi.restoreAllMocks();
  });

  it('sends the api key, and a server that requires one refuses a wrong one without showing it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    peer = await startQdrantPeer({ apiKey: 'key-right-1234' });
    index = qdrantVectorIndex({ url: peer.url, apiKey: 'key-right-1234' });
    await index.upsert('ns', [{ id: 'a', vector: [1, 0], payload: {} }]);
    expect(await index.count('ns')).toBe(1);
    expect(peer.requests.every((request) => request.headers['api-key'] === 'key-right-1234')).toBe(
      true,
    );

    const wrong = qdrantVectorIndex({ url: peer.url, apiKey: 'key-wrong-5678' });
    const error = await failure(wrong.count('ns'));
    expect(error.code).toBe('BOTWIRE_VECTOR_INDEX_FAILED');
    expect(error.message).toContain('403');
    expect(error.hint).toContain('QDRANT_API_KEY');
    expect(JSON.stringify(error.toJSON())).not.toContain('key-wrong-5678');
    const missing = await failure(qdrantVectorIndex({ url: peer.url }).open!());
    expect(missing.message).toContain('401');
  });

  it('reads QDRANT_URL and QDRANT_API_KEY from the environment', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    peer = await startQdrantPeer({ apiKey: 'env-key-1234' });
    vi.stubEnv('QDRANT_URL', peer.url);
    vi.stubEnv('QDRANT_API_KEY', 'env-key-1234');
    try {
      index = qdrantVectorIndex();
      await index.open!();
      expect(peer.requests.at(-1)?.headers['api-key']).toBe('env-key-1234');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fails with BOTWIRE_VECTOR_INDEX_FAILED, the URL and a hint when the server is down', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const port = await freePort();
    index = qdrantVectorIndex({
      url: `http://user:pass@127.0.0.1:${port}`,
      apiKey: 'secret-key-9999',
    });
    const error = await failure(index.query('ns', [1, 0]));
    expect(error.code).toBe('BOTWIRE_VECTOR_INDEX_FAILED');
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toContain('could not be reached');
    expect(error.hint).toContain('QDRANT_URL');
    const shown = `${error.describe()} ${JSON.stringify(error.toJSON())}`;
    expect(shown).not.toContain('secret-key-9999');
    expect(shown).not.toContain('pass');
  });

  it('fails with BOTWIRE_VECTOR_INDEX_FAILED when the server does not answer in time', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      index = qdrantVectorIndex({
        client: new QdrantClient({
          url: `http://127.0.0.1:${port}`,
          timeout: 100,
          checkCompatibility: false,
        }),
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 100,
      });
      const error = await failure(index.count('ns'));
      expect(error.code).toBe('BOTWIRE_VECTOR_INDEX_FAILED');
      expect(error.message).toContain('did not answer within 100 ms');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps one collection per vector length, with a namespace index, and filters every call', async () => {
    peer = await startQdrantPeer();
    index = qdrantVectorIndex({ url: peer.url, collectionPrefix: 'bw' });
    await index.upsert('small', [{ id: 'a', vector: [1, 0, 0], payload: { text: 'three' } }]);
    await index.upsert('large', [{ id: 'a', vector: [1, 0, 0, 0, 0], payload: { text: 'five' } }]);
    await index.upsert('small-too', [{ id: 'b', vector: [0, 1, 0], payload: {} }]);
    expect([...peer.collections.keys()].sort()).toEqual(['bw_3', 'bw_5']);
    const small = peer.collections.get('bw_3')!;
    expect(small.distance).toBe('Cosine');
    expect(small.payloadSchema).toEqual({ namespace: 'keyword' });
    expect(small.points.size).toBe(2);
    expect(await index.count('small')).toBe(1);
    expect((await index.query('large', [1, 0, 0, 0, 0]))[0]!.payload).toEqual({ text: 'five' });
    const upserts = peer.requests.filter(
      (request) => request.method === 'PUT' && request.path.endsWith('/points'),
    );
    expect(upserts.every((request) => request.query.wait === 'true')).toBe(true);
    const reads = peer.requests.filter((request) =>
      /\/points\/(query|count|scroll|delete)$/.test(request.path),
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const request of reads) {
      const must = (request.body as { filter: { must: unknown[] } }).filter.must;
      expect(must[0]).toMatchObject({ key: 'namespace', match: { value: expect.any(String) } });
    }
  });

  it('refuses a namespace another length even after a restart, and frees it once emptied', async () => {
    peer = await startQdrantPeer();
    index = qdrantVectorIndex({ url: peer.url });
    await index.upsert('ns', [{ id: 'a', vector: [1, 0], payload: {} }]);
    const fresh = qdrantVectorIndex({ url: peer.url });
    const error = await failure(fresh.upsert('ns', [{ id: 'b', vector: [1, 0, 0], payload: {} }]));
    expect(error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(error.message).toContain('length 2');
    await fresh.delete('ns', ['a']);
    await fresh.upsert('ns', [{ id: 'b', vector: [1, 0, 0], payload: {} }]);
    expect(await index.get('ns', ['a', 'b'])).toMatchObject([{ id: 'b' }]);
    await fresh.close();
  });

  it('round-trips ids that are not UUIDs, as deterministic UUID points', async () => {
    peer = await startQdrantPeer();
    index = qdrantVectorIndex({ url: peer.url });
    const ids = ['doc 1/chunk#2', 'Документ', '', 'x'.repeat(300), '42'].filter(Boolean);
    await index.upsert(
      'ns',
      ids.map((id, at) => ({ id, vector: [1, at], payload: { at } })),
    );
    expect((await index.get('ns', [...ids].reverse())).map((record) => record.id)).toEqual(
      [...ids].reverse(),
    );
    expect(pointId('ns', 'x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(pointId('ns', 'x')).toBe(pointId('ns', 'x'));
    expect(pointId('ns', 'x')).not.toBe(pointId('other', 'x'));
    const stored = [...peer.collections.get('botwire_2')!.points.values()][0]!;
    expect(Object.keys(stored.payload).sort()).toEqual(['namespace', 'payload', 'record_id']);
  });

  it('filters with any-of lists of strings, integers, booleans and mixed values, and on odd field names', async () => {
    peer = await startQdrantPeer();
    index = qdrantVectorIndex({ url: peer.url });
    await index.upsert('ns', [
      {
        id: 'a',
        vector: [1, 0],
        payload: { tag: 'x', n: 1, flag: true, 'source.kind': 'pdf', w: 0.5 },
      },
      {
        id: 'b',
        vector: [0, 1],
        payload: { tag: 'y', n: 2, flag: false, 'source.kind': 'web', w: 1.5 },
      },
      { id: 'c', vector: [1, 1], payload: { tag: 'z', n: 3, source: { kind: 'pdf' } } },
      // A user field named like the driver's own ones stays the user's.
      { id: 'd', vector: [1, 2], payload: { namespace: 'other', record_id: 'zzz' } },
    ]);
    const ids = async (filter: Record<string, unknown>) =>
      (await index!.query('ns', [1, 0], { filter: filter as never }))
        .map((match) => match.id)
        .sort();
    expect(await ids({ tag: ['x', 'z'] })).toEqual(['a', 'c']);
    expect(await ids({ n: [2, 3] })).toEqual(['b', 'c']);
    expect(await ids({ flag: [false] })).toEqual(['b']);
    expect(await ids({ tag: ['x', 3], n: [3, 'nope'] })).toEqual([]);
    expect(await ids({ n: [3, 'x'] })).toEqual(['c']);
    expect(await ids({ tag: [] })).toEqual([]);
    expect(await ids({ 'source.kind': 'pdf' })).toEqual(['a']);
    expect(await ids({ w: 1.5 })).toEqual(['b']);
    expect(await ids({ w: [0.5, 1.5] })).toEqual(['a', 'b']);
    expect(await ids({ namespace: 'other' })).toEqual(['d']);
    expect((await index.get('ns', ['d']))[0]!.payload).toEqual({
      namespace: 'other',
      record_id: 'zzz',
    });
    expect(await index.deleteWhere('ns', { tag: ['x', 'y'] })).toBe(2);
    expect(await index.count('ns')).toBe(2);
    const bad = await failure(index.count('ns', { 'a"b': 'x' }));
    expect(bad.code).toBe('BOTWIRE_INVALID_ARGUMENT');
  });

  it('upserts in batches of 256 and treats a collection removed by hand as empty', async () => {
    peer = await startQdrantPeer();
    index = qdrantVectorIndex({ url: peer.url });
    await index.upsert(
      'ns',
      Array.from({ length: 600 }, (_, at) => ({ id: `r${at}`, vector: [1, at], payload: {} })),
    );
    const upserts = peer.requests.filter(
      (request) => request.method === 'PUT' && request.path === '/collections/botwire_2/points',
    );
    expect(upserts.map((request) => (request.body as { points: unknown[] }).points.length)).toEqual(
      [256, 256, 88],
    );
    expect(await index.count('ns')).toBe(600);
    await client(peer.url).deleteCollection('botwire_2');
    expect(await index.count('ns')).toBe(0);
    expect(await index.query('ns', [1, 0])).toEqual([]);
    expect(await index.get('ns', ['r1'])).toEqual([]);
    expect(await index.deleteWhere('ns', {})).toBe(0);
    await index.upsert('ns', [{ id: 'again', vector: [1, 0], payload: {} }]);
    expect(await index.count('ns')).toBe(1);
  });

  it('checks its options and arguments', async () => {
    expect(() => qdrantVectorIndex({ url: 'qdrant:6333' })).toThrow(/http/);
    expect(() => qdrantVectorIndex({ collectionPrefix: 'a b' })).toThrow(/collectionPrefix/);
    index = qdrantVectorIndex({ url: 'http://127.0.0.1:1' });
    const error = await failure(index.query('ns', [1, 0], { limit: 0 }));
    expect(error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect((await failure(index.upsert('', []))).code).toBe('BOTWIRE_INVALID_ARGUMENT');
  });
});

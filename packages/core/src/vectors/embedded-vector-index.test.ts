import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';
import { afterEach, describe, expect, it } from 'vitest';
import { runVectorIndexContract } from '../contracts/vector-index-contract';
import { isBotwireError } from '../errors/botwire-error';
import type { StorageDriver } from '../ports/storage';
import type { VectorRecord } from '../ports/vector-index';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { loadHierarchicalNsw } from './approximate-graph';
import { type EmbeddedVectorIndexOptions, embeddedVectorIndex } from './embedded-vector-index';

const directories: string[] = [];
const freshPath = () => {
  const directory = mkdtempSync(join(tmpdir(), 'botwire-vectors-'));
  directories.push(directory);
  return join(directory, 'bot.db');
};
const removeDirectories = () => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
};

runVectorIndexContract('embedded on memory storage', async () => {
  const storage = memoryStorage();
  await storage.open();
  return { index: embeddedVectorIndex({ storage }), close: () => storage.close() };
});

runVectorIndexContract('embedded on memory storage, HNSW from 100 records', async () => {
  const storage = memoryStorage();
  await storage.open();
  return {
    index: embeddedVectorIndex({ storage, approximateFrom: 100 }),
    close: () => storage.close(),
  };
});

runVectorIndexContract('embedded on sqlite storage', async () => {
  const path = freshPath();
  let storage = sqliteStorage({ path });
  await storage.open();
  let index = embeddedVectorIndex({ storage });
  return {
    index,
    async reopen() {
      await index.close();
      await storage.close();
      storage = sqliteStorage({ path });
      await storage.open();
      index = embeddedVectorIndex({ storage });
      return index;
    },
    async close() {
      await storage.close();
      removeDirectories();
    },
  };
});

/** A seeded generator of numbers in [0, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Vectors around `clusters` random centres (Gaussian spread), as embeddings of topics are. */
function clusteredVectors(count: number, dimensions: number, seed: number, clusters = 20) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dimensions }, gaussian),
  );
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random() * clusters)]!;
    return centre.map((value) => value + 0.6 * gaussian());
  });
}

const normalize = (vector: number[]) => {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
};

/** The ids of the `limit` records closest to `probe`, by brute force in float64. */
function exactTop(records: VectorRecord[], probe: number[], limit: number): string[] {
  const query = normalize(probe);
  return records
    .map((record) => {
      const vector = normalize(record.vector);
      return {
        id: record.id,
        score: vector.reduce((sum, value, at) => sum + value * query[at]!, 0),
      };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((match) => match.id);
}

/** A HierarchicalNSW that counts its searches and whether they had a filter. */
function countingHnsw() {
  const searches = { plain: 0, filtered: 0, built: 0 };
  class Counting extends HierarchicalNSW {
    constructor(space: 'ip' | 'l2' | 'cosine', dimensions: number) {
      super(space, dimensions);
      searches.built++;
    }
    override searchKnn(query: number[], count: number, filter?: (label: number) => boolean) {
      if (filter) searches.filtered++;
      else searches.plain++;
      return super.searchKnn(query, count, filter);
    }
  }
  return { HierarchicalNSW: Counting, searches };
}

async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isBotwireError(error) ? error.code : error === undefined ? undefined : String(error);
}

describe('embeddedVectorIndex', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    removeDirectories();
  });

  const openMemory = async (options: Partial<EmbeddedVectorIndexOptions> = {}) => {
    const storage = options.storage ?? memoryStorage();
    await storage.open();
    const index = embeddedVectorIndex({ ...options, storage });
    cleanups.push(
      () => storage.close(),
      () => index.close(),
    );
    return { storage, index };
  };

  const records = (
    vectors: number[][],
    payload: (at: number) => Record<string, unknown> = () => ({}),
  ): VectorRecord[] =>
    vectors.map((vector, at) => ({ id: `r${at}`, vector, payload: { at, ...payload(at) } }));

  it('switches to HNSW at approximateFrom, with recall@10 of at least 0.95', async () => {
    const { HierarchicalNSW: Counting, searches } = countingHnsw();
    const { index } = await openMemory({ approximateFrom: 200, HierarchicalNSW: Counting });
    const all = records(clusteredVectors(3000, 48, 1));
    await index.upsert('test/hnsw', all.slice(0, 199));
    await index.query('test/hnsw', all[0]!.vector);
    expect(searches).toEqual({ plain: 0, filtered: 0, built: 0 });
    await index.upsert('test/hnsw', all.slice(199));
    const probes = clusteredVectors(50, 48, 2);
    let shared = 0;
    for (const probe of probes) {
      const found = (await index.query('test/hnsw', probe, { limit: 10 })).map((match) => match.id);
      const exact = exactTop(all, probe, 10);
      shared += found.filter((id) => exact.includes(id)).length;
    }
    expect(searches.built).toBe(1);
    expect(searches.plain).toBe(probes.length);
    expect(shared / (probes.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('filters under HNSW, and searches exactly when few records match', async () => {
    const { HierarchicalNSW: Counting, searches } = countingHnsw();
    const { index } = await openMemory({ approximateFrom: 200, HierarchicalNSW: Counting });
    const all = records(clusteredVectors(2000, 32, 3), (at) => ({
      group: at % 4,
      rare: at % 50 === 0,
    }));
    await index.upsert('test/filter', all);
    const probes = clusteredVectors(20, 32, 4);
    let shared = 0;
    for (const probe of probes) {
      const found = await index.query('test/filter', probe, { limit: 10, filter: { group: 1 } });
      expect(found.every((match) => match.payload.group === 1)).toBe(true);
      const exact = exactTop(
        all.filter((record) => record.payload.group === 1),
        probe,
        10,
      );
      shared += found.filter((match) => exact.includes(match.id)).length;
    }
    expect(searches.filtered).toBe(probes.length);
    expect(shared / (probes.length * 10)).toBeGreaterThanOrEqual(0.95);

    const rare = all.filter((record) => record.payload.rare === true);
    const found = await index.query('test/filter', probes[0]!, {
      limit: 10,
      filter: { rare: true },
    });
    expect(found.map((match) => match.id)).toEqual(exactTop(rare, probes[0]!, 10));
    expect(searches.filtered).toBe(probes.length);
  });

  it('deletes under HNSW, and finds a record upserted again after its delete', async () => {
    const { HierarchicalNSW: Counting, searches } = countingHnsw();
    const { index } = await openMemory({ approximateFrom: 200, HierarchicalNSW: Counting });
    const all = records(clusteredVectors(1000, 32, 5));
    await index.upsert('test/delete', all);
    const probe = all[10]!.vector;
    const before = (await index.query('test/delete', probe, { limit: 5 })).map((match) => match.id);
    expect(before[0]).toBe('r10');
    await index.delete('test/delete', before);
    expect(await index.count('test/delete')).toBe(995);
    const after = (await index.query('test/delete', probe, { limit: 5 })).map((match) => match.id);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(after).toHaveLength(5);
    expect(await index.deleteWhere('test/delete', { at: [20, 21, 22] })).toBe(3);
    expect(await index.get('test/delete', ['r20', 'r21', 'r22'])).toEqual([]);
    await index.upsert('test/delete', [all[10]!]);
    const [best] = await index.query('test/delete', probe, { limit: 1 });
    expect(best).toMatchObject({ id: 'r10', payload: { at: 10 } });
    expect(searches.plain).toBe(3);
  });

  it('loads hnswlib-node by itself when no constructor is given', async () => {
    expect(await loadHierarchicalNsw()).toBe(HierarchicalNSW);
  });

  it('keeps to exact search when hnswlib cannot be used', async () => {
    class Broken extends HierarchicalNSW {
      constructor(space: 'ip' | 'l2' | 'cosine', dimensions: number) {
        super(space, dimensions);
        throw new Error('no hnswlib here');
      }
    }
    const { index } = await openMemory({ approximateFrom: 50, HierarchicalNSW: Broken });
    const all = records(clusteredVectors(300, 16, 6));
    await index.upsert('test/broken', all);
    const probe = clusteredVectors(1, 16, 7)[0]!;
    const found = await index.query('test/broken', probe, { limit: 10 });
    expect(found.map((match) => match.id)).toEqual(exactTop(all, probe, 10));
  });

  it('lets a second instance on the same sqlite file see the first one’s writes', async () => {
    const path = freshPath();
    const open = async () => {
      const storage = sqliteStorage({ path });
      await storage.open();
      const index = embeddedVectorIndex({ storage });
      cleanups.push(
        () => storage.close(),
        () => index.close(),
      );
      return index;
    };
    const first = await open();
    const second = await open();
    const [north, east] = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    await first.upsert('shared/ns', [{ id: 'a', vector: north, payload: { text: 'a' } }]);
    expect(await second.count('shared/ns')).toBe(1);
    await first.upsert('shared/ns', [{ id: 'b', vector: east, payload: { text: 'b' } }]);
    await first.delete('shared/ns', ['a']);
    expect((await second.query('shared/ns', north)).map((match) => match.id)).toEqual(['b']);
    await second.upsert('shared/ns', [{ id: 'a', vector: north, payload: { text: 'again' } }]);
    expect((await first.get('shared/ns', ['a']))[0]?.payload).toEqual({ text: 'again' });
    expect(await first.count('shared/ns')).toBe(2);
    expect(
      await rejectionCode(second.upsert('shared/ns', [{ id: 'c', vector: [1, 0], payload: {} }])),
    ).toBe('BOTWIRE_INVALID_ARGUMENT');
  });

  it('refuses vectors of another length and writes nothing of the call', async () => {
    const { index, storage } = await openMemory();
    expect(
      await rejectionCode(
        index.upsert('test/length', [
          { id: 'a', vector: [1, 0, 0], payload: {} },
          { id: 'b', vector: [1, 0], payload: {} },
        ]),
      ),
    ).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(await storage.kv.list('vectors:test/length')).toEqual([]);
    await index.upsert('test/length', [{ id: 'a', vector: [1, 0, 0], payload: {} }]);
    await index.delete('test/length', ['a']);
    expect(
      await rejectionCode(index.upsert('test/length', [{ id: 'b', vector: [1, 0], payload: {} }])),
    ).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(await index.count('test/length')).toBe(0);
  });

  it('loads a namespace only when it is used, with one list of its own entries', async () => {
    const { storage, index } = await openMemory();
    await index.upsert('bot:a/user:1/memory', [{ id: 'x', vector: [1, 0], payload: {} }]);
    await index.upsert('bot:a/user:2/memory', [{ id: 'y', vector: [0, 1], payload: {} }]);
    const listed: string[] = [];
    const watched: StorageDriver = {
      ...storage,
      kv: {
        ...storage.kv,
        list: (namespace, options) => {
          listed.push(namespace);
          return storage.kv.list(namespace, options);
        },
      },
    };
    const fresh = embeddedVectorIndex({ storage: watched });
    cleanups.push(() => fresh.close());
    expect(listed).toEqual([]);
    expect(await fresh.count('bot:a/user:1/memory')).toBe(1);
    expect(await fresh.get('bot:a/user:1/memory', ['x', 'y'])).toHaveLength(1);
    expect(listed).toEqual(['vectors:bot:a/user:1/memory']);
  });

  it('stores each record as base64 Float32 under its own key, and counts versions', async () => {
    const { storage, index } = await openMemory();
    await index.upsert('test/layout', [{ id: 'a', vector: [3, 4], payload: { text: 'a' } }]);
    await index.delete('test/layout', ['missing']);
    await index.upsert('test/layout', [{ id: 'b', vector: [0, 2], payload: {} }]);
    const entries = await storage.kv.list<{ vector: string }>('vectors:test/layout');
    expect(entries.map((entry) => entry.key)).toEqual([
      'dimensions',
      'record:a',
      'record:b',
      'version',
    ]);
    const bytes = Buffer.from(entries[1]!.value.vector, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([
      Math.fround(0.6),
      Math.fround(0.8),
    ]);
    expect(entries[3]!.value).toBe(2);
  });

  it('refuses bad namespaces, ids, limits and filters', async () => {
    const { index } = await openMemory();
    const invalid = [
      index.count(''),
      index.count('with space'),
      index.count('x'.repeat(201)),
      index.get('ok', ['']),
      index.delete('ok', [7 as unknown as string]),
      index.query('ok', [1, 0], { limit: 0 }),
      index.query('ok', [1, 0], { limit: 1001 }),
      index.query('ok', [1, 0], { limit: 2.5 }),
      index.query('ok', [1, 0], { filter: { field: { nested: 1 } as unknown as string } }),
      index.upsert('ok', [{ id: 'a', vector: [1, Number.POSITIVE_INFINITY], payload: {} }]),
      index.upsert('ok', [{ id: '', vector: [1], payload: {} }]),
    ];
    for (const call of invalid) expect(await rejectionCode(call)).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(await index.count('x'.repeat(200))).toBe(0);
    expect(await index.query('ok', [1, 0], { limit: 1000 })).toEqual([]);
  });

  it('passes storage errors through, and leaves the storage open on close', async () => {
    const { storage, index } = await openMemory();
    await index.upsert('test/close', [{ id: 'a', vector: [1], payload: {} }]);
    await index.close();
    expect(await storage.kv.get('vectors:test/close', 'version')).toBe(1);
    expect(await index.count('test/close')).toBe(1);
    await storage.close();
    expect(await rejectionCode(index.count('test/close'))).toBe('BOTWIRE_STORAGE_CLOSED');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VectorIndex, VectorRecord } from '../ports/vector-index';
import { rejectsWithCode } from './rejects-with-code';

/** What a test run of the vector index contract needs. */
export interface VectorIndexTarget {
  index: VectorIndex;
  /**
   * Closes the index and opens a new one on the same data (a restart), when the driver keeps
   * data beyond the process. Without it, the restart test is left out.
   */
  reopen?(): Promise<VectorIndex>;
  /** Releases what the run used (servers, folders). */
  close?(): Promise<void>;
}

/** A random unit vector from a seeded generator, so every driver sees the same data. */
function seededVectors(count: number, dimensions: number, seed = 7): number[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const vector = Array.from({ length: dimensions }, next);
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return vector.map((value) => value / norm);
  });
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return dot / (Math.sqrt(normA * normB) || 1);
};

/**
 * The contract every vector index driver passes (embedded, Qdrant, ...): upsert replaces by id,
 * queries rank by cosine similarity with limit, filter and minScore, namespaces never mix,
 * delete, deleteWhere, count and get behave the same everywhere, vectors of the wrong length are
 * refused with BOTWIRE_INVALID_ARGUMENT, and (with `reopen`) everything survives a restart.
 *
 * @example
 * runVectorIndexContract('embedded', async () => {
 *   const storage = memoryStorage();
 *   await storage.open();
 *   return { index: embeddedVectorIndex({ storage }), close: () => storage.close() };
 * });
 */
export function runVectorIndexContract(
  name: string,
  create: () => Promise<VectorIndexTarget>,
): void {
  describe(`vector index contract: ${name}`, () => {
    let target: VectorIndexTarget;
    let index: VectorIndex;
    beforeEach(async () => {
      target = await create();
      index = target.index;
      await index.open?.();
    });
    afterEach(async () => {
      await index.close();
      await target.close?.();
    });

    const [north, east, northEast, south] = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [Math.SQRT1_2, Math.SQRT1_2, 0, 0],
      [-1, 0, 0, 0],
    ] as const;
    const points = (): VectorRecord[] => [
      { id: 'n', vector: [...north], payload: { text: 'north', kind: 'memory', rank: 1 } },
      { id: 'e', vector: [...east], payload: { text: 'east', kind: 'document', rank: 2 } },
      {
        id: 'ne',
        vector: [...northEast],
        payload: { text: 'north-east', kind: 'memory', rank: 3 },
      },
      { id: 's', vector: [...south], payload: { text: 'south', kind: 'document', pinned: true } },
    ];

    it('ping(), when the driver has it, gives a latency in ms', async () => {
      if (!index.ping) return;
      const latency = await index.ping();
      expect(Number.isFinite(latency) && latency >= 0).toBe(true);
    });

    it('finds the closest records first, with cosine scores and their payloads', async () => {
      await index.upsert('contract/a', points());
      const matches = await index.query('contract/a', [0.9, 0.1, 0, 0], { limit: 3 });
      expect(matches.map((match) => match.id)).toEqual(['n', 'ne', 'e']);
      expect(matches[0]!.score).toBeCloseTo(cosine([0.9, 0.1, 0, 0], [...north]), 4);
      expect(matches[0]!.payload).toEqual({ text: 'north', kind: 'memory', rank: 1 });
      expect(matches[0]!.vector).toHaveLength(4);
      for (let at = 1; at < matches.length; at++)
        expect(matches[at - 1]!.score).toBeGreaterThanOrEqual(matches[at]!.score);
    });

    it('returns at most `limit` matches, 10 by default, and none below minScore', async () => {
      const many = seededVectors(25, 8).map((vector, at) => ({
        id: `v${at}`,
        vector,
        payload: { at },
      }));
      await index.upsert('contract/limit', many);
      expect(await index.query('contract/limit', many[0]!.vector)).toHaveLength(10);
      expect(await index.query('contract/limit', many[0]!.vector, { limit: 2 })).toHaveLength(2);
      await index.upsert('contract/a', points());
      const close = await index.query('contract/a', [...north], { minScore: 0.5 });
      expect(close.map((match) => match.id).sort()).toEqual(['n', 'ne']);
    });

    it('replaces a record upserted again under the same id', async () => {
      await index.upsert('contract/a', points());
      await index.upsert('contract/a', [
        { id: 'n', vector: [0, 0, 1, 0], payload: { text: 'up now', kind: 'memory' } },
      ]);
      expect(await index.count('contract/a')).toBe(4);
      const [best] = await index.query('contract/a', [0, 0, 1, 0], { limit: 1 });
      expect(best).toMatchObject({ id: 'n', payload: { text: 'up now', kind: 'memory' } });
      expect(best!.score).toBeCloseTo(1, 4);
    });

    it('keeps namespaces apart in query, count, get and delete', async () => {
      await index.upsert('contract/user-1', points());
      await index.upsert('contract/user-2', [
        { id: 'n', vector: [...east], payload: { text: 'other user' } },
      ]);
      const [best] = await index.query('contract/user-2', [...north], { limit: 5 });
      expect(best!.payload).toEqual({ text: 'other user' });
      expect(await index.query('contract/user-2', [...north], { limit: 5 })).toHaveLength(1);
      expect(await index.count('contract/user-1')).toBe(4);
      expect(await index.count('contract/user-2')).toBe(1);
      expect(await index.count('contract/nobody')).toBe(0);
      expect(await index.query('contract/nobody', [...north])).toEqual([]);
      await index.delete('contract/user-2', ['n']);
      expect(await index.count('contract/user-2')).toBe(0);
      expect((await index.get('contract/user-1', ['n']))[0]!.payload.text).toBe('north');
    });

    it('filters on payload fields: exact values, and any of a list', async () => {
      await index.upsert('contract/a', points());
      const memories = await index.query('contract/a', [...east], { filter: { kind: 'memory' } });
      expect(memories.map((match) => match.id)).toEqual(['ne', 'n']);
      const listed = await index.query('contract/a', [...north], {
        filter: { text: ['south', 'east'] },
      });
      expect(listed.map((match) => match.id).sort()).toEqual(['e', 's']);
      expect(
        (await index.query('contract/a', [...north], { filter: { pinned: true } })).map(
          (match) => match.id,
        ),
      ).toEqual(['s']);
      expect(
        (await index.query('contract/a', [...north], { filter: { rank: 2 } })).map(
          (match) => match.id,
        ),
      ).toEqual(['e']);
      expect(
        await index.query('contract/a', [...north], { filter: { kind: 'memory', rank: 2 } }),
      ).toEqual([]);
      expect(await index.count('contract/a', { kind: 'document' })).toBe(2);
    });

    it('deletes by id, ignores unknown ids, and deletes by filter', async () => {
      await index.upsert('contract/a', points());
      await index.delete('contract/a', ['e', 'missing']);
      expect(await index.count('contract/a')).toBe(3);
      expect(await index.deleteWhere('contract/a', { kind: 'memory' })).toBe(2);
      expect(await index.count('contract/a')).toBe(1);
      expect((await index.query('contract/a', [...north])).map((match) => match.id)).toEqual(['s']);
      expect(await index.deleteWhere('contract/a', { kind: 'memory' })).toBe(0);
    });

    it('gets records by id in the order asked, skipping missing ones', async () => {
      await index.upsert('contract/a', points());
      const records = await index.get('contract/a', ['s', 'missing', 'n']);
      expect(records.map((record) => record.id)).toEqual(['s', 'n']);
      expect(records[0]!.vector.map((value) => Math.round(value * 1000) / 1000)).toEqual([
        -1, 0, 0, 0,
      ]);
      expect(records[0]!.payload).toEqual({ text: 'south', kind: 'document', pinned: true });
    });

    it('keeps nested JSON payloads as they were', async () => {
      const payload = {
        text: 'Договор, стр. 3',
        source: { kind: 'document', page: 3, headings: ['Штрафы', 'Пени'] },
        trust: 'trusted',
        at: 1_700_000_000_000,
      };
      await index.upsert('contract/a', [{ id: 'doc-1', vector: [...north], payload }]);
      expect((await index.get('contract/a', ['doc-1']))[0]!.payload).toEqual(payload);
    });

    it('refuses a vector whose length differs from the namespace', async () => {
      await index.upsert('contract/a', points());
      await rejectsWithCode(
        index.upsert('contract/a', [{ id: 'x', vector: [1, 0, 0], payload: {} }]),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(index.query('contract/a', [1, 0, 0]), 'BOTWIRE_INVALID_ARGUMENT');
      expect(await index.count('contract/a')).toBe(4);
    });

    it('refuses vectors that are empty or hold numbers that are not finite', async () => {
      await rejectsWithCode(
        index.upsert('contract/bad', [{ id: 'x', vector: [], payload: {} }]),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await rejectsWithCode(
        index.upsert('contract/bad', [{ id: 'x', vector: [1, Number.NaN], payload: {} }]),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect(await index.count('contract/bad')).toBe(0);
    });

    it('ranks a few hundred records as exact search does', async () => {
      const vectors = seededVectors(400, 16, 11);
      await index.upsert(
        'contract/many',
        vectors.map((vector, at) => ({ id: `r${at}`, vector, payload: { at } })),
      );
      const probes = seededVectors(5, 16, 99);
      for (const probe of probes) {
        const exact = vectors
          .map((vector, at) => ({ id: `r${at}`, score: cosine(vector, probe) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10)
          .map((match) => match.id);
        const found = (await index.query('contract/many', probe, { limit: 10 })).map(
          (match) => match.id,
        );
        const shared = found.filter((id) => exact.includes(id)).length;
        expect(shared).toBeGreaterThanOrEqual(9);
        expect(found[0]).toBe(exact[0]);
      }
    });

    it('keeps every record through a restart', async () => {
      if (!target.reopen) {
        expect(target.reopen, `${name} keeps nothing beyond the process`).toBeUndefined();
        return;
      }
      await index.upsert('contract/a', points());
      await index.delete('contract/a', ['e']);
      index = await target.reopen();
      await index.open?.();
      expect(await index.count('contract/a')).toBe(3);
      const [best] = await index.query('contract/a', [...northEast], { limit: 1 });
      expect(best).toMatchObject({ id: 'ne', payload: { text: 'north-east' } });
    });
  });
}

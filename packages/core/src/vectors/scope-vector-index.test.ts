import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../storage/drivers/memory';
import { embeddedVectorIndex } from './embedded-vector-index';
import { scopeVectorIndex } from './scope-vector-index';

describe('scopeVectorIndex', () => {
  it('reads and writes only its own namespace', async () => {
    const storage = memoryStorage();
    await storage.open();
    const index = embeddedVectorIndex({ storage });
    const mine = scopeVectorIndex(index, 'bot:demo/user:1/memory');
    const theirs = scopeVectorIndex(index, 'bot:demo/user:2/memory');
    await mine.upsert([{ id: 'a', vector: [1, 0], payload: { kind: 'note' } }]);
    await theirs.upsert([{ id: 'a', vector: [0, 1], payload: { kind: 'other' } }]);
    expect((await mine.query([0, 1]))[0]?.payload).toEqual({ kind: 'note' });
    expect(await index.count('bot:demo/user:1/memory')).toBe(1);
    expect((await mine.get(['a']))[0]?.vector).toEqual([1, 0]);
    expect(await mine.count({ kind: 'other' })).toBe(0);
    expect(await theirs.deleteWhere({ kind: 'other' })).toBe(1);
    await mine.delete(['a']);
    expect(await mine.count()).toBe(0);
    await index.close();
    await storage.close();
  });
});

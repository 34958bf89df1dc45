import { describe, expect, it } from 'vitest';
import { memoryStorage } from './drivers/memory';
import { scopeKeyValueStore } from './scope-key-value-store';

describe('scopeKeyValueStore', () => {
  it('binds every call, increment included, to one namespace', async () => {
    const storage = memoryStorage();
    await storage.open();
    const scoped = scopeKeyValueStore(storage.kv, 'skill:notes');
    expect(await scoped.increment('count')).toBe(1);
    expect(await scoped.increment('count', 4, { ttlMs: 60_000 })).toBe(5);
    expect(await storage.kv.get('skill:notes', 'count')).toBe(5);
    expect(await storage.kv.get('other', 'count')).toBeUndefined();
    await scoped.set('name', 'Ann');
    expect(await scoped.add('name', 'Bob')).toBe(false);
    expect(await scoped.get('name')).toBe('Ann');
    expect(await scoped.list()).toEqual([
      { key: 'count', value: 5 },
      { key: 'name', value: 'Ann' },
    ]);
    expect(await scoped.delete('name')).toBe(true);
    await storage.close();
  });
});

import { describe, expect, it } from 'vitest';
import { runStorageContract } from '../../contracts/storage-contract';
import { memoryStorage } from './memory';

runStorageContract('memory', () => memoryStorage());

describe('memoryStorage', () => {
  it('reads TTLs from the clock it is given', async () => {
    let now = 1_000;
    const storage = memoryStorage({ now: () => now });
    await storage.open();
    await storage.kv.set('test', 'key', 'value', { ttlMs: 100 });
    now += 99;
    expect(await storage.kv.get('test', 'key')).toBe('value');
    now += 1;
    expect(await storage.kv.get('test', 'key')).toBeUndefined();
    const user = await storage.users.resolve({ platform: 'telegram', platformId: '1' });
    expect(user.createdAt.getTime()).toBe(1_100);
    await storage.close();
  });

  it('keeps each instance separate', async () => {
    const first = memoryStorage();
    const second = memoryStorage();
    await first.open();
    await second.open();
    await first.kv.set('test', 'key', 1);
    expect(await second.kv.get('test', 'key')).toBeUndefined();
    await first.close();
    await second.close();
  });
});

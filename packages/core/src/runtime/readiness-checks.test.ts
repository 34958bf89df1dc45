import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { sequencerReadiness, storageReadiness } from './readiness-checks';
import { storageChatSequencer } from './storage-chat-sequencer';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

describe('storageReadiness', () => {
  it('is not ready before the storage is there', async () => {
    expect(await storageReadiness(() => undefined)()).toEqual({ ok: false, error: 'not open' });
  });

  it("reports the driver and the latency of SQLite's ping", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'botwire-ready-'));
    directories.push(directory);
    const storage = sqliteStorage({ path: join(directory, 'bot.db') });
    await storage.open();
    const result = await storageReadiness(() => storage)();
    expect(result).toMatchObject({ ok: true, details: { driver: 'sqlite' } });
    expect(result.details?.latencyMs).toEqual(expect.any(Number));
    expect(result.details?.latencyMs as number).toBeGreaterThanOrEqual(0);
    await storage.close();
  });

  it('is not ready once the storage is closed, and names the driver', async () => {
    const storage = memoryStorage();
    await storage.open();
    expect(await storageReadiness(() => storage)()).toEqual({
      ok: true,
      details: { driver: 'memory', latencyMs: 0 },
    });
    await storage.close();
    expect(await storageReadiness(() => storage)()).toEqual({
      ok: false,
      error: 'The memory storage was used after close().',
      details: { driver: 'memory' },
    });
  });

  it('falls back to a key-value read for a driver without ping()', async () => {
    const inner = memoryStorage();
    await inner.open();
    let reads = 0;
    const withoutPing: StorageDriver = {
      name: 'custom',
      open: () => inner.open(),
      close: () => inner.close(),
      users: inner.users,
      chats: inner.chats,
      messages: inner.messages,
      kv: {
        ...inner.kv,
        get: (namespace, key) => {
          reads += 1;
          return inner.kv.get(namespace, key);
        },
      },
    };
    expect(await storageReadiness(() => withoutPing)()).toEqual({
      ok: true,
      details: { driver: 'custom' },
    });
    expect(reads).toBe(1);
  });

  it("reports a failing ping with the driver's message", async () => {
    const storage = memoryStorage();
    await storage.open();
    const failing: StorageDriver = {
      ...storage,
      name: 'remote',
      ping: () =>
        Promise.reject(
          new BotwireError('BOTWIRE_STORAGE_FAILED', { message: 'db:27017 did not answer' }),
        ),
    };
    expect(await storageReadiness(() => failing)()).toEqual({
      ok: false,
      error: 'db:27017 did not answer',
      details: { driver: 'remote' },
    });
  });
});

describe('sequencerReadiness', () => {
  it('is fine without a sequencer, and reports the driver and latency of one', async () => {
    expect(await sequencerReadiness(() => undefined)()).toEqual({
      ok: true,
      details: { configured: false },
    });
    const storage = memoryStorage();
    await storage.open();
    const result = await sequencerReadiness(() => storageChatSequencer(storage.kv))();
    expect(result).toMatchObject({ ok: true, details: { driver: 'storage' } });
    expect(result.details?.latencyMs as number).toBeGreaterThanOrEqual(0);
  });

  it('is not ready when the sequencer cannot read its store', async () => {
    const storage = memoryStorage();
    await storage.open();
    const sequencer = storageChatSequencer({
      ...storage.kv,
      get: () => Promise.reject(new Error('redis:6379 did not answer')),
    });
    expect(await sequencerReadiness(() => sequencer)()).toEqual({
      ok: false,
      error: 'redis:6379 did not answer',
      details: { driver: 'storage' },
    });
  });
});

import { createServer } from 'node:net';
import { isBotwireError } from '@botwire/core';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoStorage } from './mongo-storage';

const password = 'pa55-w0rd-secret';
let peer: MongoPeer;

beforeAll(async () => {
  peer = await startMongoPeer({ users: { bot: password } });
});

afterAll(async () => {
  await peer.close();
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

const failure = async (action: Promise<unknown>) => {
  const error = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isBotwireError(error), String(error)).toBe(true);
  return error as Error & { code: string; hint?: string; details: Record<string, unknown> };
};

describe('mongoStorage errors', () => {
  it('says what to do when no URL is given', async () => {
    const saved = process.env.MONGODB_URL;
    delete process.env.MONGODB_URL;
    try {
      const error = await failure(mongoStorage().open());
      expect(error.code).toBe('BOTWIRE_STORAGE_FAILED');
      expect(error.message).toContain('MONGODB_URL');
      const wrong = await failure(mongoStorage({ url: 'http://127.0.0.1:1' }).open());
      expect(wrong.message).toContain('mongodb://');
    } finally {
      if (saved !== undefined) process.env.MONGODB_URL = saved;
    }
  });

  it('takes the URL from MONGODB_URL', async () => {
    const saved = process.env.MONGODB_URL;
    process.env.MONGODB_URL = peer.url.replace('//', `//bot:${password}@`);
    try {
      const storage = mongoStorage({ database: 'from_env' });
      await storage.open();
      await storage.kv.set('test', 'a', 1);
      expect(peer.store.collection('from_env', 'kv')?.documents).toHaveLength(1);
      await storage.close();
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URL;
      else process.env.MONGODB_URL = saved;
    }
  });

  it('fails within the server selection timeout when the server is unreachable', async () => {
    const port = await closedPort();
    const storage = mongoStorage({
      url: `mongodb://bot:${password}@127.0.0.1:${port}/botwire`,
      serverSelectionTimeoutMs: 800,
    });
    const started = Date.now();
    const error = await failure(storage.open());
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(700);
    // Near the configured timeout, not the driver's default 30 s (with room for a loaded machine).
    expect(elapsed).toBeLessThan(4000);
    expect(error.code).toBe('BOTWIRE_STORAGE_FAILED');
    expect(error.message).toContain(`MongoDB at mongodb://127.0.0.1:${port}/botwire`);
    expect(error.message).toContain('could not be reached within 800 ms');
    expect(error.message).not.toContain(password);
    expect(error.hint).toContain('MONGODB_URL');
    await expect(storage.kv.get('test', 'a')).rejects.toMatchObject({
      code: 'BOTWIRE_STORAGE_CLOSED',
    });
  });

  it('fails with BOTWIRE_STORAGE_FAILED when the server goes away after open()', async () => {
    const lonely = await startMongoPeer();
    const storage = mongoStorage({ url: lonely.url, serverSelectionTimeoutMs: 500 });
    await storage.open();
    await storage.kv.set('test', 'a', 1);
    await lonely.close();
    const error = await failure(storage.kv.get('test', 'a'));
    expect(error.code).toBe('BOTWIRE_STORAGE_FAILED');
    expect(error.message).toContain('could not be reached within 500 ms during kv.get');
    await expect(storage.ping()).rejects.toMatchObject({ code: 'BOTWIRE_STORAGE_FAILED' });
    await storage.close();
  });

  it('reports refused credentials without the password', async () => {
    const wrong = 'wrong-pa55word';
    const storage = mongoStorage({ url: peer.url.replace('//', `//bot:${wrong}@`) });
    const error = await failure(storage.open());
    expect(error.code).toBe('BOTWIRE_STORAGE_FAILED');
    expect(error.message).toContain('refused the credentials of user "bot"');
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect(JSON.stringify(error.details)).not.toContain(wrong);
    expect(error.details.code).toBe(18);
  });

  it('checks its options', () => {
    expect(() => mongoStorage({ url: peer.url, serverSelectionTimeoutMs: 0 })).toThrow(
      /serverSelectionTimeoutMs/,
    );
    expect(() => mongoStorage({ url: peer.url, database: '' })).toThrow(/database/);
  });
});

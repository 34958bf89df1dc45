import { roles } from '@botwire/core';
import { runStorageContract } from '@botwire/core/contract-suites';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MongoStorageDriver, mongoStorage } from './mongo-storage';

let peer: MongoPeer;
let database = 0;

beforeAll(async () => {
  peer = await startMongoPeer();
});

afterAll(async () => {
  await peer?.close();
});

// Each test gets its own database on the peer; a second driver in the same test (reopening,
// two instances) shares it, as two processes would.
runStorageContract(
  'mongo (wire-protocol peer)',
  () => mongoStorage({ url: peer.url, database: `contract_${database}` }),
  {
    cleanup: () => {
      peer.store.databases.delete(`contract_${database}`);
      database++;
    },
  },
);

// The same suite against a real MongoDB server, only when one is given: this machine has none,
// and the tests must not need a server besides the peer. Each test uses a database of its own,
// dropped after it.
describe.skipIf(!process.env.MONGODB_URL)('a real MongoDB server (MONGODB_URL)', () => {
  const url = process.env.MONGODB_URL ?? '';
  const made = new Set<string>();
  let current = `botwire_test_${process.pid}_${Date.now()}_0`;
  runStorageContract(
    'mongo (MONGODB_URL)',
    () => {
      made.add(current);
      return mongoStorage({ url, database: current });
    },
    {
      cleanup: async () => {
        const client = new mongoose.mongo.MongoClient(url);
        try {
          for (const name of made) await client.db(name).dropDatabase();
        } finally {
          await client.close();
        }
        made.clear();
        current = current.replace(/_\d+$/, (tail) => `_${Number(tail.slice(1)) + 1}`);
      },
    },
  );
});

describe('mongoStorage on the peer', () => {
  const opened: MongoStorageDriver[] = [];
  let name = 0;
  const open = async (databaseName: string) => {
    const storage = mongoStorage({ url: peer.url, database: databaseName });
    opened.push(storage);
    await storage.open();
    return storage;
  };

  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
  });

  it('is not process-local, and pings the server', async () => {
    const storage = await open(`driver_${name++}`);
    expect(storage.name).toBe('mongo');
    expect(storage.processLocal).toBeFalsy();
    expect(await storage.ping()).toBeGreaterThanOrEqual(0);
    await storage.close();
    await expect(storage.ping()).rejects.toMatchObject({ code: 'BOTWIRE_STORAGE_CLOSED' });
  });

  it('creates its indexes in open(): unique keys and a TTL index on expiresAt', async () => {
    const databaseName = `driver_${name++}`;
    await open(databaseName);
    const indexes = (collection: string) =>
      peer.store.collection(databaseName, collection)?.indexes.map((index) => ({
        key: index.key,
        unique: index.unique,
        ttl: index.expireAfterSeconds,
      }));
    expect(indexes('kv')).toEqual([
      { key: { _id: 1 }, unique: undefined, ttl: undefined },
      { key: { namespace: 1, key: 1 }, unique: true, ttl: undefined },
      { key: { expiresAt: 1 }, unique: undefined, ttl: 0 },
    ]);
    expect(indexes('users')).toContainEqual({
      key: { identityKeys: 1 },
      unique: true,
      ttl: undefined,
    });
    expect(indexes('chats')).toContainEqual({
      key: { identityKey: 1 },
      unique: true,
      ttl: undefined,
    });
    expect(indexes('messages')).toContainEqual({
      key: { chatId: 1, _id: -1 },
      unique: undefined,
      ttl: undefined,
    });
  });

  it('reads an expired value as absent before any TTL sweep', async () => {
    const databaseName = `driver_${name++}`;
    const storage = await open(databaseName);
    await storage.kv.set('test', 'short', 'gone', { ttlMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stored = () => peer.store.collection(databaseName, 'kv')?.documents.length;
    expect(stored()).toBe(1);
    expect(await storage.kv.list('test')).toEqual([]);
    expect(await storage.kv.get('test', 'short')).toBeUndefined();
    expect(stored()).toBe(0);
  });

  it('keeps numbers as BSON numbers and other values as JSON text', async () => {
    const databaseName = `driver_${name++}`;
    const storage = await open(databaseName);
    await storage.kv.set('test', 'n', 7);
    await storage.kv.set('test', 'o', { 'a.b': 1, $c: [2] });
    expect(await storage.kv.get('test', 'o')).toEqual({ 'a.b': 1, $c: [2] });
    const values = peer.store
      .collection(databaseName, 'kv')
      ?.documents.map((document) => document.value);
    expect(values).toEqual([7, '{"a.b":1,"$c":[2]}']);
  });

  it('accepts every role core knows', async () => {
    const storage = await open(`driver_${name++}`);
    const user = await storage.users.resolve({ platform: 'telegram', platformId: '1' });
    for (const role of roles)
      expect((await storage.users.update(user.id, { role })).role).toBe(role);
  });

  it('two instances (like two processes): 50 parallel increments give 50', async () => {
    const databaseName = `driver_${name++}`;
    const [first, second] = [await open(databaseName), await open(databaseName)];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 ? first : second).kv.increment('usage', 'count', 1, { ttlMs: 60_000 }),
      ),
    );
    expect(await first.kv.get('usage', 'count')).toBe(50);
    expect(await second.kv.get('usage', 'count')).toBe(50);
    expect([...results].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
  });

  it('two instances: 20 parallel adds of one key store exactly one', async () => {
    const databaseName = `driver_${name++}`;
    const [first, second] = [await open(databaseName), await open(databaseName)];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? first : second).kv.add('locks', 'job', index),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await second.kv.get('locks', 'job')).toBe(results.indexOf(true));
  });

  it('two instances: concurrent resolves give one user, appends get distinct increasing ids', async () => {
    const databaseName = `driver_${name++}`;
    const [first, second] = [await open(databaseName), await open(databaseName)];
    const identity = { platform: 'telegram', platformId: '7' };
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 ? first : second).users.resolve(identity),
      ),
    );
    expect(new Set(users.map((user) => user.id)).size).toBe(1);
    const chat = await first.chats.resolve(identity, { type: 'private' });
    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? first : second).messages.append({
          chatId: chat.id,
          direction: 'in',
          text: String(index),
        }),
      ),
    );
    expect(new Set(appended.map((message) => message.id)).size).toBe(20);
    const listed = await second.messages.list(chat.id);
    expect(listed.map((message) => message.id)).toEqual(
      [...appended.map((message) => message.id)].sort((a, b) => a - b),
    );
  });
});

import mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MongoPeer, startMongoPeer } from './mongo-peer';

const { MongoClient } = mongoose.mongo;
type Client = InstanceType<typeof MongoClient>;

let peer: MongoPeer;
const clients: Client[] = [];

const connect = async (url = peer.url) => {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000 });
  clients.push(client);
  await client.connect();
  return client;
};

beforeAll(async () => {
  peer = await startMongoPeer({ users: { bot: 'correct horse' } });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

afterAll(async () => {
  await peer.close();
});

const authed = () => connect(peer.url.replace('//', '//bot:correct%20horse@'));

describe('the MongoDB peer, through the official driver', () => {
  it('authenticates with SCRAM-SHA-256 and refuses a wrong password', async () => {
    const client = await authed();
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    const refused = await connect(peer.url.replace('//', '//bot:wrong@')).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 18, codeName: 'AuthenticationFailed' });
    const unknown = await connect(peer.url.replace('//', '//nobody:x@')).catch(
      (error: unknown) => error,
    );
    expect(unknown).toMatchObject({ code: 18 });
  });

  it('refuses data commands on a connection that did not authenticate', async () => {
    const client = await connect();
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await expect(client.db('t').collection('x').findOne({})).rejects.toMatchObject({
      code: 13,
      codeName: 'Unauthorized',
    });
  });

  it('answers an unknown command with CommandNotFound', async () => {
    const client = await authed();
    await expect(client.db('t').command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  it('batches a cursor: first batch of 101, then getMore until the cursor is done', async () => {
    const client = await authed();
    const collection = client.db('cursors').collection<{ n: number }>('numbers');
    await collection.insertMany(Array.from({ length: 250 }, (_, n) => ({ n })));
    const start = peer.commands.length;
    const all = await collection
      .find({ n: { $gte: 0 } })
      .sort({ n: -1 })
      .toArray();
    expect(all.map((document) => document.n)).toEqual(
      Array.from({ length: 250 }, (_, n) => 249 - n),
    );
    expect(peer.commands.slice(start)).toEqual(['find', 'getMore']);
    const batched = collection.find({}, { batchSize: 100 }).skip(10).limit(230);
    expect((await batched.toArray()).length).toBe(230);
    const cursor = collection.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    expect(peer.commands.at(-1)).toBe('killCursors');
  });

  it('enforces unique indexes with E11000, lists indexes and records TTL ones', async () => {
    const client = await authed();
    const collection = client.db('indexes').collection('kv');
    await collection.createIndex({ namespace: 1, key: 1 }, { unique: true, name: 'key_unique' });
    await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiry' });
    await collection.insertOne({ namespace: 'n', key: 'k' });
    const error = await collection
      .insertOne({ namespace: 'n', key: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 11000 });
    expect((error as Error).message).toBe(
      'E11000 duplicate key error collection: indexes.kv index: key_unique dup key: { namespace: "n", key: "k" }',
    );
    const indexes = await collection.listIndexes().toArray();
    expect(indexes.map((index) => [index.name, index.unique, index.expireAfterSeconds])).toEqual([
      ['_id_', undefined, undefined],
      ['key_unique', true, undefined],
      ['expiry', undefined, 0],
    ]);
    await expect(
      client.db('indexes').collection('missing').listIndexes().toArray(),
    ).rejects.toMatchObject({ code: 26 });
  });

  it('updates, upserts, findAndModify and deletes as the server does', async () => {
    const client = await authed();
    const collection = client.db('writes').collection('docs');
    await collection.createIndex({ key: 1 }, { unique: true });
    const upserted = await collection.updateOne(
      { key: 'a', level: { $gt: 3 } },
      { $set: { text: 'x' }, $inc: { count: 2 } },
      { upsert: true },
    );
    expect(upserted).toMatchObject({ upsertedCount: 1, matchedCount: 0 });
    expect(await collection.findOne({ key: 'a' }, { projection: { _id: 0 } })).toEqual({
      key: 'a',
      text: 'x',
      count: 2,
    });
    const after = await collection.findOneAndUpdate(
      { key: 'a' },
      { $inc: { count: 1 }, $setOnInsert: { made: true } },
      { upsert: true, returnDocument: 'after', projection: { _id: 0, count: 1 } },
    );
    expect(after).toEqual({ count: 3 });
    const before = await collection.findOneAndUpdate({ key: 'a' }, { $unset: { text: '' } });
    expect(before?.text).toBe('x');
    await expect(
      collection.updateOne({ key: 'a' }, { $inc: { text: 1 }, $set: { text: 'y' } }),
    ).rejects.toMatchObject({ code: 40 });
    await expect(
      collection.findOneAndUpdate(
        { key: 'b', missing: true },
        { $set: { key: 'a' } },
        { upsert: true },
      ),
    ).rejects.toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
    await collection.insertMany([{ key: 'c' }, { key: 'd' }]);
    expect((await collection.deleteMany({ key: { $in: ['c', 'd', 'e'] } })).deletedCount).toBe(2);
    const removed = await collection.findOneAndDelete({ key: 'a' });
    expect(removed?.count).toBe(3);
    expect(await collection.countDocuments({}).catch((error: Error) => error.message)).toMatch(
      /no such command: 'aggregate'/,
    );
  });

  it('deletes expired documents when its TTL monitor runs', async () => {
    const client = await authed();
    const collection = client.db('ttl').collection('kv');
    await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await collection.insertMany([
      { key: 'old', expiresAt: new Date(Date.now() - 1000) },
      { key: 'new', expiresAt: new Date(Date.now() + 60_000) },
      { key: 'forever', expiresAt: null },
    ]);
    expect(peer.sweepExpired()).toBe(1);
    expect((await collection.find({}).toArray()).map((document) => document.key)).toEqual([
      'new',
      'forever',
    ]);
  });
});

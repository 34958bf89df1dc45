import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { equalityFields, matches } from './peer-filter';
import { PeerCollection } from './peer-store';
import { applyUpdate } from './peer-update';
import { compareValues, PeerError } from './peer-values';

const peerError = (action: () => unknown): PeerError => {
  try {
    action();
  } catch (error) {
    if (error instanceof PeerError) return error;
    throw error;
  }
  throw new Error('expected a PeerError');
};

describe('peer filters', () => {
  const user = {
    _id: 'u1',
    name: 'Ann',
    age: 30,
    tags: ['a', 'b'],
    identities: [
      { platform: 'telegram', platformId: '1' },
      { platform: 'discord', platformId: '9' },
    ],
    nested: { deep: { value: 5 } },
    none: null,
  };

  it('equality, dotted paths and arrays', () => {
    expect(matches(user, { name: 'Ann' })).toBe(true);
    expect(matches(user, { name: 'ann' })).toBe(false);
    expect(matches(user, { 'nested.deep.value': 5 })).toBe(true);
    expect(matches(user, { tags: 'b' })).toBe(true);
    expect(matches(user, { tags: ['a', 'b'] })).toBe(true);
    expect(matches(user, { tags: ['b', 'a'] })).toBe(false);
    expect(matches(user, { 'identities.platform': 'discord' })).toBe(true);
    expect(matches(user, { 'identities.platformId': '2' })).toBe(false);
    expect(matches(user, { 'tags.1': 'b' })).toBe(true);
    expect(matches(user, { age: 30.0, name: 'Ann' })).toBe(true);
  });

  it('null matches null and missing fields; $exists tells them apart', () => {
    expect(matches(user, { none: null })).toBe(true);
    expect(matches(user, { missing: null })).toBe(true);
    expect(matches(user, { name: null })).toBe(false);
    expect(matches(user, { none: { $exists: true } })).toBe(true);
    expect(matches(user, { missing: { $exists: false } })).toBe(true);
    expect(matches(user, { 'nested.deep': { $exists: true } })).toBe(true);
  });

  it('comparisons only match values of the same type (type bracketing)', () => {
    expect(matches(user, { age: { $gt: 29, $lte: 30 } })).toBe(true);
    expect(matches(user, { age: { $lt: 30 } })).toBe(false);
    expect(matches(user, { age: { $gt: '1' } })).toBe(false);
    expect(matches(user, { name: { $gte: 'A', $lt: 'B' } })).toBe(true);
    expect(matches({ at: new Date(10) }, { at: { $gt: new Date(5) } })).toBe(true);
    expect(matches({ at: null }, { at: { $lte: new Date(5) } })).toBe(false);
    expect(matches({ value: 'text' }, { value: { $lte: 100 } })).toBe(false);
  });

  it('strings compare by UTF-8 bytes: code point order', () => {
    expect(compareValues('B', 'a')).toBeLessThan(0);
    expect(compareValues('\uff5a', '😀')).toBeLessThan(0);
    expect(compareValues('ключ', 'клюв')).toBeGreaterThan(0);
    expect(compareValues(null, 0)).toBeLessThan(0);
    expect(compareValues(1, 'a')).toBeLessThan(0);
  });

  it('$ne, $in, $nin, $or, $and, $nor, $regex, $not, $size, $elemMatch', () => {
    expect(matches(user, { name: { $ne: 'Bob' } })).toBe(true);
    expect(matches(user, { tags: { $ne: 'a' } })).toBe(false);
    expect(matches(user, { name: { $in: ['Bob', 'Ann'] } })).toBe(true);
    expect(matches(user, { tags: { $nin: ['c'] } })).toBe(true);
    expect(matches(user, { $or: [{ name: 'Bob' }, { age: 30 }] })).toBe(true);
    expect(matches(user, { $and: [{ name: 'Ann' }, { age: 31 }] })).toBe(false);
    expect(matches(user, { $nor: [{ name: 'Bob' }] })).toBe(true);
    expect(matches(user, { name: { $regex: '^a', $options: 'i' } })).toBe(true);
    expect(matches(user, { name: /^B/ })).toBe(false);
    expect(matches(user, { age: { $not: { $gt: 40 } } })).toBe(true);
    expect(matches(user, { tags: { $size: 2 } })).toBe(true);
    expect(
      matches(user, { identities: { $elemMatch: { platform: 'telegram', platformId: '9' } } }),
    ).toBe(false);
    expect(
      matches(user, { identities: { $elemMatch: { platform: 'discord', platformId: '9' } } }),
    ).toBe(true);
  });

  it('unknown operators are BadValue errors', () => {
    expect(peerError(() => matches(user, { age: { $near: 1 } }))).toMatchObject({ code: 2 });
    expect(peerError(() => matches(user, { $where: 'true' }))).toMatchObject({ code: 2 });
  });

  it('an upsert starts from the equality fields only', () => {
    expect(
      equalityFields({
        namespace: 'n',
        key: { $eq: 'k' },
        value: { $lte: 5 },
        $or: [{ expiresAt: null }],
        $and: [{ 'a.b': 1 }],
      }),
    ).toEqual([
      ['namespace', 'n'],
      ['key', 'k'],
      ['a.b', 1],
    ]);
  });
});

describe('peer updates', () => {
  const document = { _id: 1, count: 2, text: 'x', list: [1], nested: { a: 1 } };

  it('$set (dotted, creating parents), $unset, $inc, $min, $max, $push, $addToSet, $pull', () => {
    expect(
      applyUpdate(
        document,
        {
          $set: { 'nested.b': 2, 'fresh.path': true },
          $unset: { text: 1 },
          $inc: { count: 3, other: 1.5 },
          $push: { list: { $each: [2, 2] } },
        },
        false,
      ),
    ).toEqual({
      _id: 1,
      count: 5,
      other: 1.5,
      list: [1, 2, 2],
      nested: { a: 1, b: 2 },
      fresh: { path: true },
    });
    expect(applyUpdate(document, { $addToSet: { list: 1 }, $min: { count: 1 } }, false)).toEqual({
      ...document,
      count: 1,
    });
    expect(applyUpdate({ _id: 1, list: [1, 2, 1] }, { $pull: { list: 1 } }, false).list).toEqual([
      2,
    ]);
    expect(applyUpdate(document, { $max: { count: 1 } }, false).count).toBe(2);
    expect(document.count).toBe(2);
  });

  it('$setOnInsert applies only on insert', () => {
    expect(applyUpdate({ _id: 1 }, { $setOnInsert: { made: 1 } }, false)).toEqual({ _id: 1 });
    expect(applyUpdate({ _id: 1 }, { $setOnInsert: { made: 1 } }, true)).toEqual({
      _id: 1,
      made: 1,
    });
  });

  it('a replacement keeps the _id', () => {
    expect(applyUpdate(document, { text: 'new' }, false)).toEqual({ _id: 1, text: 'new' });
  });

  it('fails as the server does', () => {
    expect(peerError(() => applyUpdate(document, { $inc: { text: 1 } }, false))).toMatchObject({
      code: 14,
      codeName: 'TypeMismatch',
    });
    expect(
      peerError(() => applyUpdate(document, { $set: { count: 1 }, $inc: { count: 1 } }, false)),
    ).toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
    expect(
      peerError(() => applyUpdate(document, { $set: { nested: 1, 'nested.a': 2 } }, false)),
    ).toMatchObject({ code: 40 });
    expect(peerError(() => applyUpdate(document, { $set: { _id: 2 } }, false))).toMatchObject({
      code: 66,
      codeName: 'ImmutableField',
    });
    expect(peerError(() => applyUpdate(document, { $rename: { a: 'b' } }, false))).toMatchObject({
      code: 9,
    });
    expect(
      peerError(() => applyUpdate({ _id: 1, list: [{ a: 1 }] }, { $set: { 'list.$.a': 2 } }, false))
        .message,
    ).toContain('does not implement positional operators');
    expect(peerError(() => applyUpdate(document, { $set: { 'text.x': 1 } }, false))).toMatchObject({
      code: 28,
      codeName: 'PathNotViable',
    });
  });
});

describe('peer unique indexes', () => {
  it('a missing field indexes as null and each array element as a key', () => {
    const collection = new PeerCollection('db', 'users');
    collection.createIndex({
      v: 2,
      key: { identityKeys: 1 },
      name: 'identity_unique',
      unique: true,
    });
    collection.insert({ _id: 'a', identityKeys: ['t1', 't2'] });
    collection.insert({ _id: 'b', identityKeys: ['t3'] });
    const duplicate = peerError(() => collection.insert({ _id: 'c', identityKeys: ['t9', 't2'] }));
    expect(duplicate).toMatchObject({
      code: 11000,
      message:
        'E11000 duplicate key error collection: db.users index: identity_unique dup key: { identityKeys: "t2" }',
      extra: { keyPattern: { identityKeys: 1 }, keyValue: { identityKeys: 't2' } },
    });
    collection.insert({ _id: 'd' });
    expect(peerError(() => collection.insert({ _id: 'e' }))).toMatchObject({ code: 11000 });
    expect(peerError(() => collection.insert({ _id: 'a' })).message).toContain('index: _id_');
    expect(collection.documents.map((document) => document._id)).toEqual(['a', 'b', 'd']);
  });

  it('a unique index is refused over duplicates; an ObjectId _id is added when missing', () => {
    const collection = new PeerCollection('db', 'kv');
    const first = collection.insert({ key: 'a' });
    collection.insert({ key: 'a' });
    expect(first._id).toBeInstanceOf(ObjectId);
    expect(
      peerError(() => collection.createIndex({ v: 2, key: { key: 1 }, name: 'k', unique: true })),
    ).toMatchObject({ code: 11000 });
    expect(collection.indexes.map((index) => index.name)).toEqual(['_id_']);
  });

  it('the TTL monitor deletes documents past expireAfterSeconds', () => {
    const collection = new PeerCollection('db', 'kv');
    collection.createIndex({ v: 2, key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 });
    collection.insert({ _id: 1, expiresAt: new Date(1000) });
    collection.insert({ _id: 2, expiresAt: new Date(5000) });
    collection.insert({ _id: 3, expiresAt: null });
    expect(collection.sweepExpired(2000)).toBe(1);
    expect(collection.documents.map((document) => document._id)).toEqual([2, 3]);
  });
});

describe('peer document size', () => {
  it('refuses a document over 16 MiB as the server does', () => {
    const collection = new PeerCollection('db', 'big');
    expect(
      peerError(() => collection.insert({ _id: 1, text: 'x'.repeat(17 * 1024 * 1024) })),
    ).toMatchObject({ code: 10334, codeName: 'BSONObjectTooLarge' });
    expect(collection.documents).toHaveLength(0);
  });
});

describe('peer index buckets', () => {
  it('finds by equality on indexed fields exactly what a scan finds, in insertion order', () => {
    const collection = new PeerCollection('db', 'kv');
    collection.createIndex({ v: 2, key: { namespace: 1, key: 1 }, name: 'ns_key', unique: true });
    collection.createIndex({ v: 2, key: { tags: 1 }, name: 'tags' });
    const docs = [
      { _id: 1, namespace: 'a', key: 'x', tags: ['red', 'blue'], n: 1 },
      { _id: 2, namespace: 'a', key: 'y', tags: 'red', n: 2 },
      { _id: 3, namespace: 'b', key: 'x', tags: [], n: 3 },
      { _id: 4, namespace: 'a', key: 'z', tags: ['blue'], n: 4 },
    ];
    for (const doc of docs) collection.insert(doc);
    const ids = (filter: Record<string, unknown>) =>
      collection
        .candidates(filter)
        .filter((doc) => matches(doc, filter))
        .map((doc) => doc._id);
    const scan = (filter: Record<string, unknown>) =>
      collection.documents.filter((doc) => matches(doc, filter)).map((doc) => doc._id);
    for (const filter of [
      { namespace: 'a', key: 'x' },
      { namespace: 'a', key: 'q' },
      { tags: 'red' },
      { tags: 'blue', n: { $gt: 1 } },
      { _id: 3 },
      { _id: 3.0 },
      { namespace: 'a' },
    ])
      expect(ids(filter), JSON.stringify(filter)).toEqual(scan(filter));
    expect(collection.candidates({ tags: 'red' }).map((doc) => doc._id)).toEqual([1, 2]);
    // A replaced document moves to the bucket of its new key and keeps its place.
    collection.replace(collection.documents[0]!, { ...docs[0]!, key: 'w', tags: 'green' });
    expect(ids({ namespace: 'a', key: 'x' })).toEqual([]);
    expect(ids({ tags: 'red' })).toEqual([2]);
    expect(ids({ namespace: 'a', key: 'w' })).toEqual([1]);
    collection.remove(collection.documents[1]!);
    expect(ids({ tags: 'red' })).toEqual([]);
    // The unique index still refuses a second document with the same key.
    expect(peerError(() => collection.insert({ _id: 9, namespace: 'a', key: 'w' })).code).toBe(
      11000,
    );
    // An index made over documents that clash is refused.
    expect(
      peerError(() =>
        collection.createIndex({ v: 2, key: { namespace: 1 }, name: 'ns', unique: true }),
      ).code,
    ).toBe(11000);
  });
});

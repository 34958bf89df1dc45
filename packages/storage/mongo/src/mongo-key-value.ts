import { BotwireError, type KeyValueStore, type SetOptions, storageChecks } from '@botwire/core';
import { type MongoConnection, retryOnDuplicate } from './mongo-connection';
import { isDuplicateKey } from './mongo-errors';
import type { ValueDocument } from './mongo-models';

const { checkCount, checkKey, checkTtlMs, encodeJson, prefixEnd } = storageChecks;
const { incremented, invalidArgument } = storageChecks;

/** How often an increment tries again after losing a race to a concurrent insert. */
const incrementAttempts = 10;

/** A value as stored: a number as a BSON number (so `$inc` works), anything else as JSON text. */
function encodeValue(value: unknown, key: string): number | string {
  const json = encodeJson(value, `The value of ${key}`);
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'number' ? parsed : json;
}

const decodeValue = <T>(stored: number | string): T =>
  (typeof stored === 'number' ? stored : JSON.parse(stored)) as T;

const expiryOf = (options: SetOptions | undefined, now: number): Date | null => {
  const ttlMs = checkTtlMs(options);
  return ttlMs === undefined ? null : new Date(Math.ceil(now + ttlMs));
};

const isLive = (document: Pick<ValueDocument, 'expiresAt'>, now: number) =>
  document.expiresAt == null || new Date(document.expiresAt).getTime() > now;

/** A filter for values that have not expired at `now` (no expiry, or one still ahead). */
const liveFilter = (now: number) => ({
  $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date(now) } }],
});

/**
 * The key-value store of the MongoDB storage, on the `kv` collection (unique on namespace and
 * key, TTL index on `expiresAt`). Expired values read as absent at once; the TTL index only
 * reclaims their space later.
 */
export function mongoKeyValueStore(connection: MongoConnection): KeyValueStore {
  return {
    get<T = unknown>(namespace: string, key: string) {
      return connection.run('kv.get', async ({ kv }) => {
        checkKey(namespace, key);
        const document = await kv.findOne({ namespace, key }).lean<ValueDocument>();
        if (!document) return undefined;
        const now = Date.now();
        if (!isLive(document, now)) {
          await kv.deleteOne({ namespace, key, expiresAt: { $lte: new Date(now) } });
          return undefined;
        }
        return decodeValue<T>(document.value);
      });
    },

    set(namespace: string, key: string, value: unknown, options?: SetOptions) {
      return connection.run('kv.set', async ({ kv }) => {
        checkKey(namespace, key);
        const stored = encodeValue(value, key);
        const expiresAt = expiryOf(options, Date.now());
        await retryOnDuplicate(() =>
          kv.updateOne(
            { namespace, key },
            { $set: { value: stored, expiresAt } },
            { upsert: true },
          ),
        );
      });
    },

    add(namespace: string, key: string, value: unknown, options?: SetOptions) {
      return connection.run('kv.add', async ({ kv }) => {
        checkKey(namespace, key);
        const stored = encodeValue(value, key);
        const now = Date.now();
        const expiresAt = expiryOf(options, now);
        // Replaces an expired value, or inserts; a live value makes the insert fail on the
        // unique index, atomically, also against other processes.
        try {
          await kv.updateOne(
            { namespace, key, expiresAt: { $lte: new Date(now) } },
            { $set: { value: stored, expiresAt } },
            { upsert: true },
          );
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      });
    },

    increment(namespace: string, key: string, by = 1, options?: SetOptions) {
      return connection.run('kv.increment', async ({ kv }) => {
        checkKey(namespace, key);
        storageChecks.checkIncrement(by);
        checkTtlMs(options);
        // Only a live number whose sum stays finite matches; then one findOneAndUpdate adds
        // `by` and keeps the expiry. Anything else makes the upsert insert, which fails on the
        // unique index when a document exists: it is then looked at to say why.
        const inRange =
          by >= 0 ? { $lte: Number.MAX_VALUE - by } : { $gte: -Number.MAX_VALUE - by };
        for (let attempt = 0; attempt < incrementAttempts; attempt++) {
          const now = Date.now();
          try {
            const document = await kv
              .findOneAndUpdate(
                { namespace, key, value: inRange, ...liveFilter(now) },
                { $inc: { value: by }, $setOnInsert: { expiresAt: expiryOf(options, now) } },
                { upsert: true, returnDocument: 'after' },
              )
              .lean<ValueDocument>();
            return document!.value as number;
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
          }
          const current = await kv.findOne({ namespace, key }).lean<ValueDocument>();
          if (!current) continue;
          if (!isLive(current, now)) {
            await kv.deleteOne({ _id: current._id, expiresAt: { $lte: new Date(now) } });
            continue;
          }
          // Throws BOTWIRE_INVALID_ARGUMENT for a value that is not a number or a sum that is
          // not finite; otherwise another process changed the value in between: try again.
          incremented(decodeValue(current.value), by, key);
        }
        throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
          message: `The value of ${key} changed under ${incrementAttempts} increments in a row; try again.`,
        });
      });
    },

    delete(namespace: string, key: string) {
      return connection.run('kv.delete', async ({ kv }) => {
        checkKey(namespace, key);
        const document = await kv.findOneAndDelete({ namespace, key }).lean<ValueDocument>();
        return document !== null && isLive(document, Date.now());
      });
    },

    list<T = unknown>(namespace: string, options: { prefix?: string; limit?: number } = {}) {
      return connection.run('kv.list', async ({ kv }) => {
        storageChecks.checkString(namespace, 'namespace');
        checkCount(options.limit, 'limit');
        const prefix = options.prefix ?? '';
        if (typeof prefix !== 'string') throw invalidArgument('prefix must be a string.');
        // MongoDB reads limit 0 as no limit.
        if (options.limit === 0) return [];
        const end = prefixEnd(prefix);
        const query = kv
          .find({
            namespace,
            key: end === undefined ? { $gte: prefix } : { $gte: prefix, $lt: end },
            ...liveFilter(Date.now()),
          })
          .sort({ key: 1 });
        if (options.limit !== undefined) query.limit(options.limit);
        const documents = await query.lean<ValueDocument[]>();
        return documents.map((document) => ({
          key: document.key,
          value: decodeValue<T>(document.value),
        }));
      });
    },
  };
}

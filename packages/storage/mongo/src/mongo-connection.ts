import { BotwireError, isBotwireError } from '@botwire/core';
import type { Connection, Mongoose } from 'mongoose';
import { databaseOf, isDuplicateKey, safeMongoUrl, storageFailure } from './mongo-errors';
import { createIndexes, defineModels, type MongoModels } from './mongo-models';

/** What {@link mongoConnection} needs of the driver's options. */
export interface MongoConnectionOptions {
  url: string | undefined;
  database: string | undefined;
  serverSelectionTimeoutMs: number;
  mongoose: Mongoose | undefined;
}

/** The connection of a MongoDB storage, and how its stores run their work through it. */
export interface MongoConnection {
  /** Connects, defines the models and creates the indexes. Safe to call twice. */
  open(): Promise<void>;
  /** Disconnects; later calls to `run` fail with BOTWIRE_STORAGE_CLOSED. */
  close(): Promise<void>;
  /**
   * Runs work on the open connection's models: BOTWIRE_STORAGE_CLOSED when not open, driver
   * errors as BOTWIRE_STORAGE_FAILED (BotwireErrors pass through).
   */
  run<T>(action: string, work: (models: MongoModels) => Promise<T>): Promise<T>;
  /** Sends `ping` to the server; resolves with the round trip in ms. */
  ping(): Promise<number>;
}

/** Runs `work` again when it fails with a duplicate key (a concurrent upsert won the race). */
export async function retryOnDuplicate<T>(work: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= attempts) throw error;
    }
  }
}

async function loadMongoose(): Promise<Mongoose> {
  try {
    return (await import('mongoose')).default;
  } catch (error) {
    throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
      message: 'The package mongoose could not be loaded.',
      hint: 'Install it: pnpm add mongoose',
      cause: error,
    });
  }
}

/** The connection behind {@link mongoStorage}: opened once, closed once, reopenable. */
export function mongoConnection(options: MongoConnectionOptions): MongoConnection {
  let state: 'new' | 'open' | 'closed' = 'new';
  let opening: Promise<void> | undefined;
  let connection: Connection | undefined;
  let models: MongoModels | undefined;
  const url = options.url ?? '';
  const failure = (error: unknown, action: string) =>
    storageFailure(error, {
      url,
      action,
      serverSelectionTimeoutMs: options.serverSelectionTimeoutMs,
    });

  const closedError = () =>
    new BotwireError('BOTWIRE_STORAGE_CLOSED', {
      message:
        state === 'closed'
          ? 'The MongoDB storage was used after close().'
          : 'The MongoDB storage is not open. Call open() before using it.',
    });

  const connect = async (): Promise<void> => {
    if (!options.url) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: 'The MongoDB storage has no URL: set MONGODB_URL or pass mongoStorage({ url }).',
        hint: 'For example MONGODB_URL=mongodb://user:password@localhost:27017/botwire',
      });
    }
    if (!/^mongodb(\+srv)?:\/\//.test(options.url)) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The MongoDB URL must start with mongodb:// or mongodb+srv:// (got "${safeMongoUrl(options.url)}").`,
      });
    }
    const mongoose = options.mongoose ?? (await loadMongoose());
    const opened = mongoose.createConnection(options.url, {
      dbName: options.database ?? databaseOf(options.url) ?? 'botwire',
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs,
      autoIndex: false,
      autoCreate: false,
      bufferCommands: false,
    });
    try {
      await opened.asPromise();
      const defined = defineModels(mongoose, opened);
      await createIndexes(defined);
      connection = opened;
      models = defined;
      state = 'open';
    } catch (error) {
      await opened.close(true).catch(() => undefined);
      throw failure(error, 'connect');
    }
  };

  return {
    open() {
      if (state === 'open') return Promise.resolve();
      opening ??= connect().finally(() => {
        opening = undefined;
      });
      return opening;
    },

    async close() {
      if (opening) await opening.catch(() => undefined);
      const current = connection;
      connection = undefined;
      models = undefined;
      if (state === 'open') state = 'closed';
      await current?.close(true);
    },

    async run(action, work) {
      const current = models;
      if (state !== 'open' || !current) throw closedError();
      try {
        return await work(current);
      } catch (error) {
        if (isBotwireError(error)) throw error;
        if (state !== 'open') throw closedError();
        throw failure(error, action);
      }
    },

    async ping() {
      const current = connection;
      if (state !== 'open' || !current?.db) throw closedError();
      const started = performance.now();
      try {
        await current.db.command({ ping: 1 });
      } catch (error) {
        throw failure(error, 'ping');
      }
      return performance.now() - started;
    },
  };
}

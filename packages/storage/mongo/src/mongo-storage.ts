import {
  type Identity,
  type NewMessage,
  newId,
  type Role,
  type StorageDriver,
  storageChecks,
  type UserPatch,
  type UserProfile,
} from '@botwire/core';
import type { Mongoose } from 'mongoose';
import { mongoConnection, retryOnDuplicate } from './mongo-connection';
import { isDuplicateKey } from './mongo-errors';
import { mongoKeyValueStore } from './mongo-key-value';
import {
  type ChatDocument,
  identityKey,
  type MessageDocument,
  profileChanged,
  toChat,
  toMessage,
  toUser,
  type UserDocument,
} from './mongo-models';

const {
  checkChatInfo,
  checkCount,
  checkIdentity,
  checkMessageFields,
  checkProfile,
  checkUserPatch,
  encodeJson,
  invalidArgument,
} = storageChecks;

/** Options for {@link mongoStorage}. */
export interface MongoStorageOptions {
  /**
   * The connection string, such as `mongodb://user:password@db:27017/botwire` (default: env
   * `MONGODB_URL`). The password is never logged nor put in errors.
   */
  url?: string;
  /** The database (default: the URL's path, else `botwire`). */
  database?: string;
  /** How long to wait for a reachable server before an operation fails, in ms (default 5000). */
  serverSelectionTimeoutMs?: number;
  /** The mongoose module's default export; loaded with `import('mongoose')` when omitted. */
  mongoose?: Mongoose;
}

/** A MongoDB storage driver: the storage port plus a `ping` for readiness checks. */
export interface MongoStorageDriver extends StorageDriver {
  readonly name: 'mongo';
  /** Sends `ping` to the server; resolves with the round trip in ms, or fails as operations do. */
  ping(): Promise<number>;
}

type ProfileFields = Partial<Record<'name' | 'username' | 'locale', string>>;

const profileFields = (profile: UserProfile): ProfileFields => {
  const fields: ProfileFields = {};
  for (const field of ['name', 'username', 'locale'] as const) {
    const value = profile[field];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
};

/**
 * A storage driver on MongoDB through mongoose, for bots that run in several processes: users,
 * chats, message history (ids from a `counters` document, `$inc`), and a key-value store with
 * expiry, atomic `add` and `increment`. Collections `users`, `chats`, `messages`, `kv` and
 * `counters`; `open()` connects and creates their indexes. Failures of the server are
 * BOTWIRE_STORAGE_FAILED, with the URL but never the password.
 *
 * @example
 * // botwire.config.ts, with MONGODB_URL=mongodb://bot:secret@db:27017/botwire
 * export default defineConfig({ storage: mongoStorage() });
 */
export function mongoStorage(options: MongoStorageOptions = {}): MongoStorageDriver {
  const serverSelectionTimeoutMs = options.serverSelectionTimeoutMs ?? 5000;
  if (!Number.isFinite(serverSelectionTimeoutMs) || serverSelectionTimeoutMs <= 0) {
    throw invalidArgument(
      `serverSelectionTimeoutMs must be a positive number (got ${String(serverSelectionTimeoutMs)}).`,
    );
  }
  if (options.database !== undefined) storageChecks.checkString(options.database, 'database');
  const connection = mongoConnection({
    url: options.url ?? (process.env.MONGODB_URL || undefined),
    database: options.database,
    serverSelectionTimeoutMs,
    mongoose: options.mongoose,
  });
  const { run } = connection;

  return {
    name: 'mongo',
    // Several bot processes share one database: the bot keeps each chat in order with a lease.
    processLocal: false,

    open: () => connection.open(),
    close: () => connection.close(),
    ping: () => connection.ping(),

    users: {
      resolve(identity: Identity, profile: UserProfile = {}) {
        return run('users.resolve', async ({ users }) => {
          const checked = checkIdentity(identity);
          checkProfile(profile);
          const key = identityKey(checked);
          const existing = await users.findOne({ identityKeys: key }).lean<UserDocument>();
          if (existing && !profileChanged(existing, profile)) return toUser(existing);
          const document = await retryOnDuplicate(() => {
            const now = new Date();
            return users
              .findOneAndUpdate(
                { identityKeys: key },
                {
                  $set: { ...profileFields(profile), updatedAt: now },
                  $setOnInsert: {
                    _id: newId('usr'),
                    identities: [checked],
                    identityKeys: [key],
                    data: '{}',
                    createdAt: now,
                  },
                },
                { upsert: true, returnDocument: 'after' },
              )
              .lean<UserDocument>();
          });
          return toUser(document!);
        });
      },

      get(id: string) {
        return run('users.get', async ({ users }) => {
          const document = await users.findById(id).lean<UserDocument>();
          return document ? toUser(document) : undefined;
        });
      },

      findByIdentity(identity: Identity) {
        return run('users.findByIdentity', async ({ users }) => {
          const key = identityKey(checkIdentity(identity));
          const document = await users.findOne({ identityKeys: key }).lean<UserDocument>();
          return document ? toUser(document) : undefined;
        });
      },

      update(id: string, patch: UserPatch) {
        return run('users.update', async ({ users }) => {
          checkUserPatch(patch);
          const set: Record<string, unknown> = { ...profileFields(patch), updatedAt: new Date() };
          if (patch.role) set.role = patch.role;
          if (patch.data !== undefined) set.data = encodeJson(patch.data, 'data');
          const document = await users
            .findOneAndUpdate(
              { _id: id },
              { $set: set, ...(patch.role === null ? { $unset: { role: 1 } } : {}) },
              { returnDocument: 'after', runValidators: true },
            )
            .lean<UserDocument>();
          if (!document) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
          return toUser(document);
        });
      },

      link(id: string, identity: Identity) {
        return run('users.link', async ({ users }) => {
          const checked = checkIdentity(identity);
          const key = identityKey(checked);
          const belongsToOther = () =>
            invalidArgument(
              `The identity ${checked.platform}:${checked.platformId} belongs to another user.`,
            );
          const user = await users.findById(id).lean<UserDocument>();
          if (!user) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
          if (user.identityKeys.includes(key)) return toUser(user);
          let document: UserDocument | null;
          try {
            document = await users
              .findOneAndUpdate(
                { _id: id, identityKeys: { $ne: key } },
                {
                  $push: { identities: checked, identityKeys: key },
                  $set: { updatedAt: new Date() },
                },
                { returnDocument: 'after' },
              )
              .lean<UserDocument>();
          } catch (error) {
            if (isDuplicateKey(error)) throw belongsToOther();
            throw error;
          }
          // Null when a concurrent link added the same identity first.
          document ??= await users.findById(id).lean<UserDocument>();
          if (!document) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
          return toUser(document);
        });
      },

      list(listOptions: { role?: Role; limit?: number; offset?: number } = {}) {
        return run('users.list', async ({ users }) => {
          checkCount(listOptions.limit, 'limit');
          checkCount(listOptions.offset, 'offset');
          // MongoDB reads limit 0 as no limit.
          if (listOptions.limit === 0) return [];
          const query = users
            .find(listOptions.role === undefined ? {} : { role: listOptions.role })
            .sort({ createdAt: 1, _id: 1 })
            .skip(listOptions.offset ?? 0);
          if (listOptions.limit !== undefined) query.limit(listOptions.limit);
          return (await query.lean<UserDocument[]>()).map(toUser);
        });
      },
    },

    chats: {
      resolve(identity: Identity, info: { type: 'private' | 'group'; title?: string }) {
        return run('chats.resolve', async ({ chats }) => {
          const checked = checkIdentity(identity);
          checkChatInfo(info);
          const key = identityKey(checked);
          const existing = await chats.findOne({ identityKey: key }).lean<ChatDocument>();
          if (
            existing &&
            existing.type === info.type &&
            (info.title === undefined || info.title === existing.title)
          ) {
            return toChat(existing);
          }
          const document = await retryOnDuplicate(() =>
            chats
              .findOneAndUpdate(
                { identityKey: key },
                {
                  $set: {
                    type: info.type,
                    ...(info.title === undefined ? {} : { title: info.title }),
                  },
                  $setOnInsert: {
                    _id: newId('cht'),
                    platform: checked.platform,
                    platformId: checked.platformId,
                    createdAt: new Date(),
                  },
                },
                { upsert: true, returnDocument: 'after' },
              )
              .lean<ChatDocument>(),
          );
          return toChat(document!);
        });
      },

      get(id: string) {
        return run('chats.get', async ({ chats }) => {
          const document = await chats.findById(id).lean<ChatDocument>();
          return document ? toChat(document) : undefined;
        });
      },
    },

    messages: {
      append(message: NewMessage) {
        return run('messages.append', async ({ chats, counters, messages, users }) => {
          storageChecks.checkObject(message, 'A message');
          storageChecks.checkString(message.chatId, 'chatId');
          if (message.userId !== undefined) storageChecks.checkString(message.userId, 'userId');
          checkMessageFields(message);
          const meta = message.meta === undefined ? undefined : encodeJson(message.meta, 'meta');
          const [chat, user] = await Promise.all([
            chats.exists({ _id: message.chatId }),
            message.userId === undefined ? true : users.exists({ _id: message.userId }),
          ]);
          if (!chat) throw invalidArgument(`No chat with id ${JSON.stringify(message.chatId)}.`);
          if (!user) throw invalidArgument(`No user with id ${JSON.stringify(message.userId)}.`);
          const counter = await retryOnDuplicate(() =>
            counters
              .findOneAndUpdate(
                { _id: 'messages' },
                { $inc: { seq: 1 } },
                { upsert: true, returnDocument: 'after' },
              )
              .lean(),
          );
          const document: MessageDocument = {
            _id: counter!.seq,
            chatId: message.chatId,
            ...(message.userId === undefined ? {} : { userId: message.userId }),
            direction: message.direction,
            text: message.text,
            ...(message.platformMessageId === undefined
              ? {}
              : { platformMessageId: message.platformMessageId }),
            ...(meta === undefined ? {} : { meta }),
            at: new Date(message.at ? message.at.getTime() : Date.now()),
          };
          await messages.create(document);
          return toMessage(document);
        });
      },

      list(chatId: string, listOptions: { limit?: number; beforeId?: number } = {}) {
        return run('messages.list', async ({ messages }) => {
          checkCount(listOptions.limit, 'limit');
          const beforeId = listOptions.beforeId ?? Number.MAX_SAFE_INTEGER;
          if (typeof beforeId !== 'number' || Number.isNaN(beforeId))
            throw invalidArgument('beforeId must be a number.');
          const limit = listOptions.limit ?? 50;
          if (limit === 0) return [];
          const documents = await messages
            .find({ chatId, _id: { $lt: beforeId } })
            .sort({ _id: -1 })
            .limit(limit)
            .lean<MessageDocument[]>();
          return documents.reverse().map(toMessage);
        });
      },
    },

    kv: mongoKeyValueStore(connection),
  };
}

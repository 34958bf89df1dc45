import type BetterSqlite3 from 'better-sqlite3';
import type {
  ChatRecord,
  Identity,
  NewMessage,
  Role,
  SetOptions,
  StorageDriver,
  UserPatch,
  UserProfile,
  UserRecord,
} from '../../ports/storage';
import {
  checkChatInfo,
  checkCount,
  checkIdentity,
  checkIncrement,
  checkKey,
  checkMessageFields,
  checkObject,
  checkProfile,
  checkString,
  checkTtlMs,
  checkUserPatch,
  encodeJson,
  incremented,
  invalidArgument,
  prefixEnd,
} from '../check-storage-arguments';
import { newId } from '../ids';
import { sqliteConnection } from './sqlite-connection';
import {
  type ChatRow,
  type MessageRow,
  profileChanged,
  storedUser,
  toChat,
  toMessage,
  toUser,
} from './sqlite-rows';
import type { SqliteStatements } from './sqlite-statements';

/** Options for {@link sqliteStorage}. */
export interface SqliteStorageOptions {
  /** The database file, such as `data/bot.db`; missing parent directories are created. */
  path: string;
  /**
   * `normal` (default): a write whose promise resolved survives a crash or kill of the process;
   * a power loss or OS crash may take back the writes since the last checkpoint (the file
   * stays consistent). `full` makes every commit reach the disk before its promise resolves,
   * surviving power loss too, at one fsync per group commit. See docs/decisions/0008-sqlite-synchronous.md.
   */
  synchronous?: 'full' | 'normal';
  /** The better-sqlite3 constructor; loaded with `import('better-sqlite3')` when omitted. */
  Database?: typeof BetterSqlite3;
}

const noLimit = -1;

type Database = BetterSqlite3.Database;

function expiryOf(options: SetOptions | undefined, now: number): number | null {
  const ttlMs = checkTtlMs(options);
  return ttlMs === undefined ? null : Math.ceil(now + ttlMs);
}

/**
 * A storage driver on a SQLite file (better-sqlite3, WAL journal): the default for one bot on
 * one machine. Survives crashes of the process; several processes may share the file.
 *
 * @example
 * const storage = sqliteStorage({ path: 'data/bot.db' });
 * await storage.open();
 */
export function sqliteStorage(options: SqliteStorageOptions): StorageDriver {
  checkString(options?.path, 'The sqlite storage path');
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw invalidArgument(
      `synchronous must be "full" or "normal"; got ${JSON.stringify(synchronous)}.`,
    );
  }
  const connection = sqliteConnection(options, synchronous);
  const { use, write, sweep } = connection;

  const resolveUser = (
    s: SqliteStatements,
    database: Database,
    identity: Identity,
    profile: UserProfile,
  ) =>
    database
      .transaction((): UserRecord => {
        const now = Date.now();
        const row = s.userByIdentity.get(identity);
        if (row) {
          s.updateUser.run({
            ...storedUser(row),
            name: profile.name ?? row.name,
            username: profile.username ?? row.username,
            locale: profile.locale ?? row.locale,
            updated_at: now,
          });
        } else {
          const id = newId('usr');
          s.insertUser.run({
            id,
            name: profile.name ?? null,
            username: profile.username ?? null,
            locale: profile.locale ?? null,
            role: null,
            data: '{}',
            updated_at: now,
          });
          s.insertIdentity.run({ ...identity, userId: id });
        }
        return toUser(s.userByIdentity.get(identity)!);
      })
      .immediate();

  return {
    name: 'sqlite',

    open() {
      return connection.open();
    },

    close() {
      return connection.close();
    },

    flush() {
      connection.flush();
    },

    async ping() {
      const started = performance.now();
      await use('kv', (_s, database) => database.prepare('SELECT 1').get());
      return performance.now() - started;
    },

    users: {
      resolve(identity: Identity, profile: UserProfile = {}) {
        return use('users', (s, database) => {
          const checked = checkIdentity(identity);
          checkProfile(profile);
          const row = s.userByIdentity.get(checked);
          if (row && !profileChanged(row, profile)) return toUser(row);
          return resolveUser(s, database, checked, profile);
        });
      },

      get(id: string) {
        return use('users', (s) => {
          const row = s.userById.get({ id });
          return row && toUser(row);
        });
      },

      findByIdentity(identity: Identity) {
        return use('users', (s) => {
          const row = s.userByIdentity.get(checkIdentity(identity));
          return row && toUser(row);
        });
      },

      update(id: string, patch: UserPatch) {
        return write('users', (s, database) => {
          checkUserPatch(patch);
          const data = patch.data === undefined ? undefined : encodeJson(patch.data, 'data');
          return database
            .transaction((): UserRecord => {
              const row = s.userById.get({ id });
              if (!row) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
              s.updateUser.run({
                ...storedUser(row),
                name: patch.name ?? row.name,
                username: patch.username ?? row.username,
                locale: patch.locale ?? row.locale,
                role: patch.role === undefined ? row.role : patch.role,
                data: data ?? row.data,
                updated_at: Date.now(),
              });
              return toUser(s.userById.get({ id })!);
            })
            .immediate();
        });
      },

      link(id: string, identity: Identity) {
        return write('users', (s, database) => {
          const checked = checkIdentity(identity);
          return database
            .transaction((): UserRecord => {
              const row = s.userById.get({ id });
              if (!row) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
              const owner = s.identityOwner.get(checked);
              if (owner === id) return toUser(row);
              if (owner !== undefined) {
                throw invalidArgument(
                  `The identity ${checked.platform}:${checked.platformId} belongs to another user.`,
                );
              }
              s.insertIdentity.run({ ...checked, userId: id });
              s.updateUser.run({ ...storedUser(row), updated_at: Date.now() });
              return toUser(s.userById.get({ id })!);
            })
            .immediate();
        });
      },

      list(listOptions: { role?: Role; limit?: number; offset?: number } = {}) {
        return use('users', (s) => {
          checkCount(listOptions.limit, 'limit');
          checkCount(listOptions.offset, 'offset');
          return s.listUsers
            .all({
              role: listOptions.role ?? null,
              limit: listOptions.limit ?? noLimit,
              offset: listOptions.offset ?? 0,
            })
            .map(toUser);
        });
      },
    },

    chats: {
      resolve(identity: Identity, info: { type: 'private' | 'group'; title?: string }) {
        return use('chats', (s, database) => {
          const checked = checkIdentity(identity);
          checkChatInfo(info);
          const current = s.chatByIdentity.get(checked);
          const unchanged = (row: ChatRow) =>
            row.type === info.type && (info.title === undefined || info.title === row.title);
          if (current && unchanged(current)) return toChat(current);
          return database
            .transaction((): ChatRecord => {
              const row = s.chatByIdentity.get(checked);
              if (row) {
                if (!unchanged(row))
                  s.updateChat.run({ id: row.id, type: info.type, title: info.title ?? row.title });
              } else {
                s.insertChat.run({
                  ...checked,
                  id: newId('cht'),
                  type: info.type,
                  title: info.title ?? null,
                  created_at: Date.now(),
                });
              }
              return toChat(s.chatByIdentity.get(checked)!);
            })
            .immediate();
        });
      },

      get(id: string) {
        return use('chats', (s) => {
          const row = s.chatById.get({ id });
          return row && toChat(row);
        });
      },
    },

    messages: {
      append(message: NewMessage) {
        return write('messages', (s) => {
          checkObject(message, 'A message');
          checkString(message.chatId, 'chatId');
          if (message.userId !== undefined) checkString(message.userId, 'userId');
          checkMessageFields(message);
          const row: Omit<MessageRow, 'id'> = {
            chat_id: message.chatId,
            user_id: message.userId ?? null,
            direction: message.direction,
            text: message.text,
            platform_message_id: message.platformMessageId ?? null,
            meta: message.meta === undefined ? null : encodeJson(message.meta, 'meta'),
            at: message.at ? message.at.getTime() : Date.now(),
          };
          const result = s.insertMessage.run(row);
          return toMessage({ ...row, id: Number(result.lastInsertRowid) });
        });
      },

      list(chatId: string, listOptions: { limit?: number; beforeId?: number } = {}) {
        return use('messages', (s) => {
          checkCount(listOptions.limit, 'limit');
          const beforeId = listOptions.beforeId ?? Number.MAX_SAFE_INTEGER;
          if (typeof beforeId !== 'number' || Number.isNaN(beforeId))
            throw invalidArgument('beforeId must be a number.');
          return s.listMessages
            .all({ chatId, beforeId, limit: listOptions.limit ?? 50 })
            .map(toMessage);
        });
      },
    },

    kv: {
      get<T = unknown>(namespace: string, key: string) {
        return use('kv', (s) => {
          checkKey(namespace, key);
          const row = s.kvGet.get({ namespace, key });
          if (!row) return undefined;
          const now = Date.now();
          if (row.expires_at !== null && row.expires_at <= now) {
            s.kvDeleteIfExpired.run({ namespace, key, now });
            return undefined;
          }
          return JSON.parse(row.value) as T;
        });
      },

      set(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        return write('kv', (s) => {
          checkKey(namespace, key);
          const now = Date.now();
          const json = encodeJson(value, `The value of ${key}`);
          s.kvSet.run({ namespace, key, value: json, expires_at: expiryOf(setOptions, now) });
          sweep(s, now);
        });
      },

      add(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        return write('kv', (s) => {
          checkKey(namespace, key);
          const now = Date.now();
          const json = encodeJson(value, `The value of ${key}`);
          const result = s.kvAdd.run({
            namespace,
            key,
            value: json,
            expires_at: expiryOf(setOptions, now),
            now,
          });
          sweep(s, now);
          return result.changes > 0;
        });
      },

      increment(namespace: string, key: string, by = 1, setOptions?: SetOptions) {
        return write('kv', (s) => {
          checkKey(namespace, key);
          checkIncrement(by);
          checkTtlMs(setOptions);
          // A write runs inside the group's immediate transaction, which holds the write lock
          // from the read to the write: increments from other connections to the file wait
          // instead of being lost.
          const now = Date.now();
          const row = s.kvGet.get({ namespace, key });
          const live = row && (row.expires_at === null || row.expires_at > now);
          const value = live ? incremented(JSON.parse(row.value), by, key) : by;
          const expires_at = live ? row.expires_at : expiryOf(setOptions, now);
          s.kvSet.run({ namespace, key, value: JSON.stringify(value), expires_at });
          sweep(s, Date.now());
          return value;
        });
      },

      delete(namespace: string, key: string) {
        return write('kv', (s) => {
          checkKey(namespace, key);
          const row = s.kvDelete.get({ namespace, key });
          return row !== undefined && (row.expires_at === null || row.expires_at > Date.now());
        });
      },

      list<T = unknown>(namespace: string, listOptions: { prefix?: string; limit?: number } = {}) {
        return use('kv', (s) => {
          checkString(namespace, 'namespace');
          checkCount(listOptions.limit, 'limit');
          const from = listOptions.prefix ?? '';
          if (typeof from !== 'string') throw invalidArgument('prefix must be a string.');
          const to = prefixEnd(from);
          const query = { namespace, from, limit: listOptions.limit ?? noLimit, now: Date.now() };
          const rows =
            to === undefined ? s.kvListFrom.all(query) : s.kvListRange.all({ ...query, to });
          return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
        });
      },
    },
  };
}

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { BotwireError } from '../../errors/botwire-error';
import { newId } from '../ids';
import {
  type ChatRecord,
  type Identity,
  type MessageRecord,
  type NewMessage,
  type Role,
  roles,
  type SetOptions,
  type StorageDriver,
  type UserPatch,
  type UserProfile,
  type UserRecord,
} from '../storage-driver';

/** Options for {@link sqliteStorage}. */
export interface SqliteStorageOptions {
  /** The database file, such as `data/bot.db`; missing parent directories are created. */
  path: string;
  /**
   * `full` (default) makes every write durable before its promise resolves; `normal` is faster
   * and still survives a crash of the process, but may lose the last writes on power loss.
   */
  synchronous?: 'full' | 'normal';
  /** The better-sqlite3 constructor; loaded with `import('better-sqlite3')` when omitted. */
  Database?: typeof BetterSqlite3;
}

/**
 * The schema, one entry per version: entry `n` moves a database from `user_version` n to n + 1.
 * Append new entries; never edit one that has shipped.
 */
const migrations: readonly string[] = [
  `CREATE TABLE users (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     name TEXT,
     username TEXT,
     locale TEXT,
     role TEXT CHECK (role IN ('owner', 'admin', 'moderator', 'user')),
     data TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX users_by_role ON users (role, seq);
   CREATE TABLE user_identities (
     seq INTEGER PRIMARY KEY,
     platform TEXT NOT NULL,
     platform_id TEXT NOT NULL,
     user_id TEXT NOT NULL REFERENCES users (id),
     UNIQUE (platform, platform_id)
   );
   CREATE INDEX user_identities_by_user ON user_identities (user_id, seq);
   CREATE TABLE chats (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     platform TEXT NOT NULL,
     platform_id TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('private', 'group')),
     title TEXT,
     created_at INTEGER NOT NULL,
     UNIQUE (platform, platform_id)
   );
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     chat_id TEXT NOT NULL REFERENCES chats (id),
     user_id TEXT REFERENCES users (id),
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     text TEXT NOT NULL,
     platform_message_id TEXT,
     meta TEXT,
     at INTEGER NOT NULL
   );
   CREATE INDEX messages_by_chat ON messages (chat_id, id);
   CREATE TABLE kv (
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (namespace, key)
   ) WITHOUT ROWID;
   CREATE INDEX kv_by_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL;`,
];

const busyTimeoutMs = 5_000;
const sweepIntervalMs = 60_000;
const noLimit = -1;

interface UserRow {
  id: string;
  name: string | null;
  username: string | null;
  locale: string | null;
  role: Role | null;
  data: string;
  created_at: number;
  updated_at: number;
  identities: string;
}

interface ChatRow {
  id: string;
  platform: string;
  platform_id: string;
  type: 'private' | 'group';
  title: string | null;
  created_at: number;
}

interface MessageRow {
  id: number;
  chat_id: string;
  user_id: string | null;
  direction: 'in' | 'out';
  text: string;
  platform_message_id: string | null;
  meta: string | null;
  at: number;
}

interface KeyRow {
  namespace: string;
  key: string;
}

interface ValueRow {
  value: string;
  expires_at: number | null;
}

interface StoredUser {
  id: string;
  name: string | null;
  username: string | null;
  locale: string | null;
  role: Role | null;
  data: string;
  updated_at: number;
}

type Database = BetterSqlite3.Database;

const selectUser = `SELECT u.id, u.name, u.username, u.locale, u.role, u.data, u.created_at, u.updated_at,
  (SELECT json_group_array(json_array(i.platform, i.platform_id) ORDER BY i.seq)
     FROM user_identities i WHERE i.user_id = u.id) AS identities
  FROM users u`;
const selectMessage =
  'SELECT id, chat_id, user_id, direction, text, platform_message_id, meta, at FROM messages';
const liveValue = '(expires_at IS NULL OR expires_at > @now)';

function prepareStatements(db: Database) {
  return {
    userById: db.prepare<{ id: string }, UserRow>(`${selectUser} WHERE u.id = @id`),
    userByIdentity: db.prepare<Identity, UserRow>(
      `${selectUser} WHERE u.id = (SELECT user_id FROM user_identities
         WHERE platform = @platform AND platform_id = @platformId)`,
    ),
    listUsers: db.prepare<{ role: Role | null; limit: number; offset: number }, UserRow>(
      `${selectUser} WHERE @role IS NULL OR u.role = @role ORDER BY u.seq LIMIT @limit OFFSET @offset`,
    ),
    insertUser: db.prepare<StoredUser>(
      `INSERT INTO users (id, name, username, locale, role, data, created_at, updated_at)
       VALUES (@id, @name, @username, @locale, @role, @data, @updated_at, @updated_at)`,
    ),
    updateUser: db.prepare<StoredUser>(
      `UPDATE users SET name = @name, username = @username, locale = @locale, role = @role, data = @data,
         updated_at = @updated_at WHERE id = @id`,
    ),
    identityOwner: db
      .prepare<Identity, string>(
        'SELECT user_id FROM user_identities WHERE platform = @platform AND platform_id = @platformId',
      )
      .pluck(),
    insertIdentity: db.prepare<Identity & { userId: string }>(
      'INSERT INTO user_identities (platform, platform_id, user_id) VALUES (@platform, @platformId, @userId)',
    ),
    chatById: db.prepare<{ id: string }, ChatRow>('SELECT * FROM chats WHERE id = @id'),
    chatByIdentity: db.prepare<Identity, ChatRow>(
      'SELECT * FROM chats WHERE platform = @platform AND platform_id = @platformId',
    ),
    insertChat: db.prepare<Omit<ChatRow, 'platform' | 'platform_id'> & Identity>(
      `INSERT INTO chats (id, platform, platform_id, type, title, created_at)
       VALUES (@id, @platform, @platformId, @type, @title, @created_at)`,
    ),
    updateChat: db.prepare<Pick<ChatRow, 'id' | 'type' | 'title'>>(
      'UPDATE chats SET type = @type, title = @title WHERE id = @id',
    ),
    insertMessage: db.prepare<Omit<MessageRow, 'id'>>(
      `INSERT INTO messages (chat_id, user_id, direction, text, platform_message_id, meta, at)
       VALUES (@chat_id, @user_id, @direction, @text, @platform_message_id, @meta, @at)`,
    ),
    listMessages: db.prepare<{ chatId: string; beforeId: number; limit: number }, MessageRow>(
      `SELECT * FROM (${selectMessage} WHERE chat_id = @chatId AND id < @beforeId ORDER BY id DESC LIMIT @limit)
       ORDER BY id`,
    ),
    kvGet: db.prepare<KeyRow, ValueRow>(
      'SELECT value, expires_at FROM kv WHERE namespace = @namespace AND key = @key',
    ),
    kvDeleteIfExpired: db.prepare<KeyRow & { now: number }>(
      'DELETE FROM kv WHERE namespace = @namespace AND key = @key AND expires_at <= @now',
    ),
    kvSet: db.prepare<KeyRow & ValueRow>(
      `INSERT INTO kv (namespace, key, value, expires_at) VALUES (@namespace, @key, @value, @expires_at)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    kvAdd: db.prepare<KeyRow & ValueRow & { now: number }>(
      `INSERT INTO kv (namespace, key, value, expires_at) VALUES (@namespace, @key, @value, @expires_at)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= @now`,
    ),
    kvDelete: db.prepare<KeyRow, Pick<ValueRow, 'expires_at'>>(
      'DELETE FROM kv WHERE namespace = @namespace AND key = @key RETURNING expires_at',
    ),
    kvListFrom: db.prepare<
      { namespace: string; from: string; limit: number; now: number },
      KeyRow & ValueRow
    >(
      `SELECT key, value FROM kv WHERE namespace = @namespace AND key >= @from AND ${liveValue}
       ORDER BY key LIMIT @limit`,
    ),
    kvListRange: db.prepare<
      { namespace: string; from: string; to: string; limit: number; now: number },
      KeyRow & ValueRow
    >(
      `SELECT key, value FROM kv WHERE namespace = @namespace AND key >= @from AND key < @to AND ${liveValue}
       ORDER BY key LIMIT @limit`,
    ),
    kvSweep: db.prepare<{ now: number }>(
      'DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= @now',
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function invalid(message: string, cause?: unknown): BotwireError {
  return new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message, cause });
}

function checkString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value === '')
    throw invalid(`${what} must be a non-empty string.`);
}

function checkKey(namespace: string, key: string): void {
  checkString(namespace, 'namespace');
  checkString(key, 'key');
}

function checkIdentity(identity: Identity): Identity {
  if (typeof identity !== 'object' || identity === null)
    throw invalid('An identity must be { platform, platformId }.');
  checkString(identity.platform, 'identity.platform');
  checkString(identity.platformId, 'identity.platformId');
  return { platform: identity.platform, platformId: identity.platformId };
}

function checkProfile(profile: UserProfile): void {
  if (typeof profile !== 'object' || profile === null)
    throw invalid('A profile must be an object.');
  for (const field of ['name', 'username', 'locale'] as const) {
    const value = profile[field];
    if (value !== undefined && typeof value !== 'string')
      throw invalid(`${field} must be a string.`);
  }
}

function checkObject(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be an object.`);
}

function checkCount(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw invalid(`${what} must be a non-negative integer; got ${String(value)}.`);
  }
}

function encodeJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw invalid(`${what} is not JSON-serializable.`, error);
  }
  if (json === undefined) throw invalid(`${what} is not JSON-serializable (got ${typeof value}).`);
  return json;
}

function expiryOf(options: SetOptions | undefined, now: number): number | null {
  const ttlMs = options?.ttlMs;
  if (ttlMs === undefined) return null;
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw invalid(`ttlMs must be a positive number of milliseconds; got ${String(ttlMs)}.`);
  }
  return Math.ceil(now + ttlMs);
}

/** The smallest string after every string that starts with `prefix` (code point order). */
function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (character) => character.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff)
      return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}

function toUser(row: UserRow): UserRecord {
  const identities = JSON.parse(row.identities) as Array<[string, string]>;
  return {
    id: row.id,
    identities: identities.map(([platform, platformId]) => ({ platform, platformId })),
    ...(row.name === null ? {} : { name: row.name }),
    ...(row.username === null ? {} : { username: row.username }),
    ...(row.locale === null ? {} : { locale: row.locale }),
    ...(row.role === null ? {} : { role: row.role }),
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toChat(row: ChatRow): ChatRecord {
  return {
    id: row.id,
    identity: { platform: row.platform, platformId: row.platform_id },
    type: row.type,
    ...(row.title === null ? {} : { title: row.title }),
    createdAt: new Date(row.created_at),
  };
}

function toMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    chatId: row.chat_id,
    ...(row.user_id === null ? {} : { userId: row.user_id }),
    direction: row.direction,
    text: row.text,
    ...(row.platform_message_id === null ? {} : { platformMessageId: row.platform_message_id }),
    ...(row.meta === null ? {} : { meta: JSON.parse(row.meta) as Record<string, unknown> }),
    at: new Date(row.at),
  };
}

function stored(row: UserRow): StoredUser {
  const { id, name, username, locale, role, data, updated_at } = row;
  return { id, name, username, locale, role, data, updated_at };
}

function profileChanged(row: UserRow, profile: UserProfile): boolean {
  return (['name', 'username', 'locale'] as const).some(
    (field) => profile[field] !== undefined && profile[field] !== row[field],
  );
}

async function loadDatabase(): Promise<typeof BetterSqlite3> {
  try {
    const loaded = (await import('better-sqlite3')) as { default?: typeof BetterSqlite3 };
    return loaded.default ?? (loaded as unknown as typeof BetterSqlite3);
  } catch (error) {
    throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
      message: 'better-sqlite3 could not be loaded.',
      hint: 'Install it with `pnpm add better-sqlite3`, or pass the constructor as the Database option.',
      cause: error,
    });
  }
}

function migrate(db: Database, path: string): void {
  const versionNow = () => db.pragma('user_version', { simple: true }) as number;
  if (versionNow() === migrations.length) return;
  db.transaction(() => {
    const current = versionNow();
    if (current > migrations.length) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The database ${path} has schema version ${current}; this Botwire knows up to ${migrations.length}.`,
        hint: 'Upgrade @botwire/core, or point the sqlite storage at another file.',
      });
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  }).immediate();
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
  const synchronous = options.synchronous ?? 'full';
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw invalid(`synchronous must be "full" or "normal"; got ${JSON.stringify(synchronous)}.`);
  }
  const path = options.path;
  let db: Database | undefined;
  let statements: Statements | undefined;
  let opening: Promise<void> | undefined;
  let closed = false;
  let lastSweep = 0;

  /** Runs `work` on the open database; turns driver errors into BotwireErrors. */
  const use = <T>(work: (s: Statements, database: Database) => T): T => {
    if (!statements || !db) {
      throw new BotwireError('BOTWIRE_STORAGE_CLOSED', {
        message: closed
          ? `The sqlite storage ${path} was used after close().`
          : `The sqlite storage ${path} is not open. Call open() before using it.`,
      });
    }
    try {
      return work(statements, db);
    } catch (error) {
      if (error instanceof BotwireError) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw invalid('The chat or user this refers to does not exist.', error);
      }
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite storage ${path} failed: ${(error as Error).message}`,
        details: typeof code === 'string' ? { sqliteCode: code } : {},
        cause: error,
      });
    }
  };

  const sweep = (s: Statements, now: number): void => {
    if (now - lastSweep < sweepIntervalMs) return;
    lastSweep = now;
    s.kvSweep.run({ now });
  };

  const openDatabase = async (): Promise<void> => {
    const DatabaseConstructor = options.Database ?? (await loadDatabase());
    if (path !== ':memory:' && !path.startsWith('file:')) {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    }
    let database: Database;
    try {
      database = new DatabaseConstructor(path);
    } catch (error) {
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite database ${path} could not be opened: ${(error as Error).message}`,
        hint: 'Check that the path is writable.',
        cause: error,
      });
    }
    try {
      database.pragma(`busy_timeout = ${busyTimeoutMs}`);
      database.pragma('journal_mode = WAL');
      database.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      database.pragma('foreign_keys = ON');
      migrate(database, path);
      const prepared = prepareStatements(database);
      db = database;
      statements = prepared;
      closed = false;
      lastSweep = 0;
      use((s) => sweep(s, Date.now()));
    } catch (error) {
      db = undefined;
      statements = undefined;
      database.close();
      if (error instanceof BotwireError) throw error;
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message: `The sqlite database ${path} could not be prepared: ${(error as Error).message}`,
        cause: error,
      });
    }
  };

  const resolveUser = (
    s: Statements,
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
            ...stored(row),
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
      if (!opening) {
        opening = openDatabase().catch((error: unknown) => {
          opening = undefined;
          throw error;
        });
      }
      return opening;
    },

    async close() {
      if (opening) await opening.catch(() => undefined);
      const database = db;
      db = undefined;
      statements = undefined;
      opening = undefined;
      if (database) {
        closed = true;
        database.close();
      }
    },

    users: {
      async resolve(identity: Identity, profile: UserProfile = {}) {
        return use((s, database) => {
          const checked = checkIdentity(identity);
          checkProfile(profile);
          const row = s.userByIdentity.get(checked);
          if (row && !profileChanged(row, profile)) return toUser(row);
          return resolveUser(s, database, checked, profile);
        });
      },

      async get(id: string) {
        return use((s) => {
          const row = s.userById.get({ id });
          return row && toUser(row);
        });
      },

      async findByIdentity(identity: Identity) {
        return use((s) => {
          const row = s.userByIdentity.get(checkIdentity(identity));
          return row && toUser(row);
        });
      },

      async update(id: string, patch: UserPatch) {
        return use((s, database) => {
          checkProfile(patch);
          if (patch.role !== undefined && patch.role !== null && !roles.includes(patch.role)) {
            throw invalid(
              `role must be one of ${roles.join(', ')} or null; got ${JSON.stringify(patch.role)}.`,
            );
          }
          if (patch.data !== undefined) checkObject(patch.data, 'data');
          const data = patch.data === undefined ? undefined : encodeJson(patch.data, 'data');
          return database
            .transaction((): UserRecord => {
              const row = s.userById.get({ id });
              if (!row) throw invalid(`No user with id ${JSON.stringify(id)}.`);
              s.updateUser.run({
                ...stored(row),
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

      async link(id: string, identity: Identity) {
        return use((s, database) => {
          const checked = checkIdentity(identity);
          return database
            .transaction((): UserRecord => {
              const row = s.userById.get({ id });
              if (!row) throw invalid(`No user with id ${JSON.stringify(id)}.`);
              const owner = s.identityOwner.get(checked);
              if (owner === id) return toUser(row);
              if (owner !== undefined) {
                throw invalid(
                  `The identity ${checked.platform}:${checked.platformId} belongs to another user.`,
                );
              }
              s.insertIdentity.run({ ...checked, userId: id });
              s.updateUser.run({ ...stored(row), updated_at: Date.now() });
              return toUser(s.userById.get({ id })!);
            })
            .immediate();
        });
      },

      async list(listOptions: { role?: Role; limit?: number; offset?: number } = {}) {
        return use((s) => {
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
      async resolve(identity: Identity, info: { type: 'private' | 'group'; title?: string }) {
        return use((s, database) => {
          const checked = checkIdentity(identity);
          if (info?.type !== 'private' && info?.type !== 'group') {
            throw invalid("A chat's type must be private or group.");
          }
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

      async get(id: string) {
        return use((s) => {
          const row = s.chatById.get({ id });
          return row && toChat(row);
        });
      },
    },

    messages: {
      async append(message: NewMessage) {
        return use((s) => {
          checkObject(message, 'A message');
          checkString(message.chatId, 'chatId');
          if (message.userId !== undefined) checkString(message.userId, 'userId');
          if (message.direction !== 'in' && message.direction !== 'out')
            throw invalid('direction must be in or out.');
          if (typeof message.text !== 'string') throw invalid("A message's text must be a string.");
          if (
            message.at !== undefined &&
            !(message.at instanceof Date && !Number.isNaN(message.at.getTime()))
          ) {
            throw invalid("A message's at must be a valid Date.");
          }
          if (message.meta !== undefined) checkObject(message.meta, 'meta');
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

      async list(chatId: string, listOptions: { limit?: number; beforeId?: number } = {}) {
        return use((s) => {
          checkCount(listOptions.limit, 'limit');
          const beforeId = listOptions.beforeId ?? Number.MAX_SAFE_INTEGER;
          if (typeof beforeId !== 'number' || Number.isNaN(beforeId))
            throw invalid('beforeId must be a number.');
          return s.listMessages
            .all({ chatId, beforeId, limit: listOptions.limit ?? 50 })
            .map(toMessage);
        });
      },
    },

    kv: {
      async get<T = unknown>(namespace: string, key: string) {
        return use((s) => {
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

      async set(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        use((s) => {
          checkKey(namespace, key);
          const now = Date.now();
          const json = encodeJson(value, `The value of ${key}`);
          s.kvSet.run({ namespace, key, value: json, expires_at: expiryOf(setOptions, now) });
          sweep(s, now);
        });
      },

      async add(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        return use((s) => {
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

      async delete(namespace: string, key: string) {
        return use((s) => {
          checkKey(namespace, key);
          const row = s.kvDelete.get({ namespace, key });
          return row !== undefined && (row.expires_at === null || row.expires_at > Date.now());
        });
      },

      async list<T = unknown>(
        namespace: string,
        listOptions: { prefix?: string; limit?: number } = {},
      ) {
        return use((s) => {
          checkString(namespace, 'namespace');
          checkCount(listOptions.limit, 'limit');
          const from = listOptions.prefix ?? '';
          if (typeof from !== 'string') throw invalid('prefix must be a string.');
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

import type BetterSqlite3 from 'better-sqlite3';
import type { Identity, Role } from '../../ports/storage';
import type { ChatRow, KeyRow, MessageRow, StoredUser, UserRow, ValueRow } from './sqlite-rows';

const selectUser = `SELECT u.id, u.name, u.username, u.locale, u.role, u.data, u.created_at, u.updated_at,
  (SELECT json_group_array(json_array(i.platform, i.platform_id) ORDER BY i.seq)
     FROM user_identities i WHERE i.user_id = u.id) AS identities
  FROM users u`;
const selectMessage =
  'SELECT id, chat_id, user_id, direction, text, platform_message_id, meta, at FROM messages';
const liveValue = '(expires_at IS NULL OR expires_at > @now)';

/** A prepared statement that binds named parameters `P` and reads rows of type `R`. */
type Statement<P extends {}, R = unknown> = BetterSqlite3.Statement<P, R>;

/** The prepared statements of one open database (see {@link prepareSqliteStatements}). */
export interface SqliteStatements {
  userById: Statement<{ id: string }, UserRow>;
  userByIdentity: Statement<Identity, UserRow>;
  listUsers: Statement<{ role: Role | null; limit: number; offset: number }, UserRow>;
  insertUser: Statement<StoredUser>;
  updateUser: Statement<StoredUser>;
  /** Reads only the `user_id` column (`pluck`). */
  identityOwner: Statement<Identity, string>;
  insertIdentity: Statement<Identity & { userId: string }>;
  chatById: Statement<{ id: string }, ChatRow>;
  chatByIdentity: Statement<Identity, ChatRow>;
  insertChat: Statement<Omit<ChatRow, 'platform' | 'platform_id'> & Identity>;
  updateChat: Statement<Pick<ChatRow, 'id' | 'type' | 'title'>>;
  insertMessage: Statement<Omit<MessageRow, 'id'>>;
  listMessages: Statement<{ chatId: string; beforeId: number; limit: number }, MessageRow>;
  kvGet: Statement<KeyRow, ValueRow>;
  kvDeleteIfExpired: Statement<KeyRow & { now: number }>;
  kvSet: Statement<KeyRow & ValueRow>;
  kvAdd: Statement<KeyRow & ValueRow & { now: number }>;
  kvDelete: Statement<KeyRow, Pick<ValueRow, 'expires_at'>>;
  kvListFrom: Statement<
    { namespace: string; from: string; limit: number; now: number },
    KeyRow & ValueRow
  >;
  kvListRange: Statement<
    { namespace: string; from: string; to: string; limit: number; now: number },
    KeyRow & ValueRow
  >;
  kvSweep: Statement<{ now: number }>;
}

/**
 * Prepares every statement the sqlite driver runs, once per opened database. Named parameters
 * (`@id`) are bound from objects; rows come back in the shapes of `sqlite-rows.ts`.
 */
export function prepareSqliteStatements(db: BetterSqlite3.Database): SqliteStatements {
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

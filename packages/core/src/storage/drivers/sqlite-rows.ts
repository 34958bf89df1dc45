/**
 * The shapes of the rows the sqlite driver reads and writes, and their mapping to the records
 * of the storage port.
 */
import type { ChatRecord, MessageRecord, Role, UserProfile, UserRecord } from '../../ports/storage';

/** A row of `users` with its identities, as a JSON array of `[platform, platformId]`. */
export interface UserRow {
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

/** A row of the `chats` table. */
export interface ChatRow {
  id: string;
  platform: string;
  platform_id: string;
  type: 'private' | 'group';
  title: string | null;
  created_at: number;
}

/** A row of the `messages` table. */
export interface MessageRow {
  id: number;
  chat_id: string;
  user_id: string | null;
  direction: 'in' | 'out';
  text: string;
  platform_message_id: string | null;
  meta: string | null;
  at: number;
}

/** The primary key of the `kv` table. */
export interface KeyRow {
  namespace: string;
  key: string;
}

/** The stored part of a `kv` row: JSON text and the expiry in ms since the epoch. */
export interface ValueRow {
  value: string;
  expires_at: number | null;
}

/** The columns of `users` that an insert or update writes. */
export interface StoredUser {
  id: string;
  name: string | null;
  username: string | null;
  locale: string | null;
  role: Role | null;
  data: string;
  updated_at: number;
}

/** The {@link UserRecord} of a user row. */
export function toUser(row: UserRow): UserRecord {
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

/** The {@link ChatRecord} of a chat row. */
export function toChat(row: ChatRow): ChatRecord {
  return {
    id: row.id,
    identity: { platform: row.platform, platformId: row.platform_id },
    type: row.type,
    ...(row.title === null ? {} : { title: row.title }),
    createdAt: new Date(row.created_at),
  };
}

/** The {@link MessageRecord} of a message row. */
export function toMessage(row: MessageRow): MessageRecord {
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

/** The writable columns of a user row, to update it with some of them changed. */
export function storedUser(row: UserRow): StoredUser {
  const { id, name, username, locale, role, data, updated_at } = row;
  return { id, name, username, locale, role, data, updated_at };
}

/** True when `profile` sets a field to a value the row does not have yet. */
export function profileChanged(row: UserRow, profile: UserProfile): boolean {
  return (['name', 'username', 'locale'] as const).some(
    (field) => profile[field] !== undefined && profile[field] !== row[field],
  );
}

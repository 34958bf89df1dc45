/**
 * The collections of the MongoDB storage as mongoose models, and how their documents map to
 * the records of the storage port. Free-form JSON (a user's `data`, a message's `meta`, a
 * key-value value that is not a number) is kept as JSON text, so any key (with `.` or `$`)
 * round-trips and stored values are always copies; numbers stay BSON numbers so `$inc` works.
 */
import {
  type ChatRecord,
  type Identity,
  type MessageRecord,
  type Role,
  roles,
  type UserProfile,
  type UserRecord,
} from '@botwire/core';
import type { Connection, Model, Mongoose } from 'mongoose';

/** A user document (`users`): `identityKeys` carries the unique index across users. */
export interface UserDocument {
  _id: string;
  identities: Identity[];
  identityKeys: string[];
  name?: string | null;
  username?: string | null;
  locale?: string | null;
  role?: Role | null;
  /** JSON text of the user's `data`. */
  data: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A chat document (`chats`). */
export interface ChatDocument {
  _id: string;
  identityKey: string;
  platform: string;
  platformId: string;
  type: 'private' | 'group';
  title?: string | null;
  createdAt: Date;
}

/** A message document (`messages`); `_id` is the message's increasing id. */
export interface MessageDocument {
  _id: number;
  chatId: string;
  userId?: string | null;
  direction: 'in' | 'out';
  text: string;
  platformMessageId?: string | null;
  /** JSON text of the message's `meta`. */
  meta?: string | null;
  at: Date;
}

/** A key-value document (`kv`): a number, or the JSON text of any other value. */
export interface ValueDocument {
  _id?: unknown;
  namespace: string;
  key: string;
  value: number | string;
  expiresAt: Date | null;
}

/** A counter document (`counters`): the last id handed out for `_id`. */
export interface CounterDocument {
  _id: string;
  seq: number;
}

/** The models of one connection. */
export interface MongoModels {
  users: Model<UserDocument>;
  chats: Model<ChatDocument>;
  messages: Model<MessageDocument>;
  kv: Model<ValueDocument>;
  counters: Model<CounterDocument>;
}

/** The key of an identity in `identityKeys` and `identityKey`: unambiguous JSON. */
export const identityKey = (identity: Identity): string =>
  JSON.stringify([identity.platform, identity.platformId]);

/**
 * Defines the models on a connection, with their indexes (created by {@link createIndexes}).
 * `mongoose` is the module's default export (its `Schema` class is used).
 */
export function defineModels(mongoose: Mongoose, connection: Connection): MongoModels {
  const { Schema } = mongoose;
  const options = { versionKey: false, autoIndex: false, autoCreate: false } as const;

  const users = new Schema<UserDocument>(
    {
      _id: { type: String, required: true },
      identities: {
        type: [new Schema({ platform: String, platformId: String }, { _id: false })],
        required: true,
      },
      identityKeys: { type: [String], required: true },
      name: String,
      username: String,
      locale: String,
      // The roles come from core, so a role added there is accepted here too.
      role: { type: String, enum: [...roles] },
      data: { type: String, required: true },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    { ...options, collection: 'users' },
  );
  users.index({ identityKeys: 1 }, { unique: true, name: 'identity_unique' });
  users.index({ createdAt: 1, _id: 1 }, { name: 'created' });
  users.index({ role: 1, createdAt: 1, _id: 1 }, { name: 'role_created' });

  const chats = new Schema<ChatDocument>(
    {
      _id: { type: String, required: true },
      identityKey: { type: String, required: true },
      platform: { type: String, required: true },
      platformId: { type: String, required: true },
      type: { type: String, enum: ['private', 'group'], required: true },
      title: String,
      createdAt: { type: Date, required: true },
    },
    { ...options, collection: 'chats' },
  );
  chats.index({ identityKey: 1 }, { unique: true, name: 'identity_unique' });

  const messages = new Schema<MessageDocument>(
    {
      _id: { type: Number, required: true },
      chatId: { type: String, required: true },
      userId: String,
      direction: { type: String, enum: ['in', 'out'], required: true },
      // Not `required`: mongoose would refuse an empty text, which is a valid message.
      text: String,
      platformMessageId: String,
      meta: String,
      at: { type: Date, required: true },
    },
    { ...options, collection: 'messages' },
  );
  messages.index({ chatId: 1, _id: -1 }, { name: 'chat_history' });

  const kv = new Schema<ValueDocument>(
    {
      namespace: { type: String, required: true },
      key: { type: String, required: true },
      value: { type: Schema.Types.Mixed },
      expiresAt: { type: Date, default: null },
    },
    { ...options, collection: 'kv' },
  );
  kv.index({ namespace: 1, key: 1 }, { unique: true, name: 'key_unique' });
  // Removes expired values in the background; reads check `expiresAt` themselves, since the
  // server's TTL monitor runs only once a minute.
  kv.index({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiry' });

  const counters = new Schema<CounterDocument>(
    { _id: { type: String, required: true }, seq: { type: Number, required: true } },
    { ...options, collection: 'counters' },
  );

  return {
    users: connection.model<UserDocument>('BotwireUser', users),
    chats: connection.model<ChatDocument>('BotwireChat', chats),
    messages: connection.model<MessageDocument>('BotwireMessage', messages),
    kv: connection.model<ValueDocument>('BotwireValue', kv),
    counters: connection.model<CounterDocument>('BotwireCounter', counters),
  };
}

/** Creates every model's indexes (`createIndexes`); safe to run again. */
export async function createIndexes(models: MongoModels): Promise<void> {
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.createIndexes()));
}

/** The {@link UserRecord} of a user document. */
export function toUser(document: UserDocument): UserRecord {
  return {
    id: document._id,
    identities: document.identities.map(({ platform, platformId }) => ({ platform, platformId })),
    ...(document.name == null ? {} : { name: document.name }),
    ...(document.username == null ? {} : { username: document.username }),
    ...(document.locale == null ? {} : { locale: document.locale }),
    ...(document.role == null ? {} : { role: document.role }),
    data: JSON.parse(document.data) as Record<string, unknown>,
    createdAt: new Date(document.createdAt),
    updatedAt: new Date(document.updatedAt),
  };
}

/** True when `profile` sets a field to a value the user does not have yet. */
export function profileChanged(document: UserDocument, profile: UserProfile): boolean {
  return (['name', 'username', 'locale'] as const).some(
    (field) => profile[field] !== undefined && profile[field] !== document[field],
  );
}

/** The {@link ChatRecord} of a chat document. */
export function toChat(document: ChatDocument): ChatRecord {
  return {
    id: document._id,
    identity: { platform: document.platform, platformId: document.platformId },
    type: document.type,
    ...(document.title == null ? {} : { title: document.title }),
    createdAt: new Date(document.createdAt),
  };
}

/** The {@link MessageRecord} of a message document. */
export function toMessage(document: MessageDocument): MessageRecord {
  return {
    id: document._id,
    chatId: document.chatId,
    ...(document.userId == null ? {} : { userId: document.userId }),
    direction: document.direction,
    text: document.text,
    ...(document.platformMessageId == null
      ? {}
      : { platformMessageId: document.platformMessageId }),
    ...(document.meta == null
      ? {}
      : { meta: JSON.parse(document.meta) as Record<string, unknown> }),
    at: new Date(document.at),
  };
}

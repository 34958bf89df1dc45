/**
 * A user's role. A user with no role has not been admitted to a private bot. `premium` is a
 * user on a paid plan: above `user`, below the staff roles; limits and features per plan are
 * set per role (config `limits`).
 */
export type Role = 'owner' | 'admin' | 'moderator' | 'premium' | 'user';

/** A user or chat as one platform knows it: `{ platform: 'telegram', platformId: '42' }`. */
export interface Identity {
  platform: string;
  platformId: string;
}

/** A person, with one stable Botwire id across every platform they were linked on. */
export interface UserRecord {
  /** Stable id, such as `usr_01J...`; never reused. */
  id: string;
  /** Every platform identity of this person (at least one). */
  identities: Identity[];
  name?: string;
  username?: string;
  /** The last locale the platform reported, such as `ru`. */
  locale?: string;
  /** Undefined until the user is admitted (or claims the bot). */
  role?: Role;
  /** Free-form profile fields set by middleware and skills (JSON-serializable). */
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** Profile fields a platform reports; used to create a user or refresh their record. */
export interface UserProfile {
  name?: string;
  username?: string;
  locale?: string;
}

/** Fields that may be changed on a user. `role: null` removes the role. */
export interface UserPatch extends UserProfile {
  role?: Role | null;
  data?: Record<string, unknown>;
}

/** A chat (a private conversation or a group), with a stable Botwire id. */
export interface ChatRecord {
  /** Stable id, such as `cht_01J...`. */
  id: string;
  identity: Identity;
  type: 'private' | 'group';
  title?: string;
  createdAt: Date;
}

/** One message of a chat's history. */
export interface MessageRecord {
  /** Increasing id, unique in the storage. */
  id: number;
  chatId: string;
  /** The user who sent it; undefined for the bot's own messages. */
  userId?: string;
  direction: 'in' | 'out';
  text: string;
  platformMessageId?: string;
  /** Extra JSON-serializable fields (tool calls, artifact names, ...). */
  meta?: Record<string, unknown>;
  at: Date;
}

/** What {@link MessageStore.append} takes. */
export interface NewMessage {
  chatId: string;
  userId?: string;
  direction: 'in' | 'out';
  text: string;
  platformMessageId?: string;
  meta?: Record<string, unknown>;
  at?: Date;
}

/** Users, found or created by their platform identity. */
export interface UserStore {
  /** Finds the user with this identity, or creates one; refreshes the given profile fields. */
  resolve(identity: Identity, profile?: UserProfile): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | undefined>;
  findByIdentity(identity: Identity): Promise<UserRecord | undefined>;
  /** Changes fields; throws BOTWIRE_INVALID_ARGUMENT when the user does not exist. */
  update(id: string, patch: UserPatch): Promise<UserRecord>;
  /** Adds another platform identity to a user (one person on two messengers). */
  link(id: string, identity: Identity): Promise<UserRecord>;
  /** Users ordered by creation, optionally only those with a role. */
  list(options?: { role?: Role; limit?: number; offset?: number }): Promise<UserRecord[]>;
}

/** Chats, found or created by their platform identity. */
export interface ChatStore {
  resolve(
    identity: Identity,
    info: { type: 'private' | 'group'; title?: string },
  ): Promise<ChatRecord>;
  get(id: string): Promise<ChatRecord | undefined>;
}

/** Message history per chat. */
export interface MessageStore {
  append(message: NewMessage): Promise<MessageRecord>;
  /** The newest `limit` (default 50) messages before `beforeId`, returned oldest first. */
  list(chatId: string, options?: { limit?: number; beforeId?: number }): Promise<MessageRecord[]>;
}

/** Options for {@link KeyValueStore.set}. */
export interface SetOptions {
  /** Forget the value after this many milliseconds. */
  ttlMs?: number;
}

/** A key-value store with namespaces (one namespace per skill). Values are JSON-serializable. */
export interface KeyValueStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Stores the value only when the key is absent; returns true when it stored it. Atomic. */
  add(namespace: string, key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  /**
   * Adds `by` (default 1) to the number stored under the key and returns the new value, atomically
   * (also across processes sharing one database). A missing or expired key counts as 0 and is
   * created with `options.ttlMs`; later increments keep its expiry. Throws
   * BOTWIRE_INVALID_ARGUMENT when the stored value is not a number.
   *
   * @example
   * const today = await kv.increment('usage', `messages:${userId}:2025-01-31`, 1, { ttlMs: 86_400_000 });
   */
  increment(namespace: string, key: string, by?: number, options?: SetOptions): Promise<number>;
  /** Returns true when a value was deleted. */
  delete(namespace: string, key: string): Promise<boolean>;
  /** Entries ordered by key, optionally only keys starting with `prefix`. */
  list<T = unknown>(
    namespace: string,
    options?: { prefix?: string; limit?: number },
  ): Promise<Array<{ key: string; value: T }>>;
}

/**
 * The storage port: every driver (SQLite, memory, MongoDB, ...) implements it and passes
 * `runStorageContract` from `@botwire/core/contract-suites`.
 */
export interface StorageDriver {
  /** The driver's name: `sqlite`, `memory`, ... */
  readonly name: string;
  /**
   * True when no other process can reach this storage (memory): the bot then keeps each
   * chat's messages in order within the process alone, without a lease in storage. Leave it
   * out for storage that several processes may share (a file, a database server).
   */
  readonly processLocal?: boolean;
  /** Opens files or connections and creates tables. Safe to call twice. */
  open(): Promise<void>;
  /** Flushes and closes. Calls after close fail with BOTWIRE_STORAGE_CLOSED. */
  close(): Promise<void>;
  /**
   * Optional: one round trip to the open storage that reads no data (`SELECT 1`, MongoDB's
   * `ping` command); resolves with its latency in ms, or fails as operations do (a closed
   * storage with BOTWIRE_STORAGE_CLOSED, an unreachable server with BOTWIRE_STORAGE_FAILED).
   * `/ready` and `botwire doctor` use it when it is there, else a key-value read.
   *
   * @example
   * const ms = await storage.ping?.(); // 0.4
   */
  ping?(): Promise<number>;
  /**
   * Optional: commits the writes queued so far now, in this synchronous step, for a driver that
   * groups writes (SQLite commits them once per turn of the event loop). A write that must be in
   * the file before the process can be killed (the note that a message left) is queued, then
   * flushed. Drivers that write at once leave it out.
   */
  flush?(): void;
  readonly users: UserStore;
  readonly chats: ChatStore;
  readonly messages: MessageStore;
  readonly kv: KeyValueStore;
}

/** A key-value store bound to one namespace: what a skill with the `storage` permission gets. */
export interface ScopedKeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  add(key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  /** See {@link KeyValueStore.increment}. */
  increment(key: string, by?: number, options?: SetOptions): Promise<number>;
  delete(key: string): Promise<boolean>;
  list<T = unknown>(options?: {
    prefix?: string;
    limit?: number;
  }): Promise<Array<{ key: string; value: T }>>;
}

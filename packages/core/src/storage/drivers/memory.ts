import { BotwireError } from '../../errors/botwire-error';
import type {
  ChatRecord,
  Identity,
  MessageRecord,
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
} from '../check-storage-arguments';
import { newId } from '../ids';

/** Options for {@link memoryStorage}. */
export interface MemoryStorageOptions {
  /** The clock used for timestamps and TTLs, in ms; defaults to `Date.now`. Handy in tests. */
  now?: () => number;
}

interface StoredValue {
  json: string;
  expiresAt: number | null;
}

const sweepIntervalMs = 60_000;

function copyJson<T>(value: T, what: string): T {
  return JSON.parse(encodeJson(value, what)) as T;
}

/** Compares strings by code point, which is how SQLite orders UTF-8 text. */
function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const identityKey = (identity: Identity): string =>
  JSON.stringify([identity.platform, identity.platformId]);

/**
 * A storage driver that keeps everything in Maps of this process: for tests and quick local
 * runs. Values are copied on the way in and out, so callers cannot change stored state.
 *
 * @example
 * const storage = memoryStorage();
 * await storage.open();
 */
export function memoryStorage(options: MemoryStorageOptions = {}): StorageDriver {
  const now = options.now ?? Date.now;
  const users = new Map<string, UserRecord>();
  const userByIdentity = new Map<string, string>();
  const chats = new Map<string, ChatRecord>();
  const chatByIdentity = new Map<string, string>();
  const messages = new Map<string, MessageRecord[]>();
  const kv = new Map<string, Map<string, StoredValue>>();
  let lastMessageId = 0;
  let lastSweep = 0;
  let state: 'new' | 'open' | 'closed' = 'new';

  const ready = (): void => {
    if (state === 'open') return;
    throw new BotwireError('BOTWIRE_STORAGE_CLOSED', {
      message:
        state === 'new'
          ? 'The memory storage is not open. Call open() before using it.'
          : 'The memory storage was used after close().',
    });
  };

  const requireUser = (id: string): UserRecord => {
    const user = users.get(id);
    if (!user) throw invalidArgument(`No user with id ${JSON.stringify(id)}.`);
    return user;
  };

  const live = (value: StoredValue | undefined, at: number): value is StoredValue =>
    value !== undefined && (value.expiresAt === null || value.expiresAt > at);

  const sweep = (at: number): void => {
    if (at - lastSweep < sweepIntervalMs) return;
    lastSweep = at;
    for (const entries of kv.values()) {
      for (const [key, value] of entries) if (!live(value, at)) entries.delete(key);
    }
  };

  const write = (
    namespace: string,
    key: string,
    value: unknown,
    setOptions: SetOptions | undefined,
  ) => {
    checkKey(namespace, key);
    const at = now();
    const json = encodeJson(value, `The value of ${key}`);
    const ttlMs = checkTtlMs(setOptions);
    const stored: StoredValue = { json, expiresAt: ttlMs === undefined ? null : at + ttlMs };
    sweep(at);
    let entries = kv.get(namespace);
    if (!entries) {
      entries = new Map();
      kv.set(namespace, entries);
    }
    return { at, entries, stored };
  };

  return {
    name: 'memory',
    processLocal: true,

    async open() {
      state = 'open';
    },

    async close() {
      if (state === 'open') state = 'closed';
    },

    async ping() {
      ready();
      return 0;
    },

    users: {
      async resolve(identity: Identity, profile: UserProfile = {}) {
        ready();
        checkIdentity(identity);
        checkProfile(profile);
        const id = userByIdentity.get(identityKey(identity));
        const existing = id === undefined ? undefined : users.get(id);
        if (existing) {
          let changed = false;
          for (const field of ['name', 'username', 'locale'] as const) {
            const value = profile[field];
            if (value !== undefined && value !== existing[field]) {
              existing[field] = value;
              changed = true;
            }
          }
          if (changed) existing.updatedAt = new Date(now());
          return structuredClone(existing);
        }
        const at = new Date(now());
        const user: UserRecord = {
          id: newId('usr'),
          identities: [{ platform: identity.platform, platformId: identity.platformId }],
          ...(profile.name === undefined ? {} : { name: profile.name }),
          ...(profile.username === undefined ? {} : { username: profile.username }),
          ...(profile.locale === undefined ? {} : { locale: profile.locale }),
          data: {},
          createdAt: at,
          updatedAt: new Date(at),
        };
        users.set(user.id, user);
        userByIdentity.set(identityKey(identity), user.id);
        return structuredClone(user);
      },

      async get(id: string) {
        ready();
        const user = users.get(id);
        return user && structuredClone(user);
      },

      async findByIdentity(identity: Identity) {
        ready();
        checkIdentity(identity);
        const id = userByIdentity.get(identityKey(identity));
        const user = id === undefined ? undefined : users.get(id);
        return user && structuredClone(user);
      },

      async update(id: string, patch: UserPatch) {
        ready();
        const user = requireUser(id);
        checkUserPatch(patch);
        const data = patch.data === undefined ? undefined : copyJson(patch.data, 'data');
        for (const field of ['name', 'username', 'locale'] as const) {
          const value = patch[field];
          if (value !== undefined) user[field] = value;
        }
        if (patch.role === null) delete user.role;
        else if (patch.role !== undefined) user.role = patch.role;
        if (data !== undefined) user.data = data;
        user.updatedAt = new Date(now());
        return structuredClone(user);
      },

      async link(id: string, identity: Identity) {
        ready();
        const user = requireUser(id);
        checkIdentity(identity);
        const owner = userByIdentity.get(identityKey(identity));
        if (owner === id) return structuredClone(user);
        if (owner !== undefined) {
          throw invalidArgument(
            `The identity ${identity.platform}:${identity.platformId} belongs to another user.`,
          );
        }
        user.identities.push({ platform: identity.platform, platformId: identity.platformId });
        userByIdentity.set(identityKey(identity), id);
        user.updatedAt = new Date(now());
        return structuredClone(user);
      },

      async list(listOptions: { role?: Role; limit?: number; offset?: number } = {}) {
        ready();
        checkCount(listOptions.limit, 'limit');
        checkCount(listOptions.offset, 'offset');
        const offset = listOptions.offset ?? 0;
        const limit = listOptions.limit ?? Number.POSITIVE_INFINITY;
        const found: UserRecord[] = [];
        let skipped = 0;
        for (const user of users.values()) {
          if (found.length >= limit) break;
          if (listOptions.role !== undefined && user.role !== listOptions.role) continue;
          if (skipped < offset) skipped++;
          else found.push(structuredClone(user));
        }
        return found;
      },
    },

    chats: {
      async resolve(identity: Identity, info: { type: 'private' | 'group'; title?: string }) {
        ready();
        checkIdentity(identity);
        checkChatInfo(info);
        const id = chatByIdentity.get(identityKey(identity));
        const existing = id === undefined ? undefined : chats.get(id);
        if (existing) {
          existing.type = info.type;
          if (info.title !== undefined) existing.title = info.title;
          return structuredClone(existing);
        }
        const chat: ChatRecord = {
          id: newId('cht'),
          identity: { platform: identity.platform, platformId: identity.platformId },
          type: info.type,
          ...(info.title === undefined ? {} : { title: info.title }),
          createdAt: new Date(now()),
        };
        chats.set(chat.id, chat);
        chatByIdentity.set(identityKey(identity), chat.id);
        return structuredClone(chat);
      },

      async get(id: string) {
        ready();
        const chat = chats.get(id);
        return chat && structuredClone(chat);
      },
    },

    messages: {
      async append(message: NewMessage) {
        ready();
        checkObject(message, 'A message');
        if (!chats.has(message.chatId))
          throw invalidArgument(`No chat with id ${JSON.stringify(message.chatId)}.`);
        if (message.userId !== undefined) requireUser(message.userId);
        checkMessageFields(message);
        const record: MessageRecord = {
          id: ++lastMessageId,
          chatId: message.chatId,
          ...(message.userId === undefined ? {} : { userId: message.userId }),
          direction: message.direction,
          text: message.text,
          ...(message.platformMessageId === undefined
            ? {}
            : { platformMessageId: message.platformMessageId }),
          ...(message.meta === undefined ? {} : { meta: copyJson(message.meta, 'meta') }),
          at: new Date(message.at ? message.at.getTime() : now()),
        };
        const history = messages.get(record.chatId);
        if (history) history.push(record);
        else messages.set(record.chatId, [record]);
        return structuredClone(record);
      },

      async list(chatId: string, listOptions: { limit?: number; beforeId?: number } = {}) {
        ready();
        checkCount(listOptions.limit, 'limit');
        const limit = listOptions.limit ?? 50;
        const history = messages.get(chatId) ?? [];
        let end = history.length;
        if (listOptions.beforeId !== undefined) {
          while (end > 0 && history[end - 1]!.id >= listOptions.beforeId) end--;
        }
        return structuredClone(history.slice(Math.max(0, end - limit), end));
      },
    },

    kv: {
      async get<T = unknown>(namespace: string, key: string) {
        ready();
        checkKey(namespace, key);
        const entries = kv.get(namespace);
        const value = entries?.get(key);
        if (!live(value, now())) {
          if (value) entries?.delete(key);
          return undefined;
        }
        return JSON.parse(value.json) as T;
      },

      async set(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        ready();
        const { entries, stored } = write(namespace, key, value, setOptions);
        entries.set(key, stored);
      },

      async add(namespace: string, key: string, value: unknown, setOptions?: SetOptions) {
        ready();
        const { at, entries, stored } = write(namespace, key, value, setOptions);
        if (live(entries.get(key), at)) return false;
        entries.set(key, stored);
        return true;
      },

      async increment(namespace: string, key: string, by = 1, setOptions?: SetOptions) {
        ready();
        checkIncrement(by);
        const { at, entries, stored } = write(namespace, key, by, setOptions);
        const current = entries.get(key);
        if (!live(current, at)) {
          entries.set(key, stored);
          return by;
        }
        const value = incremented(JSON.parse(current.json), by, key);
        current.json = JSON.stringify(value);
        return value;
      },

      async delete(namespace: string, key: string) {
        ready();
        checkKey(namespace, key);
        const entries = kv.get(namespace);
        const value = entries?.get(key);
        if (!value) return false;
        entries?.delete(key);
        return live(value, now());
      },

      async list<T = unknown>(
        namespace: string,
        listOptions: { prefix?: string; limit?: number } = {},
      ) {
        ready();
        checkString(namespace, 'namespace');
        checkCount(listOptions.limit, 'limit');
        const prefix = listOptions.prefix ?? '';
        const entries = kv.get(namespace);
        if (!entries) return [];
        const at = now();
        const found: Array<{ key: string; json: string }> = [];
        for (const [key, value] of entries) {
          if (!live(value, at)) entries.delete(key);
          else if (key.startsWith(prefix)) found.push({ key, json: value.json });
        }
        found.sort((a, b) => compareKeys(a.key, b.key));
        return found
          .slice(0, listOptions.limit ?? found.length)
          .map(({ key, json }) => ({ key, value: JSON.parse(json) as T }));
      },
    },
  };
}

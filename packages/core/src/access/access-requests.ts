import type { KeyValueStore } from '../ports/storage';

const namespace = 'runtime';
/** How long a request waits for the owner before it is forgotten. */
const requestTtlMs = 30 * 24 * 60 * 60 * 1000;

/** A stranger who wrote to a private bot, waiting for an admin to let them in. */
export interface AccessRequest {
  userId: string;
  name?: string;
  username?: string;
  /** Where they wrote from, to tell them when they are admitted. */
  platform: string;
  platformId: string;
  chatPlatformId: string;
  chatType: 'private' | 'group';
  locale?: string;
  /** ISO time of the request. */
  at: string;
}

/** Where an owner or admin reads the bot's notices: their last private chat with it. */
export interface HomeChat {
  platform: string;
  chatPlatformId: string;
  chatId: string;
}

/**
 * Access requests and the admins' home chats, kept in storage so that a restart or another
 * process sees them.
 */
export class AccessRequests {
  constructor(private readonly kv: KeyValueStore) {}

  /** Records a request; true when it is new (the admins have not been told yet). */
  add(request: AccessRequest): Promise<boolean> {
    return this.kv.add(namespace, `access-request:${request.userId}`, request, {
      ttlMs: requestTtlMs,
    });
  }

  /** Requests waiting, oldest first. */
  async list(): Promise<AccessRequest[]> {
    const entries = await this.kv.list<AccessRequest>(namespace, {
      prefix: 'access-request:',
      limit: 500,
    });
    return entries.map((entry) => entry.value).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Removes a user's request and returns it (undefined when there was none). */
  async take(userId: string): Promise<AccessRequest | undefined> {
    const key = `access-request:${userId}`;
    const request = await this.kv.get<AccessRequest>(namespace, key);
    if (request) await this.kv.delete(namespace, key);
    return request;
  }

  /** Remembers an admin's private chat, to send notices there. */
  async setHomeChat(userId: string, chat: HomeChat): Promise<void> {
    const key = `home-chat:${userId}`;
    const known = await this.kv.get<HomeChat>(namespace, key);
    if (known?.chatId !== chat.chatId) await this.kv.set(namespace, key, chat);
  }

  /** An admin's home chat, when they ever wrote to the bot in private. */
  homeChat(userId: string): Promise<HomeChat | undefined> {
    return this.kv.get<HomeChat>(namespace, `home-chat:${userId}`);
  }
}

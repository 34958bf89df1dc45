import type { BotContext, ChatRef, KeyValueStore } from '@botwire/core';

/** The desk's namespace in the bot's key-value store. */
export const deskNamespace = 'bank-desk';

/** One person the bank's bot can reach: where to write to them and what they chose. */
export interface Member {
  /** The Botwire user id. */
  userId: string;
  /** The messenger of their private chat with the bot. */
  platform: string;
  /** Their private chat, as the messenger knows it. */
  chat: ChatRef;
  /** The Botwire chat id of that chat (for its history). */
  chatId: string;
  /** The name the messenger gives (for staff screens; never shown to other customers). */
  name?: string;
  /** The first name alone: what a customer sees of a moderator. */
  firstName?: string;
  /** `ru` or `en`: the language the bot writes to them in. */
  locale: string;
  /** When they registered with their phone number (the number itself is encrypted apart). */
  registeredAt?: number;
  /** The country of their phone number (ISO 3166), for statistics; the number is not here. */
  phoneCountry?: string;
  /** When the messenger last refused a message because they blocked the bot. */
  blockedAt?: number;
  /** True when they asked for no more broadcasts. */
  optedOut?: boolean;
  firstSeen: number;
  lastSeen: number;
}

/** How often a member's `lastSeen` is written at most, so every message does not cost a write. */
const seenEveryMs = 60_000;

/** `ru` for Russian speakers, `en` for everyone else: the two languages of the desk's texts. */
export function deskLocale(locale: string | undefined): 'ru' | 'en' {
  return locale?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/**
 * The people who wrote to the bot in a private chat, kept in storage: where to reach them,
 * their language, registration, and whether they blocked the bot or opted out of broadcasts.
 */
export class Directory {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The member, or undefined when they never wrote to the bot in private. */
  get(userId: string): Promise<Member | undefined> {
    return this.kv.get<Member>(deskNamespace, memberKey(userId));
  }

  /** Saves a member as given. */
  async put(member: Member): Promise<Member> {
    await this.kv.set(deskNamespace, memberKey(member.userId), member);
    return member;
  }

  /** Changes some fields of a member; returns undefined when there is no such member. */
  async update(userId: string, patch: Partial<Member>): Promise<Member | undefined> {
    const member = await this.get(userId);
    if (!member) return undefined;
    return this.put({ ...member, ...patch });
  }

  /**
   * Records the sender of a private message (their chat, name and language). A member who had
   * blocked the bot and writes again is reachable again. Group messages are not recorded.
   */
  async touch(context: BotContext): Promise<Member | undefined> {
    const { message } = context;
    if (message.chat.type !== 'private' || message.job) return undefined;
    const now = this.now();
    const known = await this.get(context.user.id);
    const locale = deskLocale(known?.locale ?? context.locale);
    const name = message.sender.name ?? context.user.name;
    const current: Member = {
      ...(known ?? { firstSeen: now, lastSeen: now }),
      userId: context.user.id,
      platform: context.adapter.name,
      chat: { platformId: message.chat.platformId, type: 'private' },
      chatId: context.chat.id,
      locale,
      ...(name ? { name, firstName: name.split(/\s+/)[0] } : {}),
    };
    const changed =
      !known ||
      known.platform !== current.platform ||
      known.chat.platformId !== current.chat.platformId ||
      known.chatId !== current.chatId ||
      known.name !== current.name ||
      known.blockedAt !== undefined ||
      now - known.lastSeen >= seenEveryMs;
    if (!changed) return known;
    const { blockedAt: _blockedAt, ...reachable } = current;
    return this.put({ ...reachable, lastSeen: now });
  }

  /** Every member, in the order of their ids. */
  async list(): Promise<Member[]> {
    const entries = await this.kv.list<Member>(deskNamespace, {
      prefix: 'member:',
      limit: 10_000_000,
    });
    return entries.map((entry) => entry.value);
  }
}

function memberKey(userId: string): string {
  return `member:${userId}`;
}

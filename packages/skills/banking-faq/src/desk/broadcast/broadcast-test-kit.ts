/**
 * Test support for the broadcast's tests (not exported): a bot with the desk on the test
 * adapter, an adapter that can refuse some chats, and members written straight into storage.
 */
import {
  type Adapter,
  type Bot,
  BotwireError,
  createBot,
  type OutgoingMessage,
  type StorageDriver,
  silentLogger,
} from '@botwire/core';
import { type DeliveredMessage, type TestAdapter, testAdapter } from '@botwire/core/testing';
import { type BankDeskExtension, bankDesk } from '../bank-desk';
import type { BankDeskOptions } from '../desk';
import { Directory, type Member } from '../directory';

/** The test adapter, with chats that refuse messages and a record of when each send came. */
export interface FlakyAdapter extends TestAdapter {
  /** Chats whose sends throw BOTWIRE_ADAPTER_RECIPIENT_BLOCKED. */
  blocked: Set<string>;
  /** Chats whose sends fail this many more times with a plain error. */
  failing: Map<string, number>;
  /** `Date.now()` of every send that went through, with its chat. */
  sends: Array<{ chatId: string; at: number }>;
  /** Every edit, in order. */
  edits: Array<{ chatId: string; id: string; text: string }>;
}

/** A test adapter whose sends can fail per chat, and which can edit messages. */
export function flakyAdapter(): FlakyAdapter {
  const base = testAdapter();
  const blocked = new Set<string>();
  const failing = new Map<string, number>();
  const sends: FlakyAdapter['sends'] = [];
  const edits: FlakyAdapter['edits'] = [];
  const adapter: Adapter = {
    ...base.adapter,
    async send(chat, message: OutgoingMessage) {
      if (blocked.has(chat.platformId))
        throw new BotwireError('BOTWIRE_ADAPTER_RECIPIENT_BLOCKED', { message: 'blocked' });
      const left = failing.get(chat.platformId) ?? 0;
      if (left > 0) {
        failing.set(chat.platformId, left - 1);
        throw new Error('the messenger is down');
      }
      sends.push({ chatId: chat.platformId, at: Date.now() });
      return base.adapter.send(chat, message);
    },
    async edit(chat, id, message) {
      edits.push({ chatId: chat.platformId, id, text: message.text });
      const shown = base.delivered.find(
        (each) => each.chatId === chat.platformId && each.platformMessageId === id,
      );
      if (shown) Object.assign(shown, { text: message.text, buttons: message.buttons });
    },
  };
  return { ...base, adapter, blocked, failing, sends, edits };
}

/** A started bot with the desk and its extension, on memory storage or SQLite in `dataDir`. */
export async function deskBot(
  chat: FlakyAdapter,
  options: BankDeskOptions & { dataDir?: string } = {},
): Promise<{ bot: Bot; extension: BankDeskExtension }> {
  const { dataDir, ...deskOptions } = options;
  const extension = bankDesk({ answerQuestions: false, ...deskOptions });
  const bot = createBot({
    config: {
      storage: dataDir ? 'sqlite' : 'memory',
      access: 'open',
      skills: [{ use: '@botwire/skill-banking-faq', permissions: ['storage'] }],
      extensions: [extension],
    },
    ...(dataDir ? { dataDir } : {}),
    adapters: [chat.adapter],
    log: silentLogger,
    terminal: { write: () => true },
    env: {},
  });
  await bot.start();
  return { bot, extension };
}

/** What a test says about a member it seeds. */
export interface SeedMember {
  id: string;
  locale?: 'ru' | 'en';
  registered?: boolean;
  optedOut?: boolean;
  blocked?: boolean;
  role?: 'admin' | 'moderator';
}

/**
 * Writes members of the test adapter (user `<id>`, chat `chat-<id>`) into storage as if they had
 * written to the bot; returns them by id.
 */
export async function seedMembers(
  storage: StorageDriver,
  seeds: readonly SeedMember[],
  platform = 'test',
): Promise<Map<string, Member>> {
  const directory = new Directory(storage.kv);
  const members = new Map<string, Member>();
  for (const seed of seeds) {
    const chatPlatformId = platform === 'test' ? `chat-${seed.id}` : seed.id;
    const user = await storage.users.resolve({ platform, platformId: seed.id });
    if (seed.role) await storage.users.update(user.id, { role: seed.role });
    const chat = await storage.chats.resolve(
      { platform, platformId: chatPlatformId },
      { type: 'private' },
    );
    const member = await directory.put({
      userId: user.id,
      platform,
      chat: { platformId: chatPlatformId, type: 'private' },
      chatId: chat.id,
      locale: seed.locale ?? 'ru',
      ...(seed.registered ? { registeredAt: 1 } : {}),
      ...(seed.optedOut ? { optedOut: true } : {}),
      ...(seed.blocked ? { blockedAt: 1 } : {}),
      firstSeen: 1,
      lastSeen: 1,
    });
    members.set(seed.id, member);
  }
  return members;
}

/** The data of the button whose data starts with `prefix` on the newest message to a chat. */
export function buttonData(delivered: DeliveredMessage[], chatId: string, prefix: string): string {
  for (const message of [...delivered].reverse()) {
    if (message.chatId !== chatId) continue;
    const found = message.buttons?.flat().find((button) => button.data?.startsWith(prefix));
    if (found?.data) return found.data;
  }
  throw new Error(`no button ${prefix}… in ${chatId}`);
}

/** The broadcast messages delivered to a chat (those with the opt-out footer). */
export function broadcastsTo(delivered: DeliveredMessage[], chatId: string): string[] {
  return delivered
    .filter((message) => message.chatId === chatId && /\/unsubscribe$/.test(message.text))
    .map((message) => message.text);
}

/**
 * Test support (not exported): the public `telegram-test-api` emulator on a free loopback port,
 * with helpers that act as Telegram users and read what the bot sent. Replies are read from the
 * emulator's storage, never through its client's `getUpdates` (whose pollers outlive it).
 */
import { freePort } from '@botwire/core/testing';
import TelegramServer from 'telegram-test-api';

export { freePort };

/** The token every test bot uses; the emulator accepts any. */
export const testToken = '123456:TEST-token-for-the-emulator';

/** A simulated Telegram user in a private chat with the bot (chat id = user id). */
export interface EmulatedUser {
  id: number;
  name: string;
}

/** The first and second test users. */
export const ann: EmulatedUser = { id: 1001, name: 'Ann' };
export const bob: EmulatedUser = { id: 1002, name: 'Bob' };

/** A started emulator and ways to act on it. */
export interface Emulator {
  server: TelegramServer;
  apiRoot: string;
  /** Sends a text (a command when it starts with `/`) as a user. */
  userSends(text: string, user?: EmulatedUser): Promise<void>;
  /** Presses the button with this callback data under the last bot message that has it. */
  userPresses(data: string, user?: EmulatedUser): Promise<void>;
  /** The texts the bot sent to a user, in order. */
  seenTexts(user?: EmulatedUser): string[];
  /** Every message the bot sent to a user, as the emulator stored it. */
  botMessages(user?: EmulatedUser): Array<Record<string, unknown>>;
  /** Waits until the bot sent a user at least `count` messages; returns their texts. */
  waitForTexts(count: number, user?: EmulatedUser, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts `telegram-test-api` on a loopback port: the one given, or a free one. */
export async function startEmulator(options: { port?: number } = {}): Promise<Emulator> {
  const port = options.port ?? (await freePort());
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const client = (user: EmulatedUser) =>
    server.getClient(testToken, { userId: user.id, chatId: user.id, firstName: user.name });
  const botMessages = (user: EmulatedUser = ann) =>
    server.storage.botMessages
      .filter(
        (stored) =>
          stored.botToken === testToken && String(stored.message.chat_id) === String(user.id),
      )
      .map(
        (stored) =>
          ({ ...stored.message, message_id: stored.messageId }) as Record<string, unknown>,
      );
  const seenTexts = (user: EmulatedUser = ann) =>
    botMessages(user).map((message) => String(message.text ?? ''));
  return {
    server,
    apiRoot: server.config.apiURL,
    async userSends(text, user = ann) {
      const each = client(user);
      if (text.startsWith('/')) await each.sendCommand(each.makeCommand(text));
      else await each.sendMessage(each.makeMessage(text));
    },
    async userPresses(data, user = ann) {
      const message = botMessages(user)
        .reverse()
        .find((each) => {
          const markup = each.reply_markup as
            | { inline_keyboard?: Array<Array<{ callback_data?: string }>> }
            | undefined;
          return markup?.inline_keyboard?.flat().some((button) => button.callback_data === data);
        });
      if (!message) throw new Error(`no message with a button "${data}"`);
      const each = client(user);
      await each.sendCallback(
        each.makeCallbackQuery(data, {
          message: {
            message_id: message.message_id as number,
            text: message.text as string,
            reply_markup: message.reply_markup,
          },
        } as never),
      );
    },
    seenTexts,
    botMessages,
    async waitForTexts(count, user = ann, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      while (seenTexts(user).length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `expected ${count} messages to ${user.name}, got ${JSON.stringify(seenTexts(user))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return seenTexts(user);
    },
    async stop() {
      await server.stop();
    },
  };
}

import { type Bot, createBot, silentLogger } from '@botwire/core';
import { runAdapterContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramAdapter } from './telegram-adapter';
import {
  ann,
  bob,
  type EmulatedUser,
  type Emulator,
  startEmulator,
  testToken,
} from './testing/emulator';

/** Fast enough for tests; the real limits are tested in send-throttle.test.ts. */
const testThrottle = { privatePerSecond: 100, burst: 20 };

const emulatedAdapter = (emulator: Emulator) =>
  telegramAdapter({
    token: testToken,
    apiRoot: emulator.apiRoot,
    mode: 'polling',
    pollDelayMs: 20,
    throttle: testThrottle,
    env: {},
  });

runAdapterContract(
  'telegram (telegram-test-api)',
  async () => {
    const emulator = await startEmulator();
    const user = (from?: { userId: string; name?: string }): EmulatedUser =>
      from ? { id: Number(from.userId), name: from.name ?? 'User' } : ann;
    return {
      adapter: emulatedAdapter(emulator),
      userSends: (text, from) => emulator.userSends(text, user(from)),
      userPresses: (data, from) => emulator.userPresses(data, user(from)),
      seenTexts: async (from) => emulator.seenTexts(user(from)),
      close: () => emulator.stop(),
    };
  },
  {
    users: [
      { userId: String(ann.id), chatId: String(ann.id), name: ann.name },
      { userId: String(bob.id), chatId: String(bob.id), name: bob.name },
    ],
  },
);

describe('telegram adapter with a bot, end to end through telegram-test-api', () => {
  let emulator: Emulator;
  let bot: Bot;

  afterEach(async () => {
    await bot?.stop();
    await emulator?.stop();
  });

  const start = async () => {
    emulator = await startEmulator();
    bot = createBot({
      config: { storage: 'memory', access: 'open', name: 'Ada', locale: 'en' },
      adapters: [emulatedAdapter(emulator)],
      log: silentLogger,
    });
    bot.use(async (context, next) => {
      if (context.message.kind === 'button') {
        await context.reply(`pressed ${context.message.buttonData} on "${context.text}"`);
        return;
      }
      if (context.command?.name === 'long') {
        const sentence = (index: number) => `Sentence ${String(index).padStart(4, '0')} ends here.`;
        const text = Array.from({ length: 400 }, (_, index) => sentence(index)).join(' ');
        await context.reply({ text: `**Long** answer:\n\n${text}`, format: 'markdown' });
        return;
      }
      if (context.command?.name === 'choose') {
        await context.reply({
          text: 'Pick one',
          buttons: [
            [
              { label: 'Tea', data: 'drink:tea' },
              { label: 'Coffee', data: 'drink:coffee' },
            ],
          ],
        });
        return;
      }
      const delay = /^(\w+) 1$/.test(context.text) ? 150 : 0;
      if (context.text.startsWith('talk')) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await context.reply(`echo ${context.text}`);
        return;
      }
      await next();
    });
    await bot.start();
  };

  it('answers a command and a text, as the users see them', async () => {
    await start();
    await emulator.userSends('/whoami');
    const [whoami] = await emulator.waitForTexts(1);
    expect(whoami).toMatch(/Your id: usr_\w+/);
    await emulator.userSends('/help@TestNameBot');
    const texts = await emulator.waitForTexts(2);
    expect(texts[1]).toMatch(/\/whoami/);
    await emulator.userSends('what is this');
    expect((await emulator.waitForTexts(3))[2]).toMatch(/^I don't understand that yet/);
    // Link previews are off and plain texts are sent as they are.
    const stored = emulator.botMessages();
    expect(stored[2]!.link_preview_options).toEqual({ is_disabled: true });
    expect(stored[2]!.parse_mode).toBeUndefined();
  });

  it('delivers a 10,000-character reply as ordered parts of at most 4096 characters', async () => {
    await start();
    await emulator.userSends('/long');
    await emulator.waitForTexts(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const parts = emulator.botMessages();
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(String(part.text).length).toBeLessThanOrEqual(4096);
      expect(part.parse_mode).toBe('HTML');
    }
    expect(String(parts[0]!.text).startsWith('<b>Long</b> answer:')).toBe(true);
    const numbers = parts
      .flatMap((part) => [...String(part.text).matchAll(/Sentence (\d{4}) ends here\./g)])
      .map((match) => Number(match[1]));
    expect(numbers).toEqual(Array.from({ length: 400 }, (_, index) => index));
  });

  it('sends buttons as an inline keyboard and routes a press to the handler', async () => {
    await start();
    await emulator.userSends('/choose');
    await emulator.waitForTexts(1);
    const [message] = emulator.botMessages();
    expect(message!.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Tea', callback_data: 'drink:tea' },
          { text: 'Coffee', callback_data: 'drink:coffee' },
        ],
      ],
    });
    await emulator.userPresses('drink:coffee');
    const texts = await emulator.waitForTexts(2);
    expect(texts[1]).toBe('pressed drink:coffee on "Coffee"');
  });

  it('answers an update Telegram delivers twice only once', async () => {
    await start();
    await emulator.userSends('talk once');
    await emulator.waitForTexts(1);
    // Telegram redelivers the same update (same update_id), as after a lost confirmation.
    const stored = emulator.server.storage.userMessages.at(-1)!;
    stored.isRead = false;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stored.isRead).toBe(true);
    await emulator.userSends('talk twice');
    const texts = await emulator.waitForTexts(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emulator.seenTexts()).toEqual(['echo talk once', 'echo talk twice']);
    expect(texts).toEqual(['echo talk once', 'echo talk twice']);
  });

  it('keeps two interleaved conversations each in order', async () => {
    await start();
    for (let index = 1; index <= 3; index++) {
      await emulator.userSends(`talk ${index}`, ann);
      await emulator.userSends(`talk ${index}`, bob);
    }
    const annTexts = await emulator.waitForTexts(3, ann);
    const bobTexts = await emulator.waitForTexts(3, bob);
    const expected = ['echo talk 1', 'echo talk 2', 'echo talk 3'];
    expect(annTexts).toEqual(expected);
    expect(bobTexts).toEqual(expected);
  });

  it('survives the Bot API methods the emulator lacks (typing, command menu)', async () => {
    await start();
    // sendChatAction and setMyCommands fail on the emulator; the reply still arrives.
    await emulator.userSends('talk anyway');
    expect(await emulator.waitForTexts(1)).toEqual(['echo talk anyway']);
  });
});

import { type Bot, createBot, silentLogger } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramAdapter } from './telegram-adapter';
import { ann, bob, type Emulator, startEmulator, testToken } from './testing/emulator';

describe('owner onboarding on Telegram (telegram-test-api)', () => {
  let emulator: Emulator;
  let bot: Bot;

  afterEach(async () => {
    await bot?.stop();
    await emulator?.stop();
  });

  it('claims by the code from the terminal banner, then admits a second user with the Admit button', {
    timeout: 30_000,
  }, async () => {
    emulator = await startEmulator();
    const terminal: string[] = [];
    bot = createBot({
      config: { storage: 'memory', name: 'Ada', locale: 'en' },
      adapters: [
        telegramAdapter({
          token: testToken,
          apiRoot: emulator.apiRoot,
          mode: 'polling',
          pollDelayMs: 20,
          throttle: { privatePerSecond: 100, burst: 20 },
          env: {},
        }),
      ],
      log: silentLogger,
      terminal: { write: (text) => terminal.push(text) },
    });
    await bot.start();

    // The owner reads the code off the terminal banner.
    const banner = terminal.join('');
    expect(banner).toMatch(
      /Ada has no owner yet\. To become its owner, send this code to the bot in telegram/,
    );
    const code = /\|\s+(\d{3}-\d{3}-\d{3})\s+\|/.exec(banner)?.[1];
    expect(code).toBeDefined();

    // Before claiming, a message is answered with how to claim.
    await emulator.userSends('hi', ann);
    expect((await emulator.waitForTexts(1, ann))[0]).toMatch(/no owner yet.*claim code/);
    await emulator.userSends(code!, ann);
    expect((await emulator.waitForTexts(2, ann))[1]).toMatch(/You are now the owner of Ada/);

    // A second user asks; the owner gets the request with an Admit button.
    await emulator.userSends('hello, may I?', bob);
    expect((await emulator.waitForTexts(1, bob))[0]).toMatch(/asked its owner to let you in/);
    const [, , notice] = await emulator.waitForTexts(3, ann);
    expect(notice).toMatch(/^Bob \((@\w+, )?telegram:1002, usr_\w+\) asks to use the bot\.$/);
    const markup = emulator.botMessages(ann)[2]?.reply_markup as {
      inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
    };
    const admit = markup.inline_keyboard[0]?.[0];
    expect(admit?.text).toBe('Admit');

    // Pressing it admits Bob, and Bob is told.
    await emulator.userPresses(admit!.callback_data, ann);
    expect((await emulator.waitForTexts(4, ann))[3]).toMatch(/can use the bot now/);
    expect((await emulator.waitForTexts(2, bob))[1]).toMatch(/You can use Ada now/);
    await emulator.userSends('/whoami', bob);
    expect((await emulator.waitForTexts(3, bob))[2]).toMatch(/Role: user/);
  });
});

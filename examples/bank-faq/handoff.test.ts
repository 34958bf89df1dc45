import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStorage } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ann,
  bob,
  type EmulatedUser,
  type Emulator,
  startEmulator,
} from '../../packages/adapters/telegram/src/testing/emulator';
import { BotProcesses, waitFor } from './testing/bot-processes';

/**
 * The moderator hand-off end to end on the Telegram emulator, with the bot in a child process
 * on SQLite: a customer's /help reaches the moderator with a Take button, the moderator takes
 * it, messages go both ways (the customer sees "Модератор Bob", never the account), the bot is
 * killed with SIGKILL and started again on the same data, the relay still runs, and /end closes
 * the ticket for both. The example's locale is Russian and the emulator sends no language.
 */
describe('moderator hand-off on Telegram', () => {
  const bots = new BotProcesses();
  let emulator: Emulator | undefined;
  let directory: string | undefined;

  afterEach(async () => {
    await bots.killAll();
    await emulator?.stop();
    emulator = undefined;
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  const startBot = (dataDir: string) =>
    bots.start(emulator!.apiRoot, dataDir, { ticketsNeedRegistration: false }, 90);

  /** Waits for a new message to the user (after `seen` of them) that matches; returns its text. */
  const nextText = async (user: EmulatedUser, seen: number, pattern: RegExp) => {
    let found: string | undefined;
    await waitFor(
      () => {
        found = emulator!
          .seenTexts(user)
          .slice(seen)
          .find((text) => pattern.test(text));
        return found !== undefined;
      },
      `${pattern} to ${user.name} (got ${JSON.stringify(emulator!.seenTexts(user).slice(seen))})`,
    );
    return found!;
  };

  /** Sends a text as a user and waits for the bot's message to `to` that matches. */
  const exchange = async (user: EmulatedUser, text: string, to: EmulatedUser, pattern: RegExp) => {
    const seen = emulator!.seenTexts(to).length;
    await emulator!.userSends(text, user);
    return nextText(to, seen, pattern);
  };

  it('relays a ticket both ways across a SIGKILL and closes it with /end', {
    timeout: 120_000,
  }, async () => {
    emulator = await startEmulator();
    directory = mkdtempSync(join(tmpdir(), 'botwire-bank-handoff-'));
    const first = await startBot(directory);

    // Both write once, so the bot knows their chats; then Bob becomes a moderator.
    await exchange(ann, '/end', ann, /нет открытого обращения/);
    await exchange(bob, '/end', bob, /нет открытого обращения/);
    const storage = sqliteStorage({ path: join(directory, 'botwire.db') });
    await storage.open();
    try {
      const user = await storage.users.findByIdentity({
        platform: 'telegram',
        platformId: String(bob.id),
      });
      expect(user).toBeDefined();
      await storage.users.update(user!.id, { role: 'moderator' });
    } finally {
      await storage.close();
    }

    const bobSeen = emulator.seenTexts(bob).length;
    expect(await exchange(ann, '/help', ann, /Обращение #1 открыто/)).toMatch(/\/end/);
    const notice = await nextText(bob, bobSeen, /Новое обращение #1/);
    expect(notice).toContain('Клиент: Ann');

    const annSeen = emulator.seenTexts(ann).length;
    await emulator.userPresses('bank:ticket:take:1', bob);
    expect(await nextText(ann, annSeen, /подключил/)).toMatch(/^Модератор Bob подключился/);
    await nextText(bob, bobSeen, /Вы взяли обращение #1 \(Ann\)/);

    expect(await exchange(bob, 'Здравствуйте, проверяю', ann, /Здравствуйте/)).toBe(
      'Модератор Bob: Здравствуйте, проверяю',
    );
    expect(await exchange(ann, 'спасибо, жду', bob, /жду/)).toBe('#1 · Ann: спасибо, жду');

    await bots.kill(first);
    await startBot(directory);

    expect(await exchange(bob, 'Перевод найден', ann, /найден/)).toBe(
      'Модератор Bob: Перевод найден',
    );
    expect(await exchange(ann, 'отлично', bob, /отлично/)).toBe('#1 · Ann: отлично');

    const bobBeforeEnd = emulator.seenTexts(bob).length;
    expect(await exchange(ann, '/end', ann, /закрыто/)).toBe('Обращение #1 закрыто. Спасибо!');
    expect(await nextText(bob, bobBeforeEnd, /закрыл/)).toBe('Клиент закрыл обращение #1 (Ann).');

    // The customer never saw the moderator's account.
    expect(emulator.seenTexts(ann).join('\n')).not.toContain('testUserName');
  });
});

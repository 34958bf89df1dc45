import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ann,
  bob,
  type Emulator,
  startEmulator,
  testToken,
} from '../../packages/adapters/telegram/src/testing/emulator';

/**
 * Registration on the Telegram emulator: `/start` asks for the number with the share-contact
 * keyboard; a contact of another person is refused; the sender's own is taken; and no file of
 * the bot's data folder holds either number in plain text.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

function filesUnder(folder: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

describe('registration on Telegram', () => {
  let emulator: Emulator | undefined;
  let bot: Bot | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await bot?.stop();
    await emulator?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const shareContact = async (from: typeof ann, contact: Record<string, unknown>) => {
    const client = emulator!.server.getClient(testToken, {
      userId: from.id,
      chatId: from.id,
      firstName: from.name,
    });
    await client.sendMessage(client.makeMessage('', { contact } as never));
  };

  it('takes only the sender’s own contact and keeps no number in plain text', {
    timeout: 60_000,
  }, async () => {
    emulator = await startEmulator();
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-bank-registration-'));
    const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
    bot = createBot({
      config: { ...config, http: false, adapters: [] },
      rootDir: here,
      dataDir,
      adapters: [
        telegramAdapter({
          token: testToken,
          apiRoot: emulator.apiRoot,
          pollDelayMs: 20,
          commandMenu: false,
          env: {},
        }),
      ],
      log: silentLogger,
      env: {},
    });
    await bot.start();

    await emulator.userSends('/start', ann);
    await emulator.waitForTexts(2, ann, 15_000);
    const ask = emulator.botMessages(ann).find((message) => {
      const markup = message.reply_markup as
        | { keyboard?: Array<Array<{ request_contact?: boolean }>> }
        | undefined;
      return markup?.keyboard?.[0]?.[0]?.request_contact === true;
    });
    expect(ask, JSON.stringify(emulator.seenTexts(ann))).toBeDefined();

    // A contact card of Bob, forwarded by Ann: not hers.
    await shareContact(ann, { phone_number: '+447911123456', first_name: 'Bob', user_id: bob.id });
    const afterForward = await emulator.waitForTexts(3, ann, 15_000);
    expect(afterForward.at(-1)).toMatch(/не ваш/);
    // A contact with no Telegram account behind it: not hers either.
    await shareContact(ann, { phone_number: '+447911123456', first_name: 'Somebody' });
    expect((await emulator.waitForTexts(4, ann, 15_000)).at(-1)).toMatch(/не ваш/);

    // Her own, as Telegram shares it (digits, no plus).
    await shareContact(ann, { phone_number: '79161234567', first_name: 'Ann', user_id: ann.id });
    const registered = await emulator.waitForTexts(5, ann, 15_000);
    expect(registered.at(-1)).toMatch(/зарегистрированы: \+7 ••• ••• ••67/);

    await emulator.userSends('/start', ann);
    expect((await emulator.waitForTexts(7, ann, 15_000)).at(-1)).toMatch(/уже зарегистрированы/);

    await bot.stop();
    bot = undefined;
    const files = filesUnder(dataDir);
    expect(files.some((file) => file.path.endsWith('botwire.db'))).toBe(true);
    for (const file of files)
      for (const digits of ['9161234567', '7911123456', '916 123', '123-45-67'])
        expect(file.bytes.includes(Buffer.from(digits)), `${digits} in ${file.path}`).toBe(false);
  });
});

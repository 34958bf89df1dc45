/**
 * Child process of telegram-restart.test.ts: a bot on SQLite storage that polls Telegram (the
 * emulator at <apiRoot>) and answers each text. The first time it receives a message it writes
 * <marker> and hangs, so the test can kill it between receiving and answering; once the marker
 * exists it answers at once. Exits by itself after a minute, so a parent that forgets it cannot
 * leave it running.
 *
 * Usage: node --import tsx restart-bot.ts <apiRoot> <dataDir> <marker>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createBot, silentLogger } from '@botwire/core';
import { telegramAdapter } from '../telegram-adapter';

const [apiRoot, dataDir, marker] = process.argv.slice(2);
if (!apiRoot || !dataDir || !marker) {
  process.stderr.write('usage: restart-bot.ts <apiRoot> <dataDir> <marker>\n');
  process.exit(2);
}

const bot = createBot({
  config: { storage: 'sqlite', access: 'open', locale: 'en' },
  dataDir,
  adapters: [
    telegramAdapter({
      token: '123456:TEST-token-for-the-emulator',
      apiRoot,
      pollDelayMs: 20,
      commandMenu: false,
      env: {},
    }),
  ],
  log: silentLogger,
});
bot.use(async (context) => {
  if (!existsSync(marker)) {
    writeFileSync(marker, String(process.pid));
    await new Promise(() => {});
  }
  await context.reply(`answer to ${context.text}`);
});
await bot.start();
process.stdout.write('ready\n');
setTimeout(() => process.exit(3), 60_000);

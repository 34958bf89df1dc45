/**
 * Child process of the example's Telegram tests: the bank FAQ bot of botwire.config.ts on
 * SQLite in <dataDir>, polling the Telegram emulator at <apiRoot>, with the desk's options
 * given as JSON (so a test can shorten the ticket timeout). Prints `ready` once it runs and
 * exits by itself after <lifetimeSeconds> (default 120), so a forgotten child cannot linger.
 *
 * Usage: node --import tsx emulator-bot.ts <apiRoot> <dataDir> [<deskOptionsJson>] [<lifetimeSeconds>]
 */
import { fileURLToPath } from 'node:url';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { createBot, loadConfig, silentLogger } from '@botwire/core';
import { bankDesk } from '@botwire/skill-banking-faq/desk';

const [apiRoot, dataDir, deskOptions = '{}', lifetime = '120'] = process.argv.slice(2);
if (!apiRoot || !dataDir) {
  process.stderr.write(
    'usage: emulator-bot.ts <apiRoot> <dataDir> [<deskOptionsJson>] [<lifetimeSeconds>]\n',
  );
  process.exit(2);
}

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const { config } = await loadConfig(`${exampleDir}botwire.config.ts`, { env: {} });
const bot = createBot({
  config: {
    ...config,
    http: false,
    adapters: [],
    extensions: [bankDesk(JSON.parse(deskOptions))],
  },
  rootDir: exampleDir,
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
  env: {},
});
await bot.start();
process.stdout.write('ready\n');
setTimeout(() => process.exit(3), Number(lifetime) * 1000).unref();

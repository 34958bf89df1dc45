/**
 * Updates per second through grammY's `handleUpdate`, with every Bot API call answered in-process
 * (a `fetch` that never touches the network), for:
 *
 * - a bare grammY bot doing the equivalent work: `/ping` answered with `pong`;
 * - the Botwire Telegram adapter with the full pipeline: the durable inbox (update stored,
 *   deduplicated, marked done), the per-chat queue, the typing indicator, access control, the
 *   middleware chain, a trivial `/ping` command, history and usage in storage and the send,
 *   on the memory driver, on the default storage (SQLite in a temporary folder) and on SQLite
 *   with `synchronous: 'full'` (what the default trades away, see docs/decisions/0008).
 *
 * All run in the same process on the same kind of updates. The send throttle is off: with it,
 * Telegram's limit of 30 messages a second would be measured instead. Asserts nothing.
 *
 *   pnpm bench:telegram          (builds stale packages first)
 *   BENCH_UPDATES=20000 BENCH_CHATS=200 BENCH_ROUNDS=5 pnpm bench:telegram
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telegramAdapter } from '../packages/adapters/telegram/dist/index.js';
import {
  type Adapter,
  createBot,
  silentLogger,
  sqliteStorage,
} from '../packages/core/dist/index.js';
import {
  bareGrammyBot,
  benchBotInfo,
  type GrammyBot,
  inProcessApi,
  textUpdate,
} from './bare-grammy';

const total = Number(process.env.BENCH_UPDATES ?? 5000);
const chats = Number(process.env.BENCH_CHATS ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmup = Math.min(1000, Math.ceil(total / 5));

let nextUpdateId = 1;
const pingUpdates = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    textUpdate(nextUpdateId++, 10_000 + (index % chats), '/ping'),
  );

/** Feeds updates to handleUpdate, `chats` at a time (one per chat), and returns updates per second. */
async function drive(bot: GrammyBot, count: number): Promise<number> {
  const updates = pingUpdates(count);
  const started = performance.now();
  for (let index = 0; index < updates.length; index += chats) {
    await Promise.all(
      updates.slice(index, index + chats).map((update) => bot.handleUpdate(update as never)),
    );
  }
  return (count / (performance.now() - started)) * 1000;
}

interface Contender {
  label: string;
  bot: GrammyBot;
  replies: () => number;
  stop: () => Promise<void>;
  best: number;
}

const labels = {
  memory: 'Botwire, memory storage',
  default: 'Botwire, default storage (sqlite)',
  full: 'Botwire, sqlite synchronous=full',
};

async function botwireContender(storage: keyof typeof labels): Promise<Contender> {
  const api = inProcessApi();
  const adapter = telegramAdapter({
    token: '1:bench',
    apiRoot: 'http://bench.invalid',
    botInfo: benchBotInfo as never,
    throttle: false,
    commandMenu: false,
    client: { fetch: api.fetch as never },
    env: {},
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-bench-telegram-'));
  const bot = createBot({
    config: {
      ...(storage === 'memory' ? { storage: 'memory' as const } : {}),
      ...(storage === 'full'
        ? { storage: sqliteStorage({ path: join(dataDir, 'full.db'), synchronous: 'full' }) }
        : {}),
      access: 'open',
      name: 'Bench',
      http: false,
    },
    dataDir,
    // The adapter's types come from core's sources, the bot's from its build: the same shapes.
    adapters: [adapter as unknown as Adapter],
    log: silentLogger,
  });
  bot.use((context, next) => (context.command?.name === 'ping' ? context.reply('pong') : next()));
  await bot.start();
  return {
    label: labels[storage],
    bot: adapter.bot as unknown as GrammyBot,
    replies: () => api.calls.get('sendMessage') ?? 0,
    stop: async () => {
      await bot.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    best: 0,
  };
}

async function grammyContender(): Promise<Contender> {
  const { bot, replies } = await bareGrammyBot();
  bot.command('ping', (context) => context.reply('pong'));
  return { label: 'bare grammY bot', bot, replies, stop: async () => {}, best: 0 };
}

const format = (value: number) => Math.round(value).toLocaleString('en-US').padStart(9);

// Rounds alternate between the contenders, and each keeps its best: a machine shared with other
// work slows some rounds down, never speeds one up.
const contenders = [
  await grammyContender(),
  await botwireContender('memory'),
  await botwireContender('default'),
  // The trade-off of docs/decisions/0008-sqlite-synchronous.md; BENCH_FULL=0 leaves it out.
  ...(process.env.BENCH_FULL === '0' ? [] : [await botwireContender('full')]),
];
for (const contender of contenders) await drive(contender.bot, warmup);
for (let round = 0; round < rounds; round++) {
  for (const contender of contenders)
    contender.best = Math.max(contender.best, await drive(contender.bot, total));
}
for (const contender of contenders) await contender.stop();
const expected = warmup + rounds * total;
for (const contender of contenders) {
  if (contender.replies() !== expected)
    throw new Error(
      `expected ${expected} replies from ${contender.label}, got ${contender.replies()}`,
    );
}

const grammy = contenders[0]!.best;
console.log(
  `telegram: ${total} /ping updates through handleUpdate over ${chats} chats, best of ${rounds} rounds, Bot API answered in-process (node ${process.version})`,
);
console.log(`  ${''.padEnd(36)} updates/s   grammY / this`);
for (const contender of contenders) {
  const ratio = contender === contenders[0] ? '' : `${(grammy / contender.best).toFixed(1)}x`;
  console.log(`  ${contender.label.padEnd(36)} ${format(contender.best)}   ${ratio.padStart(13)}`);
}

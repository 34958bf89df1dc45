/**
 * Updates per second through grammY's `handleUpdate`, with every Bot API call answered in-process
 * (a `fetch` that never touches the network), for:
 *
 * - the Botwire Telegram adapter with the full pipeline: the durable inbox (update stored,
 *   deduplicated, marked done), the per-chat queue, the typing indicator, access control, the
 *   middleware chain, a trivial `/ping` command, history in storage (memory driver) and the send;
 * - a bare grammY bot doing the equivalent work: `/ping` answered with `pong`.
 *
 * Both run in the same process on the same updates. The send throttle is off for both: with it,
 * Telegram's limit of 30 messages a second would be measured instead. Asserts nothing.
 *
 *   pnpm bench:telegram          (builds stale packages first)
 *   BENCH_UPDATES=20000 BENCH_CHATS=200 BENCH_ROUNDS=5 pnpm bench:telegram
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type TelegramAdapter, telegramAdapter } from '../packages/adapters/telegram/dist/index.js';
import { type Adapter, createBot, silentLogger } from '../packages/core/dist/index.js';

type GrammyBot = TelegramAdapter['bot'];
type BotConstructor = new (token: string, config?: Record<string, unknown>) => GrammyBot;

const total = Number(process.env.BENCH_UPDATES ?? 5000);
const chats = Number(process.env.BENCH_CHATS ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmup = Math.min(1000, Math.ceil(total / 5));
const botInfo = {
  id: 1,
  is_bot: true as const,
  first_name: 'Bench',
  username: 'BenchBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

/** A Bot API answered in memory; counts the calls per method. */
function inProcessApi() {
  const calls = new Map<string, number>();
  let messageId = 0;
  const fetch = async (url: string | URL, init?: { signal?: AbortSignal | null }) => {
    const method = String(url).slice(String(url).lastIndexOf('/') + 1);
    calls.set(method, (calls.get(method) ?? 0) + 1);
    if (method === 'getUpdates') {
      // Long polling that never gets an update: the benchmark feeds handleUpdate directly.
      await new Promise((resolve) => init?.signal?.addEventListener('abort', resolve));
      return new Response(JSON.stringify({ ok: true, result: [] }));
    }
    const result =
      method === 'sendMessage'
        ? { message_id: ++messageId, date: 0, chat: { id: 1, type: 'private' }, text: 'pong' }
        : true;
    return new Response(JSON.stringify({ ok: true, result }));
  };
  return { fetch, calls };
}

let nextUpdateId = 1;
function pingUpdates(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const chatId = 10_000 + (index % chats);
    const updateId = nextUpdateId++;
    return {
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'User' },
        from: { id: chatId, is_bot: false, first_name: 'User', language_code: 'en' },
        text: '/ping',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    };
  });
}

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
  bot: GrammyBot;
  replies: () => number;
  stop: () => Promise<void>;
}

async function botwireContender(): Promise<Contender> {
  const api = inProcessApi();
  const adapter = telegramAdapter({
    token: '1:bench',
    apiRoot: 'http://bench.invalid',
    botInfo: botInfo as never,
    throttle: false,
    commandMenu: false,
    client: { fetch: api.fetch as never },
    env: {},
  });
  const bot = createBot({
    config: { storage: 'memory', access: 'open', name: 'Bench', http: false },
    // The adapter's types come from core's sources, the bot's from its build: the same shapes.
    adapters: [adapter as unknown as Adapter],
    log: silentLogger,
  });
  bot.use((context, next) => (context.command?.name === 'ping' ? context.reply('pong') : next()));
  await bot.start();
  return {
    bot: adapter.bot,
    replies: () => api.calls.get('sendMessage') ?? 0,
    stop: () => bot.stop(),
  };
}

async function grammyContender(): Promise<Contender> {
  const require = createRequire(
    new URL('../packages/adapters/telegram/package.json', import.meta.url),
  );
  const { Bot } = (await import(pathToFileURL(require.resolve('grammy')).href)) as {
    Bot: BotConstructor;
  };
  const api = inProcessApi();
  const bot = new Bot('1:bench', { botInfo, client: { fetch: api.fetch } });
  bot.command('ping', (context) => context.reply('pong'));
  return { bot, replies: () => api.calls.get('sendMessage') ?? 0, stop: async () => {} };
}

const format = (value: number) => Math.round(value).toLocaleString('en-US').padStart(9);

// Rounds alternate between the two, and each keeps its best: a machine shared with other work
// slows some rounds down, never speeds one up.
const grammy = await grammyContender();
const botwire = await botwireContender();
await drive(grammy.bot, warmup);
await drive(botwire.bot, warmup);
let grammyBest = 0;
let botwireBest = 0;
for (let round = 0; round < rounds; round++) {
  grammyBest = Math.max(grammyBest, await drive(grammy.bot, total));
  botwireBest = Math.max(botwireBest, await drive(botwire.bot, total));
}
await botwire.stop();
const expected = warmup + rounds * total;
if (grammy.replies() !== expected || botwire.replies() !== expected)
  throw new Error(
    `expected ${expected} replies each, got grammY ${grammy.replies()}, Botwire ${botwire.replies()}`,
  );

console.log(
  `telegram: ${total} /ping updates through handleUpdate over ${chats} chats, best of ${rounds} rounds, Bot API answered in-process (node ${process.version})`,
);
console.log(`  bare grammY bot           ${format(grammyBest)} updates/s`);
console.log(`  Botwire full pipeline     ${format(botwireBest)} updates/s`);
console.log(
  `  ratio                     ${(grammyBest / botwireBest).toFixed(1).padStart(9)}x (grammY / Botwire)`,
);

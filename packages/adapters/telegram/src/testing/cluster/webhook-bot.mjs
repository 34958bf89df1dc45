// One bot process of a webhook cluster (see webhook-cluster.ts): Telegram in webhook mode on its
// own port, storage shared with the other processes (one SQLite file, or MongoDB when
// MONGODB_URL is set), and the chat sequencer on Redis (or on storage). It answers every text
// with "echo <text>", through the whole pipeline (inbox, sequencer, chat lease, access, history,
// usage). Prints "ready" once it listens.
// Runs from the built packages: `node scripts/ensure-built.mjs` first.
import { createBot, createLogger, sqliteStorage } from '../../../../../core/dist/index.js';
import { redisChatSequencer } from '../../../../../queues/bullmq/dist/index.js';
import { mongoStorage } from '../../../../../storage/mongo/dist/index.js';
import { telegramAdapter } from '../../../dist/index.js';

const env = process.env;
// What the harness counts: updates replayed after a crash, and replays skipped because the dead
// process had already handed out their answer. One JSON line each on standard output, beside a
// line for each answer begun and sent (`cluster-reply`) with CLUSTER_TRACE=1, which the harness
// shows when a chat's answers go wrong.
const counted = new Set(['telegram-update-replayed', 'telegram-update-answered-before-crash']);
const trace = (phase, context) =>
  env.CLUSTER_TRACE === '1' &&
  process.stdout.write(
    `${JSON.stringify({
      message: 'cluster-reply',
      phase,
      pid: process.pid,
      chat: Number(context.message.chat.platformId),
      text: context.text,
      at: Date.now(),
    })}\n`,
  );
const log = createLogger({
  level: 'warn',
  format: 'json',
  write: (line) => {
    const event = JSON.parse(line);
    if (counted.has(event.message)) process.stdout.write(`${line}\n`);
  },
});
const port = Number(env.CLUSTER_PORT);
const sequencer =
  env.CLUSTER_SEQUENCER === 'redis' ? redisChatSequencer({ url: env.REDIS_URL }) : 'storage';

const bot = createBot({
  config: {
    name: 'Cluster',
    access: 'open',
    locale: 'en',
    storage: env.MONGODB_URL
      ? mongoStorage({ url: env.MONGODB_URL })
      : sqliteStorage({ path: env.CLUSTER_DB }),
    sequencer,
    http: { host: '127.0.0.1', port, token: 'cluster-owner-token' },
    middleware: [
      async (context, next) => {
        if (context.message.kind !== 'message' || !context.text) return next();
        trace('begun', context);
        await context.reply(`echo ${context.text}`);
        trace('sent', context);
      },
    ],
  },
  adapters: [
    telegramAdapter({
      token: env.CLUSTER_TOKEN,
      apiRoot: env.CLUSTER_API_ROOT,
      mode: 'webhook',
      webhookUrl: `http://127.0.0.1:${port}/telegram/webhook`,
      webhookSecret: env.CLUSTER_SECRET,
      // Telegram's own pacing (one message a second a chat) would be measured instead.
      throttle: { globalPerSecond: 100_000, privatePerSecond: 100_000, burst: 1000 },
      commandMenu: false,
      env: {},
    }),
  ],
  dataDir: env.CLUSTER_DATA_DIR,
  log,
  env: {},
  terminal: { write: () => undefined },
});

await bot.start();
process.stdout.write('ready\n');
const stop = async () => {
  await bot.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

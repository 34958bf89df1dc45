/**
 * Messages per second through the whole runtime (access control, built-in commands, a skill
 * command with argument validation and storage, history and usage writes), with the in-memory
 * test adapter so only Botwire's own work is measured: on the memory driver and on the default
 * storage (SQLite in a temporary folder). Beside them, a bare grammY bot doing the equivalent
 * work (a counter in a Map, the sender's id, a fixed answer) on updates fed to `handleUpdate`
 * with the Bot API answered in-process; grammY pays for that API round trip and Botwire's test
 * adapter does not, so the ratio flatters Botwire a little. Prints figures; asserts nothing.
 *
 *   pnpm exec tsx bench/pipeline.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, type InlineSkill, silentLogger } from '../packages/core/src/index';
import { testAdapter } from '../packages/core/src/testing/test-adapter';
import { bareGrammyBot, type GrammyBot, textUpdate } from './bare-grammy';

const counter: InlineSkill = {
  manifest: {
    name: 'counter',
    version: '1.0.0',
    description: 'Counts.',
    tools: [
      {
        name: 'count',
        description: 'Adds one to a named counter.',
        input_schema: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1 } },
          required: ['name'],
        },
        permissions: ['storage'],
        side_effects: true,
        timeout_ms: 1000,
      },
    ],
    commands: [{ name: 'count', tool: 'count', argument: 'name', description: 'count' }],
  },
  definition: {
    tools: {
      count: async ({ name }: { name: string }, context) => {
        const value = ((await context.storage.get<number>(name)) ?? 0) + 1;
        await context.storage.set(name, value);
        return { text: `${name}: ${value}` };
      },
    },
  },
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Users send concurrently; each user's messages go one after another, as in a chat. */
async function drive(
  messages: number,
  users: number,
  send: (user: number) => Promise<unknown>,
): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let index = 0; index < messages / users; index += 1) {
        const sent = performance.now();
        await send(user);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(messages / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function measureBotwire(
  storage: 'memory' | 'default',
  text: string,
  messages: number,
  users: number,
): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-bench-'));
  const test = testAdapter();
  const bot = createBot({
    config: {
      ...(storage === 'memory' ? { storage: 'memory' as const } : {}),
      access: 'open',
      skills: [{ use: counter, permissions: ['storage'] }],
    },
    dataDir,
    adapters: [test.adapter],
    log: silentLogger,
  });
  await bot.start();
  try {
    return await drive(messages, users, (user) => test.say(text, { userId: `user-${user}` }));
  } finally {
    await bot.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let nextUpdateId = 1;
async function measureGrammy(text: string, messages: number, users: number): Promise<Figures> {
  const { bot, replies } = await bareGrammyBot();
  const counts = new Map<string, number>();
  bot.command('count', (context) => {
    const value = (counts.get(context.match) ?? 0) + 1;
    counts.set(context.match, value);
    return context.reply(`${context.match}: ${value}`);
  });
  bot.command('whoami', (context) => context.reply(`You are ${context.from?.id}.`));
  bot.on('message:text', (context) => context.reply('I did not understand that.'));
  const figures = await drive(messages, users, (user) =>
    (bot as GrammyBot).handleUpdate(textUpdate(nextUpdateId++, 10_000 + user, text) as never),
  );
  if (replies() !== messages) throw new Error(`grammY sent ${replies()} of ${messages} replies`);
  return figures;
}

const messages = Number(process.env.BENCH_MESSAGES ?? 4000);
const users = 20;
const warmup = 400;
console.log(
  `pipeline: ${messages} messages from ${users} concurrent users, node ${process.version}`,
);
console.log(
  'message          grammY msg/s | memory msg/s  p50 ms  p99 ms  ratio | sqlite msg/s  p50 ms  p99 ms  ratio',
);
const column = (figures: Figures, grammy: Figures) =>
  `${String(figures.perSecond).padStart(12)} ${figures.p50.toFixed(2).padStart(7)} ${figures.p99
    .toFixed(2)
    .padStart(7)} ${`${(grammy.perSecond / figures.perSecond).toFixed(1)}x`.padStart(6)}`;
for (const text of ['/count apples', '/whoami', 'hello']) {
  await measureGrammy(text, warmup, users);
  const grammy = await measureGrammy(text, messages, users);
  const results: Figures[] = [];
  for (const storage of ['memory', 'default'] as const) {
    await measureBotwire(storage, text, warmup, users);
    results.push(await measureBotwire(storage, text, messages, users));
  }
  console.log(
    `${text.padEnd(16)} ${String(grammy.perSecond).padStart(12)} | ${column(results[0]!, grammy)} | ${column(results[1]!, grammy)}`,
  );
}
console.log('ratio: grammY msg/s divided by Botwire msg/s (lower is better; 1.0x is parity)');

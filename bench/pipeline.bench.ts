/**
 * Messages per second through the whole runtime (access control, built-in commands, a skill
 * command with argument validation and storage, history writes), with the in-memory test
 * adapter so only Botwire's own work is measured. Prints figures; asserts nothing.
 *
 *   pnpm exec tsx bench/pipeline.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, type InlineSkill, silentLogger } from '../packages/core/src/index';
import { testAdapter } from '../packages/core/src/testing/test-adapter';

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

async function measure(
  storage: 'memory' | 'sqlite',
  text: string,
  messages: number,
  users: number,
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-bench-'));
  const test = testAdapter();
  const bot = createBot({
    config: { storage, access: 'open', skills: [{ use: counter, permissions: ['storage'] }] },
    dataDir,
    adapters: [test.adapter],
    log: silentLogger,
  });
  await bot.start();
  const latencies: number[] = [];
  const started = performance.now();
  // Users send concurrently; each user's messages go one after another, as in a chat.
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let index = 0; index < messages / users; index += 1) {
        const sent = performance.now();
        await test.say(text, { userId: `user-${user}` });
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await bot.stop();
  rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(messages / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const messages = 4000;
const users = 20;
console.log(
  `pipeline: ${messages} messages from ${users} concurrent users, node ${process.version}`,
);
console.log('storage  message            msg/s   p50 ms  p99 ms');
for (const storage of ['memory', 'sqlite'] as const) {
  for (const text of ['/count apples', '/whoami', 'hello']) {
    await measure(storage, text, 400, users); // warm-up
    const result = await measure(storage, text, messages, users);
    console.log(
      `${storage.padEnd(8)} ${text.padEnd(16)} ${String(result.perSecond).padStart(7)} ${result.p50.toFixed(2).padStart(8)} ${result.p99.toFixed(2).padStart(7)}`,
    );
  }
}

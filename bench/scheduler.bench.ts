/**
 * The job queue under a burst: 10,000 reminders due within the same second, on the embedded
 * driver over memory storage and over SQLite (a fresh file), and on BullMQ over Redis. Prints, per driver, how late the
 * handlers started (p50, p99, max: handler start minus the occurrence's due time) and how many
 * jobs per second it ran, beside the goal (p99 ≤ 1 s). Prints figures, asserts nothing.
 *
 *   node scripts/ensure-built.mjs && tsx bench/scheduler.bench.ts
 *   BENCH_JOBS=2000 tsx bench/scheduler.bench.ts
 *   BENCH_REDIS_URL=redis://127.0.0.1:6379 tsx bench/scheduler.bench.ts   (BullMQ on that Redis)
 *
 * BullMQ runs too: on BENCH_REDIS_URL, else on a redis-server the bench starts on loopback (and
 * stops) when one is installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  embeddedJobQueue,
  type JobQueue,
  memoryStorage,
  type StorageDriver,
  sqliteStorage,
} from '../packages/core/dist/index.js';

const jobCount = Number(process.env.BENCH_JOBS ?? 10_000);
const goalP99Ms = 1_000;
/** Jobs added at once while setting up. */
const addChunk = 500;

interface Driver {
  name: string;
  open(): Promise<{ queue: JobQueue; close(): Promise<void> }>;
}

const percentile = (sorted: number[], quantile: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!;

async function burst(driver: Driver): Promise<void> {
  const { queue, close } = await driver.open();
  const late: number[] = [];
  let lastStart = 0;
  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  queue.process('bench.remind', async (run) => {
    const now = Date.now();
    late.push(now - run.due.getTime());
    lastStart = now;
    if (late.length === jobCount) finished();
  });
  await queue.start();
  // Due times spread over one second, far enough ahead for every add to be stored first.
  const setupStart = Date.now();
  const first = setupStart + 5_000 + jobCount;
  for (let start = 0; start < jobCount; start += addChunk) {
    const adds: Promise<unknown>[] = [];
    for (let index = start; index < Math.min(jobCount, start + addChunk); index++) {
      const runAt = new Date(first + Math.floor((index * 1_000) / jobCount));
      adds.push(queue.add({ name: 'bench.remind', data: { index, text: 'Drink water' }, runAt }));
    }
    await Promise.all(adds);
  }
  const setupMs = Date.now() - setupStart;
  if (Date.now() > first)
    console.warn(`  (setup took ${setupMs} ms: the burst began before it ended)`);
  await all;
  let stats = await queue.stats();
  for (let waited = 0; stats.done < jobCount && waited < 5_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stats = await queue.stats();
  }
  await close();
  late.sort((a, b) => a - b);
  const p50 = percentile(late, 0.5);
  const p99 = percentile(late, 0.99);
  // Jobs started per second from the first due time to the last start: at most 10,000 when
  // every job starts on time, since they come due over one second.
  const seconds = Math.max(1, lastStart - first) / 1_000;
  console.log(
    `${driver.name.padEnd(22)} ${String(jobCount).padStart(6)} jobs  added in ${String(setupMs).padStart(5)} ms  ` +
      `lateness p50 ${String(p50).padStart(5)} ms  p99 ${String(p99).padStart(5)} ms  max ${String(late[late.length - 1]).padStart(5)} ms  ` +
      `${Math.round(jobCount / seconds)} jobs/s  ${p99 <= goalP99Ms ? 'meets' : 'MISSES'} the goal (p99 ≤ ${goalP99Ms} ms)` +
      `  [stats: done ${stats.done}, p99 ${stats.lateness.p99} ms]`,
  );
}

const embedded = (name: string, storage: () => StorageDriver, cleanUp = () => {}): Driver => ({
  name,
  async open() {
    const opened = storage();
    await opened.open();
    const queue = embeddedJobQueue({ storage: opened });
    return {
      queue,
      async close() {
        await queue.close();
        await opened.close();
        cleanUp();
      },
    };
  },
});

const directory = mkdtempSync(join(tmpdir(), 'botwire-bench-scheduler-'));
const drivers: Driver[] = [
  embedded('embedded, memory', () => memoryStorage()),
  embedded(
    'embedded, SQLite',
    () => sqliteStorage({ path: join(directory, 'jobs.db') }),
    () => rmSync(directory, { recursive: true, force: true }),
  ),
];

/** BENCH_REDIS_URL, else a throwaway redis-server on loopback when one is installed. */
async function redisForBench(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (process.env.BENCH_REDIS_URL)
    return { url: process.env.BENCH_REDIS_URL, stop: async () => {} };
  const testingPath = '../packages/queues/bullmq/dist/testing/index.js';
  const { startRedisServer } = (await import(testingPath)) as {
    startRedisServer: () => Promise<{ url: string; stop(): Promise<void> }>;
  };
  try {
    return await startRedisServer();
  } catch (error) {
    console.log(
      `(BullMQ left out: no redis-server to start (${error instanceof Error ? error.message.split('\n')[0] : error}); install it (apt-get install redis-server) or set BENCH_REDIS_URL=redis://host:6379)`,
    );
    return undefined;
  }
}

const redis = await redisForBench();
if (redis) {
  // The BullMQ driver (packages/queues/bullmq), built by `node scripts/ensure-built.mjs`.
  const modulePath = '../packages/queues/bullmq/dist/index.js';
  const { bullmqJobQueue } = (await import(modulePath)) as {
    bullmqJobQueue: (options: { url: string; prefix: string; concurrency?: number }) => JobQueue;
  };
  drivers.push({
    name: 'BullMQ on Redis',
    async open() {
      const queue = bullmqJobQueue({
        url: redis.url,
        prefix: `bench-${Date.now()}`,
        concurrency: 16,
      });
      return { queue, close: () => queue.close() };
    },
  });
}

console.log(
  `scheduler burst: ${jobCount} reminders due within one second; goal p99 lateness ≤ ${goalP99Ms} ms`,
);
for (const driver of drivers) await burst(driver);
await redis?.stop();

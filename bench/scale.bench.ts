/**
 * Past one process: Telegram webhook updates per second with one bot process and with two
 * behind the same webhook (one SQLite file, the chat sequencer on Redis), and what the chat
 * sequencer costs per update, on Redis and on storage, printed side by side.
 *
 * The processes are the echo bot of `packages/adapters/telegram/src/testing/cluster`: the whole
 * pipeline (durable inbox, sequencer, chat lease, access, history, usage, the send) for every
 * update, their Bot API calls answered by a local peer. Updates come as Telegram sends them:
 * each chat's next once the last was acknowledged, chats at once, processes in turn. A run is
 * timed from the first send to the last answer the peer received. Asserts nothing.
 *
 *   pnpm bench:scale              (builds stale packages first; needs redis-server)
 *   BENCH_CHATS=200 BENCH_PER_CHAT=50 pnpm bench:scale
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBotApiPeer } from '../packages/adapters/telegram/src/testing/bot-api-peer';
import {
  sendUpdates,
  startWebhookCluster,
} from '../packages/adapters/telegram/src/testing/cluster/webhook-cluster';
import {
  type ChatSequencer,
  memoryStorage,
  type StorageDriver,
  sqliteStorage,
  storageChatSequencer,
} from '../packages/core/dist/index.js';
import { redisChatSequencer } from '../packages/queues/bullmq/dist/index.js';
import { startRedisServer } from '../packages/queues/bullmq/src/testing/redis-server';

const chats = Number(process.env.BENCH_CHATS ?? 100);
const perChat = Number(process.env.BENCH_PER_CHAT ?? 30);
const lockRounds = Number(process.env.BENCH_LOCK_ROUNDS ?? 2000);
const token = '99:BENCH-token';

interface ClusterRun {
  processes: number;
  updates: number;
  seconds: number;
  perSecond: number;
  acknowledgedPerSecond: number;
}

async function clusterRun(processes: number, redisUrl: string): Promise<ClusterRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-bench-scale-'));
  const peer = await startBotApiPeer(token);
  const cluster = await startWebhookCluster({
    processes,
    peer,
    token,
    database: join(dataDir, 'bot.db'),
    dataDir,
    sequencer: 'redis',
    redisUrl,
  });
  try {
    const total = chats * perChat;
    const startedAt = Date.now();
    const report = await sendUpdates({ urls: () => cluster.urls, chats, perChat });
    while (peer.callsOf('sendMessage').length < total)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const last = Math.max(...peer.callsOf('sendMessage').map((call) => call.at));
    const seconds = (last - startedAt) / 1000;
    return {
      processes,
      updates: total,
      seconds,
      perSecond: total / seconds,
      acknowledgedPerSecond: total / (report.ms / 1000),
    };
  } finally {
    await cluster.stop();
    await peer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Mean cost of one update's enter, turn and leave, with no other update waiting; with `note`,
 * also the note of one answer that left (what a Telegram update with one reply adds).
 */
async function lockCost(sequencer: ChatSequencer, note = false): Promise<number> {
  for (let index = 1; index <= 100; index++) {
    await sequencer.enter('warm', index);
    await sequencer.turn('warm', index);
    await sequencer.leave('warm', index);
  }
  const started = performance.now();
  for (let index = 1; index <= lockRounds; index++) {
    const chat = `chat-${index % 100}`;
    await sequencer.enter(chat, index);
    await sequencer.turn(chat, index);
    if (note) await sequencer.answered(chat, index);
    await sequencer.leave(chat, index);
  }
  const ms = (performance.now() - started) / lockRounds;
  await sequencer.close();
  return ms;
}

/** The bot commits an answer note at once, in the step of the request (the storage's flush). */
const asInTheBot = (storage: StorageDriver) => ({ flush: () => storage.flush?.() });

const redis = await startRedisServer();
try {
  console.log(
    `scale: ${chats} chats × ${perChat} updates, echo bot in webhook mode, one SQLite file, sequencer on Redis`,
  );
  const runs = [await clusterRun(1, redis.url), await clusterRun(2, redis.url)];
  const memory = memoryStorage();
  await memory.open();
  const dir = mkdtempSync(join(tmpdir(), 'botwire-bench-lock-'));
  const sqlite = sqliteStorage({ path: join(dir, 'bot.db') });
  await sqlite.open();
  const costs = {
    redis: await lockCost(redisChatSequencer({ url: redis.url, prefix: 'bench' })),
    sqlite: await lockCost(storageChatSequencer(sqlite.kv, asInTheBot(sqlite))),
    memory: await lockCost(storageChatSequencer(memory.kv)),
  };
  const noted = {
    redis: await lockCost(redisChatSequencer({ url: redis.url, prefix: 'bench-noted' }), true),
    sqlite: await lockCost(storageChatSequencer(sqlite.kv, asInTheBot(sqlite)), true),
    memory: await lockCost(storageChatSequencer(memory.kv), true),
  };
  await sqlite.close();
  await memory.close();
  rmSync(dir, { recursive: true, force: true });

  console.log('');
  console.log('processes  updates  answered in  updates/s  acknowledged/s');
  for (const run of runs)
    console.log(
      `${String(run.processes).padStart(9)}  ${String(run.updates).padStart(7)}  ${`${run.seconds.toFixed(1)} s`.padStart(11)}  ${run.perSecond.toFixed(0).padStart(9)}  ${run.acknowledgedPerSecond.toFixed(0).padStart(14)}`,
    );
  console.log(`two processes / one: ${(runs[1]!.perSecond / runs[0]!.perSecond).toFixed(2)}×`);
  console.log('');
  console.log(`chat sequencer per update (uncontended, ${lockRounds} updates):`);
  console.log('                   enter + turn + leave   with one answer note');
  const row = (name: string, key: keyof typeof costs) =>
    console.log(
      `  ${name.padEnd(17)}${`${(costs[key] * 1000).toFixed(0)} µs`.padStart(20)}${`${(noted[key] * 1000).toFixed(0)} µs`.padStart(23)}`,
    );
  row('redis', 'redis');
  row('storage (sqlite)', 'sqlite');
  row('storage (memory)', 'memory');
} finally {
  await redis.stop();
}

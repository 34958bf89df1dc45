import {
  type ChatSequencer,
  type ChatSequencerOptions,
  LocalTurns,
  type Logger,
  waitForTurn,
} from '@botwire/core';
import type { Redis } from 'ioredis';
import { connectRedis, loadQueueModules } from './redis-client';

/** Options of {@link redisChatSequencer}. */
export interface RedisChatSequencerOptions extends ChatSequencerOptions {
  /** `redis://[:password@]host:port[/db]`. Default: env `REDIS_URL`. */
  url?: string;
  /** Prefix of its keys and channel. Default `botwire`. */
  prefix?: string;
  /** Where connection failures are logged (without credentials). */
  log?: Logger;
  /** Read `REDIS_URL` from here instead of `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * The chat sequencer on Redis, for a bot in several processes behind one webhook: each chat's
 * announced updates are a sorted set (by update id); a process whose update left publishes the
 * chat, and every process wakes its waiting updates of that chat at once instead of polling.
 * Only the earliest waiting update of a chat in a process looks at Redis, and rarely: a lost
 * wake-up costs at most `maxPollMs` (default 500 ms; polling every 50 ms, as the storage driver
 * does, cost a process with a backlog in 100 chats 2,000 Redis reads a second). Connects on
 * first use.
 *
 * @example
 * export default defineConfig({
 *   storage: mongoStorage(),
 *   queue: bullmqJobQueue({ url: process.env.REDIS_URL }),
 *   sequencer: redisChatSequencer({ url: process.env.REDIS_URL }),
 * });
 */
export function redisChatSequencer(options: RedisChatSequencerOptions = {}): ChatSequencer {
  const url = options.url ?? (options.env ?? process.env).REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = options.prefix ?? 'botwire';
  const keepMs = options.keepMs ?? 86_400_000;
  const channel = `${prefix}:chat-seq-left`;
  const keyOf = (chat: string) => `${prefix}:chat-seq:${chat}`;
  const local = new LocalTurns();
  const answeredKey = (chat: string, sequence: number) =>
    `${prefix}:chat-answered:${chat}:${sequence}`;
  let connecting: Promise<{ redis: Redis; subscriber: Redis }> | undefined;
  /** The connection once made, for writes that may not wait a turn. */
  let connected: { redis: Redis; subscriber: Redis } | undefined;

  const connect = () => {
    connecting ??= (async () => {
      const modules = await loadQueueModules();
      const redis = await connectRedis(modules, url, options.log);
      const subscriber = redis.duplicate();
      subscriber.on('message', (_channel: string, chat: string) => local.wake(chat));
      await subscriber.subscribe(channel);
      connected = { redis, subscriber };
      return connected;
    })();
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const remove = async (chat: string, sequence: number) => {
    const { redis } = await connect();
    await redis.zrem(keyOf(chat), String(sequence));
    local.wake(chat);
    await redis.publish(channel, chat);
  };

  return {
    name: 'redis',
    async enter(chat, sequence) {
      const { redis } = await connect();
      await redis
        .multi()
        .zadd(keyOf(chat), sequence, String(sequence))
        .pexpire(keyOf(chat), keepMs)
        .exec();
    },
    async turn(chat, sequence, turnOptions = {}) {
      const { redis } = await connect();
      await waitForTurn(
        chat,
        sequence,
        async () => {
          const [, score] = await redis.zrange(keyOf(chat), 0, 0, 'WITHSCORES');
          return score === undefined ? undefined : Number(score);
        },
        (earlier) => remove(chat, earlier),
        {
          ...turnOptions,
          local,
          maxPollMs: options.maxPollMs ?? 500,
          staleCheckMs: options.staleCheckMs ?? 1000,
        },
      );
    },
    leave: remove,
    async answered(chat, sequence) {
      // Written in this turn when connected (before the caller's message can have left).
      const { redis } = connected ?? (await connect());
      await redis.set(answeredKey(chat, sequence), '1', 'PX', keepMs);
    },
    async unanswered(chat, sequence) {
      const { redis } = connected ?? (await connect());
      await redis.del(answeredKey(chat, sequence));
    },
    async wasAnswered(chat, sequence) {
      const { redis } = await connect();
      return (await redis.exists(answeredKey(chat, sequence))) === 1;
    },
    async close() {
      const current = connecting;
      connecting = undefined;
      connected = undefined;
      if (!current) return;
      const connection = await current.catch(() => undefined);
      await connection?.subscriber.quit().catch(() => undefined);
      await connection?.redis.quit().catch(() => undefined);
    },
  };
}

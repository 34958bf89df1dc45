import { runChatSequencerContract } from '@botwire/core/contract-suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisChatSequencer } from './redis-chat-sequencer';
import { type RedisServer, startRedisServer } from './testing';

// redis-server comes from Debian: `.ci/run` installs it.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

let run = 0;
runChatSequencerContract('redis', async () => {
  // Each run its own prefix: the server is shared by the whole file.
  const prefix = `test-${++run}`;
  return {
    first: redisChatSequencer({ url: redis.url, prefix, staleCheckMs: 50 }),
    second: redisChatSequencer({ url: redis.url, prefix, staleCheckMs: 50 }),
  };
});

describe('redisChatSequencer', () => {
  it('wakes a waiting update in another process as soon as the earlier one left', async () => {
    // maxPollMs 5 s: only the published wake-up can make the hand-over fast.
    const one = redisChatSequencer({ url: redis.url, prefix: 'wake', maxPollMs: 5000 });
    const two = redisChatSequencer({ url: redis.url, prefix: 'wake', maxPollMs: 5000 });
    try {
      await one.enter('chat', 1);
      await two.enter('chat', 2);
      const waiting = two.turn('chat', 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const left = performance.now();
      await one.leave('chat', 1);
      await waiting;
      expect(performance.now() - left).toBeLessThan(1000);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('fails clearly when Redis cannot be reached', async () => {
    const sequencer = redisChatSequencer({ url: 'redis://127.0.0.1:1' });
    await expect(sequencer.enter('chat', 1)).rejects.toMatchObject({
      code: 'BOTWIRE_QUEUE_FAILED',
    });
    await sequencer.close();
  });
});

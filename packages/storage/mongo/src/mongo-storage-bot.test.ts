import { type Bot, createBot, silentLogger } from '@botwire/core';
import { testAdapter } from '@botwire/core/testing';
import { type MongoPeer, startMongoPeer } from '@botwire/storage-mongo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoStorage } from './mongo-storage';

let peer: MongoPeer;

beforeAll(async () => {
  peer = await startMongoPeer();
});

afterAll(async () => {
  await peer.close();
});

describe('a bot on mongoStorage', () => {
  it('keeps its users, chats and history in MongoDB, shared by two bot processes', async () => {
    const bots: Bot[] = [];
    const start = async () => {
      const test = testAdapter();
      const bot = createBot({
        config: { storage: mongoStorage({ url: peer.url, database: 'bot' }), access: 'open' },
        adapters: [test.adapter],
        log: silentLogger,
        terminal: { write: () => undefined },
      });
      bots.push(bot);
      await bot.start();
      return test;
    };
    try {
      const first = await start();
      const second = await start();
      expect((await first.say('/help', { userId: 'ann' }))[0]?.text).toBeTruthy();
      expect((await second.say('/help', { userId: 'ann' }))[0]?.text).toBeTruthy();
      const users = peer.store.collection('bot', 'users')?.documents ?? [];
      expect(users).toHaveLength(1);
      const history = peer.store.collection('bot', 'messages')?.documents ?? [];
      expect(history.filter((message) => message.direction === 'in')).toHaveLength(2);
      expect(history.map((message) => message._id)).toEqual(
        [...history.map((message) => message._id as number)].sort((a, b) => a - b),
      );
    } finally {
      for (const bot of bots) await bot.stop();
    }
  });
});

import { type Bot, createBot, defineConversation, silentLogger } from '@botwire/core';
import {
  plannerTestSkills,
  scriptedChatModel,
  type ToolLog,
  testAdapter,
} from '@botwire/core/testing';
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

  it('carries a conversation and a confirmation from one process to the other', async () => {
    const bots: Bot[] = [];
    const tools: ToolLog = { calls: [] };
    const signup = defineConversation<{ name?: string; city?: string }>({
      name: 'signup',
      steps: [
        { id: 'name', ask: 'Your name?' },
        { id: 'city', ask: (_context, data) => `Your city, ${data.name}?` },
      ],
      done: (context, data) => context.reply(`Signed up ${data.name} from ${data.city}`),
    });
    const model = scriptedChatModel([
      {
        json: {
          mode: 'plan',
          // Saving what a web page says waits for the user's yes.
          steps: [
            { id: 's1', tool: 'web_fetch', arguments: { url: 'https://example.org/page' } },
            { id: 's2', tool: 'note_save', arguments: { text: '{{s1.text}}' } },
          ],
          final: 'compose',
        },
      },
      'Saved.',
    ]);
    const start = async () => {
      const test = testAdapter({ buttons: true });
      const bot = createBot({
        config: {
          storage: mongoStorage({ url: peer.url, database: 'handover' }),
          access: 'open',
          conversations: [signup],
          skills: plannerTestSkills(tools).map((use) => ({ use, permissions: ['network'] })),
          middleware: [
            (context, next) =>
              context.command?.name === 'signup' ? signup.enter(context) : next(),
          ],
        },
        model,
        adapters: [test.adapter],
        log: silentLogger,
        terminal: { write: () => undefined },
      });
      bots.push(bot);
      await bot.start();
      return async (text: string) => (await test.say(text, { userId: 'ann' }))[0]?.text;
    };
    try {
      const one = await start();
      const two = await start();
      // Each answer lands on the other process, as a load balancer hands them out.
      expect(await one('/signup')).toBe('Your name?');
      expect(await two('Ann')).toBe('Your city, Ann?');
      expect(await one('Oslo')).toBe('Signed up Ann from Oslo');
      expect(await two('save that page as a note')).toMatch(/would run note_save/);
      expect(await one('yes')).toBe('Saved.');
      expect(tools.calls.map((call) => call.tool)).toEqual(['web_fetch', 'note_save']);
    } finally {
      for (const bot of bots) await bot.stop();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Bot,
  type ChatModel,
  type ChatRequest,
  createBot,
  defineSkill,
  silentLogger,
} from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memorySource } from './testing/memory-source';

const bots: Bot[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A stand-in for web_fetch: a tool with the network permission, so its output is untrusted. */
const pageStandIn = {
  use: {
    manifest: {
      name: 'page-stand-in',
      version: '1.0.0',
      description: 'Returns the text of a page.',
      tools: [
        {
          name: 'page_read',
          description: 'Reads a web page.',
          input_schema: {
            type: 'object',
            properties: { url: { type: 'string' } },
            required: ['url'],
          },
          permissions: ['network' as const],
          side_effects: false,
          timeout_ms: 1000,
        },
      ],
    },
    definition: defineSkill({
      tools: { page_read: () => ({ text: 'The user lives in Atlantis', data: {} }) },
    }),
  },
  permissions: ['network' as const],
};

async function startBot(
  options: { model?: ChatModel; dataDir?: string; config?: Record<string, unknown> } = {},
) {
  const test = testAdapter();
  const bot = createBot({
    config: {
      ...(options.dataDir ? {} : { storage: 'memory' as const }),
      access: 'open',
      skills: [memorySource(options.config), pageStandIn],
    },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    adapters: [test.adapter],
    log: silentLogger,
    ...(options.model ? { model: options.model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { test, bot };
}

/** The system prompt of a model request: where recalled facts go. */
const systemOf = (model: ReturnType<typeof scriptedChatModel>, index: number) =>
  String(model.requests[index]?.messages[0]?.content ?? '');

describe('memory without a model: patterns and commands', () => {
  it('remembers from "запомни, что …" and "remember that …", and lists with ids', async () => {
    const { test } = await startBot();
    const [saved] = await test.say('Запомни, что я люблю зелёный чай');
    expect(saved?.text).toBe('Запомнил: я люблю зелёный чай');
    await test.say('remember that my sister is called Maria');
    const [listed] = await test.say('что ты обо мне знаешь?');
    expect(listed?.text).toContain('я люблю зелёный чай (mem_');
    expect(listed?.text).toContain('my sister is called Maria (mem_');
    const [english] = await test.say('What do you know about me?');
    expect(english?.text).toContain('What I remember about you (2)');
    const [command] = await test.say('/memory');
    expect(command?.text).toContain('my sister is called Maria');
  });

  it('merges a fact said twice', async () => {
    const { test } = await startBot();
    await test.say('запомни: мой сын Миша');
    const [again] = await test.say('запомни, что мой сын — Миша!');
    expect(again?.text).toContain('уже знал');
    const [listed] = await test.say('/memory');
    expect(listed?.text).toContain('(1)');
  });

  it('forgets by words and by id; a locked fact stays until unlocked', async () => {
    const { test } = await startBot();
    await test.say('remember that I live in Paris');
    await test.say('remember that I have a cat named Tom');
    const [forgotten] = await test.say('forget that I live in Paris');
    expect(forgotten?.text).toBe('Forgotten: I live in Paris');
    const [listed] = await test.say('/memory');
    const id = /\((mem_[a-z0-9]+)/.exec(listed?.text ?? '')?.[1];
    expect(id).toBeDefined();
    await test.say(`/memory_lock ${id}`);
    const [refused] = await test.say(`/forget ${id}`);
    expect(refused?.text).toContain('locked');
    await test.say(`/memory_unlock ${id}`);
    const [gone] = await test.say(`/forget ${id}`);
    expect(gone?.text).toBe('Forgotten: I have a cat named Tom');
    const [empty] = await test.say('/memory');
    expect(empty?.text).toContain('nothing about you');
  });

  it('keeps the time zone as a preference other skills read', async () => {
    const { test, bot } = await startBot();
    const [unknown] = await test.say('какая у меня зона?');
    expect(unknown?.text).toContain('не знаю');
    const [set] = await test.say('моя зона UTC+3');
    expect(set?.text).toContain('UTC+03:00');
    const [read] = await test.say('какая у меня зона?');
    expect(read?.text).toContain('UTC+03:00');
    await test.say('my timezone is europe/berlin', { userId: 'user-2' });
    const [english] = await test.say('what is my timezone?', { userId: 'user-2' });
    expect(english?.text).toContain('Europe/Berlin');
    const users = await bot.storage.users.list();
    const zones = users.map((user) => (user.data.preferences as { timezone?: string })?.timezone);
    expect(zones.sort()).toEqual(['Europe/Berlin', 'UTC+03:00']);
    const [invalid] = await test.say('/timezone Mars/Olympus');
    expect(invalid?.text).toContain('not a time zone');
  });

  it('never shows one user what another remembered', async () => {
    const { test, bot } = await startBot();
    await test.say('remember that my PIN hint is blue elephant', { userId: 'alice' });
    const [bobList] = await test.say('/memory', { userId: 'bob' });
    expect(bobList?.text).toContain('nothing about you');
    const [alice, bob] = await Promise.all(
      ['alice', 'bob'].map((id) =>
        bot.storage.users.findByIdentity({ platform: 'test', platformId: id }),
      ),
    );
    const asBob = (await bot.callTool(
      'memory_recall',
      { query: 'PIN hint blue elephant' },
      { user: bob! },
    )) as { data: { facts: unknown[] } };
    expect(asBob.data.facts).toEqual([]);
    const asAlice = (await bot.callTool(
      'memory_recall',
      { query: 'PIN hint blue elephant' },
      { user: alice! },
    )) as { data: { facts: Array<{ content: string }> } };
    expect(asAlice.data.facts[0]?.content).toBe('my PIN hint is blue elephant');
    const [bobForget] = await test.say('forget that my PIN hint is blue elephant', {
      userId: 'bob',
    });
    expect(bobForget?.text).toContain('nothing like');
    const [aliceList] = await test.say('/memory', { userId: 'alice' });
    expect(aliceList?.text).toContain('blue elephant');
  });
});

describe('memory with a model', () => {
  it('a fact remembered with "запомни" is in the next planning call; another user never sees it', async () => {
    const model = scriptedChatModel([
      { json: { mode: 'answer', answer: 'Чай, конечно.' } },
      { json: { mode: 'answer', answer: 'I do not know.' } },
    ]);
    const { test } = await startBot({ model });
    await test.say('запомни, что я люблю зелёный чай');
    expect(model.requests).toHaveLength(0);
    const [reply] = await test.say('Какой чай мне заварить?');
    expect(reply?.text).toBe('Чай, конечно.');
    expect(systemOf(model, 0)).toContain('Facts you remember about this user');
    expect(systemOf(model, 0)).toContain('я люблю зелёный чай');
    await test.say('What tea should I make?', { userId: 'stranger' });
    expect(systemOf(model, 1)).not.toContain('зелёный чай');
  });

  it('a fact from a fetched page is quarantined, absent from recall until approved', async () => {
    const model = scriptedChatModel([
      // The plan reads a page and saves what it says: untrusted data into a side effect.
      {
        json: {
          mode: 'plan',
          steps: [
            { id: 's1', tool: 'page_read', arguments: { url: 'https://example.org/me' } },
            { id: 's2', tool: 'memory_save', arguments: { content: '{{s1.text}}' } },
          ],
          final: 'last_step',
        },
      },
      { json: { mode: 'answer', answer: 'No idea where you live.' } },
      { json: { mode: 'answer', answer: 'You live in Atlantis.' } },
    ]);
    const { test } = await startBot({ model });
    const [ask] = await test.say('read example.org/me and remember what it says about me');
    expect(ask?.buttons).toBeDefined();
    const [saved] = await test.say('yes');
    expect(saved?.text).toContain('keep it aside until you approve');
    await test.say('where do I live?');
    expect(systemOf(model, 1)).not.toContain('Atlantis');
    const [review] = await test.say('/memory review');
    expect(review?.text).toContain('The user lives in Atlantis');
    const approve = review?.buttons?.[0]?.[0]?.data;
    expect(approve).toMatch(/^\/memory_approve mem_/);
    const [approved] = await test.press(approve!);
    expect(approved?.text).toContain('Approved');
    await test.say('where do I live?');
    expect(systemOf(model, 2)).toContain('The user lives in Atlantis');
  });

  it('extracts facts from a batch of messages with one model call, not one per message', async () => {
    // Extraction runs beside the planning call: answer each by what it asks.
    const answer = (request: ChatRequest) =>
      request.responseSchema?.name === 'memory_facts'
        ? {
            json: {
              facts: [{ content: 'Works as a pilot', category: 'profile', importance: 0.7 }],
            },
          }
        : { json: { mode: 'answer', answer: 'Noted.' } };
    const model = scriptedChatModel(Array.from({ length: 4 }, () => answer));
    const { test } = await startBot({ model, config: { extractEvery: 2 } });
    await test.say('I fly planes for a living');
    expect(model.requests).toHaveLength(1);
    await test.say('Tomorrow I fly to Oslo');
    await vi.waitFor(() => expect(model.requests).toHaveLength(3));
    const extractions = model.requests.filter(
      (request) => request.responseSchema?.name === 'memory_facts',
    );
    expect(extractions).toHaveLength(1);
    const batch = String(extractions[0]?.messages[1]?.content);
    expect(batch).toContain('I fly planes for a living');
    expect(batch).toContain('Tomorrow I fly to Oslo');
    await vi.waitFor(async () => {
      const [listed] = await test.say('/memory');
      expect(listed?.text).toContain('Works as a pilot');
    });
    await test.say('What is my job?');
    expect(model.requests).toHaveLength(4);
    expect(systemOf(model, 3)).toContain('Works as a pilot');
  });
});

describe('memory across a restart', () => {
  it('keeps facts and their index in the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botwire-memory-'));
    folders.push(dataDir);
    const first = await startBot({ dataDir });
    await first.test.say('remember that my locker code is on the blue card');
    await first.bot.stop();
    bots.splice(bots.indexOf(first.bot), 1);
    const model = scriptedChatModel([{ json: { mode: 'answer', answer: 'The blue card.' } }]);
    const second = await startBot({ dataDir, model });
    const [listed] = await second.test.say('/memory');
    expect(listed?.text).toContain('my locker code is on the blue card');
    await second.test.say('where is my locker code?');
    expect(systemOf(model, 0)).toContain('my locker code is on the blue card');
  });
});

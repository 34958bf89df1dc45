import { readFileSync } from 'node:fs';
import { type Bot, createBot, type SkillManifest, silentLogger } from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import skill from './index';

/**
 * The faq_answer tool in a bot: exactly `{ answer, citations, handoff }`, answers in the
 * question's language with the entry it came from, hands off when it should, and keeps its
 * index in the bot's storage (built once, read back by the next process).
 */
const manifest = JSON.parse(
  readFileSync(new URL('../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
let bot: Bot;

/** A started bot with the skill on memory storage, and a chat model when given one. */
async function startBot(model?: ReturnType<typeof scriptedChatModel>): Promise<Bot> {
  const started = createBot({
    config: {
      storage: 'memory',
      access: 'open',
      skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
    },
    adapters: [testAdapter().adapter],
    log: silentLogger,
    env: {},
    ...(model ? { model } : {}),
  });
  await started.start();
  return started;
}

beforeAll(async () => {
  bot = await startBot();
});

afterAll(async () => {
  await bot?.stop();
});

const ask = (question: string) =>
  bot.callTool('faq_answer', { question }) as Promise<{
    answer: string;
    citations: Array<{ id: string; title: string }>;
    handoff: boolean;
  }>;

describe('faq_answer', () => {
  it('answers a colloquial question from the knowledge base, in its language, citing the entry', async () => {
    const reply = await ask('карту сперли, что делать??');
    expect(Object.keys(reply).sort()).toEqual(['answer', 'citations', 'handoff']);
    expect(reply.handoff).toBe(false);
    expect(reply.citations[0]?.id).toMatch(/^card-/);
    expect(reply.answer).toMatch(/[а-яё]/i);
    const english = await ask('my card got stolen what do i do');
    expect(english.handoff).toBe(false);
    expect(english.citations[0]?.id).toBe(reply.citations[0]?.id);
    expect(english.answer).not.toMatch(/[а-яё]/i);
  });

  it('hands off own-account questions and requests for a person, offering a moderator', async () => {
    const account = await ask('почему вчера списали 5000?');
    expect(account.handoff).toBe(true);
    expect(account.citations).toEqual([]);
    expect(account.answer).toMatch(/модератор/);
    const person = await ask('позовите оператора');
    expect(person.handoff).toBe(true);
  });

  it('keeps the index in storage, so the next process reads it instead of building it', async () => {
    await ask('как заблокировать карту');
    const stored = await bot.storage.kv.get<{ hash: string; json: string }>(
      'skill:banking-faq',
      'index',
    );
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.json.length).toBeGreaterThan(1000);
  });
});

describe('faq_answer with a model', () => {
  it('writes the answer from the entries, and keeps the extractive one when the model invents a figure', async () => {
    const model = scriptedChatModel();
    const withModel = await startBot(model);
    try {
      const { user } = await withModel.operator();
      const question = 'за сколько дней курьер привезет карту?';
      model.push('Курьер привезёт карту бесплатно за 1–3 рабочих дня.');
      const grounded = (await withModel.callTool('faq_answer', { question }, { user })) as {
        answer: string;
        citations: Array<{ id: string }>;
      };
      expect(grounded.answer).toBe('Курьер привезёт карту бесплатно за 1–3 рабочих дня.');
      expect(grounded.citations[0]?.id).toBe('card-delivery');
      // The entries went to the model as data.
      expect(JSON.stringify(model.requests.at(-1))).toContain('card-delivery');
      model.push('Курьер привезёт карту за 2 часа.');
      const invented = (await withModel.callTool('faq_answer', { question }, { user })) as {
        answer: string;
      };
      expect(invented.answer).not.toContain('2 часа');
      expect(invented.answer).toMatch(/120 городах/);
    } finally {
      await withModel.stop();
    }
  });
});

import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { scriptedChatModel } from '../testing/scripted-chat-model';
import { testAdapter } from '../testing/test-adapter';
import { type Bot, createBot } from './bot';

/** A skill that ships patterns, command descriptions and strings in English, Russian and German. */
const weatherSkill = fileURLToPath(new URL('../skills/fixtures/weather-de', import.meta.url));

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(options: { model?: boolean } = {}) {
  const test = testAdapter();
  const bot = createBot({
    config: { storage: 'memory', access: 'open', skills: [{ use: weatherSkill }] },
    adapters: [test.adapter],
    log: silentLogger,
    ...(options.model ? { model: scriptedChatModel(['A model answer.']) } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, test };
}

const russian = { userId: 'ivan', locale: 'ru' };
const german = { userId: 'greta', locale: 'de' };
const english = { userId: 'emma', locale: 'en' };

describe('plain-language patterns by the language of the message', () => {
  it('runs the English pattern for a Russian-speaking user and answers in their language', async () => {
    const { test } = await startBot();
    const [reply] = await test.say('what is the weather in Paris?', russian);
    expect(reply?.text).toBe('В городе Paris солнечно.');
  });

  it("runs a skill's German pattern and answers with its German strings, with no core change", async () => {
    const { test } = await startBot();
    expect((await test.say('Wie ist das Wetter in Berlin?', german))[0]?.text).toBe(
      'In Berlin scheint die Sonne.',
    );
    expect((await test.say('wie ist das Wetter in Bern', english))[0]?.text).toBe('Sunny in Bern.');
  });

  it('offers command descriptions in every language the skill has, for command menus', async () => {
    const { bot } = await startBot();
    expect(bot.commands().find((command) => command.name === 'weather')?.description).toEqual({
      en: 'The weather in a city',
      ru: 'Погода в городе',
      de: 'Das Wetter in einer Stadt',
    });
    expect(bot.commands().find((command) => command.name === 'help')?.description).toMatchObject({
      en: 'list what I can do',
      ru: 'показать, что я умею',
    });
  });
});

describe('no-model mode explains itself', () => {
  it("/help lists each skill's phrases in the user's language and how to connect a model", async () => {
    const { test } = await startBot();
    const [german_help] = await test.say('/help', german);
    expect(german_help?.text).toContain('/weather <city> — Das Wetter in einer Stadt');
    expect(german_help?.text).toContain('“wie ist das Wetter in Berlin?”');
    expect(german_help?.text).toContain('BOTWIRE_MODEL');
    const [russian_help] = await test.say('/help', russian);
    expect(russian_help?.text).toContain('/weather <city> — Погода в городе');
    expect(russian_help?.text).toContain('«какая погода в Москве?»');
    expect(russian_help?.text).not.toContain('wie ist das Wetter');
    expect(russian_help?.text).toContain('BOTWIRE_MODEL');
  });

  it('answers a message nothing understood with phrases that would work', async () => {
    const { test } = await startBot();
    const [reply] = await test.say('tell me a joke', english);
    expect(reply?.text).toContain('“what is the weather in Paris?”');
    expect(reply?.text).toContain('/help');
    const [russian_reply] = await test.say('расскажи анекдот', russian);
    expect(russian_reply?.text).toContain('«какая погода в Москве?»');
  });

  it('with a model, /help does not ask for one', async () => {
    const { test } = await startBot({ model: true });
    const [help] = await test.say('/help', english);
    expect(help?.text).toContain('“what is the weather in Paris?”');
    expect(help?.text).not.toContain('BOTWIRE_MODEL');
  });
});

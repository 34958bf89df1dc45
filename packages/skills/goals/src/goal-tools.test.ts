import { readFileSync } from 'node:fs';
import { type Bot, createBot, type SkillManifest, silentLogger } from '@botwire/core';
import { testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import skill from './index';

/** The goal tools in a chat: create, list, check in (which goal, amounts, level-ups, targets), archive, in two languages. */
const manifest = JSON.parse(
  readFileSync(new URL('../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const ann = { userId: 'ann', name: 'Ann', locale: 'en' };
const ivan = { userId: 'ivan', name: 'Иван', locale: 'ru' };

describe('goal tools', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  const start = async () => {
    const chat = testAdapter();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
      },
      adapters: [chat.adapter],
      log: silentLogger,
      env: {},
    });
    await bot.start();
    return chat;
  };

  it('asks which goal when there are several, and checks in by number or by words', async () => {
    const chat = await start();
    await chat.say('/goal read 12 books', ann);
    await chat.say('new goal: learn Spanish', ann);
    const [which] = await chat.say('/done', ann);
    expect(which?.text).toMatch(/Which goal\?/);
    expect(which?.buttons?.flat().map((button) => button.data)).toEqual(['/done 1', '/done 2']);
    const [byWords] = await chat.say('/done spanish', ann);
    expect(byWords?.text).toMatch(/^✅ learn Spanish \(1\) · \+10 points · streak 1 day/);
    const [unknown] = await chat.say('/done cooking', ann);
    expect(unknown?.text).toMatch(/There is no goal "cooking"/);
    const [list] = await chat.say('/goals', ann);
    expect(list?.text).toMatch(/1\. read 12 books ░░░░░░░░░░ 0\/12 books/);
    expect(list?.text).toMatch(/2\. learn Spanish \(1\) ✅ today/);
  });

  it('announces a reached target and a new level, and archives', async () => {
    const chat = await start();
    await chat.say('/goal pushups 100', ann);
    for (let day = 0; day < 9; day++) await chat.say('/done 1 5', ann);
    const [tenth] = await chat.say('/done 1 55', ann);
    expect(tenth?.text).toMatch(/100\/100/);
    expect(tenth?.text).toMatch(/🎉 New level: Apprentice!/);
    expect(tenth?.text).toMatch(/🏆 Target reached: pushups 100!/);
    const [archived] = await chat.say('/archive 1', ann);
    expect(archived?.text).toMatch(/Goal #1 "pushups 100" is archived/);
    const [none] = await chat.say('/goals', ann);
    expect(none?.text).toMatch(/No goals yet/);
  });

  it('speaks Russian with the right plural of days', async () => {
    const chat = await start();
    const [created] = await chat.say('новая цель: читать 20 страниц', ivan);
    expect(created?.text).toMatch(/Цель №1: читать 20 страниц/);
    const [done] = await chat.say('сделал', ivan);
    expect(done?.text).toMatch(/серия 1 день/);
    const [progress] = await chat.say('/progress', ivan);
    expect(progress?.text).toMatch(/^Новичок: 10 очков, до уровня «Ученик» ещё 90\. Серия: 1 день/);
  });
});

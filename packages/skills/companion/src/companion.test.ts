import { readFileSync } from 'node:fs';
import { type Bot, createBot, type SkillManifest, silentLogger } from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { companionBond } from './bond/companion-bond';
import skill from './index';
import { bondLevelOf } from './levels';

/** The levels, the daily cap, and what the model is told with every message. */
const manifest = JSON.parse(
  readFileSync(new URL('../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const ann = { userId: 'ann', name: 'Ann', locale: 'en' };

describe('companion', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('has the seed’s thresholds', () => {
    expect(
      [0, 99, 100, 299, 300, 599, 600, 999, 1000, 5000].map(
        (points) => bondLevelOf(points).level.id,
      ),
    ).toEqual([
      'stranger',
      'stranger',
      'acquaintance',
      'acquaintance',
      'friend',
      'friend',
      'close-friend',
      'close-friend',
      'intimate',
      'intimate',
    ]);
  });

  it('caps the points of a day, and tells the model the level and its tone', async () => {
    const model = scriptedChatModel();
    const chat = testAdapter();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
        extensions: [companionBond({ pointsPerMessage: 40, dailyPointsCap: 100 })],
      },
      adapters: [chat.adapter],
      model,
      log: silentLogger,
      env: {},
    });
    await bot.start();
    for (let index = 0; index < 4; index++)
      model.push({ json: { mode: 'answer', answer: `reply ${index}` } });
    const replies = [];
    for (let index = 0; index < 4; index++)
      replies.push(...(await chat.say(`message ${index}`, ann)));
    expect(replies.map((reply) => reply.text)).toContain(
      '✨ We are now at “Acquaintance” (100 points).',
    );
    const [level] = await chat.say('/level', ann);
    expect(level?.text).toBe(
      '💞 Our relationship: “Acquaintance”, 100 points. 200 more to “Friend”.',
    );
    const told = JSON.stringify(model.requests.at(-1)?.messages);
    expect(told).toContain(
      'Relationship with the user: level \\"Знакомый\\" / \\"Acquaintance\\" (100 points).',
    );
    expect(told).toContain('informal address');
  });
});

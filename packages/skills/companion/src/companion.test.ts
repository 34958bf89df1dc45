import { readFileSync } from 'node:fs';
import {
  type Bot,
  type BotConfig,
  type ChatModel,
  createBot,
  type SkillManifest,
  type SpeechSynthesizer,
  silentLogger,
} from '@botwire/core';
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

  /** A bot with the companion skill and its bond, on memory storage, in a test chat. */
  const start = async (config: Partial<BotConfig>, model?: ChatModel) => {
    const chat = testAdapter();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
        extensions: [companionBond({ pointsPerMessage: 50 })],
        ...config,
      },
      adapters: [chat.adapter],
      ...(model ? { model } : {}),
      log: silentLogger,
      env: {},
    });
    await bot.start();
    return chat;
  };

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
    const chat = await start(
      { extensions: [companionBond({ pointsPerMessage: 40, dailyPointsCap: 100 })] },
      model,
    );
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

  describe('the premium plan', () => {
    /** A speech driver that records what it read and answers with tagged bytes. */
    const recordingSpeech = (fail = false) => {
      const read: string[] = [];
      const speech: SpeechSynthesizer = {
        name: 'recording',
        maxTextLength: 60,
        synthesize: async ({ text }) => {
          if (fail) throw new Error('no voice today');
          read.push(text);
          return {
            data: new TextEncoder().encode(`OggS:${text}`),
            mimeType: 'audio/ogg',
            durationSeconds: 1,
          };
        },
      };
      return { speech, read };
    };
    const png = new Uint8Array(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const makePremium = async (userId: string) => {
      const user = await bot!.storage.users.findByIdentity({
        platform: 'test',
        platformId: userId,
      });
      await bot!.storage.users.update(user!.id, { role: 'premium' });
    };

    it('reads the answers aloud for premium, not the level notice, and not for the free plan', async () => {
      const { speech, read } = recordingSpeech();
      const chat = await start({ speech });
      const [free] = await chat.say('Hello there', ann);
      expect(free?.voice).toBeUndefined();
      await makePremium('ann');
      const replies = await chat.say('Hello again 😊', ann);
      expect(replies.map((reply) => reply.text)).toEqual([
        'Hey! 😊 How are you doing?',
        '✨ We are now at “Acquaintance” (100 points).',
      ]);
      expect(replies[0]?.voice).toMatchObject({ mimeType: 'audio/ogg', durationSeconds: 1 });
      expect(new TextDecoder().decode(replies[0]!.voice!.data)).toBe(
        'OggS:Hey! How are you doing?',
      );
      expect(replies[1]?.voice).toBeUndefined();
      expect(read).toEqual(['Hey! How are you doing?']);
      // Commands are not talk: /level answers in text alone.
      expect((await chat.say('/level', ann))[0]?.voice).toBeUndefined();
    });

    it('still answers in text when speech fails', async () => {
      const chat = await start({ speech: recordingSpeech(true).speech });
      await chat.say('hi', ann);
      await makePremium('ann');
      const [reply] = await chat.say('hi again', ann);
      expect(reply?.text).toBe('Hey! 😊 How are you doing?');
      expect(reply?.voice).toBeUndefined();
    });

    it('shows photos to a model that sees them on premium; the free plan is told they are premium', async () => {
      const model = scriptedChatModel([{ json: { mode: 'answer', answer: 'What a cute dot!' } }], {
        vision: true,
      });
      const chat = await start({ speech: recordingSpeech().speech }, model);
      const photo = { name: 'photo.png', data: png, kind: 'photo' as const };
      const [free] = await chat.sendFile(photo, 'look', ann);
      expect(free?.text).toBe(
        'I can look at photos only on the premium plan 🙈 Tell me in words what’s in it?',
      );
      expect(model.requests).toHaveLength(0);
      await makePremium('ann');
      const [seen] = await chat.sendFile(photo, 'look', ann);
      expect(seen?.text).toBe('What a cute dot!');
      expect(seen?.voice).toBeDefined();
      expect(model.requests[0]?.messages.at(-1)?.images).toEqual([
        { data: png, mimeType: 'image/png' },
      ]);
    });

    it('refuses a premium option that is no role', () => {
      expect(() => companionBond({ premium: 'gold' as never })).toThrow(/premium is a role/);
    });
  });
});

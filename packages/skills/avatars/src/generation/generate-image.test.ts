import { readFileSync } from 'node:fs';
import {
  type Bot,
  BotwireError,
  CreditLedger,
  createBot,
  type ImageGenerator,
  type SkillManifest,
  silentLogger,
} from '@botwire/core';
import { scriptedChatModel, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import skill from '../index';

/**
 * `/generate`: pictures in a style preset, charged once and given back when the image service
 * fails; every refusal (unknown style, a prompt over the limit, a short balance) takes nothing.
 */
const manifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const ann = { userId: 'ann', name: 'Ann', locale: 'en' };

/** An image generator that records the prompts it gets and answers with the preview's bytes. */
function recordingImages(options: { maxPromptLength?: number; fail?: boolean } = {}) {
  const prompts: string[] = [];
  const images: ImageGenerator = {
    name: 'recording',
    maxPromptLength: options.maxPromptLength ?? 2000,
    generate: async (request) => {
      prompts.push(request.prompt);
      if (options.fail)
        throw new BotwireError('BOTWIRE_IMAGE_PROVIDER_FAILED', {
          message: 'the provider answered 500',
        });
      return [
        {
          data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
          mimeType: 'image/png',
          width: 1,
          height: 1,
        },
      ];
    },
  };
  return { images, prompts };
}

describe('avatar_generate', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  async function studio(
    config: {
      images?: ImageGenerator;
      credits?: number;
      model?: ReturnType<typeof scriptedChatModel>;
    } = {},
  ) {
    const chat = testAdapter();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        skills: [
          {
            use: { manifest, definition: skill },
            permissions: ['credits', 'storage'],
            config: { prices: { generation: 5 } },
          },
        ],
        ...(config.images ? { images: config.images } : {}),
      },
      adapters: [chat.adapter],
      log: silentLogger,
      env: {},
      ...(config.model ? { model: config.model } : {}),
    });
    await bot.start();
    const user = await bot.storage.users.resolve(
      { platform: 'test', platformId: ann.userId },
      { name: 'Ann' },
    );
    const ledger = new CreditLedger(bot.storage.kv);
    if (config.credits)
      await ledger.grant({
        userId: user.id,
        amount: config.credits,
        operation: 'test',
        key: 'seed',
      });
    return { chat, user, ledger, bot };
  }

  it('draws a preview in the chosen style when no image service is configured, and charges once', async () => {
    const { chat, user, ledger } = await studio({ credits: 12 });
    const [reply] = await chat.say('/generate anime: a cat on a roof', ann);
    expect(reply?.text).toMatch(/^anime: a cat on a roof\nThis is a preview/);
    expect(reply?.text).toMatch(/5 credits; balance 7/);
    expect(reply?.artifacts?.[0]?.mimeType).toBe('image/png');
    expect(reply?.artifacts?.[0]?.data.byteLength).toBeGreaterThan(1000);
    expect(await ledger.balance(user.id)).toBe(7);
  });

  it('sends the style with the prompt, and keeps a history for the user', async () => {
    const { images, prompts } = recordingImages();
    const { chat, user, bot: started } = await studio({ images, credits: 10 });
    await chat.say('/generate кино: dog in the rain', ann);
    expect(prompts).toEqual([expect.stringMatching(/^dog in the rain, cinematic film still/)]);
    const history = await started.storage.kv.list(`skill:avatars:user:${user.id}`, {
      prefix: 'history:',
    });
    expect(history.map((entry) => (entry.value as { style: string }).style)).toEqual(['cinematic']);
  });

  it('takes nothing for an unknown style, a prompt over the limit or a short balance', async () => {
    const { images, prompts } = recordingImages({ maxPromptLength: 90 });
    const { chat, user, ledger, bot: started } = await studio({ images, credits: 3 });
    const unknown = (await started.callTool(
      'avatar_generate',
      { prompt: 'a cat', style: 'baroque' },
      { user },
    )) as {
      text: string;
    };
    expect(unknown.text).toMatch(/There is no style "baroque". Styles: portrait, cinematic/);
    const [long] = await chat.say(`/generate ${'a very long description '.repeat(5)}`, ann);
    expect(long?.text).toMatch(/takes at most 90/);
    const [short] = await chat.say('/generate a cat', ann);
    expect(short?.text).toMatch(/costs 5 credits and your balance is 3/);
    expect(prompts).toEqual([]);
    expect(await ledger.balance(user.id)).toBe(3);
  });

  it('charges 50 simultaneous generations on a balance for 10 exactly 10 times, and a retried message once', async () => {
    const { images, prompts } = recordingImages();
    const { user, ledger, bot: started } = await studio({ images, credits: 50 });
    const message = (id: string) => ({
      platform: 'test',
      platformMessageId: id,
      text: '/generate a cat',
      attachments: [],
      sentAt: new Date(),
    });
    const results = (await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        started.callTool(
          'avatar_generate',
          { prompt: `cat ${index}` },
          { user, message: message(`m-${index}`) },
        ),
      ),
    )) as Array<{ data: { generated: boolean; reason?: string } }>;
    expect(results.filter((result) => result.data.generated)).toHaveLength(10);
    expect(results.filter((result) => result.data.reason === 'insufficient-credits')).toHaveLength(
      40,
    );
    expect(prompts).toHaveLength(10);
    expect(await ledger.balance(user.id)).toBe(0);
    const charges = (await ledger.history(user.id, 1000)).filter(
      (entry) => entry.kind === 'charge',
    );
    expect(charges).toHaveLength(10);

    await ledger.grant({ userId: user.id, amount: 5, operation: 'test', key: 'more' });
    const retried = (await Promise.all(
      [1, 2, 3].map(() =>
        started.callTool(
          'avatar_generate',
          { prompt: 'one more' },
          { user, message: message('retry-1') },
        ),
      ),
    )) as Array<{ data: { generated: boolean } }>;
    expect(retried.every((result) => result.data.generated)).toBe(true);
    expect(await ledger.balance(user.id)).toBe(0);
    expect(
      (await ledger.history(user.id, 1000)).filter((entry) => entry.kind === 'charge'),
    ).toHaveLength(11);
  });

  it('gives the credits back when the image service fails', async () => {
    const { images, prompts } = recordingImages({ fail: true });
    const { chat, user, ledger } = await studio({ images, credits: 5 });
    const [reply] = await chat.say('/generate a lighthouse', ann);
    expect(prompts).toHaveLength(1);
    expect(reply?.text).toMatch(
      /could not be made \(the provider answered 500\)\. Your 5 credits were returned/,
    );
    expect(await ledger.balance(user.id)).toBe(5);
    expect((await ledger.history(user.id)).map((entry) => entry.kind)).toEqual([
      'refund',
      'charge',
      'grant',
    ]);
  });

  it('lets the chat model enrich the description first', async () => {
    const model = scriptedChatModel();
    model.push('A tabby cat sitting on a red tiled roof at golden hour, wide shot');
    const { images, prompts } = recordingImages();
    const { chat } = await studio({ images, credits: 5, model });
    await chat.say('/generate кот на крыше', ann);
    expect(prompts[0]).toMatch(
      /^A tabby cat sitting on a red tiled roof at golden hour, wide shot, studio portrait/,
    );
  });
});

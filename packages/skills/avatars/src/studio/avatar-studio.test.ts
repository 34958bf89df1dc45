import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Bot,
  BotwireError,
  CreditLedger,
  createBot,
  type ImageGenerator,
  previewImageGenerator,
  type SkillManifest,
  silentLogger,
  type TrainingRequest,
  type TrainingStatus,
} from '@botwire/core';
import { freePort, type TestAdapter, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import skill from '../index';
import { avatarStudio } from './avatar-studio';
import type { AvatarStudioOptions } from './studio-options';
import { testPdf, testPhoto } from './testing/test-photos';

/**
 * The avatar studio in one process (the test adapter): `/create_avatar` → kind → photos, each
 * checked with progress and a reason when refused → Done → a charged training on the job queue
 * → "ready" (or failed with the credits back) → `/avatars` and `/generate` with the avatar.
 */
const manifest = JSON.parse(
  readFileSync(new URL('../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;
const ann = { userId: 'ann', name: 'Ann', locale: 'en' };
const photo = (seed: number) => ({
  name: `me-${seed}.png`,
  data: testPhoto(seed),
  kind: 'photo' as const,
});

const waitFor = async <T>(
  find: () => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('avatar studio', () => {
  const bots: Bot[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(
    options: {
      images?: ImageGenerator;
      credits?: number;
      studio?: AvatarStudioOptions;
      dataDir?: string;
      http?: { port: number; host: string };
    } = {},
  ) {
    const chat = testAdapter();
    const studio = avatarStudio({
      pollSeconds: 0.05,
      minPhotos: 3,
      maxPhotos: 5,
      env: {},
      ...options.studio,
    });
    const bot = createBot({
      config: {
        storage: options.dataDir ? 'sqlite' : 'memory',
        access: 'open',
        http: options.http ?? false,
        images: options.images ?? previewImageGenerator({ trainingMs: 200 }),
        skills: [
          {
            use: { manifest, definition: skill },
            permissions: ['credits', 'storage'],
            config: { prices: { generation: 5, training: 50 } },
          },
        ],
        extensions: [studio],
      },
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      adapters: [chat.adapter],
      log: silentLogger,
      env: {},
      terminal: { write: () => undefined },
    });
    bots.push(bot);
    await bot.start();
    const user = await bot.storage.users.resolve(
      { platform: 'test', platformId: ann.userId },
      { name: 'Ann' },
    );
    const ledger = new CreditLedger(bot.storage.kv);
    if (options.credits)
      await ledger.grant({
        userId: user.id,
        amount: options.credits,
        operation: 'test',
        key: 'seed',
      });
    return { bot, chat, user, ledger, studio };
  }

  /** `/create_avatar`, a portrait, and `count` good photos. */
  async function upload(chat: TestAdapter, count: number, first = 1) {
    await chat.say('/create_avatar', ann);
    await chat.press('avatars:kind:portrait', ann);
    const replies = [];
    for (let seed = first; seed < first + count; seed++)
      replies.push(...(await chat.sendFile(photo(seed), '', ann)));
    return replies;
  }

  const news = (chat: TestAdapter, pattern: RegExp) =>
    waitFor(
      () => chat.delivered.find((message) => pattern.test(message.text ?? '')),
      `a message ${pattern}`,
    );

  it('checks each photo, trains on Done, tells the user, and draws with the avatar', async () => {
    const { chat, user, ledger } = await start({ credits: 100 });
    const [intro] = await chat.say('/create_avatar', ann);
    expect(intro?.text).toMatch(/Training costs 50 credits \(your balance: 100\)/);
    expect(intro?.buttons?.flat().map((button) => button.data)).toEqual([
      'avatars:kind:portrait',
      'avatars:kind:style',
    ]);
    const [instructions] = await chat.press('avatars:kind:style', ann);
    expect(instructions?.text).toMatch(/Send 3–5 photos .* Photos 0\/3\./s);

    const [first] = await chat.sendFile(photo(1), '', ann);
    expect(first?.text).toBe('✅ Photo 1/3 accepted.');
    const [pdf] = await chat.sendFile({ name: 'me.jpg', data: testPdf, kind: 'document' }, '', ann);
    expect(pdf?.text).toMatch(/Not a photo: this is PDF/);
    const [twice] = await chat.sendFile(photo(1), '', ann);
    expect(twice?.text).toMatch(/same photo as number 1/);
    const [small] = await chat.sendFile(
      { name: 'tiny.png', data: testPhoto(9, 200, 300), kind: 'photo' },
      '',
      ann,
    );
    expect(small?.text).toMatch(/200×300 px is too small; the shorter side needs 512 px/);
    const [huge] = await chat.sendFile(
      { name: 'huge.jpg', data: testPhoto(8), kind: 'photo', size: 50 * 1024 * 1024 },
      '',
      ann,
    );
    expect(huge?.text).toMatch(/it is 50 MB, the limit is 20 MB/);
    const [early] = await chat.say('done', ann);
    expect(early?.text).toMatch(/at least 3 photos to train; you sent 1/);
    await chat.sendFile(photo(2), '', ann);
    const [third] = await chat.sendFile(photo(3), '', ann);
    expect(third?.text).toMatch(/Photo 3 accepted: up to 5; press Done/);
    expect(third?.buttons?.flat()[0]).toMatchObject({ data: 'avatars:done' });
    expect(await ledger.balance(user.id)).toBe(100);

    const [started] = await chat.press('avatars:done', ann);
    expect(started?.text).toMatch(/Training started on 3 photos: 50 credits charged, balance 50/);
    const ready = await news(chat, /avatar #1 \(artistic\) is ready/);
    expect(ready.chatId).toBe(`chat-${ann.userId}`);

    const [gallery] = await chat.say('/avatars', ann);
    expect(gallery?.text).toMatch(
      /✅ #1 artistic: ready \(3 photos, .*\) ← \/generate uses this one/,
    );
    const [picture] = await chat.say('/generate anime: me on a roof', ann);
    expect(picture?.text).toMatch(/^anime, avatar #1: me on a roof/);
    expect(picture?.artifacts).toHaveLength(1);
    expect(await ledger.balance(user.id)).toBe(45);
    const [history] = await chat.say('/history', ann);
    expect(history?.text).toMatch(/anime, avatar #1 · 5 cr\. · me on a roof/);
  });

  it('finishes on the fifth photo, and refuses a photo set while the balance is short, keeping the photos', async () => {
    const { chat, user, ledger, bot } = await start({ credits: 20 });
    const replies = await upload(chat, 5);
    expect(replies.at(-1)?.text).toMatch(
      /costs 50 credits, and your balance is 20\. Top up with \/topup/,
    );
    expect(await ledger.balance(user.id)).toBe(20);
    await ledger.grant({ userId: user.id, amount: 40, operation: 'test', key: 'more' });
    const [again] = await chat.say('/create_avatar', ann);
    expect(again?.text).toMatch(/I still have 5 photos from before/);
    await chat.press('avatars:kind:portrait', ann);
    const [started] = await chat.say('готово', ann);
    expect(started?.text).toMatch(/Training started on 5 photos: 50 credits charged, balance 10/);
    await news(chat, /avatar #1 \(portrait\) is ready/);
    const kept = await bot.storage.kv.list(`skill:avatars:user:${user.id}`, { prefix: 'upload' });
    expect(kept).toEqual([]);
  });

  it('gives the credits back when the provider refuses the training, and keeps the photos', async () => {
    const preview = previewImageGenerator();
    const images: ImageGenerator = {
      ...preview,
      name: 'refusing',
      train: async () => {
        throw new BotwireError('BOTWIRE_IMAGE_PROVIDER_FAILED', {
          message: 'the trainer answered 503',
        });
      },
      trainingStatus: async () => ({ state: 'queued' }),
    };
    const { chat, user, ledger } = await start({ images, credits: 60 });
    const replies = await upload(chat, 3);
    const [done] = await chat.say('done', ann);
    expect(replies).toHaveLength(3);
    expect(done?.text).toMatch(
      /refused to start training: the trainer answered 503\. Your 50 credits are back/,
    );
    expect(await ledger.balance(user.id)).toBe(60);
    const [gallery] = await chat.say('/avatars', ann);
    expect(gallery?.text).toMatch(/❌ #1 portrait: failed: the trainer answered 503/);
    const [again] = await chat.say('/create_avatar', ann);
    expect(again?.text).toMatch(/I still have 3 photos/);
    const [cancelled] = await chat.say('/cancel', ann);
    expect(cancelled?.text).toMatch(/photos you sent are deleted/);
    const [fresh] = await chat.say('/create_avatar', ann);
    expect(fresh?.text).not.toMatch(/still have/);
  });

  it('refunds a training the provider fails, and tells the user', async () => {
    const preview = previewImageGenerator();
    const images: ImageGenerator = {
      ...preview,
      name: 'failing',
      train: async () => ({ jobId: 'job-1' }),
      trainingStatus: async (): Promise<TrainingStatus> => ({
        state: 'failed',
        error: 'no face found',
      }),
    };
    const { chat, user, ledger } = await start({ images, credits: 50 });
    await upload(chat, 3);
    await chat.say('done', ann);
    await news(chat, /Training of avatar #1 failed: no face found\. 50 credits are back/);
    expect(await ledger.balance(user.id)).toBe(50);
    const [picture] = await chat.say('/generate avatar 1 please', ann);
    expect(picture?.text).toMatch(/^portrait: avatar 1 please/);
    const refused = (await bots[0]!.callTool(
      'avatar_generate',
      { prompt: 'me', avatar: 1 },
      { user },
    )) as {
      text: string;
    };
    expect(refused.text).toMatch(/Avatar #1 failed to train/);
    expect(await ledger.balance(user.id)).toBe(45);
  });

  it('gives welcome credits once per user, across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botwire-studio-'));
    dirs.push(dataDir);
    const first = await start({ dataDir, studio: { welcomeCredits: 30 } });
    await first.chat.say('/balance', ann);
    await first.chat.say('/balance', ann);
    expect(await first.ledger.balance(first.user.id)).toBe(30);
    await first.bot.stop();
    bots.splice(0);
    const second = await start({ dataDir, studio: { welcomeCredits: 30 } });
    const [balance] = await second.chat.say('/balance', ann);
    expect(balance?.text).toMatch(/Your balance: 30 credits/);
  });

  it('tells once when the training leaves the queue, and /avatars shows where it is', async () => {
    const statuses: TrainingStatus[] = [
      { state: 'queued', position: 2 },
      { state: 'running' },
      { state: 'running' },
    ];
    let release = false;
    const images: ImageGenerator = {
      ...previewImageGenerator(),
      name: 'stepping',
      train: async () => ({ jobId: 'job-3' }),
      trainingStatus: async () =>
        release
          ? { state: 'completed', model: 'lora-3' }
          : (statuses.shift() ?? { state: 'running' }),
    };
    const { chat } = await start({ images, credits: 50 });
    await upload(chat, 3);
    await chat.say('done', ann);
    await news(chat, /Avatar #1 is training now/);
    const [gallery] = await chat.say('/avatars', ann);
    expect(gallery?.text).toMatch(/⏳ #1 portrait: training \(under way\)/);
    release = true;
    await news(chat, /avatar #1 \(portrait\) is ready!/);
    expect(
      chat.delivered.filter((message) => /is training now/.test(message.text ?? '')),
    ).toHaveLength(1);
  });

  it('says so when the image generator cannot train', async () => {
    const { generate, name, maxPromptLength } = previewImageGenerator();
    const { chat } = await start({ images: { generate, name, maxPromptLength }, credits: 50 });
    const [reply] = await chat.say('/create_avatar', ann);
    expect(reply?.text).toMatch(/cannot train avatars/);
  });

  it('loses nothing when the bot restarts during the training', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botwire-studio-'));
    dirs.push(dataDir);
    const images = previewImageGenerator({ trainingMs: 1500 });
    const first = await start({ images, credits: 60, dataDir, studio: { pollSeconds: 0.2 } });
    await upload(first.chat, 3);
    const [started] = await first.chat.say('done', ann);
    expect(started?.text).toMatch(/Training started/);
    await first.bot.stop();
    bots.splice(0);
    // The training ends while no bot runs; the next start picks it up.
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const second = await start({ images, dataDir, studio: { pollSeconds: 3600 } });
    const ready = await news(second.chat, /avatar #1 \(portrait\) is ready/);
    expect(ready.chatId).toBe(`chat-${ann.userId}`);
    expect(first.chat.delivered.some((message) => /is ready!/.test(message.text ?? ''))).toBe(
      false,
    );
    expect(await second.ledger.balance(second.user.id)).toBe(10);
  });

  it('learns of the end from the provider’s webhook, and refuses calls without the token', async () => {
    const trainings: TrainingRequest[] = [];
    const statuses = new Map<string, TrainingStatus>();
    const preview = previewImageGenerator();
    const images: ImageGenerator = {
      ...preview,
      name: 'hooked',
      train: async (request) => {
        trainings.push(request);
        statuses.set('job-7', { state: 'running' });
        return { jobId: 'job-7' };
      },
      trainingStatus: async (jobId) => statuses.get(jobId) ?? { state: 'queued' },
      parseWebhook: (body) => {
        const call = body as { id?: unknown; model?: unknown };
        if (typeof call.id !== 'string')
          throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message: 'no id' });
        return { jobId: call.id, status: { state: 'completed', model: String(call.model) } };
      },
    };
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const { chat, studio } = await start({
      images,
      credits: 60,
      http: { port, host: '127.0.0.1' },
      studio: { publicUrl, pollSeconds: 3600 },
    });
    await upload(chat, 3);
    await chat.say('done', ann);
    const hook = trainings[0]?.webhookUrl;
    expect(hook).toMatch(new RegExp(`^${publicUrl}/webhooks/avatars/[0-9a-f]{48}$`));
    const post = (url: string, body: string) =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post(`${publicUrl}/webhooks/avatars/wrong`, '{"id":"job-7"}')).status).toBe(404);
    expect((await post(hook!, 'not json')).status).toBe(400);
    expect((await post(hook!, '{"nothing":1}')).status).toBe(400);
    expect(chat.delivered.some((message) => /is ready!/.test(message.text ?? ''))).toBe(false);
    const answer = await post(hook!, JSON.stringify({ id: 'job-7', model: 'lora-7' }));
    expect(answer.status).toBe(200);
    await news(chat, /avatar #1 \(portrait\) is ready/);
    // A second call (providers retry) tells nobody twice.
    expect((await post(hook!, JSON.stringify({ id: 'job-7', model: 'lora-7' }))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(chat.delivered.filter((message) => /is ready!/.test(message.text ?? ''))).toHaveLength(
      1,
    );
    const [record] = await studio
      .training()!
      .store.list((await bots[0]!.storage.users.list({ limit: 1 }))[0]!.id);
    expect(record).toMatchObject({ status: 'ready', model: 'lora-7', jobId: 'job-7' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { silentLogger } from '../logging/logger';
import type { ChatModel } from '../ports/chat-model';
import { type Bot, createBot } from '../runtime/bot';
import { type ScriptedChatModel, scriptedChatModel } from '../testing/scripted-chat-model';
import { testAdapter } from '../testing/test-adapter';
import { imageTypeOf, pictureAttachments } from './vision-input';

/** A real 1×1 PNG. */
const png = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n');
const answer = (text: string) => ({ json: { mode: 'answer', answer: text } });

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(model: ChatModel | undefined, config: BotConfig = {}) {
  const test = testAdapter();
  const bot = createBot({
    config: { storage: 'memory', access: 'open', ...config },
    adapters: [test.adapter],
    log: silentLogger,
    ...(model ? { model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, test };
}

const photo = (data: Uint8Array) => ({ name: 'photo.jpg', data, kind: 'photo' as const });

describe('pictures for the model', () => {
  it('gives a model that sees the photo with its caption, typed by its bytes', async () => {
    const model = scriptedChatModel([answer('A small square.')], { vision: true });
    const { test } = await startBot(model);
    const replies = await test.sendFile(photo(png), 'What is this?');
    expect(replies.map((reply) => reply.text)).toEqual(['A small square.']);
    const user = model.requests[0]!.messages.at(-1)!;
    expect(user).toMatchObject({ role: 'user', content: 'What is this?' });
    expect(user.images).toEqual([{ data: png, mimeType: 'image/png' }]);
  });

  it('answers a photo without a caption too', async () => {
    const model = scriptedChatModel([answer('A dot.')], { vision: true });
    const { test } = await startBot(model);
    expect((await test.sendFile(photo(png))).map((reply) => reply.text)).toEqual(['A dot.']);
    expect(model.requests[0]!.messages.at(-1)).toMatchObject({ content: '', images: [{}] });
  });

  it('tells the user clearly when the model does not see pictures, and does not call it', async () => {
    const model = scriptedChatModel([]);
    const { test } = await startBot(model);
    const [reply] = await test.sendFile(photo(png), 'look');
    expect(reply?.text).toBe(
      "I can't see pictures: my language model (scripted) does not take images. Tell me in words what is on it?",
    );
    const [russian] = await test.sendFile(photo(png), 'глянь', { userId: 'ivan', locale: 'ru' });
    expect(russian?.text).toMatch(/^Я не вижу картинок: моя языковая модель \(scripted\)/);
    expect(model.requests).toHaveLength(0);
  });

  it('tells the user when the bot has no model at all', async () => {
    const { test } = await startBot(undefined);
    const [reply] = await test.sendFile(photo(png));
    expect(reply?.text).toMatch(/^I can't see pictures: I run without a language model/);
  });

  it('refuses a "photo" whose bytes are no picture, without a model call', async () => {
    const model = scriptedChatModel([], { vision: true });
    const { test } = await startBot(model);
    const [reply] = await test.sendFile(photo(pdf), 'what is it?');
    expect(reply?.text).toBe(
      "I couldn't read that picture. Send a JPEG, PNG, WebP or GIF photo of at most 20 MB.",
    );
    const [big] = await test.sendFile({ ...photo(png), size: 21 * 1024 * 1024 });
    expect(big?.text).toMatch(/^I couldn't read that picture/);
    expect(model.requests).toHaveLength(0);
  });

  it('leaves documents that are not pictures alone', () => {
    expect(
      pictureAttachments([
        { kind: 'photo' },
        { kind: 'document', mimeType: 'image/png' },
        { kind: 'document', mimeType: 'application/pdf' },
        { kind: 'sticker', mimeType: 'application/x-tgsticker' },
        { kind: 'voice', mimeType: 'audio/ogg' },
      ]).map((attachment) => attachment.mimeType ?? attachment.kind),
    ).toEqual(['photo', 'image/png']);
    expect(imageTypeOf(png)).toBe('image/png');
    expect(imageTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageTypeOf(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(imageTypeOf(new TextEncoder().encode('GIF89a'))).toBe('image/gif');
    expect(imageTypeOf(pdf)).toBeUndefined();
  });
});

describe('history per plan (limits.<role>.historyMessages)', () => {
  const historyOf = (model: ScriptedChatModel, call: number) =>
    model.requests[call]!.messages.filter((message) => message.role !== 'system').slice(0, -1);

  it('gives the model only the last N messages on a plan that says so, all of them on premium', async () => {
    const model = scriptedChatModel(
      Array.from({ length: 8 }, (_, index) => answer(`answer ${index}`)),
    );
    const { bot, test } = await startBot(model, {
      limits: { guest: { historyMessages: 2 }, premium: {} },
    });
    for (const text of ['one', 'two', 'three', 'four']) await test.say(text, { userId: 'ann' });
    // The fourth message: the model sees the last 2 of the 6 earlier messages.
    expect(historyOf(model, 3).map((message) => message.content)).toEqual(['three', 'answer 2']);

    const ann = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'ann' });
    await bot.storage.users.update(ann!.id, { role: 'premium' });
    await test.say('five', { userId: 'ann' });
    expect(historyOf(model, 4).map((message) => message.content)).toEqual([
      'one',
      'answer 0',
      'two',
      'answer 1',
      'three',
      'answer 2',
      'four',
      'answer 3',
    ]);
  });
});

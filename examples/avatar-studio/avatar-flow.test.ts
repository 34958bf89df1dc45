import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { type BotApiPeer, startBotApiPeer } from '@botwire/adapter-telegram/testing';
import { type Bot, CreditLedger, createBot, loadConfig, silentLogger } from '@botwire/core';
import { freePort, waitUntil } from '@botwire/core/testing';
import { falImageGenerator } from '@botwire/images-fal';
import { type FalPeer, startFalPeer } from '@botwire/images-fal/testing';
import { avatarStudio } from '@botwire/skill-avatars/studio';
import { afterEach, describe, expect, it } from 'vitest';
import { testPdf, testPhoto } from '../../packages/skills/avatars/src/studio/testing/test-photos';

/**
 * The whole avatar flow of this example on Telegram (the local Bot API peer) with FAL (the local
 * FAL queue peer): ten photos uploaded and one PDF refused with a reason, training queued on
 * FAL with the bot's webhook, the peer's webhook completes it, the user is told, a picture with
 * the avatar is charged and delivered, and the provider failing gives the credits back.
 */
// Telegram lets a bot send one message a second to a chat: a reply to each of ten photos takes ten.
const waitLong = (check: () => boolean, what: string) => waitUntil(check, what, 30_000);
const exampleDir = fileURLToPath(new URL('.', import.meta.url));
const token = '77:STUDIO-token';
const ann = { id: 901, is_bot: false, first_name: 'Ann', language_code: 'en' };
const chat = { id: ann.id, type: 'private' as const, first_name: 'Ann' };

describe('the avatar studio example on Telegram and FAL', () => {
  let telegram: BotApiPeer | undefined;
  let fal: FalPeer | undefined;
  let bot: Bot | undefined;
  let dataDir: string | undefined;
  let messageId = 1;

  afterEach(async () => {
    await bot?.stop();
    await telegram?.stop();
    await fal?.close().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    bot = telegram = fal = dataDir = undefined;
  });

  const at = () => Math.floor(Date.now() / 1000);
  const say = (text: string) => {
    const command = /^\/\w+/.exec(text)?.[0];
    telegram!.pushUpdate({
      message: {
        message_id: ++messageId,
        date: at(),
        chat,
        from: ann,
        text,
        ...(command
          ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }
          : {}),
      },
    } as never);
  };
  const press = (data: string) =>
    telegram!.pushUpdate({
      callback_query: {
        id: `cb-${++messageId}`,
        from: ann,
        chat_instance: 'studio',
        data,
        message: { message_id: messageId, date: at(), chat, text: '…' },
      },
    } as never);
  /** Uploads a file to the peer and sends it as a message (`photo` sizes, or a `document`). */
  const sendFile = (bytes: Uint8Array, as: (file: Record<string, unknown>) => object) => {
    const fileId = `file-in-${++messageId}`;
    telegram!.addFile(fileId, bytes);
    const file = { file_id: fileId, file_unique_id: `u${fileId}`, file_size: bytes.byteLength };
    telegram!.pushUpdate({
      message: { message_id: messageId, date: at(), chat, from: ann, ...as(file) },
    } as never);
  };
  const sendPhoto = (bytes: Uint8Array) =>
    sendFile(bytes, (file) => ({ photo: [{ ...file, width: 512, height: 512 }] }));
  const sendDocument = (bytes: Uint8Array, name: string, mime: string) =>
    sendFile(bytes, (file) => ({ document: { ...file, file_name: name, mime_type: mime } }));
  const texts = () => telegram!.callsOf('sendMessage').map((call) => String(call.params.text));
  const buttonsOf = (index: number) => {
    const markup = telegram!.callsOf('sendMessage')[index]?.params.reply_markup;
    const parsed = (typeof markup === 'string' ? JSON.parse(markup) : markup) as
      | { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }
      | undefined;
    return parsed?.inline_keyboard.flat() ?? [];
  };

  /** The example's bot on Telegram and FAL (the peers), on `port` (its public address too). */
  const startBot = async (port: number, pollSeconds: number) => {
    const { config } = await loadConfig(`${exampleDir}botwire.config.ts`, { env: {} });
    bot = createBot({
      config: {
        ...config,
        http: { port, host: '127.0.0.1' },
        adapters: [],
        images: falImageGenerator({
          apiKey: fal!.apiKey,
          queueUrl: fal!.url,
          pollIntervalMs: 10,
          env: {},
        }),
        // The example's studio, with the public address the FAL peer calls back.
        extensions: [
          avatarStudio({
            welcomeCredits: 100,
            publicUrl: `http://127.0.0.1:${port}`,
            pollSeconds,
            env: {},
          }),
        ],
      },
      rootDir: exampleDir,
      dataDir: dataDir!,
      adapters: [
        telegramAdapter({
          token,
          apiRoot: telegram!.apiRoot,
          pollDelayMs: 10,
          pollTimeoutSeconds: 1,
          commandMenu: false,
          env: {},
        }),
      ],
      log: silentLogger,
      env: {},
      terminal: { write: () => undefined },
    });
    await bot.start();
  };

  /** `/create_avatar`, a portrait, `count` photos and Done; resolves when training started. */
  const trainAvatar = async (count: number) => {
    const before = texts().length;
    say('/create_avatar');
    await waitLong(() => texts().length === before + 1, 'the intro');
    press(buttonsOf(before).find((button) => /Portrait/.test(button.text))!.callback_data);
    await waitLong(() => texts().length === before + 2, 'the photo instructions');
    for (let seed = 1; seed <= count; seed++) sendPhoto(testPhoto(seed));
    await waitLong(() => texts().length === before + 2 + count, 'an answer to each photo');
    press(buttonsOf(before + 1 + count)[0]!.callback_data);
    await waitLong(() => texts().some((text) => /Training started/.test(text)), 'the training');
  };

  it('trains an avatar from photos, completes it by webhook, and charges and refunds pictures', {
    timeout: 60_000,
  }, async () => {
    fal = await startFalPeer({ trainingMs: 'manual' });
    telegram = await startBotApiPeer(token);
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-avatar-studio-'));
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    // Polling worth nothing: only the webhook can finish the training here.
    await startBot(port, 3600);

    say('/create_avatar');
    await waitLong(() => texts().length === 1, 'the intro');
    expect(texts()[0]).toMatch(/Training costs 50 credits \(your balance: 100\)/);
    press(buttonsOf(0).find((button) => /Portrait/.test(button.text))!.callback_data);
    await waitLong(() => texts().length === 2, 'the photo instructions');
    expect(texts()[1]).toMatch(/Send 10–20 photos/);

    for (let seed = 1; seed <= 10; seed++) {
      sendPhoto(testPhoto(seed));
      if (seed === 4) sendDocument(testPdf, 'selfie.jpg', 'image/jpeg');
    }
    await waitLong(() => texts().length === 13, 'an answer to each file');
    const answers = texts().slice(2);
    expect(answers[3]).toBe('✅ Photo 4/10 accepted.');
    expect(answers[4]).toMatch(/Not a photo: this is PDF/);
    expect(answers[5]).toBe('✅ Photo 5/10 accepted.');
    expect(answers[10]).toMatch(/Photo 10 accepted: up to 20; press Done/);
    press(buttonsOf(12)[0]!.callback_data);
    await waitLong(() => texts().some((text) => /Training started/.test(text)), 'the training');
    expect(texts().at(-1)).toMatch(/Training started on 10 photos: 50 credits charged, balance 50/);

    const training = [...fal.requests.values()].find((request) => request.kind === 'training')!;
    expect(training.webhook).toMatch(new RegExp(`^${publicUrl}/webhooks/avatars/[0-9a-f]{48}$`));
    say('/avatars');
    await waitLong(() => texts().some((text) => /#1 portrait: training/.test(text)), 'the gallery');

    await fal.complete(training.id);
    expect(fal.webhooks.at(-1)).toMatchObject({ answer: 200 });
    await waitLong(
      () => texts().some((text) => /avatar #1 \(portrait\) is ready!/.test(text)),
      'the news',
    );

    say('/generate cinematic: me on a mountain');
    await waitLong(() => telegram!.callsOf('sendPhoto').length === 1, 'the picture');
    const generation = [...fal.requests.values()].find((request) => request.kind === 'generation')!;
    const loras = generation.input.loras as Array<{ path: string }>;
    expect(loras).toHaveLength(1);
    expect(String(training.outcome && JSON.stringify(training.outcome))).toContain(loras[0]!.path);
    expect(String(generation.input.prompt)).toMatch(/TOK/);
    expect(texts().some((text) => /cinematic, avatar #1: me on a mountain/.test(text))).toBe(true);
    const userId = (await bot!.storage.users.findByIdentity({
      platform: 'telegram',
      platformId: String(ann.id),
    }))!.id;
    const ledger = new CreditLedger(bot!.storage.kv);
    expect(await ledger.balance(userId)).toBe(45);

    // The provider goes away: the picture fails and its credits come back.
    await fal.close();
    say('/generate a lighthouse at night');
    await waitLong(() => texts().some((text) => /could not be made/.test(text)), 'the failure');
    expect(texts().at(-1)).toMatch(/Your 5 credits were returned/);
    expect(await ledger.balance(userId)).toBe(45);
    expect(telegram.callsOf('sendPhoto')).toHaveLength(1);
  });

  it('still tells the user when the bot was down as FAL finished (the webhook missed, a poll after the restart)', {
    timeout: 60_000,
  }, async () => {
    fal = await startFalPeer({ trainingMs: 'manual' });
    telegram = await startBotApiPeer(token);
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-avatar-studio-'));
    const port = await freePort();
    await startBot(port, 3600);
    await trainAvatar(10);
    const training = [...fal.requests.values()].find((request) => request.kind === 'training')!;
    await bot!.stop();
    bot = undefined;
    await fal.complete(training.id);
    // Nobody listened: FAL's one webhook call failed.
    expect(fal.webhooks.at(-1)?.answer).not.toBe(200);
    expect(texts().some((text) => /is ready!/.test(text))).toBe(false);
    await startBot(port, 0.2);
    await waitLong(
      () => texts().some((text) => /avatar #1 \(portrait\) is ready!/.test(text)),
      'the news',
    );
    expect(texts().filter((text) => /is ready!/.test(text))).toHaveLength(1);
  });
});

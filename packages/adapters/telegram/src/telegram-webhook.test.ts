import { request as httpRequest } from 'node:http';
import { type Bot, createBot, silentLogger } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramAdapter } from './telegram-adapter';
import type { TelegramAdapterOptions } from './telegram-options';
import { ann, type Emulator, freePort, startEmulator, testToken } from './testing/emulator';
import { secretHeader } from './webhook';

const secret = 'webhook-secret_0123456789';
let nextUpdateId = 5000;

const textUpdate = (text: string) => ({
  update_id: nextUpdateId++,
  message: {
    message_id: nextUpdateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: ann.id, type: 'private', first_name: ann.name },
    from: { id: ann.id, is_bot: false, first_name: ann.name },
    text,
  },
});

describe('telegram adapter in webhook mode', () => {
  let emulator: Emulator;
  let bot: Bot;
  let url: string;
  let releaseSlow: () => void;
  let slowFinished: boolean;

  afterEach(async () => {
    releaseSlow?.();
    await bot?.stop();
    await emulator?.stop();
  });

  const start = async (extra: TelegramAdapterOptions = {}) => {
    emulator = await startEmulator();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/hooks/telegram`;
    slowFinished = false;
    const gate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        locale: 'en',
        http: { host: '127.0.0.1', port, token: 'owner-token-for-tests' },
      },
      adapters: [
        telegramAdapter({
          token: testToken,
          apiRoot: emulator.apiRoot,
          mode: 'webhook',
          webhookUrl: url,
          webhookSecret: secret,
          throttle: { privatePerSecond: 100, burst: 20 },
          env: {},
          ...extra,
        }),
      ],
      log: silentLogger,
    });
    bot.use(async (context) => {
      if (context.text === 'slow') {
        await gate;
        slowFinished = true;
      }
      await context.reply(`got ${context.text}`);
    });
    await bot.start();
  };

  const post = (body: unknown, headers: Record<string, string> = { [secretHeader]: secret }) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const storedKeys = async () =>
    (await bot.storage.kv.list('adapter:telegram')).map((entry) => entry.key);

  it('registers the webhook with its secret token', async () => {
    await start();
    const webhooks = (
      emulator.server as unknown as { webhooks: Record<string, Record<string, unknown>> }
    ).webhooks;
    expect(webhooks[testToken]).toMatchObject({ url, secret_token: secret });
  });

  it('answers 401 to a missing or wrong secret and does nothing', async () => {
    await start();
    const missing = await post(textUpdate('no secret'), {});
    const wrong = await post(textUpdate('wrong secret'), { [secretHeader]: `${secret}x` });
    const short = await post(textUpdate('short secret'), { [secretHeader]: 'w' });
    expect([missing.status, wrong.status, short.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await storedKeys()).toEqual([]);
    expect(emulator.seenTexts()).toEqual([]);
  });

  it('acknowledges a valid update before the planner finishes, then replies', async () => {
    await start();
    const started = Date.now();
    const response = await post(textUpdate('slow'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(slowFinished).toBe(false);
    expect((await storedKeys()).some((key) => key.startsWith('inbox:'))).toBe(true);
    releaseSlow();
    expect(await emulator.waitForTexts(1)).toEqual(['got slow']);
    expect(slowFinished).toBe(true);
  });

  it('replies once to an update Telegram posts twice', async () => {
    await start();
    const update = textUpdate('only once');
    const [first, second] = await Promise.all([post(update), post(update)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await emulator.waitForTexts(1);
    const again = await post(update);
    expect(again.status).toBe(200);
    await post(textUpdate('next'));
    await emulator.waitForTexts(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emulator.seenTexts()).toEqual(['got only once', 'got next']);
  });

  it('rejects a body that is not a Telegram update', async () => {
    await start();
    expect((await post({ hello: 'world' })).status).toBe(400);
    const broken = await fetch(url, {
      method: 'POST',
      headers: { [secretHeader]: secret },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  /**
   * Posts a body that never ends: `chunks` chunks of `chunkBytes` each, 5 ms apart, and then
   * nothing (the request stays open). Resolves with the status of a response that arrives
   * meanwhile, or undefined when none arrives within 3 s (the server waits for the rest).
   */
  const postEndless = (headers: Record<string, string>, chunks: number, chunkBytes: number) =>
    new Promise<number | undefined>((resolve) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [secretHeader]: secret, ...headers },
      });
      const timer = setTimeout(() => {
        request.destroy();
        resolve(undefined);
      }, 3000);
      request.on('response', (response) => {
        clearTimeout(timer);
        response.resume();
        request.destroy();
        resolve(response.statusCode);
      });
      request.on('error', () => {});
      request.write(`{"update_id":${nextUpdateId++},"pad":"`);
      let sent = 0;
      const more = () => {
        if (sent++ >= chunks || request.destroyed) return;
        request.write('x'.repeat(chunkBytes), () => setTimeout(more, 5));
      };
      more();
    });

  it('answers 413 to a body declared larger than 1 MiB, without waiting for it', async () => {
    await start();
    expect(await postEndless({ 'content-length': String(100 * 1024 * 1024) }, 1, 1024)).toBe(413);
    expect(await storedKeys()).toEqual([]);
  });

  it('answers 413 once a chunked body passes 1 MiB, without reading the rest', async () => {
    await start();
    // 2 MiB are sent, then the request stays open: the answer must come before its end.
    expect(await postEndless({ 'transfer-encoding': 'chunked' }, 32, 64 * 1024)).toBe(413);
    expect(await storedKeys()).toEqual([]);
  });

  it('takes its limit from maxWebhookBodyBytes and still accepts updates within it', async () => {
    await start({ maxWebhookBodyBytes: 2048 });
    expect((await post({ ...textUpdate('padded'), pad: 'x'.repeat(4096) })).status).toBe(413);
    expect((await post(textUpdate('small'))).status).toBe(200);
    expect(await emulator.waitForTexts(1)).toEqual(['got small']);
  });
});

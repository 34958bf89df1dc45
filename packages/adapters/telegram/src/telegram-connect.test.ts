import { createServer, type Server, type Socket } from 'node:net';
import {
  type Adapter,
  type AdapterHost,
  type Bot,
  createBot,
  createLogger,
  isBotwireError,
} from '@botwire/core';
import { waitUntil } from '@botwire/core/testing';
import { GrammyError, HttpError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, isTransientTelegramError } from './connect-backoff';
import { type TelegramAdapter, telegramAdapter } from './telegram-adapter';
import { type BotApiPeer, startBotApiPeer } from './testing/bot-api-peer';
import { type Emulator, freePort, startEmulator, testToken } from './testing/emulator';

describe('backoffDelay', () => {
  const options = { initialDelayMs: 1000, maxDelayMs: 30_000 };

  it('doubles from the first wait up to the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 40].map((failures) =>
      backoffDelay(failures, options, () => 0),
    );
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('takes at most a fifth off at random, and never goes above the cap', () => {
    expect(backoffDelay(1, options, () => 1)).toBe(800);
    expect(backoffDelay(9, options, () => 0.5)).toBe(27_000);
    for (let index = 0; index < 200; index++) {
      const wait = backoffDelay(6, options);
      expect(wait).toBeGreaterThanOrEqual(24_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('isTransientTelegramError', () => {
  const answer = (code: number) =>
    new GrammyError('x', { ok: false, error_code: code, description: 'd' }, 'getMe', {});

  it('retries network failures, server errors and rate limits, not refusals', () => {
    expect(isTransientTelegramError(new HttpError('down', new Error('ECONNREFUSED')))).toBe(true);
    expect(isTransientTelegramError(answer(502))).toBe(true);
    expect(isTransientTelegramError(answer(429))).toBe(true);
    expect(isTransientTelegramError(answer(401))).toBe(false);
    expect(isTransientTelegramError(answer(404))).toBe(false);
    expect(isTransientTelegramError(new Error('storage is closed'))).toBe(false);
  });
});

/** A logger that keeps its JSON lines, to read the warnings back. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { log, lines };
}

/** Another messenger in the same bot, standing for the web chat and the terminal. */
function otherMessenger() {
  let host: AdapterHost | undefined;
  const sent: string[] = [];
  const adapter: Adapter = {
    name: 'other',
    capabilities: { buttons: false, markdown: false, files: false, maxTextLength: 4096 },
    async start(runtimeHost) {
      host = runtimeHost;
    },
    async stop() {},
    async send(_chat, message) {
      sent.push(message.text);
      return { platformMessageIds: [String(sent.length)] };
    },
  };
  const says = (text: string) =>
    host!.receive({
      platform: 'other',
      platformMessageId: String(Date.now()),
      sender: { platformId: 'ann', name: 'Ann', locale: 'en' },
      chat: { platformId: 'ann', type: 'private' },
      kind: 'message',
      text,
      attachments: [],
      sentAt: new Date(),
    });
  return { adapter, says, sent };
}

/** A loopback server that accepts connections and never answers (a black hole). */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('telegram adapter when the Bot API is unreachable at start', () => {
  let bot: Bot | undefined;
  let emulator: Emulator | undefined;
  let peer: BotApiPeer | undefined;
  let closeSilent: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await bot?.stop();
    await emulator?.stop();
    await peer?.stop();
    await closeSilent?.();
    bot = emulator = peer = closeSilent = undefined;
  });

  it('keeps the rest of the bot serving, retries with growing waits, then takes updates', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort(); // nothing listens: every attempt is refused
    const { log, lines } = recordingLogger();
    const other = otherMessenger();
    const httpPort = await freePort();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        name: 'Ada',
        locale: 'en',
        http: { host: '127.0.0.1', port: httpPort, token: 'owner-token-for-tests' },
      },
      adapters: [
        other.adapter,
        telegramAdapter({
          token: testToken,
          apiRoot: `http://127.0.0.1:${port}`,
          mode: 'polling',
          pollDelayMs: 20,
          throttle: { privatePerSecond: 100, burst: 20 },
          connectRetry: { initialDelayMs: 100, maxDelayMs: 400 },
          env: {},
        }),
      ],
      log,
    });
    bot.use(async (context) => {
      await context.reply(`echo ${context.text}`);
    });
    const began = Date.now();
    await bot.start();
    expect(Date.now() - began).toBeLessThan(1000);

    // The HTTP server and the other messenger serve while Telegram is down.
    const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
    expect(health.status).toBe(200);
    await other.says('hello from elsewhere');
    expect(other.sent).toEqual(['echo hello from elsewhere']);

    const unreachable = () => lines.filter((line) => line.event === 'telegram-unreachable');
    await waitUntil(() => unreachable().length >= 4, 'four failed attempts');
    const [first, second, third] = unreachable();
    expect(first).toMatchObject({
      level: 'warn',
      adapter: 'telegram',
      attempt: 1,
      error: 'the network request to the Bot API failed (ECONNREFUSED)',
    });
    expect(String(first!.message)).toMatch(
      new RegExp(
        `^Telegram is unreachable at http://127\\.0\\.0\\.1:${port}: .+ \\(ECONNREFUSED\\)\\. Trying again in 0\\.\\d s \\(attempt 2\\)`,
      ),
    );
    expect(String(first!.message)).not.toContain(testToken);
    expect([second!.attempt, third!.attempt]).toEqual([2, 3]);
    const gap = (line: Record<string, unknown>) =>
      Date.parse(String(line.nextAttemptAt)) - Date.parse(String(line.time));
    expect(gap(first!)).toBeLessThanOrEqual(100);
    expect(gap(third!)).toBeGreaterThanOrEqual(320); // 400 ms less at most a fifth

    // Telegram comes up on that port: the adapter starts polling and answers.
    emulator = await startEmulator({ port });
    await emulator.userSends('are you there?');
    expect(await emulator.waitForTexts(1, undefined, 10_000)).toEqual(['echo are you there?']);
    const started = lines.find((line) => line.message === 'telegram-started');
    expect(started).toMatchObject({ mode: 'polling', bot: 'TestNameBot' });
    expect(Number(started!.attempts)).toBeGreaterThan(4);
  });

  it('in webhook mode, answers 503 and reports not ready until Telegram takes the webhook', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const httpPort = await freePort();
    const secret = 'webhook-secret_0123456789';
    const url = `http://127.0.0.1:${httpPort}/telegram/webhook`;
    const { log, lines } = recordingLogger();
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        locale: 'en',
        http: { host: '127.0.0.1', port: httpPort, token: 'owner-token-for-tests' },
      },
      adapters: [
        telegramAdapter({
          token: testToken,
          apiRoot: `http://127.0.0.1:${port}`,
          mode: 'webhook',
          webhookUrl: url,
          webhookSecret: secret,
          throttle: { privatePerSecond: 100, burst: 20 },
          connectRetry: { initialDelayMs: 100, maxDelayMs: 200 },
          env: {},
        }),
      ],
      log,
    });
    bot.use(async (context) => {
      await context.reply(`got ${context.text}`);
    });
    await bot.start();
    const post = (text: string, updateId: number) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': secret,
        },
        body: JSON.stringify({
          update_id: updateId,
          message: {
            message_id: updateId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: 1001, type: 'private', first_name: 'Ann' },
            from: { id: 1001, is_bot: false, first_name: 'Ann' },
            text,
          },
        }),
      });
    expect((await post('too early', 1)).status).toBe(503);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('the Telegram adapter is connecting');

    emulator = await startEmulator({ port });
    await waitUntil(
      () => lines.some((line) => line.message === 'telegram-started'),
      'the webhook to be set',
    );
    expect((await fetch(`http://127.0.0.1:${httpPort}/ready`)).status).toBe(200);
    expect((await post('now', 2)).status).toBe(200);
    expect(await emulator.waitForTexts(1)).toEqual(['got now']);
  });

  it('stops at once while it waits between attempts', async () => {
    const port = await freePort();
    const { log, lines } = recordingLogger();
    const adapter = telegramAdapter({
      token: testToken,
      apiRoot: `http://127.0.0.1:${port}`,
      connectRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
      env: {},
    });
    bot = createBot({ config: { storage: 'memory', access: 'open' }, adapters: [adapter], log });
    await bot.start();
    await waitUntil(
      () => lines.some((line) => line.event === 'telegram-unreachable'),
      'a failed attempt',
    );
    const stopping = Date.now();
    await bot.stop();
    expect(Date.now() - stopping).toBeLessThan(500);
  });

  it('gives up an attempt that hangs, returns from start meanwhile, and stops at once', {
    timeout: 15_000,
  }, async () => {
    const silent = await silentServer();
    closeSilent = silent.close;
    const { log, lines } = recordingLogger();
    const adapter: TelegramAdapter = telegramAdapter({
      token: testToken,
      apiRoot: `http://127.0.0.1:${silent.port}`,
      connectRetry: { attemptTimeoutMs: 300, initialDelayMs: 50, startWaitMs: 200 },
      env: {},
    });
    bot = createBot({ config: { storage: 'memory', access: 'open' }, adapters: [adapter], log });
    const began = Date.now();
    await bot.start();
    expect(Date.now() - began).toBeLessThan(1000);
    await waitUntil(
      () => lines.some((line) => line.event === 'telegram-unreachable'),
      'an attempt to time out',
    );
    expect(lines.find((line) => line.event === 'telegram-unreachable')).toMatchObject({
      error: 'the network request to the Bot API failed (timed out)',
    });
    // Stopped in the middle of the next attempt (which would hang for 300 ms).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = Date.now();
    await bot.stop();
    expect(Date.now() - stopping).toBeLessThan(250);
  });

  it('retries a server error and works once Telegram answers', async () => {
    peer = await startBotApiPeer(testToken);
    peer.failNext('getMe', { error_code: 502, description: 'Bad Gateway' }, 2);
    const { log, lines } = recordingLogger();
    const received: string[] = [];
    const adapter = telegramAdapter({
      token: testToken,
      apiRoot: peer.apiRoot,
      connectRetry: { initialDelayMs: 20 },
      commandMenu: false,
      env: {},
    });
    bot = createBot({ config: { storage: 'memory', access: 'open' }, adapters: [adapter], log });
    bot.use(async (context) => {
      received.push(context.text);
    });
    await bot.start();
    await waitUntil(
      () => lines.some((line) => line.message === 'telegram-started'),
      'the adapter to start',
    );
    expect(
      lines.filter((line) => line.event === 'telegram-unreachable').map((line) => line.error),
    ).toEqual(['getMe: 502 Bad Gateway', 'getMe: 502 Bad Gateway']);
    peer.pushUpdate({
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 5, type: 'private', first_name: 'Ann' },
        from: { id: 5, is_bot: false, first_name: 'Ann' },
        text: 'hi',
      },
    } as never);
    await waitUntil(() => received.length === 1, 'the update');
    expect(received).toEqual(['hi']);
  });

  it('fails start when Telegram refuses the token on the first attempt', async () => {
    peer = await startBotApiPeer(testToken);
    peer.failNext('getMe', { error_code: 401, description: 'Unauthorized' });
    const { log } = recordingLogger();
    bot = createBot({
      config: { storage: 'memory', access: 'open' },
      adapters: [telegramAdapter({ token: testToken, apiRoot: peer.apiRoot, env: {} })],
      log,
    });
    const failure = await bot.start().catch((error: unknown) => error);
    expect(isBotwireError(failure, 'BOTWIRE_ADAPTER_FAILED')).toBe(true);
    expect(String((failure as Error).message)).toContain('getMe: 401 Unauthorized');
  });
});

import { type AdapterHost, isBotwireError, memoryStorage, silentLogger } from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import defaultFactory from './index';
import { telegramAdapter } from './telegram-adapter';
import { resolveTelegramOptions } from './telegram-options';

const host = (): AdapterHost => ({
  receive: async () => {},
  end: () => {},
  commands: () => [],
  dataDir: '/nonexistent',
  http: () => {
    throw new Error('not used');
  },
  kv: scopeKeyValueStore(memoryStorage().kv, 'adapter:telegram'),
  log: silentLogger,
});

describe('telegram adapter options', () => {
  it('reads TELEGRAM_* variables when options are absent', () => {
    const resolved = resolveTelegramOptions({
      env: {
        TELEGRAM_BOT_TOKEN: '1:abc',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
        TELEGRAM_WEBHOOK_SECRET: 's3cret',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/tg/hook',
      },
    });
    expect(resolved).toMatchObject({
      token: '1:abc',
      apiRoot: 'http://127.0.0.1:8081',
      mode: 'webhook',
      webhookSecret: 's3cret',
      webhookPath: '/tg/hook',
      maxWebhookBodyBytes: 1024 * 1024,
      linkPreviews: false,
      client: { apiRoot: 'http://127.0.0.1:8081' },
    });
    expect(resolveTelegramOptions({ env: { TELEGRAM_MODE: 'polling' } })).toMatchObject({
      mode: 'polling',
      apiRoot: 'https://api.telegram.org',
      webhookPath: '/telegram/webhook',
    });
    expect(
      resolveTelegramOptions({ token: 'given', env: { TELEGRAM_BOT_TOKEN: 'env' } }).token,
    ).toBe('given');
  });

  it('refuses an unknown TELEGRAM_MODE', () => {
    const error = (() => {
      try {
        resolveTelegramOptions({ env: { TELEGRAM_MODE: 'push' } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isBotwireError(error, 'BOTWIRE_CONFIG_INVALID')).toBe(true);
  });

  it('needs a token, and a secret in webhook mode, before it contacts anyone', async () => {
    const noToken = await telegramAdapter({ env: {} })
      .start(host())
      .catch((error: unknown) => error);
    expect(isBotwireError(noToken, 'BOTWIRE_CONFIG_INVALID')).toBe(true);
    expect(String((noToken as Error).message)).toMatch(/no bot token/);
    const botInfo = { id: 1, is_bot: true, first_name: 'B', username: 'B_bot' } as never;
    const noSecret = await telegramAdapter({
      token: '1:x',
      mode: 'webhook',
      botInfo,
      apiRoot: 'http://127.0.0.1:9',
      env: {},
    })
      .start(host())
      .catch((error: unknown) => error);
    expect(isBotwireError(noSecret, 'BOTWIRE_CONFIG_INVALID')).toBe(true);
    expect(String((noSecret as { hint?: string }).hint)).toMatch(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('is the package default export, so configs can say adapters: ["telegram"]', () => {
    expect(defaultFactory).toBe(telegramAdapter);
    expect(telegramAdapter({ token: '1:x', env: {} }).capabilities).toEqual({
      buttons: true,
      markdown: true,
      files: true,
      maxTextLength: 4096,
      typing: true,
      contactRequest: true,
      payments: true,
      voice: true,
      reportsWrites: true,
    });
  });
});

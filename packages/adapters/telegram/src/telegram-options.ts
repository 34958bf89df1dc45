import { BotwireError } from '@botwire/core';
import type { ApiClientOptions } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import {
  type ConnectRetryOptions,
  type ResolvedConnectRetry,
  resolveConnectRetry,
} from './connect-backoff';
import type { ThrottleOptions } from './send-throttle';
import { defaultWebhookBodyBytes } from './webhook';

/** Options for {@link telegramAdapter}. Each `TELEGRAM_*` variable fills the option it names when absent. */
export interface TelegramAdapterOptions {
  /** The token from @BotFather. Default: `TELEGRAM_BOT_TOKEN`. A secret: never logged. */
  token?: string;
  /** The Bot API root: a local Bot API server or an emulator. Default: `TELEGRAM_API_ROOT` or `https://api.telegram.org`. */
  apiRoot?: string;
  /** How updates arrive. Default: `TELEGRAM_MODE`, or `webhook` when a webhook URL is set, else `polling`. */
  mode?: 'polling' | 'webhook';
  /** The webhook's `secret_token`, required in webhook mode. Default: `TELEGRAM_WEBHOOK_SECRET`. */
  webhookSecret?: string;
  /** The public URL Telegram posts to; when set, the adapter calls `setWebhook` at start. Default: `TELEGRAM_WEBHOOK_URL`. */
  webhookUrl?: string;
  /** The path mounted on the bot's HTTP server. Default: the webhook URL's path, or `/telegram/webhook`. */
  webhookPath?: string;
  /** Webhook mode: the largest request body accepted, in bytes; larger ones get 413 unread. Default 1 MiB. */
  maxWebhookBodyBytes?: number;
  /** Show link previews under the bot's messages. Default false. */
  linkPreviews?: boolean;
  /** The largest file a handler may download, in bytes. Default 20 MB (the public Bot API's limit). */
  maxDownloadBytes?: number;
  /** Sending limits, or false to send unthrottled (benchmarks). Default: Telegram's published limits. */
  throttle?: ThrottleOptions | false;
  /** The longest `retry_after` (seconds) a 429 is waited out for; longer ones fail the send. Default 60. */
  maxRetryAfterSeconds?: number;
  /** Publish the bot's commands as Telegram's command menu at start. Default true. */
  commandMenu?: boolean;
  /** How the adapter keeps trying while the Bot API cannot be reached at start. Default: 1 s doubling to 30 s. */
  connectRetry?: ConnectRetryOptions;
  /** Long polling: seconds one `getUpdates` call waits for updates. Default 30. */
  pollTimeoutSeconds?: number;
  /** Long polling: milliseconds to pause after an empty batch. Default 100. */
  pollDelayMs?: number;
  /** How long this process may hold an update before another takes it over. Default 60 s. */
  leaseMs?: number;
  /** The bot's own user, to skip `getMe` at start (benchmarks and tests). */
  botInfo?: UserFromGetMe;
  /** grammY API client options (a custom `fetch`, timeouts). */
  client?: ApiClientOptions;
  /** Where `TELEGRAM_*` variables are read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The options with every default applied. */
export interface ResolvedTelegramOptions
  extends Required<
    Omit<
      TelegramAdapterOptions,
      | 'token'
      | 'webhookSecret'
      | 'webhookUrl'
      | 'botInfo'
      | 'client'
      | 'env'
      | 'throttle'
      | 'connectRetry'
    >
  > {
  connectRetry: ResolvedConnectRetry;
  token: string | undefined;
  webhookSecret: string | undefined;
  webhookUrl: string | undefined;
  throttle: ThrottleOptions | false;
  botInfo: UserFromGetMe | undefined;
  client: ApiClientOptions;
}

/** Applies the environment and the defaults to the adapter's options. */
export function resolveTelegramOptions(options: TelegramAdapterOptions): ResolvedTelegramOptions {
  const env = options.env ?? process.env;
  const webhookUrl = options.webhookUrl ?? (env.TELEGRAM_WEBHOOK_URL || undefined);
  const modeText = options.mode ?? (env.TELEGRAM_MODE || (webhookUrl ? 'webhook' : 'polling'));
  if (modeText !== 'polling' && modeText !== 'webhook')
    throw new BotwireError('BOTWIRE_CONFIG_INVALID', {
      message: `TELEGRAM_MODE is "${modeText}", but it must be "polling" or "webhook".`,
    });
  const apiRoot = (
    options.apiRoot ??
    (env.TELEGRAM_API_ROOT || 'https://api.telegram.org')
  ).replace(/\/+$/, '');
  return {
    token: options.token ?? (env.TELEGRAM_BOT_TOKEN || undefined),
    apiRoot,
    mode: modeText,
    webhookSecret: options.webhookSecret ?? (env.TELEGRAM_WEBHOOK_SECRET || undefined),
    webhookUrl,
    webhookPath:
      options.webhookPath ?? (webhookUrl ? new URL(webhookUrl).pathname : '/telegram/webhook'),
    maxWebhookBodyBytes: options.maxWebhookBodyBytes ?? defaultWebhookBodyBytes,
    linkPreviews: options.linkPreviews ?? false,
    maxDownloadBytes: options.maxDownloadBytes ?? 20 * 1024 * 1024,
    throttle: options.throttle ?? {},
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    commandMenu: options.commandMenu ?? true,
    connectRetry: resolveConnectRetry(options.connectRetry),
    pollTimeoutSeconds: options.pollTimeoutSeconds ?? 30,
    pollDelayMs: options.pollDelayMs ?? 100,
    leaseMs: options.leaseMs ?? 60_000,
    botInfo: options.botInfo,
    client: { ...options.client, apiRoot },
  };
}

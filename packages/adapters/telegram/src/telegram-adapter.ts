import { createHash } from 'node:crypto';
import {
  type Adapter,
  type AdapterCapabilities,
  type AdapterHost,
  BotwireError,
  type ChatRef,
  isBotwireError,
  type Logger,
  type OutgoingMessage,
  type SendOptions,
  type SentMessage,
} from '@botwire/core';
import { autoRetry } from '@grammyjs/auto-retry';
import { type RunnerHandle, run } from '@grammyjs/runner';
import { type ApiClientOptions, Bot, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import { publishCommandMenu } from './command-menu';
import { backoffDelay, isTransientTelegramError } from './connect-backoff';
import { fileDownloader } from './file-download';
import { RequestReports } from './request-reports';
import { editOutgoing, maxTextLength, sendOutgoing } from './send-outgoing';
import { sleep, throttleTransformer } from './send-throttle';
import {
  type ResolvedTelegramOptions,
  resolveTelegramOptions,
  type TelegramAdapterOptions,
} from './telegram-options';
import { type Downloader, updateQueueKey, updateToIncoming } from './to-incoming';
import { UpdateInbox } from './update-inbox';
import { mountWebhook } from './webhook';

const capabilities: AdapterCapabilities = {
  buttons: true,
  markdown: true,
  files: true,
  maxTextLength,
  typing: true,
  contactRequest: true,
  payments: true,
  voice: true,
};
/** While the Bot API requests can be watched, a send reports the moment its message leaves. */
const reportingCapabilities: AdapterCapabilities = { ...capabilities, reportsWrites: true };

const allowedUpdates = ['message', 'callback_query', 'pre_checkout_query'] as const;
const connectMethods = new Set(['getMe', 'setWebhook']);
const typingEveryMs = 4500;
/** A reply faster than this shows no typing indicator: it would only cost an API call. */
const typingDelayMs = 500;
const longButtonDataTtlMs = 30 * 24 * 3_600_000;

/** A Telegram adapter, with the grammY bot underneath it. */
export interface TelegramAdapter extends Adapter {
  /**
   * The grammY bot: its `api` (throttled, retrying 429s) and `handleUpdate`, which the poller
   * and the webhook feed and which resolves once the update's replies were sent.
   */
  readonly bot: Bot;
}

/** Describes an API failure without the token (grammY's messages never carry the URL). */
export function describeTelegramError(error: unknown): string {
  if (error instanceof GrammyError)
    return error.error_code
      ? `${error.method}: ${error.error_code} ${error.description}`
      : `${error.method}: the Bot API answered with an error`;
  if (error instanceof HttpError) {
    const reason = networkReason(error.error);
    return `the network request to the Bot API failed${reason ? ` (${reason})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** `ECONNREFUSED`, `timed out` or an HTTP status: never the request's URL, which holds the token. */
function networkReason(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, name, status, statusText } = cause as Record<string, unknown>;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  if (name === 'AbortError') return 'timed out';
  if (typeof status === 'number') return `${status} ${String(statusText ?? '')}`.trim();
  return undefined;
}

class GrammyTelegramAdapter implements TelegramAdapter {
  readonly name = 'telegram';
  private grammy: Bot | undefined;
  private host: AdapterHost | undefined;
  private inbox: UpdateInbox<Update> | undefined;
  /** Reports when a Bot API request has left: the inbox's answer notes, a send's `onWrite`. */
  private readonly reports = new RequestReports();
  private runner: RunnerHandle | undefined;
  private download: Downloader | undefined;
  private state: 'new' | 'connecting' | 'running' | 'stopping' | 'stopped' = 'new';
  private connection: AbortController | undefined;
  private connecting: Promise<void> | undefined;
  private readonly warned = new Set<string>();
  /** Stops the typing indicator of a chat whose update is running (see {@link showTyping}). */
  private readonly typing = new Map<string, () => void>();

  /** grammY's client options, with the agent whose requests {@link reports} watches. */
  private readonly client: ApiClientOptions;

  constructor(private readonly settings: ResolvedTelegramOptions) {
    this.client = this.reports.clientOptions(settings.client);
  }

  get capabilities(): AdapterCapabilities {
    return this.reports.watching ? reportingCapabilities : capabilities;
  }

  get bot(): Bot {
    this.grammy ??= this.createBot();
    return this.grammy;
  }

  private get log(): Logger {
    if (!this.host) throw new Error('the Telegram adapter is not started');
    return this.host.log;
  }

  private createBot(): Bot {
    const { token, throttle, botInfo } = this.settings;
    if (!token)
      throw new BotwireError('BOTWIRE_CONFIG_INVALID', {
        message: 'The Telegram adapter has no bot token.',
        hint: 'Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you, or pass `token` in the adapter options.',
      });
    const bot = new Bot(token, {
      client: this.client,
      ...(botInfo ? { botInfo } : {}),
    });
    // Installed first, so it runs last (after the throttle's wait), around each request: a
    // message request is reported as soon as it is written, to the update's answer note (a
    // replay after a crash does not send it again) and to the send's `onWrite`.
    bot.api.config.use(this.reports.transformer(() => this.inbox?.answering()));
    if (throttle) bot.api.config.use(throttleTransformer(throttle));
    const retrying = autoRetry({
      maxDelaySeconds: this.settings.maxRetryAfterSeconds,
      maxRetryAttempts: 3,
      rethrowHttpErrors: true,
    });
    // Installed last, so it runs first: each retry goes through the throttle again. The calls
    // made while connecting are retried by the adapter's own loop, which says what it does.
    bot.api.config.use((previous, method, payload, signal) =>
      connectMethods.has(method)
        ? previous(method, payload, signal)
        : retrying(previous, method, payload, signal),
    );
    bot.use((context) => this.inbox?.handle(context.update));
    bot.catch((error) =>
      this.host?.log.error('telegram-update-failed', { error: describeTelegramError(error.error) }),
    );
    return bot;
  }

  /**
   * Starts taking updates. When the Bot API cannot be reached, the adapter keeps trying in the
   * background (waiting 1 s, 2 s, 4 s … up to 30 s between attempts, each announced as a
   * warning) and this resolves anyway, so the rest of the bot serves meanwhile. It waits for the
   * first attempt for at most `connectRetry.startWaitMs`, and rejects when that attempt is
   * refused (a wrong token, a webhook URL Telegram does not take).
   */
  async start(host: AdapterHost): Promise<void> {
    if (this.state === 'running' || this.state === 'connecting') return;
    const secret = this.settings.webhookSecret;
    if (this.settings.mode === 'webhook' && (!secret || !/^[\w-]{1,256}$/.test(secret)))
      throw new BotwireError('BOTWIRE_CONFIG_INVALID', {
        message:
          'Telegram webhook mode needs a secret token, so that only Telegram can post updates.',
        hint: 'Set TELEGRAM_WEBHOOK_SECRET to a random string of 1 to 256 characters from A-Z, a-z, 0-9, _ and -.',
      });
    const bot = this.bot;
    this.host = host;
    const { token, apiRoot, maxDownloadBytes, leaseMs } = this.settings;
    this.download = fileDownloader({
      api: bot.api,
      apiRoot,
      token: token!,
      maxBytes: maxDownloadBytes,
    });
    this.inbox = new UpdateInbox<Update>({
      kv: host.kv,
      process: (update) => this.process(update),
      idOf: (update) => update.update_id,
      queueOf: updateQueueKey,
      log: host.log,
      leaseMs,
      forStorage: withoutPhoneNumber,
      ...(host.sequencer ? { sequencer: host.sequencer } : {}),
    });
    this.warned.clear();
    // Mounted before the HTTP server starts; it answers 503 until Telegram is reached.
    if (this.settings.mode === 'webhook') this.mountWebhookRoute(host, secret!);
    this.state = 'connecting';
    const connection = new AbortController();
    this.connection = connection;
    let settleFirst!: (rejection?: unknown) => void;
    const firstAttempt = new Promise<unknown>((resolve) => {
      settleFirst = resolve;
    });
    this.connecting = this.connect(connection.signal, settleFirst);
    const waiting = new AbortController();
    const rejection = await Promise.race([
      firstAttempt,
      sleep(this.settings.connectRetry.startWaitMs, waiting.signal).catch(() => undefined),
    ]);
    waiting.abort();
    if (rejection) throw rejection;
  }

  /**
   * Reaches the Bot API, trying again with a growing wait while the network or Telegram fails,
   * then starts taking updates. Never rejects: a refusal is handed to `settleFirst` on the first
   * attempt (so `start()` rejects) and logged as an error after that.
   */
  private async connect(
    signal: AbortSignal,
    settleFirst: (rejection?: unknown) => void,
  ): Promise<void> {
    const host = this.host!;
    const retry = this.settings.connectRetry;
    for (let failures = 0; ; ) {
      try {
        await this.reach(signal);
        if (signal.aborted) break;
        await this.begin(host, failures + 1);
        settleFirst();
        return;
      } catch (error) {
        if (signal.aborted) break;
        if (!isTransientTelegramError(error)) {
          this.state = 'stopped';
          await this.inbox?.close();
          if (failures === 0) settleFirst(error);
          else
            host.log.error(
              `Telegram refused the bot, so it stops trying: ${describeTelegramError(error)}`,
              {
                event: 'telegram-start-failed',
                error: describeTelegramError(error),
                ...(isBotwireError(error) && error.hint ? { hint: error.hint } : {}),
              },
            );
          return;
        }
        failures += 1;
        settleFirst();
        const delayMs = backoffDelay(failures, retry);
        const reason = describeTelegramError(error);
        host.log.warn(
          `Telegram is unreachable at ${this.settings.apiRoot}: ${reason}. Trying again in ${formatSeconds(delayMs)} (attempt ${failures + 1}); the rest of the bot keeps running.`,
          {
            event: 'telegram-unreachable',
            error: reason,
            attempt: failures,
            nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
          },
        );
        const slept = await sleep(delayMs, signal).then(
          () => true,
          () => false,
        );
        if (!slept) break;
      }
    }
    settleFirst();
  }

  /** One attempt to reach the Bot API: `getMe`, and `setWebhook` in webhook mode, within a time limit. */
  private async reach(signal: AbortSignal): Promise<void> {
    // A timer of our own rather than AbortSignal.timeout(): AbortSignal.any() holds its
    // sources weakly, and a timeout signal nothing else refers to can be garbage-collected
    // before it fires, which left an attempt hanging for ever on a busy machine.
    const limit = new AbortController();
    const timer = setTimeout(
      () => limit.abort(new DOMException('The attempt timed out.', 'TimeoutError')),
      this.settings.connectRetry.attemptTimeoutMs,
    );
    try {
      await this.reachWithin(
        AbortSignal.any([signal, limit.signal]) as Parameters<Bot['api']['getMe']>[0],
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private async reachWithin(attempt: Parameters<Bot['api']['getMe']>[0]): Promise<void> {
    const bot = this.bot;
    if (!bot.isInited()) {
      try {
        // Not bot.init(): it retries network failures on its own, for ever and without a word.
        bot.botInfo = await bot.api.getMe(attempt);
      } catch (error) {
        if (isTransientTelegramError(error)) throw error;
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: `Telegram did not accept the bot (getMe failed: ${describeTelegramError(error)}).`,
          hint: 'Check TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_API_ROOT.',
          cause: error,
        });
      }
    }
    const { mode, webhookUrl, webhookSecret } = this.settings;
    if (mode !== 'webhook' || !webhookUrl) return;
    try {
      await bot.api.setWebhook(
        webhookUrl,
        {
          secret_token: webhookSecret!,
          allowed_updates: [...allowedUpdates],
          drop_pending_updates: false,
        },
        attempt,
      );
    } catch (error) {
      if (isTransientTelegramError(error)) throw error;
      throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
        message: `Telegram did not accept the webhook (${describeTelegramError(error)}).`,
        hint: 'TELEGRAM_WEBHOOK_URL must be a public https URL that reaches this bot.',
        cause: error,
      });
    }
  }

  /** Telegram answered: take over stored updates, start polling (or accept the webhook), publish the menu. */
  private async begin(host: AdapterHost, attempts: number): Promise<void> {
    const bot = this.bot;
    this.state = 'running';
    await this.inbox!.recover();
    this.inbox!.startTimers();
    if (this.settings.mode === 'polling') await this.startPolling();
    if (this.settings.commandMenu)
      void publishCommandMenu(bot.api, host.commands()).catch((error: unknown) =>
        this.warnOnce('telegram-command-menu-failed', error),
      );
    host.log.info('telegram-started', {
      mode: this.settings.mode,
      bot: bot.botInfo.username,
      ...(this.settings.mode === 'webhook' ? { path: this.settings.webhookPath } : {}),
      ...(attempts > 1 ? { attempts } : {}),
    });
  }
  private async startPolling(): Promise<void> {
    const bot = this.bot;
    // getUpdates fails while a webhook is set.
    await bot.api
      .deleteWebhook()
      .catch((error: unknown) => this.warnOnce('telegram-delete-webhook-failed', error));
    this.runner = run(
      {
        handleUpdate: (update: Update) => bot.handleUpdate(update),
        errorHandler: (error: unknown) =>
          this.log.error('telegram-update-failed', { error: describeTelegramError(error) }),
        api: { getUpdates: (args, signal) => this.fetchUpdates(args, signal as AbortSignal) },
      },
      {
        runner: {
          silent: true,
          fetch: { timeout: this.settings.pollTimeoutSeconds, allowed_updates: allowedUpdates },
        },
      },
    );
    const task = this.runner.task();
    void task?.catch((error: unknown) =>
      this.log.error('telegram-polling-stopped', { error: describeTelegramError(error) }),
    );
  }

  /**
   * One long poll. Every update of the batch is stored in the inbox before this returns, and
   * the runner confirms a batch to Telegram (the next call's offset) only after that, so an
   * update Telegram stops resending is always in storage.
   */
  private async fetchUpdates(
    args: { offset: number; limit: number; timeout: number },
    signal: AbortSignal,
  ): Promise<Update[]> {
    let updates: Update[];
    try {
      updates = await this.bot.api.getUpdates(
        args,
        signal as Parameters<Bot['api']['getUpdates']>[1],
      );
    } catch (error) {
      if (!signal.aborted) this.warnOnce('telegram-get-updates-failed', error);
      throw error;
    }
    // All at once: the whole batch shares one group commit instead of one commit per update.
    await Promise.all(updates.map((update) => this.inbox!.accept(update)));
    if (updates.length === 0) await sleep(this.settings.pollDelayMs, signal).catch(() => {});
    return updates;
  }

  private mountWebhookRoute(host: AdapterHost, secret: string): void {
    const { maxWebhookBodyBytes } = this.settings;
    const server = host.http();
    mountWebhook(server, {
      path: this.settings.webhookPath,
      secret,
      accept: (update) => this.inbox!.accept(update),
      process: (update) =>
        void this.bot
          .handleUpdate(update)
          .catch((error: unknown) => this.log.error('telegram-update-failed', { error })),
      accepting: () => this.state === 'running',
      maxBodyBytes: maxWebhookBodyBytes,
      log: host.log,
    });
    server.addReadinessCheck('telegram', () =>
      this.state === 'running'
        ? { ok: true, details: { mode: 'webhook', pending: this.inbox?.size ?? 0 } }
        : { ok: false, error: `the Telegram adapter is ${this.state}` },
    );
  }
  /** Runs one stored update: translate it, show "typing", hand it to the bot, wait for the replies. */
  private async process(update: Update): Promise<void> {
    const host = this.host!;
    const bot = this.bot;
    const query = update.callback_query;
    if (query)
      void bot.api
        .answerCallbackQuery(query.id)
        .catch((error: unknown) => this.warnOnce('telegram-answer-callback-failed', error));
    const longData = query?.data?.startsWith('~')
      ? await host.kv.get<string>(`button:${query.data}`)
      : undefined;
    // A pre-checkout query is answered once: by the bot, or declined when the bot did not.
    let checkAnswered = false;
    const message = updateToIncoming(update, {
      download: this.download!,
      ...(bot.botInfo.username ? { botUsername: bot.botInfo.username } : {}),
      ...(longData ? { buttonData: longData } : {}),
      answerPreCheckout: async (queryId, approve, reason) => {
        if (checkAnswered) return;
        checkAnswered = true;
        await bot.api.answerPreCheckoutQuery(
          queryId,
          approve,
          approve ? undefined : { error_message: reason ?? 'The payment cannot be taken now.' },
        );
      },
    });
    if (!message) return;
    const stopTyping = this.showTyping(message.chat.platformId);
    try {
      await host.receive(message);
    } finally {
      stopTyping();
      if (message.payment?.stage === 'check' && !checkAnswered)
        await message.payment
          .answer?.(false, 'The bot cannot take this payment now.')
          .catch((error: unknown) => this.warnOnce('telegram-pre-checkout-failed', error));
    }
  }

  /**
   * Shows "typing" in the chat once the reply has taken longer than {@link typingDelayMs}, and
   * keeps it up until the first reply is sent or the update is done, whichever comes first.
   */
  private showTyping(chatId: string): () => void {
    const send = () =>
      void this.bot.api
        .sendChatAction(toChatId(chatId), 'typing')
        .catch((error: unknown) => this.warnOnce('telegram-typing-failed', error));
    let repeat: NodeJS.Timeout | undefined;
    const delay = setTimeout(() => {
      send();
      repeat = setInterval(send, typingEveryMs);
      repeat.unref();
    }, typingDelayMs);
    delay.unref();
    const stop = () => {
      clearTimeout(delay);
      clearInterval(repeat);
      if (this.typing.get(chatId) === stop) this.typing.delete(chatId);
    };
    this.typing.set(chatId, stop);
    return stop;
  }

  async stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'connecting') {
      if (this.state === 'new') this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    // Ends a wait between attempts, or an attempt in flight, at once.
    this.connection?.abort();
    await this.connecting;
    await this.inbox?.close();
    await this.runner?.stop();
    this.runner = undefined;
    this.state = 'stopped';
  }

  async send(chat: ChatRef, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage> {
    // While connecting, a send is tried: it works as soon as Telegram is back.
    if (this.state !== 'running' && this.state !== 'stopping' && this.state !== 'connecting')
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
        message: 'The Telegram adapter is not running.',
      });
    this.typing.get(chat.platformId)?.();
    const onWrite = options?.onWrite;
    if (!onWrite) return this.sendNow(chat, message);
    return this.reports.runSend(onWrite, () => this.sendNow(chat, message));
  }

  private async sendNow(chat: ChatRef, message: OutgoingMessage): Promise<SentMessage> {
    try {
      const ids = await sendOutgoing(toChatId(chat.platformId), message, {
        api: this.bot.api,
        linkPreviews: this.settings.linkPreviews,
        callbackData: (data) => this.callbackData(data),
      });
      return { platformMessageIds: ids };
    } catch (error) {
      if (recipientGone(error))
        throw new BotwireError('BOTWIRE_ADAPTER_RECIPIENT_BLOCKED', {
          message: `Telegram refused the message: ${describeTelegramError(error)}.`,
          cause: error,
        });
      throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
        message: `Telegram did not take the message (${describeTelegramError(error)}).`,
        cause: error,
      });
    }
  }

  /** Replaces the text and inline buttons of a message the bot sent (a progress message). */
  async edit(chat: ChatRef, platformMessageId: string, message: OutgoingMessage): Promise<void> {
    if (this.state !== 'running' && this.state !== 'stopping' && this.state !== 'connecting')
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
        message: 'The Telegram adapter is not running.',
      });
    try {
      await editOutgoing(toChatId(chat.platformId), Number(platformMessageId), message, {
        api: this.bot.api,
        linkPreviews: this.settings.linkPreviews,
        callbackData: (data) => this.callbackData(data),
      });
    } catch (error) {
      throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
        message: `Telegram did not edit the message (${describeTelegramError(error)}).`,
        cause: error,
      });
    }
  }

  /** Button data over Telegram's 64 bytes is kept in storage under a short key. */
  private async callbackData(data: string): Promise<string> {
    if (Buffer.byteLength(data) <= 64 && !data.startsWith('~')) return data;
    const key = `~${createHash('sha256').update(data).digest('base64url').slice(0, 32)}`;
    await this.host!.kv.set(`button:${key}`, data, { ttlMs: longButtonDataTtlMs });
    return key;
  }

  /** Logs a failing optional call (typing, command menu) as a warning once, then at debug level. */
  private warnOnce(event: string, error: unknown): void {
    const fields = { error: describeTelegramError(error) };
    if (this.warned.has(event)) this.host?.log.debug(event, fields);
    else this.host?.log.warn(event, fields);
    this.warned.add(event);
  }
}

/** `0.8 s`, `4 s`, `27 s`. */
function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The update as the inbox stores it: a shared contact's phone number is left out, so it is never
 * on disk in plain text (a replay after a crash then comes without it, and the bot asks again).
 */
function withoutPhoneNumber(update: Update): Update {
  const contact = update.message?.contact;
  if (!contact) return update;
  return { ...update, message: { ...update.message!, contact: { ...contact, phone_number: '' } } };
}

/** Telegram's answer when the user blocked the bot, deleted their account or never started it. */
function recipientGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 403 &&
    /blocked|deactivated|can't initiate|not found/i.test(error.description)
  );
}

function toChatId(platformId: string): number | string {
  return /^-?\d+$/.test(platformId) ? Number(platformId) : platformId;
}

/**
 * The Telegram adapter: long polling through grammY's runner (chats concurrently, each chat in
 * order) or a webhook on the bot's HTTP server; every update processed once, also across
 * restarts; Markdown sent as Telegram HTML within Telegram's limits; buttons, files, typing,
 * rate limits and the command menu. Options fall back to the `TELEGRAM_*` environment variables.
 *
 * @example
 * export default defineConfig({ adapters: ['telegram'] }); // TELEGRAM_BOT_TOKEN=123:abc
 * // or: adapters: [telegramAdapter({ mode: 'webhook', webhookUrl: 'https://bot.example.com/telegram/webhook' })]
 */
export function telegramAdapter(options: TelegramAdapterOptions = {}): TelegramAdapter {
  return new GrammyTelegramAdapter(resolveTelegramOptions(options));
}

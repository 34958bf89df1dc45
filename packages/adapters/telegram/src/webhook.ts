import { type BotHttpServer, type Logger, tokensEqual } from '@botwire/core';
import type { Update } from 'grammy/types';

/** The header Telegram sends the webhook's `secret_token` in. */
export const secretHeader = 'x-telegram-bot-api-secret-token';

/** What the webhook route does with a request. */
export interface WebhookOptions {
  path: string;
  secret: string;
  /** Stores the update durably; true when it is new. */
  accept: (update: Update) => Promise<boolean>;
  /** Starts processing a new update in the background. */
  process: (update: Update) => void;
  /** False while the adapter stops: Telegram is told to come back later. */
  accepting: () => boolean;
  log: Logger;
}

/**
 * Mounts `POST <path>` on the bot's HTTP server for Telegram's webhook. A request without the
 * right `X-Telegram-Bot-Api-Secret-Token` gets 401 and changes nothing; a valid update is stored
 * durably and acknowledged at once with 200, and processed afterwards, so a slow model never
 * makes Telegram resend it.
 */
export function mountWebhook(server: BotHttpServer, options: WebhookOptions): void {
  server.app.post(options.path, async (c) => {
    if (!tokensEqual(c.req.header(secretHeader), options.secret)) {
      options.log.warn('telegram-webhook-unauthorized', { path: options.path });
      return c.json({ ok: false, error: 'unauthorized' }, 401);
    }
    if (!options.accepting()) return c.json({ ok: false, error: 'stopping' }, 503);
    let update: Update;
    try {
      update = (await c.req.json()) as Update;
    } catch {
      return c.json({ ok: false, error: 'the body is not JSON' }, 400);
    }
    if (typeof update?.update_id !== 'number')
      return c.json({ ok: false, error: 'not a Telegram update' }, 400);
    if (await options.accept(update)) options.process(update);
    return c.json({ ok: true });
  });
  server.describe({
    method: 'post',
    path: options.path,
    summary: 'Telegram webhook: takes one update and answers as soon as it is stored.',
    responses: {
      '200': { description: 'The update is stored (or was already) and will be processed.' },
      '401': { description: 'The secret token header is missing or wrong.' },
      '503': { description: 'The adapter is stopping; Telegram retries later.' },
    },
  });
}

import { type HttpRoutes, type Logger, readBodyText, tokensEqual } from '@botwire/core';
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
  /** The largest body accepted, in bytes; a larger one gets 413 unread. Default 1 MiB. */
  maxBodyBytes?: number;
  log: Logger;
}

/** The default limit of a webhook body: far above any real update, far below harm. */
export const defaultWebhookBodyBytes = 1024 * 1024;

/**
 * Mounts `POST <path>` on the bot's HTTP server for Telegram's webhook. A request without the
 * right `X-Telegram-Bot-Api-Secret-Token` gets 401 and changes nothing; a body over
 * `maxBodyBytes` gets 413 without being read to its end; a valid update is stored durably and
 * acknowledged at once with 200, and processed afterwards, so a slow model never makes
 * Telegram resend it.
 */
export function mountWebhook(server: HttpRoutes, options: WebhookOptions): void {
  const maxBodyBytes = options.maxBodyBytes ?? defaultWebhookBodyBytes;
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    Response.json(body, { status, headers });
  server.mount(options.path, async (request) => {
    if (request.method !== 'POST') return json({ ok: false, error: 'use POST' }, 405);
    if (!tokensEqual(request.headers.get(secretHeader) ?? undefined, options.secret)) {
      options.log.warn('telegram-webhook-unauthorized', { path: options.path });
      return json({ ok: false, error: 'unauthorized' }, 401);
    }
    if (!options.accepting()) return json({ ok: false, error: 'stopping' }, 503);
    const body = await readBodyText(request, maxBodyBytes);
    if (body === undefined) {
      options.log.warn('telegram-webhook-too-large', { path: options.path, maxBodyBytes });
      return json({ ok: false, error: `the body is larger than ${maxBodyBytes} bytes` }, 413, {
        connection: 'close',
      });
    }
    let update: Update;
    try {
      update = JSON.parse(body) as Update;
    } catch {
      return json({ ok: false, error: 'the body is not JSON' }, 400);
    }
    if (typeof update?.update_id !== 'number')
      return json({ ok: false, error: 'not a Telegram update' }, 400);
    if (await options.accept(update)) options.process(update);
    return json({ ok: true });
  });
  server.describe({
    method: 'post',
    path: options.path,
    summary: 'Telegram webhook: takes one update and answers as soon as it is stored.',
    responses: {
      '200': { description: 'The update is stored (or was already) and will be processed.' },
      '401': { description: 'The secret token header is missing or wrong.' },
      '413': { description: 'The body is larger than the limit (default 1 MiB).' },
      '503': { description: 'The adapter is stopping; Telegram retries later.' },
    },
  });
}

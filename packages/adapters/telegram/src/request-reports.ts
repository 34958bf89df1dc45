import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiClientOptions, Transformer } from 'grammy';
import { sendingMethods } from './send-throttle';
import { SentRequests } from './sent-requests';
import type { Answer } from './update-inbox';

/**
 * Tells who waits for it that a message's Bot API request has been written (see
 * {@link SentRequests}): the update being handled, whose answer note keeps a replay after a
 * crash from answering twice, and a send's `onWrite` (a reminder's note). Install
 * {@link transformer} first, so that it runs last, right around each request.
 *
 * @example
 * const reports = new RequestReports();
 * const bot = new Bot(token, { client: reports.clientOptions({ apiRoot }) });
 * bot.api.config.use(reports.transformer(() => inbox.answering()));
 * await reports.runSend(() => note(), () => bot.api.sendMessage(1, 'hi'));
 */
export class RequestReports {
  private readonly sent = new SentRequests();
  /** The `onWrite` of the send whose requests run here (told for the first one). */
  private readonly onWrite = new AsyncLocalStorage<() => void>();

  /** False when the requests cannot be watched (a custom `fetch`, or an agent of another kind). */
  get watching(): boolean {
    return this.sent.watching;
  }

  /** The client options whose agent reports written requests; see {@link SentRequests.clientOptions}. */
  clientOptions(client: ApiClientOptions): ApiClientOptions {
    return this.sent.clientOptions(client);
  }

  /** Runs `send`; `onWrite` is told once, when the first message request it makes is written. */
  runSend<T>(onWrite: () => void, send: () => Promise<T>): Promise<T> {
    let told = false;
    const tell = () => {
      if (told) return;
      told = true;
      onWrite();
    };
    return this.onWrite.run(tell, send);
  }

  /**
   * The transformer around each request: a message request is reported to the update being
   * handled (`answering()`, the inbox's) and to the send it belongs to; a request that a stale
   * kept-alive socket lost is sent again.
   */
  transformer(answering: () => Answer | undefined): Transformer {
    return async (previous, method, payload, signal) => {
      const sending = sendingMethods.has(method);
      const answer = sending ? answering() : undefined;
      const reported = sending ? this.onWrite.getStore() : undefined;
      const send = () => previous(method, payload, signal);
      if (!answer) return this.sent.run(reported, send);
      const onSent = reported
        ? () => {
            answer.sent();
            reported();
          }
        : answer.sent;
      try {
        const response = await this.sent.run(onSent, send);
        answer.done(response.ok);
        return response;
      } catch (error) {
        // A request that failed after its last byte left may have reached Telegram: it counts as
        // sent (and so does any failure when the requests cannot be watched).
        answer.done(answer.wasSent || !this.sent.watching);
        throw error;
      }
    };
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ApiClientOptions } from 'grammy';

/** What to call when a request has left, for requests made inside {@link SentRequests.run}. */
type OnSent = () => void;

/** An HTTP agent as Node's ClientRequest uses it: it hands every request to `addRequest`. */
type AgentWithRequests = HttpAgent & {
  addRequest(request: ClientRequest, options: unknown): void;
};

/**
 * Tells when a Bot API request has been handed to the operating system, which is when Telegram
 * may have the message whatever happens to this process next. grammY sends through an HTTP
 * agent (its own keep-alive agent, or the one in `client.baseFetchConfig.agent`); the agent is
 * given every request, and a request made inside {@link run} reports its `finish` (the last byte
 * written to the socket) to the callback of that run.
 *
 * @example
 * const sent = new SentRequests();
 * const bot = new Bot(token, { client: sent.clientOptions({ apiRoot }) });
 * await sent.run(() => console.log('on its way'), () => bot.api.sendMessage(1, 'hi'));
 */
export class SentRequests {
  private readonly current = new AsyncLocalStorage<OnSent>();
  private readonly hooked = new WeakSet<object>();
  /** False when the requests cannot be watched: a custom `fetch`, or an agent of another kind. */
  watching = true;

  /**
   * The client options with an agent that reports sent requests: the agent given in
   * `baseFetchConfig` (an agent, or node-fetch's function of the URL), else a keep-alive agent
   * as grammY makes. A custom `fetch` bypasses agents: then nothing is reported.
   */
  clientOptions(client: ApiClientOptions): ApiClientOptions {
    if (client.fetch) {
      this.watching = false;
      return client;
    }
    const given = client.baseFetchConfig?.agent as unknown;
    const apiRoot = client.apiRoot ?? 'https://api.telegram.org';
    let agent: unknown;
    if (typeof given === 'function')
      agent = (url: URL) => this.hook((given as (url: URL) => unknown)(url));
    else
      agent = this.hook(
        given ??
          (apiRoot.startsWith('https:')
            ? new HttpsAgent({ keepAlive: true })
            : new HttpAgent({ keepAlive: true })),
      );
    return {
      ...client,
      // grammY adds the rest of its defaults (compression, duplex) to this.
      baseFetchConfig: { ...client.baseFetchConfig, agent } as never,
    };
  }

  /** Runs `send`; a request it makes calls `onSent` once its last byte is written. */
  run<T>(onSent: OnSent, send: () => Promise<T>): Promise<T> {
    return this.current.run(onSent, send);
  }

  private hook(agent: unknown): unknown {
    if (agent && typeof agent === 'object' && this.hooked.has(agent)) return agent;
    const target = agent as AgentWithRequests | undefined;
    if (typeof target?.addRequest !== 'function') {
      this.watching = false;
      return agent;
    }
    const addRequest = target.addRequest;
    const current = this.current;
    target.addRequest = function (this: AgentWithRequests, request, options) {
      const onSent = current.getStore();
      if (onSent) request.once('finish', onSent);
      return addRequest.call(this, request, options);
    };
    this.hooked.add(target);
    return agent;
  }
}

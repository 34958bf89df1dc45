import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ApiClientOptions } from 'grammy';

/** A call made inside {@link SentRequests.run}: what to tell when its request has left. */
interface Call {
  onSent: (() => void) | undefined;
  /** Its request failed on a kept-alive socket the server had closed: it never arrived. */
  staleSocket: boolean;
}

/** The errors of a socket the server closed under a request (`ECONNRESET`, `EPIPE`). */
const closedUnder = (error: NodeJS.ErrnoException) =>
  error.code === 'ECONNRESET' || error.code === 'EPIPE';

/** An HTTP agent as Node's ClientRequest uses it: it hands every request to `addRequest`. */
type AgentWithRequests = HttpAgent & {
  addRequest(request: ClientRequest, options: unknown): void;
};

/**
 * Watches the Bot API requests grammY makes, through its HTTP agent (its own keep-alive agent,
 * or the one in `client.baseFetchConfig.agent`; the agent is given every request):
 * - a request made inside {@link run} reports its `finish` (the last byte handed to the
 *   operating system, when Telegram may have the message whatever happens to this process next)
 *   to the callback of that run;
 * - a request sent on a kept-alive socket that the server closed meanwhile (it fails with
 *   `ECONNRESET` before any answer) is sent once more on a new socket: the server closed the
 *   socket because it was idle, so it never read the request. Node's documentation describes
 *   this race (`request.reusedSocket`); without the retry the user's reply would be lost.
 *
 * @example
 * const sent = new SentRequests();
 * const bot = new Bot(token, { client: sent.clientOptions({ apiRoot }) });
 * await sent.run(() => console.log('on its way'), () => bot.api.sendMessage(1, 'hi'));
 */
export class SentRequests {
  private readonly current = new AsyncLocalStorage<Call>();
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

  /**
   * Runs `send`; a request it makes calls `onSent` once its last byte is written. A request that
   * a stale kept-alive socket lost is sent once more.
   */
  async run<T>(onSent: (() => void) | undefined, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const call: Call = { onSent, staleSocket: false };
      try {
        return await this.current.run(call, send);
      } catch (error) {
        if (!call.staleSocket || attempt > 1) throw error;
      }
    }
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
      const call = current.getStore();
      if (call?.onSent) request.once('finish', call.onSent);
      if (call) {
        let answered = false;
        request.once('response', () => {
          answered = true;
        });
        request.once('error', (error: NodeJS.ErrnoException) => {
          if (request.reusedSocket && !answered && closedUnder(error)) call.staleSocket = true;
        });
      }
      return addRequest.call(this, request, options);
    };
    this.hooked.add(target);
    return agent;
  }
}

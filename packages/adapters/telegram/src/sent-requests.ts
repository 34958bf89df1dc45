import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
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
 * - a request made inside {@link run} reports that its last byte was handed to the operating
 *   system (from then on Telegram may have the message, whatever happens to this process next)
 *   to the callback of that run. The report comes in the same synchronous step as the write
 *   itself when it can (see {@link watchFlush}), else at the request's `finish`, which comes a
 *   turn of the tick queue later: a process killed in between has sent a message it did not
 *   report, so the shorter that gap, the rarer a repeated answer after a crash;
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
  /** The report due when a socket's next flush has written the request it carries. */
  private readonly carrying = new WeakMap<Socket, () => void>();
  /** Sockets whose `uncork` reports (see {@link watchFlush}). */
  private readonly flushWatched = new WeakSet<Socket>();
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
    const watchFlush = this.watchFlush.bind(this);
    target.addRequest = function (this: AgentWithRequests, request, options) {
      const call = current.getStore();
      if (call?.onSent) {
        const onSent = call.onSent;
        let told = false;
        const tell = () => {
          if (told) return;
          told = true;
          onSent();
        };
        request.once('socket', (socket: Socket) => watchFlush(request, socket, tell));
        request.once('finish', tell);
      }
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

  /**
   * Reports a request the moment its bytes are in the kernel, when that can be seen: Node's HTTP
   * client emits `socket` and then, in the same step, writes the whole buffered request between
   * `cork()` and `uncork()`. grammY's JSON requests are whole by then (`writableEnded`: the
   * body and its end were given when the request was made), so once the socket's last `uncork`
   * returns with nothing left in its buffer, the write went to the kernel synchronously: `tell`
   * runs right there, where `finish` would come only after the rest of the tick queue. On a
   * socket still connecting, the bytes go at its `connect`, and there `finish` follows the
   * write at once. Everything else (a streamed upload, a write the kernel made wait, a new TLS
   * connection, whose bytes wait for its handshake) is told at `finish`.
   */
  private watchFlush(request: ClientRequest, socket: Socket, tell: () => void): void {
    if (!request.writableEnded) return;
    // A new TLS connection buffers writes until its handshake: only `finish` is safe there.
    if ((socket as Socket & { encrypted?: boolean }).encrypted && !request.reusedSocket) return;
    this.carrying.set(socket, tell);
    if (this.flushWatched.has(socket)) return;
    this.flushWatched.add(socket);
    const carrying = this.carrying;
    const uncork = socket.uncork;
    socket.uncork = function (this: Socket) {
      uncork.call(this);
      const tell = carrying.get(this);
      if (!tell || this.writableCorked > 0) return;
      carrying.delete(this);
      if (!this.connecting && this.writableLength === 0) tell();
    };
  }
}

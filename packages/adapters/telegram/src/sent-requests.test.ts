import {
  type ClientRequest,
  createServer,
  Agent as HttpAgent,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { SentRequests } from './sent-requests';

/**
 * The report of a Bot API request that has left: it comes while Telegram still holds the reply
 * (the request is on its way), only for requests made inside `run`, through grammY's own
 * keep-alive agent or the one the options give.
 */
describe('SentRequests', () => {
  let server: Server | undefined;

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  });

  /** A Bot API that answers each request once `release` is called for it. */
  async function holdingApi() {
    const held: Array<{ method: string; release: () => void }> = [];
    server = createServer((request: IncomingMessage, response) => {
      request.resume();
      request.on('end', () =>
        held.push({
          method: request.url!.split('/').pop()!,
          release: () =>
            response
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ ok: true, result: true })),
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { apiRoot, held };
  }

  const until = async (check: () => boolean) => {
    for (let waited = 0; !check(); waited += 5) {
      if (waited > 5000) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('reports a request inside run once it has left, before the reply', async () => {
    const { apiRoot, held } = await holdingApi();
    const sent = new SentRequests();
    const api = new Api('1:T', sent.clientOptions({ apiRoot }));
    const reports: string[] = [];
    const call = sent.run(
      () => reports.push('sent'),
      () => api.raw.sendChatAction({ chat_id: 1, action: 'typing' }),
    );
    await until(() => held.length === 1);
    // The server has the whole request and has not answered: the report is there already.
    expect(reports).toEqual(['sent']);
    held[0]!.release();
    expect(await call).toBe(true);
    // Outside run (and on the reused connection) nothing is reported.
    const other = api.raw.sendChatAction({ chat_id: 1, action: 'typing' });
    await until(() => held.length === 2);
    held[1]!.release();
    await other;
    expect(reports).toEqual(['sent']);
    expect(sent.watching).toBe(true);
  });

  it('reports in the step that writes the request, on a new socket and on a reused one', async () => {
    // On a reused socket, Node's own `finish` comes a turn of the tick queue after the write: a
    // tick queued just before the write (as the socket is handed to the request) runs first.
    // The report must come before that tick, from the write itself. (On a new socket the write
    // waits for its connect, and there `finish` follows at once.)
    const { apiRoot, held } = await holdingApi();
    const agent = new HttpAgent({ keepAlive: true });
    const sent = new SentRequests();
    const api = new Api('1:T', sent.clientOptions({ apiRoot, baseFetchConfig: { agent } }));
    const hooked = (
      agent as unknown as { addRequest: (request: ClientRequest, options: unknown) => void }
    ).addRequest;
    let tickRan = false;
    (agent as unknown as { addRequest: typeof hooked }).addRequest = function (request, options) {
      tickRan = false;
      request.once('socket', (socket: Socket) => {
        const queueTick = () => process.nextTick(() => (tickRan = true));
        if (socket.connecting) socket.once('connect', queueTick);
        else queueTick();
      });
      return hooked.call(this, request, options);
    };
    const reports: string[] = [];
    for (const reused of [false, true]) {
      const call = sent.run(
        () => reports.push(tickRan ? 'after the write' : 'in the write'),
        () => api.raw.sendChatAction({ chat_id: 1, action: 'typing' }),
      );
      await until(() => held.length === 1);
      held.shift()!.release();
      await call;
      expect(reports, reused ? 'reused socket' : 'new socket').toEqual(
        reused ? ['in the write', 'in the write'] : ['in the write'],
      );
    }
    agent.destroy();
  });

  it('watches the agent the options give, or the agent a function returns', async () => {
    const { apiRoot, held } = await holdingApi();
    const agent = new HttpAgent({ keepAlive: false });
    for (const given of [agent, () => agent]) {
      const sent = new SentRequests();
      const api = new Api(
        '1:T',
        sent.clientOptions({ apiRoot, baseFetchConfig: { agent: given } }),
      );
      let reported = 0;
      const call = sent.run(
        () => {
          reported += 1;
        },
        () => api.raw.getMe(),
      );
      await until(() => held.length > 0);
      expect(reported).toBe(1);
      held.shift()!.release();
      await call;
    }
  });

  it('sends a request once more when the server closed its kept-alive socket, not otherwise', async () => {
    // The server drops the socket under the second request of a connection, as one does when
    // it closes an idle kept-alive connection as the client reuses it; with `failFresh` it also
    // drops the first request of a new connection.
    let failFresh = false;
    const seen: string[] = [];
    server = createServer((request, response) => {
      const socket = request.socket as typeof request.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      seen.push(`${request.url!.split('/').pop()} on request ${socket.served} of its socket`);
      if (socket.served === 2 || failFresh) {
        socket.destroy();
        return;
      }
      request.resume();
      request.on('end', () =>
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, result: true })),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sent = new SentRequests();
    const api = new Api('1:T', sent.clientOptions({ apiRoot }));
    let reported = 0;
    const call = <T>(send: () => Promise<T>) =>
      sent.run(() => {
        reported += 1;
      }, send);
    await call(() => api.raw.getMe());
    expect(await call(() => api.raw.logOut())).toBe(true);
    expect(seen).toEqual([
      'getMe on request 1 of its socket',
      'logOut on request 2 of its socket',
      'logOut on request 1 of its socket',
    ]);
    expect(reported).toBe(3);
    // A new connection that fails is not tried again: the server may have read the request.
    failFresh = true;
    seen.splice(0);
    const fresh = new Api('1:T', sent.clientOptions({ apiRoot }));
    await expect(sent.run(undefined, () => fresh.raw.getMe())).rejects.toThrow();
    expect(seen).toEqual(['getMe on request 1 of its socket']);
  });

  it('says it cannot watch requests that a custom fetch makes', () => {
    const sent = new SentRequests();
    const client = { apiRoot: 'http://127.0.0.1:1', fetch: globalThis.fetch as never };
    expect(sent.clientOptions(client)).toBe(client);
    expect(sent.watching).toBe(false);
  });
});

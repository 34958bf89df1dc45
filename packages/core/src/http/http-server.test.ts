import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isBotwireError } from '../errors/botwire-error';
import { silentLogger } from '../logging/logger';
import { type Bot, createBot } from '../runtime/bot';
import { scriptedChatModel } from '../testing/scripted-chat-model';
import { BotHttpServer, bearerToken, tokensEqual } from './http-server';
import { isLoopbackHost } from './loopback';

const servers: BotHttpServer[] = [];
const bots: Bot[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const bot of bots.splice(0)) await bot.stop();
});

/**
 * Opens a WebSocket by hand and sends only the header of a masked binary frame that announces
 * `announcedBytes` of payload, none of which follows. Resolves with the close code the server
 * sends back, or `undefined` when it sends nothing within `waitMs` (it is waiting for the
 * payload, that is, it would buffer it).
 */
async function announceOversizedFrame(
  url: string,
  path: string,
  announcedBytes: number,
  waitMs = 1500,
): Promise<number | undefined> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  try {
    let received = Buffer.alloc(0);
    const arrived = () =>
      new Promise<void>((resolve) =>
        socket.once('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          resolve();
        }),
      );
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    while (!received.includes('\r\n\r\n')) await arrived();
    const end = received.indexOf('\r\n\r\n') + 4;
    expect(received.subarray(0, end).toString()).toMatch(/^HTTP\/1\.1 101 /);
    received = received.subarray(end);
    const header = Buffer.alloc(14);
    header[0] = 0x82; // FIN, binary
    header[1] = 0x80 | 127; // masked, 64-bit length follows
    header.writeBigUInt64BE(BigInt(announcedBytes), 2);
    socket.write(header); // the 4 bytes after the length are the mask key (zeros)
    const deadline = Date.now() + waitMs;
    while (received.length < 4) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const timedOut = await Promise.race([
        arrived().then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), left)),
      ]);
      if (timedOut) return undefined;
    }
    expect(received[0]).toBe(0x88); // a close frame
    return received.readUInt16BE(2);
  } finally {
    socket.destroy();
  }
}

function server(options: Partial<ConstructorParameters<typeof BotHttpServer>[0]> = {}) {
  const created = new BotHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger, ...options });
  servers.push(created);
  return created;
}

describe('BotHttpServer', () => {
  it('serves mounted web Request handlers, subtrees included, and rotates a generated token', async () => {
    const http = server({ generatedToken: 'first-token' });
    http.mount('/hook', async (request) =>
      Response.json({ method: request.method, body: await request.text() }),
    );
    http.mount('/files/*', (request) => new Response(new URL(request.url).pathname));
    await http.start();
    const posted = await fetch(`${http.url}/hook`, { method: 'POST', body: 'hello' });
    expect(await posted.json()).toEqual({ method: 'POST', body: 'hello' });
    expect(await (await fetch(`${http.url}/files/a/b.txt`)).text()).toBe('/files/a/b.txt');
    expect(http.serves('/hook')).toBe(true);
    expect(http.serves('/')).toBe(false);
    expect(http.isOwnerRequest('Bearer first-token')).toBe(true);
    const next = http.rotateToken();
    expect(http.isOwnerRequest('Bearer first-token')).toBe(false);
    expect(http.isOwnerRequest(`Bearer ${next}`)).toBe(true);
    expect(() => server({ token: 'configured' }).rotateToken()).toThrow(/cannot be rotated/);
  });

  it('answers /health, /metrics and /openapi.json', async () => {
    const http = server({ metrics: () => 'botwire_messages_total 3\n' });
    http.describe({
      method: 'post',
      path: '/api/v1/echo',
      summary: 'Echo.',
      auth: true,
      responses: { '200': { description: 'ok' } },
    });
    await http.start();
    expect(await (await fetch(`${http.url}/health`)).json()).toEqual({ status: 'ok' });
    const metrics = await fetch(`${http.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toBe('botwire_messages_total 3\n');
    const document = (await (await fetch(`${http.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/metrics', '/api/v1/echo']),
    );
    expect(document.paths['/api/v1/echo']?.post?.security).toEqual([{ bearer: [] }]);
  });

  it('reports each dependency in /ready, and 503 with the name of the one that is down', async () => {
    const http = server();
    let queueUp = true;
    http.addReadinessCheck('storage', () => ({ ok: true }));
    http.addReadinessCheck('queue', () =>
      queueUp ? { ok: true } : { ok: false, error: 'connection refused' },
    );
    await http.start();
    const up = await fetch(`${http.url}/ready`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({
      ready: true,
      checks: { storage: { ok: true }, queue: { ok: true } },
    });
    queueUp = false;
    const down = await fetch(`${http.url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      ready: false,
      checks: { storage: { ok: true }, queue: { ok: false, error: 'connection refused' } },
    });
  });

  it('refuses to listen on a non-loopback address without a configured token, without opening a socket', async () => {
    const http = server({ host: '0.0.0.0', token: undefined });
    const error = await http.start().catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_HTTP_TOKEN_REQUIRED')).toBe(true);
    expect(() => http.url).not.toThrow();
  });

  it('says which port is taken', async () => {
    const first = server();
    await first.start();
    const port = Number(new URL(first.url).port);
    const second = server({ port });
    const error = await second.start().catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_HTTP_LISTEN_FAILED')).toBe(true);
    expect((error as Error).message).toContain(String(port));
  });

  it('routes WebSocket upgrades by path and refuses unknown paths', async () => {
    const http = server();
    http.websocket('/echo', (socket) =>
      socket.on('message', (data) => socket.send(`echo:${String(data)}`)),
    );
    await http.start();
    const wsUrl = http.url.replace('http', 'ws');
    const socket = new WebSocket(`${wsUrl}/echo`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('hi'));
      socket.on('message', (data) => resolve(String(data)));
      socket.on('error', reject);
    });
    expect(reply).toBe('echo:hi');
    socket.close();
    const refused = await new Promise<string>((resolve) => {
      const other = new WebSocket(`${wsUrl}/nope`);
      other.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      other.on('error', () => resolve('error'));
    });
    expect(refused).toBe('404');
  });

  it('refuses a WebSocket frame over the limit from its header alone, with 1009, before the handler sees it', async () => {
    const http = server();
    const seen: number[] = [];
    http.websocket('/small', (socket) =>
      socket.on('message', (data: Buffer) => seen.push(data.length)),
    );
    http.websocket(
      '/large',
      (socket) => socket.on('message', (data: Buffer) => seen.push(data.length)),
      {
        maxPayloadBytes: 1024 * 1024,
      },
    );
    await http.start();
    // 100 MiB announced, nothing sent: the server must not wait to buffer it.
    expect(await announceOversizedFrame(http.url, '/small', 100 * 1024 * 1024)).toBe(1009);
    expect(await announceOversizedFrame(http.url, '/small', 64 * 1024 + 1)).toBe(1009);
    expect(await announceOversizedFrame(http.url, '/large', 1024 * 1024 + 1)).toBe(1009);
    expect(seen).toEqual([]);
    // A message within the limit still arrives.
    const socket = new WebSocket(`${http.url.replace('http', 'ws')}/small`);
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    socket.send(Buffer.alloc(64 * 1024));
    await expect.poll(() => seen).toEqual([64 * 1024]);
    socket.close();
  });

  it('checks bearer tokens in constant time and generates a token when none is configured', () => {
    const generated = server({ token: undefined });
    expect(generated.tokenGenerated).toBe(true);
    expect(generated.token.length).toBeGreaterThanOrEqual(32);
    expect(generated.isOwnerRequest(`Bearer ${generated.token}`)).toBe(true);
    expect(generated.isOwnerRequest(`Bearer ${generated.token}x`)).toBe(false);
    expect(generated.isOwnerRequest(undefined)).toBe(false);
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(tokensEqual('same-secret', 'same-secret')).toBe(true);
    expect(tokensEqual('', '')).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from everything else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.1', '192.168.1.1', '::', 'example.org', '128.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("the bot's HTTP server", () => {
  it('reports storage and the model in /ready, and a stopped storage as not ready', async () => {
    const model = scriptedChatModel();
    const bot = createBot({
      config: { storage: 'memory', http: { port: 0 } },
      adapters: [],
      log: silentLogger,
      model,
    });
    bots.push(bot);
    await bot.start();
    const url = bot.http().url;
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: {
        storage: { ok: true, details: { driver: 'memory' } },
        model: { ok: true, details: { provider: 'scripted' } },
      },
    });
    await bot.storage.close();
    const down = await fetch(`${url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ready: false, checks: { storage: { ok: false } } });
  });

  it('counts messages in /metrics', async () => {
    const bot = createBot({
      config: { storage: 'memory', http: { port: 0 } },
      adapters: [],
      log: silentLogger,
    });
    bots.push(bot);
    await bot.start();
    const text = await (await fetch(`${bot.http().url}/metrics`)).text();
    expect(text).toContain('# TYPE botwire_messages_total counter');
  });
});

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { WebSocket, WebSocketServer } from 'ws';
import { BotwireError } from '../errors/botwire-error';
import type { Logger } from '../logging/logger';
import type {
  HttpRoutes,
  ReadinessCheck,
  ReadinessResult,
  RouteDocument,
  RouteHandler,
} from '../ports/http-routes';
import { isLoopbackHost } from './loopback';
import { openApiDocument } from './openapi';

/** How long a WebSocket client has to answer the close when the server stops. */
const webSocketCloseGraceMs = 1000;

/** How long requests in flight may take to finish once the server stops; then they are cut. */
const requestGraceMs = 5000;

/** What the server knows of one open connection, so that a stop can close it on time. */
interface OpenConnection {
  /** Requests on it whose responses have not closed yet. */
  requests: number;
  /** Handed to a WebSocket: closed by the close handshake, or cut after its grace. */
  upgraded: boolean;
}

/** Options for {@link BotHttpServer}. */
export interface BotHttpServerOptions {
  /** Default `HOST` or 127.0.0.1. */
  host?: string;
  /** Default `PORT` or 3000; 0 picks a free port. */
  port?: number;
  /** The owner's API token; required on any address but loopback. Generated when missing. */
  token?: string;
  /**
   * The token to use when none is configured (the bot keeps one in storage, so the web
   * sign-in link stays valid across restarts). Default: a new random token.
   */
  generatedToken?: string;
  /** Prometheus text for `/metrics`. */
  metrics?: () => string | Promise<string>;
  log: Logger;
  /** The bot's name and version, for the OpenAPI document. */
  title?: string;
  version?: string;
}

const checkTimeoutMs = 2000;

/** The largest WebSocket message a path accepts unless it says otherwise. */
const defaultWebSocketMaxPayloadBytes = 64 * 1024;

interface WebSocketPath {
  /** Created, and ws loaded, by the path's first upgrade rather than at start-up. */
  server?: WebSocketServer;
  maxPayload: number;
  onConnection: (socket: WebSocket, request: IncomingMessage) => void;
}

/**
 * The bot's HTTP face: `/health`, `/ready`, `/metrics`, `/openapi.json`, and the routes that
 * adapters mount (a Telegram webhook, the web chat) on its Hono `app`, plus WebSocket endpoints.
 * It listens on loopback by default; on any other address it refuses to start without a token.
 *
 * @example
 * host.http().app.post('/telegram/webhook', (c) => c.text('ok'));
 */
export class BotHttpServer implements HttpRoutes {
  /** The Hono app; adapters add their routes to it. */
  readonly app = new Hono();
  readonly host: string;
  /** True when the token was generated rather than configured. */
  readonly tokenGenerated: boolean;
  private ownerToken: string;
  private readonly requestedPort: number;
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly sockets = new Map<string, WebSocketPath>();
  private readonly documents: RouteDocument[] = [];
  private readonly mounted: string[] = [];
  private server: Server | undefined;
  private boundPort = 0;

  constructor(private readonly options: BotHttpServerOptions) {
    this.host = options.host ?? process.env.HOST ?? '127.0.0.1';
    this.requestedPort = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000);
    const configured = options.token ?? process.env.BOTWIRE_API_TOKEN;
    this.tokenGenerated = !configured;
    this.ownerToken = configured ?? options.generatedToken ?? newOwnerToken();
    this.mountBuiltins();
  }

  /** The owner's API token: configured, or generated (and kept in storage by the bot). */
  get token(): string {
    return this.ownerToken;
  }

  /** Replaces a generated owner token (the old one stops working at once). */
  rotateToken(token: string = newOwnerToken()): string {
    if (!this.tokenGenerated)
      throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
        message:
          'The owner token is configured (BOTWIRE_API_TOKEN or http.token), so it cannot be rotated here.',
        hint: 'Change the configured token and restart the bot.',
      });
    this.ownerToken = token;
    return token;
  }

  /**
   * Every open connection. `server.close()` alone waits for each one to end, and a browser
   * keeps connections open that never send a request (Chromium connects ahead of time), so
   * a stop would otherwise wait for Node's 60 s header timeout.
   */
  private readonly connections = new Map<Socket, OpenConnection>();
  private stopping = false;

  /** `http://host:port` once listening. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  /** Adds a named check to `/ready` (storage, model, queue, an adapter's connection). */
  addReadinessCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Sends requests for `path` (every method) to a handler of web Requests. */
  mount(path: string, handler: RouteHandler): void {
    this.app.all(path, (c) => handler(c.req.raw));
    this.mounted.push(path);
  }

  /** True when something is mounted on exactly this path (the web chat page on `/`). */
  serves(path: string): boolean {
    return (
      this.mounted.includes(path) ||
      this.app.routes.some((route) => route.method === 'GET' && route.path === path)
    );
  }

  /** Describes a route for the OpenAPI document. */
  describe(route: RouteDocument): void {
    this.documents.push(route);
  }

  /**
   * Accepts WebSocket connections on a path. A message larger than `maxPayloadBytes` (default
   * 64 KiB) closes the socket with 1009 (message too big) as soon as its frame header arrives:
   * nothing of it is buffered, and the handler (with its sign-in) never sees it.
   */
  websocket(
    path: string,
    onConnection: (socket: WebSocket, request: IncomingMessage) => void,
    options: { maxPayloadBytes?: number } = {},
  ): void {
    const maxPayload = options.maxPayloadBytes ?? defaultWebSocketMaxPayloadBytes;
    this.sockets.set(path, { maxPayload, onConnection });
  }

  /** True when the request carries `Authorization: Bearer <owner token>` (compared in constant time). */
  isOwnerRequest(authorization: string | undefined): boolean {
    return tokensEqual(bearerToken(authorization), this.token);
  }

  /** Runs every readiness check with a time limit; `ready` only when all are ok. */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, ReadinessResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, ReadinessResult]> => {
        try {
          const result = await Promise.race([
            Promise.resolve(check()),
            new Promise<ReadinessResult>((resolve) =>
              setTimeout(
                () => resolve({ ok: false, error: `no answer within ${checkTimeoutMs} ms` }),
                checkTimeoutMs,
              ).unref(),
            ),
          ]);
          return [name, result];
        } catch (error) {
          return [
            name,
            { ok: false, error: error instanceof Error ? error.message : String(error) },
          ];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, result]) => result.ok), checks };
  }

  /** Starts listening. Refuses a non-loopback address without a configured token. */
  async start(): Promise<void> {
    if (this.server) return;
    if (!isLoopbackHost(this.host) && this.tokenGenerated) {
      throw new BotwireError('BOTWIRE_HTTP_TOKEN_REQUIRED', {
        message: `The HTTP server would listen on ${this.host}, which other machines can reach, but no API token is configured.`,
        hint: 'Set BOTWIRE_API_TOKEN (or http.token in the config) to a long random secret, or listen on 127.0.0.1.',
      });
    }
    await new Promise<void>((resolve, reject) => {
      const server = serve(
        { fetch: this.app.fetch, hostname: this.host, port: this.requestedPort },
        (info: AddressInfo) => {
          this.boundPort = info.port;
          resolve();
        },
      ) as Server;
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new BotwireError('BOTWIRE_HTTP_LISTEN_FAILED', {
            message: `Could not listen on ${this.host}:${this.requestedPort}: ${error.code ?? error.message}.`,
            hint:
              error.code === 'EADDRINUSE'
                ? 'Another program uses the port: set PORT to another one.'
                : undefined,
            cause: error,
          }),
        );
      });
      server.on('connection', (socket: Socket) => this.track(socket));
      server.on('request', (request: IncomingMessage, response: ServerResponse) =>
        this.countRequest(request.socket, response),
      );
      server.on('upgrade', (request, socket, head) => {
        const connection = this.connections.get(request.socket);
        if (connection) connection.upgraded = true;
        this.upgrade(request, socket, head);
      });
      this.stopping = false;
      this.server = server;
    });
    this.options.log.info('http-listening', { url: this.url });
  }

  /**
   * Stops accepting connections, closes idle ones at once, closes WebSockets, and waits for
   * requests in flight. A WebSocket whose client does not answer the close within a second is
   * cut (`ws` would wait 30 s), and a request still running after five seconds is cut too, so
   * a stop always ends.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [socket, connection] of this.connections)
      if (connection.requests === 0 && !connection.upgraded) socket.destroy();
    for (const { server: sockets } of this.sockets.values())
      for (const client of sockets?.clients ?? []) client.close(1001, 'server stopping');
    const cutWebSockets = setTimeout(() => {
      for (const { server: sockets } of this.sockets.values())
        for (const client of sockets?.clients ?? []) client.terminate();
      for (const [socket, connection] of this.connections)
        if (connection.upgraded) socket.destroy();
    }, webSocketCloseGraceMs);
    const cutRequests = setTimeout(() => {
      for (const socket of this.connections.keys()) socket.destroy();
    }, requestGraceMs);
    cutWebSockets.unref();
    cutRequests.unref();
    await closed;
    clearTimeout(cutWebSockets);
    clearTimeout(cutRequests);
  }

  private track(socket: Socket): void {
    // A connection that arrives while the server stops is not served.
    if (this.stopping) return void socket.destroy();
    this.connections.set(socket, { requests: 0, upgraded: false });
    socket.once('close', () => this.connections.delete(socket));
  }

  /** Counts a request on its connection; once the server stops, an idle connection is closed. */
  private countRequest(socket: Socket, response: ServerResponse): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    connection.requests += 1;
    response.once('close', () => {
      connection.requests -= 1;
      if (this.stopping && connection.requests === 0 && !connection.upgraded) socket.end();
    });
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const entry = this.sockets.get(path);
    if (!entry) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    entry.server ??= new (
      createRequire(import.meta.url)('ws') as typeof import('ws')
    ).WebSocketServer({ noServer: true, maxPayload: entry.maxPayload });
    entry.server.handleUpgrade(request, socket, head, (client) => {
      // A frame over the limit (or any protocol error) is reported here, never as an
      // unhandled 'error' event that would stop the process; ws closes the socket itself.
      client.on('error', (error) => this.options.log.debug('websocket-error', { path, error }));
      entry.onConnection(client, request);
    });
  }

  private mountBuiltins(): void {
    this.app.get('/health', (c) => c.json({ status: 'ok' }));
    this.app.get('/ready', async (c) => {
      const report = await this.readiness();
      return c.json(report, report.ready ? 200 : 503);
    });
    this.app.get('/metrics', async (c: Context) => {
      c.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
      return c.body((await this.options.metrics?.()) ?? '');
    });
    this.app.get('/openapi.json', (c) =>
      c.json(
        openApiDocument(
          this.options.title ?? 'Botwire bot',
          this.options.version ?? '0.0.0',
          this.documents,
        ),
      ),
    );
    this.app.onError((error, c) => {
      this.options.log.error('http-request-failed', { path: c.req.path, error });
      return c.json({ error: { code: 'BOTWIRE_INTERNAL', message: 'Internal error.' } }, 500);
    });
  }
}

/** A new random owner token. */
export function newOwnerToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** Compares two secrets in constant time (for their common length); false when either is missing. */
export function tokensEqual(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

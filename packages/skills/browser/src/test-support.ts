// Helpers of this package's tests (not exported): loopback servers of the tests' own, a guard
// that refuses any socket to a non-loopback address, and the skill loaded the way a bot loads it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, connect as netConnect, Socket } from 'node:net';
import {
  type EgressConfig,
  type EgressConnector,
  EgressPolicy,
  type EgressResolver,
  loadSkills,
  type SkillManifest,
  type SkillRegistry,
} from '@botwire/core';
import { requireTool } from '@botwire/core/testing';
import { WebSocketServer } from 'ws';
import type { BrowserPool } from './browser-pool';
import { createBrowserSkill } from './browser-tools';
import type { RequestEvent } from './guard-context';

/** The skill's real manifest. */
export const manifest = JSON.parse(
  readFileSync(new URL('../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** Debian's Chromium, as the skill finds it. */
export const chromiumPath = process.env.BOTWIRE_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether it is there: the tests that need it skip (reason printed) without it, and fail under CI. */
export const chromium = requireTool('chromium', 'apt-get install -y chromium', {
  path: chromiumPath,
});

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/**
 * Makes every socket this process opens to a non-loopback address fail before it is opened,
 * and records it: a bug in the code under test can then never send a packet elsewhere.
 */
export function guardNetwork(): { attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const original = Socket.prototype.connect;
  Socket.prototype.connect = function guardedConnect(this: Socket, ...args: unknown[]) {
    // net.connect() passes its arguments on normalized, as one array: [options, callback].
    const input = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    const first = input[0];
    let host = 'localhost';
    if (typeof first === 'object' && first !== null) {
      const options = first as { host?: string; path?: string };
      if (!options.path) host = options.host ?? 'localhost';
    } else if (typeof input[1] === 'string') host = input[1];
    if (!isLoopback(host)) {
      attempts.push(host);
      throw new Error(`test guard: refused a connection to ${host}`);
    }
    return (original as (...input: unknown[]) => Socket).apply(this, args);
  } as typeof original;
  return {
    attempts,
    restore: () => {
      Socket.prototype.connect = original;
    },
  };
}

/** A loopback HTTP server: `routes` by path, 404 otherwise; `hits` lists every path asked for. */
export interface LoopbackServer {
  origin: string;
  port: number;
  hits: string[];
  connections: number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Starts a server on `host` (any 127.x address) with WebSocket echo at `/ws`. */
export async function startServer(
  host: string,
  routes: Record<string, string | Handler>,
): Promise<LoopbackServer> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? '');
    const route = routes[(request.url ?? '').split('?')[0] ?? ''];
    if (typeof route === 'function') return route(request, response);
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(route);
  });
  const state = { connections: 0 };
  server.on('connection', () => {
    state.connections += 1;
  });
  const sockets = new WebSocketServer({ server, path: '/ws' });
  sockets.on('connection', (socket) => {
    hits.push('websocket /ws');
    socket.on('message', (data) => socket.send(`echo ${data.toString()}`));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://${host}:${port}`,
    port,
    hits,
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** What {@link fakeNetwork} gives a policy, and what it saw. */
export interface FakeNetwork {
  resolve: EgressResolver;
  connect: EgressConnector;
  /** Names asked of the fake DNS. */
  resolved: string[];
  /** `address:port` of every socket the policy let the fake open. */
  connects: string[];
}

/**
 * A DNS answer and a socket opener for the policy that never touch the network: names resolve
 * from `names`; every socket the policy allows to a non-loopback address goes to `redirectTo`
 * (a loopback server) instead.
 */
export function fakeNetwork(names: Record<string, string>, redirectTo?: () => number): FakeNetwork {
  const resolved: string[] = [];
  const connects: string[] = [];
  const resolve: EgressResolver = async (host) => {
    resolved.push(host);
    const address = names[host];
    if (!address) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return [{ address, family: (isIP(address) === 6 ? 6 : 4) as 4 | 6 }];
  };
  const connect: EgressConnector = (options, callback) => {
    connects.push(
      `${options.hostname}:${options.port || (options.protocol === 'https:' ? 443 : 80)}`,
    );
    const port = isLoopback(options.hostname) ? Number(options.port) : redirectTo?.();
    if (!port) {
      callback(new Error(`fake network: no route to ${options.hostname}`), null);
      return;
    }
    const host = isLoopback(options.hostname) ? options.hostname : '127.0.0.1';
    const socket = netConnect({ host, port });
    socket.once('connect', () => callback(null, socket));
    socket.once('error', (error) => callback(error, null));
  };
  return { resolve, connect, resolved, connects };
}

/** A policy with the given config whose DNS and sockets are {@link fakeNetwork}'s. */
export function testPolicy(
  config: EgressConfig,
  network: FakeNetwork = fakeNetwork({}),
): EgressPolicy {
  return new EgressPolicy(config, { resolve: network.resolve, connect: network.connect });
}

/** The skill loaded as a bot loads it (manifest checked, `browser` granted), on `pool`. */
export async function loadBrowserSkill(
  pool: BrowserPool,
  config: Record<string, unknown> = {},
  onRequest?: (event: RequestEvent) => void,
): Promise<SkillRegistry> {
  const definition = createBrowserSkill({ pool, ...(onRequest ? { onRequest } : {}) });
  return loadSkills(
    [
      {
        use: { manifest, definition },
        permissions: ['browser'],
        config: { settleMs: 300, ...config },
      },
    ],
    { baseDir: process.cwd() },
  );
}

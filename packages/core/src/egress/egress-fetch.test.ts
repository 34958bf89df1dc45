import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeEgressDispatcher, egressFetch } from './egress-fetch';
import {
  type EgressConnector,
  EgressPolicy,
  type EgressPolicyOptions,
  type EgressResolver,
} from './egress-policy';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let port: number;
const requests: string[] = [];
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const handler = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (handler) handler(request, response);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  routes.set('/hello', (_request, response) => {
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.end('hello');
  });
  routes.set('/hop', (request, response) => {
    const left = Number(new URL(request.url ?? '', 'http://x').searchParams.get('left'));
    response.writeHead(302, { location: left > 0 ? `/hop?left=${left - 1}` : '/hello' }).end();
  });
  routes.set('/to-metadata', (_request, response) => {
    response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  });
  routes.set('/to-rebind', (_request, response) => {
    response.writeHead(307, { location: `http://rebind.example:${port}/hello` }).end();
  });
  routes.set('/to-loopback-name', (_request, response) => {
    response.writeHead(302, { location: 'http://localhost./' }).end();
  });
  routes.set('/big', (_request, response) => {
    response.write('a'.repeat(6000));
    response.end('b'.repeat(6000));
  });
  routes.set('/declared-big', (_request, response) => {
    response.writeHead(200, { 'content-length': '50000' });
    response.end('x'.repeat(50000));
  });
  routes.set('/slow', () => {
    // Never answers.
  });
  routes.set('/post-303', (request, response) => {
    if (request.method === 'POST') response.writeHead(303, { location: '/method' }).end();
    else response.writeHead(400).end();
  });
  routes.set('/method', (request, response) => {
    response.end(`${request.method} ${request.headers.authorization ?? '-'}`);
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const policies: EgressPolicy[] = [];
afterEach(async () => {
  requests.length = 0;
  await Promise.all(policies.splice(0).map((policy) => closeEgressDispatcher(policy)));
});

/** A policy that allows the test server's loopback address (and closes its sockets after the test). */
function loopbackPolicy(
  config: ConstructorParameters<typeof EgressPolicy>[0] = {},
  options: EgressPolicyOptions = {},
) {
  const policy = new EgressPolicy({ allow: ['127.0.0.1'], ...config }, options);
  policies.push(policy);
  return policy;
}

/**
 * A connector that records each attempt and refuses it: no socket is opened, except to the
 * test server's own loopback address when `loopback` is set.
 */
function recordingConnector(loopback = false) {
  const attempts: string[] = [];
  const real = buildConnector({});
  const connect: EgressConnector = (options, callback) => {
    attempts.push(options.hostname);
    if (loopback && options.hostname === '127.0.0.1') real(options, callback);
    else callback(new Error(`test connector refuses ${options.hostname}`), null);
  };
  return { attempts, connect };
}

/** A resolver from a table that records each question (never real DNS). */
function recordingResolver(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: EgressResolver = async (host) => {
    asked.push(host);
    return (table[host] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { asked, resolve };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

describe('egressFetch against a loopback server on the allow list', () => {
  it('reads a response', async () => {
    const response = await egressFetch(loopbackPolicy(), `${base}/hello`);
    expect(response).toMatchObject({ status: 200, ok: true, truncated: false, redirects: [] });
    expect(new TextDecoder().decode(response.body)).toBe('hello');
    expect(response.headers.get('content-type')).toContain('text/plain');
  });

  it('refuses the same server with the default policy, before any request', async () => {
    const policy = new EgressPolicy();
    policies.push(policy);
    const error = await rejection(egressFetch(policy, `${base}/hello`));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain(`${base}/hello`);
    expect(error.message).toContain('rule "loopback"');
    expect(requests).toEqual([]);
  });

  it('follows 5 redirects and refuses a 6th', async () => {
    const policy = loopbackPolicy();
    const ok = await egressFetch(policy, `${base}/hop?left=4`);
    expect(ok.redirects).toHaveLength(5);
    expect(ok.url).toBe(`${base}/hello`);
    expect(new TextDecoder().decode(ok.body)).toBe('hello');
    requests.length = 0;
    const error = await rejection(egressFetch(policy, `${base}/hop?left=5`));
    expect(error.code).toBe('BOTWIRE_EGRESS_REDIRECT_LIMIT');
    expect(requests).toHaveLength(6);
    expect(requests).not.toContain('/hello');
  });

  it('honours a smaller maxRedirects', async () => {
    const error = await rejection(
      egressFetch(loopbackPolicy({ maxRedirects: 1 }), `${base}/hop?left=1`),
    );
    expect(error.code).toBe('BOTWIRE_EGRESS_REDIRECT_LIMIT');
  });

  it('refuses a redirect to a blocked address before connecting to it', async () => {
    const recorder = recordingConnector(true);
    const policy = loopbackPolicy({}, { connect: recorder.connect });
    const error = await rejection(egressFetch(policy, `${base}/to-metadata`));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain('http://169.254.169.254/latest/meta-data/');
    expect(error.message).toContain('rule "link-local"');
    const loop = await rejection(egressFetch(policy, `${base}/to-loopback-name`));
    expect(loop.message).toContain('rule "loopback"');
    // Only the test server was ever connected to.
    expect(recorder.attempts.length).toBeGreaterThan(0);
    expect(new Set(recorder.attempts)).toEqual(new Set(['127.0.0.1']));
    expect(requests).toEqual(['/to-metadata', '/to-loopback-name']);
  });

  it('re-resolves a redirect target at connect time and refuses a private answer', async () => {
    const dns = recordingResolver({ 'rebind.example': ['10.0.0.1'] });
    const recorder = recordingConnector(true);
    const policy = loopbackPolicy(
      { ports: [80, 443, port] },
      { resolve: dns.resolve, connect: recorder.connect },
    );
    const error = await rejection(egressFetch(policy, `${base}/to-rebind`));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain(`http://rebind.example:${port}/hello`);
    expect(error.message).toContain('rule "private"');
    expect(dns.asked).toEqual(['rebind.example']);
    expect(recorder.attempts).toEqual(['127.0.0.1']);
    expect(requests).toEqual(['/to-rebind']);
  });

  it('caps the body: fails by default, or truncates when asked', async () => {
    const policy = loopbackPolicy({ maxResponseBytes: 10_000 });
    const error = await rejection(egressFetch(policy, `${base}/big`));
    expect(error.code).toBe('BOTWIRE_EGRESS_TOO_LARGE');
    const declared = await rejection(egressFetch(policy, `${base}/declared-big`));
    expect(declared.code).toBe('BOTWIRE_EGRESS_TOO_LARGE');
    expect(declared.message).toContain('50000 bytes');
    const cut = await egressFetch(policy, `${base}/big`, { truncate: true });
    expect(cut.truncated).toBe(true);
    expect(cut.body.byteLength).toBe(10_000);
    const small = await egressFetch(policy, `${base}/big`, {
      maxResponseBytes: 100,
      truncate: true,
    });
    expect(small.body.byteLength).toBe(100);
    // The policy's cap is a ceiling a caller cannot raise.
    const raised = await rejection(
      egressFetch(policy, `${base}/big`, { maxResponseBytes: 12_000 }),
    );
    expect(raised.code).toBe('BOTWIRE_EGRESS_TOO_LARGE');
    const whole = await egressFetch(loopbackPolicy({ maxResponseBytes: 12_000 }), `${base}/big`);
    expect(whole.truncated).toBe(false);
    expect(whole.body.byteLength).toBe(12_000);
  });

  it('gives up after timeoutMs', async () => {
    const started = Date.now();
    const error = await rejection(egressFetch(loopbackPolicy({ timeoutMs: 300 }), `${base}/slow`));
    expect(error.code).toBe('BOTWIRE_EGRESS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    const error = await rejection(
      egressFetch(loopbackPolicy(), `${base}/slow`, { signal: controller.signal }),
    );
    expect(error.message).toBe('caller gave up');
  });

  it('turns a POST answered with 303 into a GET', async () => {
    const response = await egressFetch(loopbackPolicy(), `${base}/post-303`, {
      method: 'POST',
      body: 'x=1',
      headers: { authorization: 'Bearer t' },
    });
    expect(new TextDecoder().decode(response.body)).toBe('GET Bearer t');
  });

  it('reports a refused connection as BOTWIRE_EGRESS_FAILED', async () => {
    const error = await rejection(egressFetch(loopbackPolicy(), 'http://127.0.0.1:1/'));
    expect(error.code).toBe('BOTWIRE_EGRESS_FAILED');
  });
});

describe('no blocked address ever reaches a socket', () => {
  const targets = [
    ['metadata.example', '169.254.169.254'],
    ['ten.example', '10.0.0.1'],
    ['ula.example', 'fd00::1'],
    ['mapped.example', '::ffff:127.0.0.1'],
  ] as const;

  it.each(targets)('%s → %s is refused before the connector', async (host, address) => {
    const dns = recordingResolver({ [host]: [address] });
    const recorder = recordingConnector();
    const policy = new EgressPolicy({}, { resolve: dns.resolve, connect: recorder.connect });
    policies.push(policy);
    const error = await rejection(egressFetch(policy, `http://${host}/`));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(dns.asked).toEqual([host]);
    expect(recorder.attempts).toEqual([]);
  });

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[fd00::1]/'])(
    'the literal %s is refused before the connector',
    async (url) => {
      const recorder = recordingConnector();
      const policy = new EgressPolicy({}, { connect: recorder.connect });
      policies.push(policy);
      expect((await rejection(egressFetch(policy, url))).code).toBe('BOTWIRE_EGRESS_BLOCKED');
      expect(recorder.attempts).toEqual([]);
    },
  );

  it('a public answer does reach the connector, with the checked address', async () => {
    const dns = recordingResolver({ 'public.example': ['93.184.216.34'] });
    const recorder = recordingConnector();
    const policy = new EgressPolicy({}, { resolve: dns.resolve, connect: recorder.connect });
    policies.push(policy);
    const error = await rejection(egressFetch(policy, 'http://public.example/'));
    expect(error.code).toBe('BOTWIRE_EGRESS_FAILED');
    expect(recorder.attempts).toEqual(['93.184.216.34']);
  });

  it('connects to the checked address but keeps the host name for TLS', async () => {
    const seen: Array<{ hostname: string; host?: string; protocol: string }> = [];
    const policy = new EgressPolicy(
      {},
      {
        resolve: async () => [{ address: '93.184.216.34', family: 4 }],
        connect: (options, callback) => {
          seen.push({ hostname: options.hostname, host: options.host, protocol: options.protocol });
          callback(new Error('refused by the test'), null);
        },
      },
    );
    policies.push(policy);
    await rejection(egressFetch(policy, 'https://public.example/'));
    expect(seen).toEqual([
      { hostname: '93.184.216.34', host: 'public.example', protocol: 'https:' },
    ]);
  });

  it('checks the answer at connect time, not only before (DNS rebinding)', async () => {
    let calls = 0;
    const recorder = recordingConnector();
    const policy = new EgressPolicy(
      {},
      {
        resolve: async () => [{ address: calls++ === 0 ? '93.184.216.34' : '10.0.0.1', family: 4 }],
        connect: recorder.connect,
      },
    );
    policies.push(policy);
    expect((await policy.resolveAndCheck('http://flip.example/')).address).toBe('93.184.216.34');
    const error = await rejection(egressFetch(policy, 'http://flip.example/'));
    expect(error.code).toBe('BOTWIRE_EGRESS_BLOCKED');
    expect(error.message).toContain('10.0.0.1');
    expect(recorder.attempts).toEqual([]);
  });
});

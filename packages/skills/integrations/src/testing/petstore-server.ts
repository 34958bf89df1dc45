import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PetstoreAuthOptions, petstoreDocument } from './petstore-document';

/** Options for {@link startPetstoreServer}: the ways in it accepts (none: it is open). */
export type PetstoreServerOptions = PetstoreAuthOptions;

/** One request the peer received. */
export interface RecordedRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The path and query as sent. */
  url: string;
  /** Query parameters; a repeated key is a list. */
  query: Record<string, string | string[]>;
  /** Headers, names in lower case. */
  headers: Record<string, string>;
  /** The body as text (`''` when none). */
  body: string;
}

/** A pet of the store. */
export interface Pet {
  id: number;
  name: string;
  tag?: string | null;
}

/** A running Petstore peer. */
export interface PetstoreServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/openapi.json` */
  openApiUrl: string;
  /** Every request, in order (clear it with `requests.length = 0`). */
  requests: RecordedRequest[];
  /** The store's pets. */
  pets: Pet[];
  /** Makes every token issued so far expired (as `POST /oauth/revoke-all` does). */
  expireTokens(): void;
  /** Makes the token endpoint refuse every client (`invalid_client`), or accept again. */
  refuseTokens(refuse?: boolean): void;
  /** Makes `GET /health` answer 503 (false) or 200 (true). */
  setHealthy(healthy: boolean): void;
  close(): Promise<void>;
}

const initialPets = (): Pet[] => [
  { id: 1, name: 'Rex', tag: 'dog' },
  { id: 2, name: 'Tom', tag: 'cat' },
  { id: 3, name: 'Nemo', tag: 'fish' },
];

function send(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      ...headers,
    })
    .end(text);
}

const fail = (
  response: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
) => send(response, status, { code: status, message }, headers);

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

/**
 * Starts a small, honest Petstore on 127.0.0.1 (a free port), for tests of the integrations
 * engine and skill: `GET /pets` (`limit`, `tag`), `GET /pets/{petId}` (404 when missing),
 * `POST /pets` (`{ name, tag? }` → 201), `DELETE /pets/{petId}`, `GET /health` (open),
 * `GET /openapi.json` (its own OpenAPI 3.0 document, see petstoreDocument), and with `oauth`,
 * `POST /oauth/token` (client credentials, client authenticated with HTTP Basic or in the
 * form; tokens expire after `tokenLifetimeSec`) and `POST /oauth/revoke-all`. The pets answer
 * 401 unless the request carries one of the credentials it was started with. Test controls,
 * open and not in the document: `/testing/flaky/<key>?failures=N&status=503&retryAfter=S`
 * (the first N requests for a key fail), `/testing/slow?ms=N`, `/testing/big?bytes=N&type=json`
 * and `/testing/echo` (answers with the request, headers included). Every request is recorded.
 *
 * @example
 * const store = await startPetstoreServer({ token: 'secret-token' });
 * // ... call store.url; then assert on store.requests[0].headers.authorization
 * await store.close();
 */
export async function startPetstoreServer(
  options: PetstoreServerOptions = {},
): Promise<PetstoreServer> {
  const requests: RecordedRequest[] = [];
  const pets = initialPets();
  const tokens = new Map<string, number>();
  const flaky = new Map<string, number>();
  let nextId = pets.length + 1;
  let refusing = false;
  let healthy = true;
  let base = '';

  const authorized = (request: IncomingMessage, url: URL): boolean => {
    const configured =
      options.token !== undefined || options.apiKey !== undefined || options.basic || options.oauth;
    if (!configured) return true;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
    if (options.token !== undefined && bearer !== undefined && same(bearer, options.token))
      return true;
    if (options.oauth && bearer !== undefined && (tokens.get(bearer) ?? 0) > Date.now())
      return true;
    if (options.apiKey !== undefined) {
      const given =
        options.apiKeyIn === 'query'
          ? url.searchParams.get('api_key')
          : request.headers['x-api-key'];
      if (typeof given === 'string' && same(given, options.apiKey)) return true;
    }
    const basic = /^Basic (.+)$/i.exec(header)?.[1];
    if (options.basic && basic) {
      const expected = `${options.basic.username}:${options.basic.password}`;
      if (same(Buffer.from(basic, 'base64').toString('utf8'), expected)) return true;
    }
    return false;
  };

  const issueToken = (response: ServerResponse, request: IncomingMessage, body: string) => {
    const oauth = options.oauth;
    if (!oauth) return fail(response, 404, 'This store does not issue tokens');
    const form = new URLSearchParams(body);
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = formDecode(decoded.slice(0, colon));
      clientSecret = formDecode(decoded.slice(colon + 1));
    }
    const wrongType = !(request.headers['content-type'] ?? '').startsWith(
      'application/x-www-form-urlencoded',
    );
    if (wrongType || form.get('grant_type') !== 'client_credentials')
      return send(response, 400, { error: 'unsupported_grant_type' });
    if (refusing || !same(clientId, oauth.clientId) || !same(clientSecret, oauth.clientSecret))
      return send(
        response,
        401,
        { error: 'invalid_client', error_description: 'Client authentication failed' },
        {
          'www-authenticate': 'Basic realm="petstore"',
        },
      );
    const token = randomBytes(24).toString('hex');
    tokens.set(token, Date.now() + oauth.tokenLifetimeSec * 1000);
    send(
      response,
      200,
      {
        access_token: token,
        token_type: 'Bearer',
        expires_in: oauth.tokenLifetimeSec,
        scope: form.get('scope') ?? '',
      },
      { 'cache-control': 'no-store' },
    );
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: string,
  ) => {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    if (path === '/openapi.json' && method === 'GET')
      return send(response, 200, petstoreDocument(base, options));
    if (path === '/health' && (method === 'GET' || method === 'HEAD'))
      return healthy
        ? send(response, 200, { status: 'ok', pets: pets.length })
        : fail(response, 503, 'The store is closed');
    if (path === '/oauth/token' && method === 'POST') return issueToken(response, request, body);
    if (path === '/oauth/revoke-all' && method === 'POST') {
      tokens.clear();
      return send(response, 204);
    }
    if (path.startsWith('/testing/')) return testingControl(request, response, url, body, flaky);
    if (path !== '/pets' && !path.startsWith('/pets/'))
      return fail(response, 404, `Nothing at ${path}`);
    if (!authorized(request, url))
      return fail(response, 401, 'Unauthorized: send a valid credential', {
        'www-authenticate': 'Bearer realm="petstore"',
      });
    if (path === '/pets') {
      if (method === 'GET') {
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 100 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          return fail(response, 400, 'limit must be a whole number from 1 to 100');
        const tag = url.searchParams.get('tag');
        return send(
          response,
          200,
          pets.filter((pet) => tag === null || pet.tag === tag).slice(0, limit),
        );
      }
      if (method === 'POST') {
        let input: unknown;
        try {
          input = JSON.parse(body);
        } catch {
          return fail(response, 400, 'The body must be JSON');
        }
        const record = (typeof input === 'object' && input !== null ? input : {}) as Record<
          string,
          unknown
        >;
        if (typeof record.name !== 'string' || record.name === '')
          return fail(response, 400, 'name is required');
        if (record.tag !== undefined && record.tag !== null && typeof record.tag !== 'string')
          return fail(response, 400, 'tag must be a string');
        const pet: Pet = {
          id: nextId++,
          name: record.name,
          ...(record.tag !== undefined ? { tag: record.tag as string | null } : {}),
        };
        pets.push(pet);
        return send(response, 201, pet, { location: `/pets/${pet.id}` });
      }
      return fail(response, 405, `${method} is not allowed on /pets`, { allow: 'GET, POST' });
    }
    const idText = decodeURIComponent(path.slice('/pets/'.length));
    if (!/^[1-9]\d{0,15}$/.test(idText))
      return fail(response, 400, `petId must be a whole number; got "${idText}"`);
    const index = pets.findIndex((pet) => pet.id === Number(idText));
    if (method === 'GET')
      return index < 0
        ? fail(response, 404, `Pet ${idText} not found`)
        : send(response, 200, pets[index]);
    if (method === 'DELETE') {
      if (index < 0) return fail(response, 404, `Pet ${idText} not found`);
      pets.splice(index, 1);
      return send(response, 204);
    }
    return fail(response, 405, `${method} is not allowed on /pets/{petId}`, {
      allow: 'GET, DELETE',
    });
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', base);
      requests.push(record(request, url, body));
      handle(request, response, url, body).catch((error: unknown) => {
        if (!response.headersSent)
          fail(response, 500, error instanceof Error ? error.message : String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    openApiUrl: `${base}/openapi.json`,
    requests,
    pets,
    expireTokens: () => tokens.clear(),
    refuseTokens: (refuse = true) => {
      refusing = refuse;
    },
    setHealthy: (value) => {
      healthy = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function record(request: IncomingMessage, url: URL, body: string): RecordedRequest {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    url: request.url ?? '/',
    query,
    headers,
    body,
  };
}

async function testingControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: string,
  flaky: Map<string, number>,
): Promise<void> {
  const number = (name: string, fallback: number) => {
    const value = Number(url.searchParams.get(name) ?? fallback);
    return Number.isFinite(value) ? value : fallback;
  };
  if (url.pathname.startsWith('/testing/flaky/')) {
    const key = `${request.method} ${url.pathname}`;
    const seen = (flaky.get(key) ?? 0) + 1;
    flaky.set(key, seen);
    if (seen <= number('failures', 1)) {
      const retryAfter = url.searchParams.get('retryAfter');
      return fail(
        response,
        number('status', 503),
        `Failure ${seen} of this flaky endpoint`,
        retryAfter ? { 'retry-after': retryAfter } : {},
      );
    }
    return send(response, 200, { ok: true, attempt: seen });
  }
  if (url.pathname === '/testing/slow') {
    await new Promise((resolve) => setTimeout(resolve, number('ms', 1000)));
    if (!response.destroyed) send(response, 200, { slow: true });
    return;
  }
  if (url.pathname === '/testing/big') {
    const bytes = number('bytes', 1024);
    if (url.searchParams.get('type') === 'json')
      return send(response, 200, { data: 'x'.repeat(Math.max(0, bytes - 11)) });
    return send(response, 200, 'y'.repeat(bytes));
  }
  if (url.pathname === '/testing/echo') {
    const { headers, query } = record(request, url, body);
    return send(response, 200, {
      method: request.method,
      path: url.pathname,
      query,
      headers,
      body,
    });
  }
  fail(response, 404, `Nothing at ${url.pathname}`);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './discord-objects';
import type {
  DiscordPeerState,
  DiscordScriptEntry,
  RecordedDiscordRequest,
} from './discord-peer-state';
import { compile, type Route, routes, type UploadedFile } from './discord-routes';

function scriptedAnswer(entry: DiscordScriptEntry): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  if (entry.status !== 429)
    return {
      status: entry.status,
      body: entry.body ?? errorBody(0, `${entry.status}: scripted by the peer`),
      headers: {},
    };
  const retryAfter = entry.retryAfter ?? 1;
  const scope = entry.global ? 'global' : 'user';
  return {
    status: 429,
    body: entry.body ?? {
      message: 'You are being rate limited.',
      retry_after: retryAfter,
      global: Boolean(entry.global),
    },
    headers: {
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-scope': scope,
      ...(entry.global
        ? { 'x-ratelimit-global': 'true' }
        : {
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
            'x-ratelimit-reset-after': retryAfter.toFixed(3),
            'x-ratelimit-bucket': bucketHash(entry.method ?? 'ANY', entry.route),
          }),
    },
  };
}

function bucketHash(method: string, template: string): string {
  let hash = 0x811c9dc5;
  for (const char of `${method} ${template}`)
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(4);
}

/** Per bucket and major parameter: 50 requests a second, reported in the X-RateLimit headers (not enforced). */
function rateLimitHeaders(
  windows: Map<string, { resetAt: number; used: number }>,
  route: Route,
  params: Record<string, string>,
): Record<string, string> {
  const major = params.channel ?? params.application ?? '';
  const key = `${route.method}:${route.template}:${major}`;
  const now = Date.now();
  let window = windows.get(key);
  if (!window || window.resetAt <= now) {
    window = { resetAt: now + 1000, used: 0 };
    windows.set(key, window);
  }
  window.used += 1;
  return {
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': String(Math.max(0, 50 - window.used)),
    'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
    'x-ratelimit-reset-after': ((window.resetAt - now) / 1000).toFixed(3),
    'x-ratelimit-bucket': bucketHash(route.method, route.template),
  };
}

function send(
  response: ServerResponse,
  record: RecordedDiscordRequest,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  record.status = status;
  if (status === 204 || body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

async function readRequest(
  request: IncomingMessage,
): Promise<{ body: unknown; files: UploadedFile[]; fields: string[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [], fields: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    const fields: string[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
        continue;
      }
      fields.push(field);
      files.push({
        name: value.name,
        contentType: value.type,
        data: new Uint8Array(await value.arrayBuffer()),
      });
    }
    return { body, files, fields };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [], fields: [] };
}

/**
 * Answers one REST request under `/api/v10` the way Discord does (auth, errors, rate-limit
 * headers, scripted failures), and the CDN route for attachments. Unknown routes get Discord's
 * 404 body and are listed in `state.unknownRoutes`.
 */
export async function handleDiscordRequest(
  state: DiscordPeerState,
  gatewayUrl: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://peer');
  const method = request.method ?? 'GET';
  const record: RecordedDiscordRequest = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...request.headers },
    files: [],
    at: Date.now(),
  };
  state.requests.push(record);
  if (method === 'GET' && url.pathname.startsWith('/attachments/')) {
    const file = state.files.get(url.pathname);
    if (!file) return send(response, record, 404, errorBody(0, '404: Not Found'));
    record.status = 200;
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.data.byteLength,
    });
    response.end(file.data);
    return;
  }
  const versioned = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
  if (!versioned) return send(response, record, 404, errorBody(0, '404: Not Found'));
  if (versioned[1] !== '10')
    return send(response, record, 400, errorBody(50_041, 'Invalid API version provided.'));
  const path = versioned[2]!;
  record.path = path;
  let parsed: Awaited<ReturnType<typeof readRequest>>;
  try {
    parsed = await readRequest(request);
  } catch {
    return send(
      response,
      record,
      400,
      errorBody(50_109, 'The request body contains invalid JSON.'),
    );
  }
  record.body = parsed.body;
  record.files = parsed.files.map((file, index) => ({
    field: parsed.fields[index]!,
    name: file.name,
    contentType: file.contentType,
    size: file.data.byteLength,
  }));
  const candidates = routes.filter((route) => route.pattern.test(path));
  const route = candidates.find((each) => each.method === method);
  if (!route) {
    state.unknownRoutes.push(`${method} ${path}`);
    return candidates.length
      ? send(response, record, 405, errorBody(0, '405: Method Not Allowed'))
      : send(response, record, 404, errorBody(0, '404: Not Found'));
  }
  if (route.auth && request.headers.authorization !== `Bot ${state.token}`)
    return send(response, record, 401, errorBody(0, '401: Unauthorized'));
  const scripted = state.script.findIndex(
    (entry) =>
      (!entry.method || entry.method.toUpperCase() === method) && compile(entry.route).test(path),
  );
  if (scripted >= 0) {
    const answer = scriptedAnswer(state.script.splice(scripted, 1)[0]!);
    return send(response, record, answer.status, answer.body, answer.headers);
  }
  const params = Object.fromEntries(
    Object.entries(route.pattern.exec(path)?.groups ?? {}).map(([name, value]) => [
      name,
      decodeURIComponent(value),
    ]),
  );
  const answer = await route.handle({
    state,
    params,
    query: url.searchParams,
    body: (parsed.body ?? {}) as Record<string, unknown>,
    files: parsed.files,
    gatewayUrl,
  });
  send(
    response,
    record,
    answer.status,
    answer.body,
    route.auth ? rateLimitHeaders(state.rateWindows, route, params) : {},
  );
}

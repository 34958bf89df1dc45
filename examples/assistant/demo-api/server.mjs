#!/usr/bin/env node
// @ts-check
import { timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { notesDocument } from './notes-document.mjs';

/** @typedef {import('./server.d.mts').DemoNote} DemoNote */
/** @typedef {import('./server.d.mts').DemoApiRequest} DemoApiRequest */
/** @typedef {import('./server.d.mts').DemoApiOptions} DemoApiOptions */
/** @typedef {import('./server.d.mts').DemoApi} DemoApi */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

const maxBodyBytes = 64 * 1024;

/** @returns {DemoNote[]} */
const seedNotes = () => [
  {
    id: 1,
    title: 'Список покупок',
    text: 'Молоко, хлеб, яблоки, кофе в зёрнах.',
    created_at: '2026-11-20T09:15:00Z',
  },
  {
    id: 2,
    title: 'Meeting with Anna',
    text: 'Thursday 15:00: go over the roadmap for next quarter and the demo.',
    created_at: '2026-11-21T12:40:00Z',
  },
  {
    id: 3,
    title: 'Идеи для отпуска',
    text: 'Казань осенью, Байкал зимой, Калининград на майские.',
    created_at: '2026-11-22T18:05:00Z',
  },
  {
    id: 4,
    title: 'Books to read',
    text: 'The Pragmatic Programmer; Designing Data-Intensive Applications.',
    created_at: '2026-11-23T21:30:00Z',
  },
];

/**
 * @param {ServerResponse} response
 * @param {number} status
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 */
function send(response, status, body, headers = {}) {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/**
 * @param {ServerResponse} response
 * @param {number} status
 * @param {string} error
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
const fail = (response, status, error, message, headers) =>
  send(response, status, { error, message }, headers);

/** @param {string} given @param {string} expected */
function sameToken(given, expected) {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A query as a person reads it: `?q=Казань` rather than `?q=%D0%9A...`. @param {string} search */
function readable(search) {
  try {
    return decodeURIComponent(search.replace(/\+/g, ' '));
  } catch {
    return search;
  }
}

/** @param {import('node:http').IncomingMessage} request @returns {Promise<string | undefined>} */
async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the demo notes API on 127.0.0.1: `GET /health` (open), `GET /notes` (`q`, `limit`),
 * `GET /notes/{id}`, `POST /notes` (`{ title, text? }` → 201), `DELETE /notes/{id}` (204), each
 * of the notes behind `Authorization: Bearer <token>` (401 otherwise), and `GET /openapi.json`,
 * its own OpenAPI 3.0.3 document. The notes live in memory, starting with four seed notes.
 * Every request is recorded in `requests`.
 *
 * @example
 * const api = await startDemoApi({ token: 'secret' });
 * // connect API ${api.openApiUrl} as demo token secret
 * await api.close();
 *
 * @param {DemoApiOptions} [options]
 * @returns {Promise<DemoApi>}
 */
export async function startDemoApi(options = {}) {
  const { port = 0, token = 'demo-token', log } = options;
  if (!token) throw new Error('startDemoApi needs a non-empty token');
  /** @type {DemoApiRequest[]} */
  const requests = [];
  const notes = seedNotes();
  let nextId = notes.length + 1;
  let base = '';

  /**
   * @param {string} method
   * @param {URL} url
   * @param {string} body
   * @param {Record<string, string>} headers
   * @param {ServerResponse} response
   */
  const route = (method, url, body, headers, response) => {
    const path = url.pathname;
    if (path === '/openapi.json' && method === 'GET')
      return send(response, 200, notesDocument(base));
    if (path === '/health' && method === 'GET')
      return send(response, 200, { status: 'ok', notes: notes.length });
    if (path !== '/notes' && !path.startsWith('/notes/'))
      return fail(response, 404, 'not_found', `Nothing at ${path}; the API is at /openapi.json.`);
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer === undefined || !sameToken(bearer, token))
      return fail(
        response,
        401,
        'unauthorized',
        bearer === undefined
          ? 'Send the token: Authorization: Bearer <token>.'
          : 'The token is wrong.',
        { 'www-authenticate': 'Bearer realm="demo notes"' },
      );

    if (path === '/notes') {
      if (method === 'GET') {
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 20 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          return fail(response, 400, 'bad_request', 'limit must be a whole number from 1 to 100.');
        const query = (url.searchParams.get('q') ?? '').trim().toLocaleLowerCase();
        const found = notes
          .filter(
            (note) =>
              !query ||
              note.title.toLocaleLowerCase().includes(query) ||
              note.text.toLocaleLowerCase().includes(query),
          )
          .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
          .slice(0, limit);
        return send(response, 200, found);
      }
      if (method === 'POST') {
        /** @type {unknown} */
        let input;
        try {
          input = JSON.parse(body);
        } catch {
          return fail(response, 400, 'bad_request', 'The body must be JSON: { "title": "..." }.');
        }
        if (typeof input !== 'object' || input === null || Array.isArray(input))
          return fail(response, 400, 'bad_request', 'The body must be an object: { "title" }.');
        const { title, text = '', ...rest } = /** @type {Record<string, unknown>} */ (input);
        const unknown = Object.keys(rest);
        if (unknown.length)
          return fail(response, 400, 'bad_request', `Unknown fields: ${unknown.join(', ')}.`);
        if (typeof title !== 'string' || !title.trim() || title.length > 200)
          return fail(response, 400, 'bad_request', 'title must be text of 1 to 200 characters.');
        if (typeof text !== 'string' || text.length > 10_000)
          return fail(
            response,
            400,
            'bad_request',
            'text must be text of at most 10000 characters.',
          );
        /** @type {DemoNote} */
        const note = {
          id: nextId++,
          title: title.trim(),
          text,
          created_at: new Date().toISOString(),
        };
        notes.push(note);
        return send(response, 201, note, { location: `/notes/${note.id}` });
      }
      return fail(response, 405, 'method_not_allowed', `${method} is not allowed on /notes.`, {
        allow: 'GET, POST',
      });
    }

    const idText = path.slice('/notes/'.length);
    if (!/^[1-9]\d{0,9}$/.test(idText))
      return fail(response, 400, 'bad_request', `id must be a whole number; got "${idText}".`);
    const index = notes.findIndex((note) => note.id === Number(idText));
    if (method !== 'GET' && method !== 'DELETE')
      return fail(response, 405, 'method_not_allowed', `${method} is not allowed on ${path}.`, {
        allow: 'GET, DELETE',
      });
    if (index < 0) return fail(response, 404, 'not_found', `There is no note ${idText}.`);
    if (method === 'GET') return send(response, 200, notes[index]);
    notes.splice(index, 1);
    return send(response, 204);
  };

  const server = createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(request.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    requests.push({
      method,
      path: url.pathname,
      url: request.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body ?? '',
    });
    response.on('finish', () =>
      log?.(`${method} ${url.pathname}${readable(url.search)} → ${response.statusCode}`),
    );
    if (body === undefined)
      return fail(response, 413, 'too_large', `The body may be at most ${maxBodyBytes} bytes.`);
    try {
      route(method, url, body, headers, response);
    } catch (error) {
      fail(response, 500, 'internal', error instanceof Error ? error.message : String(error));
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  base = `http://127.0.0.1:${address.port}`;
  return {
    url: base,
    openApiUrl: `${base}/openapi.json`,
    token,
    requests,
    notes,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const usage = `Usage: node examples/assistant/demo-api/server.mjs [--port 8787] [--token demo-token]

Serves a small notes API on 127.0.0.1 with its OpenAPI document at /openapi.json,
for connecting it to the assistant ("connect API <url> as demo token <token>").`;

/** The command line's options, or an exit with the usage. */
function readOptions() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        token: { type: 'string', default: 'demo-token' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new Error(`--port must be a port number (0 to 65535); got "${values.port}".`);
    if (!/^\S+$/.test(values.token))
      throw new Error('--token must be non-empty and without spaces.');
    return { port, token: values.token, help: values.help };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${usage}`);
    process.exit(2);
  }
}

/** Runs the demo API from the command line until Ctrl+C. */
async function main() {
  const { port, token, help } = readOptions();
  if (help) {
    console.log(usage);
    return;
  }
  let api;
  try {
    api = await startDemoApi({ port, token, log: (line) => console.log(line) });
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${port} is taken: start it with another one, such as --port ${port + 1}.`
        : `The demo API could not start: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
  console.log(
    [
      `Demo notes API: ${api.url} (notes need Authorization: Bearer ${token})`,
      `OpenAPI document: ${api.openApiUrl}`,
      '',
      'Start the assistant with loopback allowed (BOTWIRE_EGRESS_ALLOW=127.0.0.1), then paste:',
      `  connect API ${api.openApiUrl} as demo token ${token}`,
      '',
      'Ctrl+C stops it; the notes live in memory only.',
    ].join('\n'),
  );
  const stop = () => {
    api.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Whether node runs this file (`node server.mjs`), rather than a module importing it. */
function runDirectly() {
  const invokedAs = process.argv[1];
  if (!invokedAs) return false;
  try {
    return realpathSync(invokedAs) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runDirectly()) await main();

/**
 * Test support (exported as `@botwire/adapter-telegram/testing`): a small local Bot API server for what `telegram-test-api` lacks.
 * It speaks the real protocol for the methods the adapter uses: JSON and multipart requests
 * (uploads parsed), `getUpdates` with offset confirmation and long polling, `getFile` with
 * `/file/bot<token>/<path>` downloads, and Bot API errors (400 for bad HTML or lengths, 429
 * with `retry_after`) on demand. Every call is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';

/** An uploaded file, as the peer received it. */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** One Bot API call the peer answered. */
export interface PeerCall {
  method: string;
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  at: number;
}

/** A Bot API error the peer answers with. */
export interface PeerError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** A running peer. */
export interface BotApiPeer {
  apiRoot: string;
  calls: PeerCall[];
  callsOf(method: string): PeerCall[];
  /** Queues an update for `getUpdates`; returns its update_id. */
  pushUpdate(update: Omit<Update, 'update_id'>): number;
  /** Makes a file downloadable by its file_id. */
  addFile(fileId: string, bytes: Uint8Array): void;
  /** Answers the next `times` calls of a method with an error. */
  failNext(method: string, error: PeerError, times?: number): void;
  stop(): Promise<void>;
}

const allowedTags = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'del',
  'code',
  'pre',
  'a',
  'blockquote',
  'tg-spoiler',
]);

/** Telegram's HTML check, roughly: known tags, balanced, entities valid. Returns the visible text or an error. */
function parseHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  for (const [, slash, name] of html.matchAll(/<(\/?)([a-zA-Z-]+)[^>]*>/g)) {
    if (!allowedTags.has(name!.toLowerCase())) return { error: `unsupported start tag "${name}"` };
    if (!slash) stack.push(name!);
    else if (stack.pop() !== name) return { error: `unexpected end tag "${name}"` };
  }
  if (stack.length) return { error: `unclosed tag "${stack.at(-1)}"` };
  const text = html.replace(/<[^>]*>/g, '');
  if (/[<>]/.test(text) || /&(?!(amp|lt|gt|quot|#\d+);)/.test(text))
    return { error: 'unescaped character' };
  return { text: text.replace(/&(amp|lt|gt|quot);/g, 'x') };
}

/** Splits a multipart/form-data body (as leniently as Telegram: grammY writes `name=value` without quotes). */
function multipartParts(body: Buffer, boundary: string) {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ name: string; filename?: string; type: string; bytes: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const chunk = body.subarray(start + delimiter.length + 2, next - 2);
    const split = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, split).toString('utf8');
    const field = (key: string) =>
      new RegExp(`(?:^|[;\\s])${key}="?([^";\\r\\n]+)"?`, 'i').exec(head)?.[1];
    parts.push({
      name: field('name') ?? '',
      ...(field('filename') !== undefined ? { filename: field('filename') } : {}),
      type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'text/plain',
      bytes: chunk.subarray(split + 4),
    });
    start = next;
  }
  return parts;
}

async function readParams(request: IncomingMessage, url: URL) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files: Record<string, UploadedFile> = {};
  if (type.includes('application/json') && body.length)
    Object.assign(params, JSON.parse(body.toString('utf8')));
  else if (type.includes('multipart/form-data')) {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
    for (const part of boundary ? multipartParts(body, boundary) : []) {
      if (part.filename === undefined) {
        const value = part.bytes.toString('utf8');
        try {
          params[part.name] = /^[[{"]/.test(value) ? JSON.parse(value) : value;
        } catch {
          params[part.name] = value;
        }
      } else {
        files[part.name] = {
          name: part.filename,
          type: part.type,
          bytes: new Uint8Array(part.bytes),
        };
      }
    }
    // grammY names uploads by `attach://<field>`; give the file to the parameter that points at it.
    for (const [key, value] of Object.entries(params)) {
      const attached = typeof value === 'string' ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
      if (attached && files[attached]) files[key] = files[attached];
    }
  } else if (type.includes('urlencoded'))
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  return { params, files };
}

/** Starts the peer on a free loopback port. */
export async function startBotApiPeer(token: string): Promise<BotApiPeer> {
  const calls: PeerCall[] = [];
  const updates: Update[] = [];
  const downloads = new Map<string, Uint8Array>();
  const failures = new Map<string, PeerError[]>();
  let nextUpdateId = 100;
  let nextMessageId = 1;
  let wakeUp: (() => void) | undefined;

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const message = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(params.chat_id), type: Number(params.chat_id) > 0 ? 'private' : 'group' },
    ...extra,
  });

  const handlers: Record<
    string,
    (
      params: Record<string, unknown>,
      files: Record<string, UploadedFile>,
      request: IncomingMessage,
    ) => unknown
  > = {
    getMe: () => ({
      id: 777,
      is_bot: true,
      first_name: 'Peer',
      username: 'PeerBot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    deleteWebhook: () => true,
    setWebhook: () => true,
    setMyCommands: () => true,
    sendChatAction: () => true,
    answerCallbackQuery: () => true,
    getUpdates: async (params, _files, request) => {
      const offset = Number(params.offset ?? 0);
      // Confirmed updates are forgotten, as Telegram does.
      while (updates.length && updates[0]!.update_id < offset) updates.shift();
      const deadline = Date.now() + Math.min(Number(params.timeout ?? 0), 1) * 1000;
      while (updates.length === 0 && Date.now() < deadline && !request.destroyed) {
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          setTimeout(resolve, 50);
        });
      }
      return updates.slice(0, Number(params.limit ?? 100));
    },
    sendMessage: (params) => {
      const text = String(params.text ?? '');
      const parsed = params.parse_mode === 'HTML' ? parseHtml(text) : { text };
      if ('error' in parsed)
        return {
          error_code: 400,
          description: `Bad Request: can't parse entities: ${parsed.error}`,
        } satisfies PeerError;
      if (parsed.text.length === 0)
        return {
          error_code: 400,
          description: 'Bad Request: message text is empty',
        } satisfies PeerError;
      if (parsed.text.length > 4096)
        return {
          error_code: 400,
          description: 'Bad Request: message is too long',
        } satisfies PeerError;
      return message(params, { text });
    },
    sendInvoice: (params) => {
      const prices = (
        typeof params.prices === 'string' ? JSON.parse(params.prices) : params.prices
      ) as Array<{ label?: string; amount?: number }> | undefined;
      for (const field of ['title', 'description', 'payload', 'currency'])
        if (!params[field])
          return {
            error_code: 400,
            description: `Bad Request: ${field} is empty`,
          } satisfies PeerError;
      if (!Array.isArray(prices) || prices.length === 0)
        return {
          error_code: 400,
          description: 'Bad Request: prices must be non-empty',
        } satisfies PeerError;
      if (params.currency === 'XTR') {
        // Telegram Stars: exactly one price, whole stars, and no payment provider.
        if (prices.length !== 1 || !Number.isInteger(prices[0]!.amount) || prices[0]!.amount! < 1)
          return {
            error_code: 400,
            description: 'Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID',
          } satisfies PeerError;
        if (params.provider_token)
          return {
            error_code: 400,
            description: 'Bad Request: PAYMENT_PROVIDER_INVALID',
          } satisfies PeerError;
      }
      return message(params, {
        invoice: {
          title: params.title,
          description: params.description,
          currency: params.currency,
          total_amount: prices.reduce((sum, price) => sum + Number(price.amount ?? 0), 0),
          start_parameter: '',
        },
      });
    },
    answerPreCheckoutQuery: (params) => {
      if (!params.pre_checkout_query_id)
        return {
          error_code: 400,
          description: 'Bad Request: QUERY_ID_INVALID',
        } satisfies PeerError;
      const ok = params.ok === true || params.ok === 'true';
      if (!ok && !params.error_message)
        return {
          error_code: 400,
          description: 'Bad Request: ERROR_MESSAGE_EMPTY',
        } satisfies PeerError;
      return true;
    },
    editMessageText: (params) => {
      const text = String(params.text ?? '');
      if (!params.message_id)
        return {
          error_code: 400,
          description: 'Bad Request: message identifier is not specified',
        } satisfies PeerError;
      if (text.length === 0)
        return {
          error_code: 400,
          description: 'Bad Request: message text is empty',
        } satisfies PeerError;
      return {
        message_id: Number(params.message_id),
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(params.chat_id), type: 'private' },
        text,
      };
    },
    sendPhoto: (params, files) => {
      if (String(params.caption ?? '').length > 1024)
        return {
          error_code: 400,
          description: 'Bad Request: message caption is too long',
        } satisfies PeerError;
      if (!files.photo)
        return {
          error_code: 400,
          description: 'Bad Request: there is no photo in the request',
        } satisfies PeerError;
      return message(params, {
        photo: [{ file_id: `photo-${nextMessageId}`, width: 1, height: 1 }],
        ...(params.caption ? { caption: params.caption } : {}),
      });
    },
    sendVoice: (params, files) => {
      const file = files.voice;
      if (!file)
        return {
          error_code: 400,
          description: 'Bad Request: there is no voice in the request',
        } satisfies PeerError;
      return message(params, {
        voice: {
          file_id: `voice-${nextMessageId}`,
          file_unique_id: `uvoice-${nextMessageId}`,
          duration: Number(params.duration ?? 0),
          mime_type: 'audio/ogg',
          file_size: file.bytes.byteLength,
        },
      });
    },
    sendDocument: (params, files) => {
      if (String(params.caption ?? '').length > 1024)
        return {
          error_code: 400,
          description: 'Bad Request: message caption is too long',
        } satisfies PeerError;
      const file = files.document;
      if (!file)
        return {
          error_code: 400,
          description: 'Bad Request: there is no document in the request',
        } satisfies PeerError;
      return message(params, {
        document: { file_id: `doc-${nextMessageId}`, file_name: file.name },
        ...(params.caption ? { caption: params.caption } : {}),
      });
    },
    getFile: (params) => {
      const fileId = String(params.file_id);
      const bytes = downloads.get(fileId);
      if (!bytes)
        return { error_code: 400, description: 'Bad Request: invalid file_id' } satisfies PeerError;
      return {
        file_id: fileId,
        file_unique_id: fileId,
        file_size: bytes.byteLength,
        file_path: `files/${fileId}.bin`,
      };
    },
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://peer');
      const download = /^\/file\/bot([^/]+)\/files\/(.+)\.bin$/.exec(url.pathname);
      if (download) {
        const bytes =
          download[1] === token ? downloads.get(decodeURIComponent(download[2]!)) : undefined;
        if (!bytes) return reply(response, 404, { ok: false });
        response.writeHead(200, {
          'content-length': bytes.byteLength,
          'content-type': 'application/octet-stream',
        });
        response.end(bytes);
        return;
      }
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!match || match[1] !== token)
        return reply(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = match[2]!;
      const { params, files } = await readParams(request, url);
      calls.push({ method, params, files, at: Date.now() });
      const failure = failures.get(method)?.shift();
      if (failure) return reply(response, failure.error_code, { ok: false, ...failure });
      const handler = handlers[method];
      if (!handler)
        return reply(response, 404, {
          ok: false,
          error_code: 404,
          description: 'Not Found: method not found',
        });
      const result = await handler(params, files, request);
      if (result && typeof result === 'object' && 'error_code' in result)
        return reply(response, (result as PeerError).error_code, { ok: false, ...result });
      return reply(response, 200, { ok: true, result });
    })().catch((error: unknown) =>
      reply(response, 500, { ok: false, error_code: 500, description: String(error) }),
    );
  });
  // Node closes idle keep-alive sockets after 5 s, and a client that reuses one just then sees a
  // reset (not a Bot API error); the real API keeps them far longer.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (method) => calls.filter((call) => call.method === method),
    pushUpdate(update) {
      const update_id = nextUpdateId++;
      updates.push({ ...update, update_id } as Update);
      wakeUp?.();
      return update_id;
    },
    addFile: (fileId, bytes) => downloads.set(fileId, bytes),
    failNext(method, error, times = 1) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array.from({ length: times }, () => error),
      ]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tool call a peer answers with. */
export interface ScriptedToolCall {
  /** The call's id (OpenAI); generated when missing. The Ollama protocol has no ids. */
  id?: string;
  name: string;
  /** An object is sent JSON-encoded (OpenAI) or as it is (Ollama); a string is sent as it is. */
  arguments: unknown;
}

/** One scripted answer of a model peer. Fields combine: `delayMs` with `text`, `status` with `retryAfter`, ... */
export interface ScriptedResponse {
  /** Which requests take this entry (default `chat`). Embedding requests without one get hashed vectors. */
  route?: 'chat' | 'embeddings';
  /** The assistant's text. */
  text?: string;
  /** Sent as the assistant's text, JSON-encoded (for structured output). */
  json?: unknown;
  /** Tool calls the assistant makes. */
  toolCalls?: ScriptedToolCall[];
  /** Token counts to report; by default estimated from the characters (4 to a token). */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** `stop` by default, `tool_calls` (OpenAI) when there are tool calls. */
  finishReason?: string;
  /** Answer with this HTTP status and an error body in the protocol's format. */
  status?: number;
  /** The error's message (with `status`). */
  error?: string;
  /** OpenAI error `type` and `code` (with `status`). */
  errorType?: string;
  errorCode?: string;
  /** The `Retry-After` header: seconds, or a raw value such as an HTTP date. */
  retryAfter?: number | string;
  /** More response headers. */
  headers?: Record<string, string>;
  /** Wait this long before answering (added to the peer's own `delayMs`). */
  delayMs?: number;
  /** Never answer (for timeout tests); the socket stays open until the client gives up. */
  hang?: boolean;
  /** Destroy the socket without answering. */
  close?: boolean;
}

/** A picture a chat request carried, as the peer read it. */
export interface RecordedChatImage {
  /** The type the bytes show (`image/png`, ...), or what a data URL named when unknown. */
  mimeType: string;
  data: Uint8Array;
}

/** One message of a chat request, in a form common to both protocols. */
export interface RecordedChatMessage {
  role: string;
  content: string;
  /** Pictures of a user message (OpenAI `image_url` parts, Ollama `images`). */
  images?: RecordedChatImage[];
  toolCalls?: { id?: string; name: string; arguments: unknown }[];
  toolCallId?: string;
  toolName?: string;
}

/** A chat request as the peer understood it, the same for both protocols. */
export interface RecordedChatRequest {
  model: string;
  messages: RecordedChatMessage[];
  tools: { name: string; description?: string; parameters?: unknown }[];
  toolChoice?: unknown;
  /** The JSON Schema the answer was asked to match (OpenAI `response_format`, Ollama `format`). */
  responseSchema?: { name?: string; schema: unknown; strict?: boolean };
  /** JSON mode without a schema (OpenAI `json_object`, Ollama `format: "json"`). */
  jsonMode?: boolean;
  temperature?: number;
  maxTokens?: number;
}

/** Every HTTP request a peer received, in order. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** For a valid chat request: its protocol-neutral form. */
  chat?: RecordedChatRequest;
  /** The status the peer answered with; `hang` or `closed` for those scripted behaviours. */
  answer?: number | 'hang' | 'closed';
}

/** Options common to both peers. */
export interface ModelPeerOptions {
  /** Answers to chat requests, in order. */
  script?: ScriptedResponse[];
  /** Require `Authorization: Bearer <apiKey>`; 401 otherwise. */
  apiKey?: string;
  /** Added to every answer, in ms (for benchmarks). */
  delayMs?: number;
  /** The models the peer knows; others get 404. Default: any model. */
  models?: string[];
  /**
   * The models that take pictures: the OpenAI peer refuses a request with a picture for another
   * model as the real API does (400). Default: every model takes them.
   */
  visionModels?: string[];
  /** The length of embedding vectors (default 16); a request's `dimensions` wins. */
  dimensions?: number;
  /** The loopback port to listen on (default: any free port), e.g. to bring an endpoint back where it was. */
  port?: number;
  /** Answers chat requests once the script is used up (instead of a 500), e.g. for benchmarks. */
  fallback?: (request: RecordedChatRequest) => ScriptedResponse;
}

/** A running model peer. */
export interface ModelPeer {
  /** `http://127.0.0.1:<port>`, without a path. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The valid chat requests, in order. */
  readonly chatRequests: RecordedChatRequest[];
  /** Script entries not used yet. */
  readonly pending: number;
  /** Appends answers to the script. */
  push(...responses: ScriptedResponse[]): void;
  /** Stops the server and drops open connections (hanging ones included). */
  close(): Promise<void>;
}

/** Roughly how many tokens a text is: 4 characters to a token, at least 1 for a non-empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A deterministic unit vector for a text: each lower-cased word is hashed into a signed slot, so
 * texts that share words are close (cosine) and the same text always gives the same vector.
 */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const word of words) {
    const hash = fnv1a(word);
    vector[hash % dimensions]! += (hash & 0x80000000) === 0 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) vector[fnv1a(text) % dimensions] = 1;
  return vector.map((value) => (norm === 0 ? value : value / norm));
}

/** Reads the whole request body as text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parses a JSON body: `{ ok: true, value }`, or `{ ok: false }` for empty or broken JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Sends a JSON answer with extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Answers `{ error }` with `status` and notes the status on the recorded request. */
export function sendError<E>(
  response: ServerResponse,
  record: RecordedRequest,
  status: number,
  error: E,
  headers: Record<string, string> = {},
): void {
  record.answer = status;
  sendJson(response, status, { error }, headers);
}

/** The headers a scripted response adds (`Retry-After` and its own). */
export function scriptedHeaders(entry: ScriptedResponse): Record<string, string> {
  return {
    ...(entry.retryAfter !== undefined ? { 'retry-after': String(entry.retryAfter) } : {}),
    ...(entry.headers ?? {}),
  };
}

/** True when the request carries `Authorization: Bearer <apiKey>` (always true without a key). */
export function authorized(request: IncomingMessage, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  return request.headers.authorization === `Bearer ${apiKey}`;
}

/** The script: chat and embedding entries, taken in order. */
export class PeerScript {
  private readonly entries: ScriptedResponse[];

  constructor(entries: ScriptedResponse[] = []) {
    this.entries = [...entries];
  }

  get pending(): number {
    return this.entries.length;
  }

  push(...responses: ScriptedResponse[]): void {
    this.entries.push(...responses);
  }

  /** Takes the first entry for `route`, or undefined. */
  take(route: 'chat' | 'embeddings'): ScriptedResponse | undefined {
    const index = this.entries.findIndex((entry) => (entry.route ?? 'chat') === route);
    return index < 0 ? undefined : this.entries.splice(index, 1)[0];
  }
}

/**
 * Applies the scripted behaviours that come before an answer: the delays, `hang` and `close`.
 * Resolves true when the caller should go on and answer.
 */
export async function beforeAnswer(
  entry: ScriptedResponse | undefined,
  peerDelayMs: number,
  response: ServerResponse,
  record: RecordedRequest,
): Promise<boolean> {
  const delay = peerDelayMs + (entry?.delayMs ?? 0);
  if (delay > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      response.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  if (response.destroyed || response.writableEnded) return false;
  if (entry?.hang) {
    record.answer = 'hang';
    return false;
  }
  if (entry?.close) {
    record.answer = 'closed';
    response.socket?.destroy();
    return false;
  }
  return true;
}

/** Reads a request's body and returns it as the peer records it, with the body's JSON parse. */
export async function recordRequest(
  request: IncomingMessage,
): Promise<{ record: RecordedRequest; parsed: ReturnType<typeof parseJson> }> {
  const text = await readBody(request);
  const parsed = parseJson(text);
  const record: RecordedRequest = {
    method: request.method ?? 'GET',
    path: (request.url ?? '/').split('?')[0] ?? '/',
    headers: { ...request.headers },
    body: parsed.ok ? parsed.value : text === '' ? undefined : text,
  };
  return { record, parsed };
}

/**
 * Starts a peer's HTTP server on loopback and returns the parts every model peer shares:
 * its URL, the recorded requests, the script controls and `close()`.
 */
export async function listenPeer(
  server: Server,
  port: number | undefined,
  requests: RecordedRequest[],
  script: PeerScript,
): Promise<ModelPeer> {
  await new Promise<void>((resolve) => server.listen(port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get chatRequests() {
      return requests.flatMap((record) => (record.chat ? [record.chat] : []));
    },
    get pending() {
      return script.pending;
    },
    push: (...responses) => script.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

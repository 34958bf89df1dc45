import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { imageTypeOf } from '@botwire/core';
import {
  authorized,
  beforeAnswer,
  estimateTokens,
  hashedEmbedding,
  listenPeer,
  type ModelPeer,
  type ModelPeerOptions,
  PeerScript,
  type RecordedChatMessage,
  type RecordedChatRequest,
  type RecordedRequest,
  recordRequest,
  scriptedHeaders,
  sendError,
  sendJson,
} from '@botwire/core/testing';

/** A running Ollama peer; its `url` is the `host` to give the `ollama` client. */
export type OllamaPeer = ModelPeer;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const goType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Checks an `/api/chat` body as Ollama's JSON decoding does; its neutral form and `stream`, or an error. */
function checkChatBody(
  body: unknown,
): { chat: RecordedChatRequest; stream: boolean } | { error: string } {
  if (!isObject(body)) return { error: 'invalid request body' };
  if (typeof body.model !== 'string' || body.model === '') return { error: 'model is required' };
  const rawMessages = body.messages ?? [];
  if (!Array.isArray(rawMessages)) {
    return {
      error: `json: cannot unmarshal ${goType(rawMessages)} into Go struct field ChatRequest.messages of type []api.Message`,
    };
  }
  const messages: RecordedChatMessage[] = [];
  for (const message of rawMessages) {
    if (!isObject(message) || typeof message.role !== 'string') {
      return { error: 'json: cannot unmarshal message: each message needs a string role' };
    }
    const content = message.content ?? '';
    if (typeof content !== 'string') {
      return {
        error: `json: cannot unmarshal ${goType(content)} into Go struct field Message.messages.content of type string`,
      };
    }
    const entry: RecordedChatMessage = { role: message.role, content };
    if (message.images !== undefined) {
      // Go reads []ImageData from base64 strings: anything else fails to unmarshal.
      if (!Array.isArray(message.images) || message.images.some((each) => typeof each !== 'string'))
        return {
          error: `json: cannot unmarshal ${goType(message.images)} into Go struct field Message.messages.images of type []api.ImageData`,
        };
      const images = [];
      for (const text of message.images as string[]) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
          return { error: 'illegal base64 data at input byte 0' };
        const data = new Uint8Array(Buffer.from(text, 'base64'));
        const mimeType = imageTypeOf(data);
        if (!mimeType) return { error: 'image: unknown format' };
        images.push({ mimeType, data });
      }
      if (images.length) entry.images = images;
    }
    if (message.tool_calls !== undefined) {
      if (!Array.isArray(message.tool_calls)) {
        return {
          error: `json: cannot unmarshal ${goType(message.tool_calls)} into Go struct field Message.messages.tool_calls of type []api.ToolCall`,
        };
      }
      entry.toolCalls = [];
      for (const call of message.tool_calls) {
        if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== 'string') {
          return {
            error: 'json: cannot unmarshal tool call: expected { function: { name, arguments } }',
          };
        }
        const args = call.function.arguments ?? {};
        if (!isObject(args)) {
          return {
            error: `json: cannot unmarshal ${goType(args)} into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments`,
          };
        }
        entry.toolCalls.push({
          ...(typeof call.id === 'string' ? { id: call.id } : {}),
          name: call.function.name,
          arguments: args,
        });
      }
    }
    if (typeof message.tool_name === 'string') entry.toolName = message.tool_name;
    if (typeof message.tool_call_id === 'string') entry.toolCallId = message.tool_call_id;
    messages.push(entry);
  }
  const rawTools = body.tools ?? [];
  if (!Array.isArray(rawTools)) {
    return {
      error: `json: cannot unmarshal ${goType(rawTools)} into Go struct field ChatRequest.tools of type api.Tools`,
    };
  }
  const tools: RecordedChatRequest['tools'] = [];
  for (const tool of rawTools) {
    if (!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string') {
      return {
        error:
          'json: cannot unmarshal tool: expected { type: "function", function: { name, parameters } }',
      };
    }
    const { parameters } = tool.function;
    if (parameters !== undefined && !isObject(parameters)) {
      return {
        error: `json: cannot unmarshal ${goType(parameters)} into Go struct field ToolFunction.tools.function.parameters of type api.ToolFunctionParameters`,
      };
    }
    tools.push({
      name: tool.function.name,
      ...(typeof tool.function.description === 'string'
        ? { description: tool.function.description }
        : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    });
  }
  const { format } = body;
  if (
    format !== undefined &&
    format !== null &&
    format !== '' &&
    format !== 'json' &&
    !isObject(format)
  ) {
    return { error: `invalid format: ${JSON.stringify(format)}; expected "json" or a JSON schema` };
  }
  const options = body.options ?? {};
  if (!isObject(options)) return { error: 'json: cannot unmarshal options: expected an object' };
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    return {
      error: `json: cannot unmarshal ${goType(body.stream)} into Go struct field ChatRequest.stream of type bool`,
    };
  }
  return {
    stream: body.stream !== false,
    chat: {
      model: body.model,
      messages,
      tools,
      ...(isObject(format) ? { responseSchema: { schema: format } } : {}),
      ...(format === 'json' ? { jsonMode: true } : {}),
      ...(typeof options.temperature === 'number' ? { temperature: options.temperature } : {}),
      ...(typeof options.num_predict === 'number' ? { maxTokens: options.num_predict } : {}),
    },
  };
}

/**
 * Starts a local server that speaks Ollama's `/api/chat`, `/api/embed` (and `/api/embeddings`,
 * `/api/tags`, `/api/version`) on 127.0.0.1 (a free port), for tests and benchmarks with the
 * real `ollama` client. It checks bodies as Ollama decodes them (400 `{ error }`), answers 401
 * without the right bearer key when `apiKey` is set and 404 for unknown routes and models,
 * records every request, and answers chat requests from its script (streamed as NDJSON when the
 * request did not set `stream: false`), with `prompt_eval_count`/`eval_count`. An empty script
 * answers 500. Embeddings are deterministic hashed vectors.
 *
 * @example
 * const peer = await startOllamaPeer({ script: [{ toolCalls: [{ name: 'time_now', arguments: {} }] }] });
 * const model = ollamaChatModel({ model: 'llama-test', host: peer.url });
 */
export async function startOllamaPeer(options: ModelPeerOptions = {}): Promise<OllamaPeer> {
  const script = new PeerScript(options.script);
  const requests: RecordedRequest[] = [];
  const delayMs = options.delayMs ?? 0;

  const fail = sendError<string>;
  const knownModel = (model: string) => !options.models || options.models.includes(model);
  const notFound = (model: string) => `model "${model}" not found, try pulling it first`;

  async function chat(
    checked: { chat: RecordedChatRequest; stream: boolean },
    response: ServerResponse,
    record: RecordedRequest,
  ) {
    const { chat: request, stream } = checked;
    const entry = script.take('chat') ?? options.fallback?.(request);
    if (!(await beforeAnswer(entry, delayMs, response, record))) return;
    if (!entry) {
      return fail(
        response,
        record,
        500,
        `The peer script is exhausted: request #${requests.indexOf(record) + 1} (POST /api/chat) has no scripted response. Push more responses with peer.push().`,
      );
    }
    const headers = scriptedHeaders(entry);
    if (entry.status !== undefined && entry.status >= 400) {
      return fail(
        response,
        record,
        entry.status,
        entry.error ?? `The peer answered ${entry.status} as scripted.`,
        headers,
      );
    }
    const content = entry.json !== undefined ? JSON.stringify(entry.json) : (entry.text ?? '');
    const toolCalls = entry.toolCalls?.map((call) => ({
      ...(call.id ? { id: call.id } : {}),
      function: { name: call.name, arguments: call.arguments },
    }));
    const input = request.messages.map((message) => message.content).join('\n');
    const promptEvalCount = entry.usage?.inputTokens ?? estimateTokens(input);
    const evalCount =
      entry.usage?.outputTokens ??
      estimateTokens(content + (toolCalls ? JSON.stringify(toolCalls) : ''));
    const message = { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
    const final = {
      model: request.model,
      created_at: new Date().toISOString(),
      done_reason: entry.finishReason ?? 'stop',
      done: true,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: promptEvalCount,
      prompt_eval_duration: 300_000,
      eval_count: evalCount,
      eval_duration: 600_000,
    };
    record.answer = entry.status ?? 200;
    if (!stream) {
      return sendJson(response, entry.status ?? 200, { ...final, message }, headers);
    }
    response.writeHead(entry.status ?? 200, { 'content-type': 'application/x-ndjson', ...headers });
    const at = new Date().toISOString();
    response.write(
      `${JSON.stringify({ model: request.model, created_at: at, message, done: false })}\n`,
    );
    response.end(`${JSON.stringify({ ...final, message: { role: 'assistant', content: '' } })}\n`);
  }

  async function embed(
    body: unknown,
    legacy: boolean,
    response: ServerResponse,
    record: RecordedRequest,
  ) {
    if (!isObject(body) || typeof body.model !== 'string' || body.model === '') {
      return fail(response, record, 400, 'model is required');
    }
    const input = legacy ? body.prompt : body.input;
    const texts = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
      return fail(response, record, 400, 'invalid input type');
    }
    if (!knownModel(body.model)) return fail(response, record, 404, notFound(body.model));
    const entry = script.take('embeddings');
    if (!(await beforeAnswer(entry, delayMs, response, record))) return;
    if (entry?.status !== undefined && entry.status >= 400) {
      return fail(
        response,
        record,
        entry.status,
        entry.error ?? `The peer answered ${entry.status} as scripted.`,
        scriptedHeaders(entry),
      );
    }
    const dimensions =
      typeof body.dimensions === 'number' ? body.dimensions : (options.dimensions ?? 16);
    const vectors = (texts as string[]).map((text) => hashedEmbedding(text, dimensions));
    record.answer = 200;
    if (legacy) return sendJson(response, 200, { embedding: vectors[0] });
    sendJson(response, 200, {
      model: body.model,
      embeddings: vectors,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: (texts as string[]).reduce((sum, text) => sum + estimateTokens(text), 0),
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const { record, parsed } = await recordRequest(request);
    const { path } = record;
    requests.push(record);
    const route = `${record.method} ${path}`;
    const routes = [
      'GET /',
      'HEAD /',
      'GET /api/version',
      'GET /api/tags',
      'POST /api/chat',
      'POST /api/embed',
      'POST /api/embeddings',
    ];
    if (!routes.includes(route)) {
      record.answer = 404;
      response.writeHead(404, { 'content-type': 'text/plain' });
      return response.end('404 page not found');
    }
    if (!authorized(request, options.apiKey)) return fail(response, record, 401, 'unauthorized');
    if (record.method !== 'POST') {
      record.answer = 200;
      if (path === '/api/version')
        return sendJson(response, 200, { version: '0.0.0-botwire-peer' });
      if (path === '/api/tags') {
        const models = (options.models ?? ['llama-peer']).map((name) => ({
          name,
          model: name,
          size: 0,
          digest: '',
        }));
        return sendJson(response, 200, { models });
      }
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return response.end(record.method === 'HEAD' ? undefined : 'Ollama is running');
    }
    if (!parsed.ok)
      return fail(response, record, 400, 'invalid character in request body: not valid JSON');
    if (path !== '/api/chat')
      return embed(parsed.value, path === '/api/embeddings', response, record);
    const checked = checkChatBody(parsed.value);
    if ('error' in checked) return fail(response, record, 400, checked.error);
    if (!knownModel(checked.chat.model))
      return fail(response, record, 404, notFound(checked.chat.model));
    record.chat = checked.chat;
    return chat(checked, response, record);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: `The peer failed: ${String(error)}` });
    });
  });
  return listenPeer(server, options.port, requests, script);
}

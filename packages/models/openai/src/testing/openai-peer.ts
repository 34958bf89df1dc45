import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { espeakSpeechSynthesizer, type SpeechSynthesizer } from '@botwire/core';
import {
  authorized,
  beforeAnswer,
  estimateTokens,
  hashedEmbedding,
  listenPeer,
  type ModelPeer,
  type ModelPeerOptions,
  PeerScript,
  type RecordedChatRequest,
  type RecordedRequest,
  recordRequest,
  type ScriptedResponse,
  scriptedHeaders,
  sendError,
  sendJson,
} from '@botwire/core/testing';
import { type CheckedImageRequest, checkImageBody, imagesAnswer } from './openai-images-route';
import {
  checkChatBody,
  checkEmbeddingsBody,
  invalidRequest,
  type OpenAiErrorObject,
} from './openai-protocol';
import { type CheckedSpeechRequest, checkSpeechBody } from './openai-speech-route';
import {
  type CheckedTranscriptionRequest,
  checkTranscriptionBody,
  type PeerAudioFile,
  transcriptionAnswer,
} from './openai-transcriptions-route';

/** A running OpenAI peer. */
export interface OpenAiPeer extends ModelPeer {
  /** `<url>/v1`: the `baseURL` to give the `openai` client. */
  readonly baseURL: string;
  /** The valid image generation requests, in order. */
  readonly imageRequests: CheckedImageRequest[];
  /** The valid speech requests, in order. */
  readonly speechRequests: CheckedSpeechRequest[];
  /** The valid transcription requests, in order (with the audio received). */
  readonly transcriptionRequests: CheckedTranscriptionRequest[];
  /**
   * What the audio says, by the SHA-256 (hex) of the file's bytes (`transcriptKey(bytes)`): the
   * text the peer answers for that exact file, such as each chunk of a long recording.
   */
  readonly transcripts: Map<string, string>;
  /**
   * Says what audio that has no entry in `transcripts` says (for example by reading a marker in
   * the bytes); undefined falls back to `[audio of N bytes]`.
   */
  transcribe?: (file: PeerAudioFile, request: CheckedTranscriptionRequest) => string | undefined;
  /**
   * Appends scripted answers for image generation or transcription requests (errors with
   * `status`, `delayMs`, `hang`, `close`), taken in order before the normal answer.
   */
  pushFor(route: 'images' | 'transcriptions' | 'speech', ...responses: ScriptedResponse[]): void;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'server_error',
};

function inputText(chat: RecordedChatRequest): string {
  return chat.messages
    .map((message) => message.content + JSON.stringify(message.toolCalls ?? ''))
    .join('\n');
}

/**
 * Starts a local server that speaks the OpenAI Chat Completions, Embeddings, Images and
 * Audio Transcriptions protocols on
 * 127.0.0.1 (a free port), for tests and benchmarks with the real `openai` client. It checks
 * requests as the API does (400 with an OpenAI error body, 401 without the right bearer key
 * when `apiKey` is set, 404 for unknown routes and models), records every request, and answers
 * chat requests from its script: text, JSON, tool calls, errors with `Retry-After`, delays,
 * hangs and closed sockets, with `usage`. An empty script answers 500 `peer_script_exhausted`.
 * Embeddings are deterministic hashed vectors, as floats or base64 as asked.
 *
 * Image generation (`POST /v1/images/generations`) checks the model, prompt length, `n` and size
 * per model as the API does and answers real PNGs of the asked size (base64, or a URL the peer
 * serves for DALL·E's `url` format). Transcription (`POST /v1/audio/transcriptions`) reads the
 * multipart form, checks the file (format, 25 MB, empty), model, language and response format,
 * and answers the text registered in `peer.transcripts` for the file's SHA-256, else what
 * `peer.transcribe` says, else `[audio of N bytes]`. Speech (`POST /v1/audio/speech`) checks
 * the model, input (4096 characters), voice, format and speed, and reads the input aloud as
 * real Ogg Opus with the embedded espeak-ng driver. `pushFor` scripts failures of any of them.
 *
 * @example
 * const peer = await startOpenAiPeer({ script: [{ text: 'Hello!' }] });
 * const model = openaiChatModel({ model: 'gpt-test', baseURL: peer.baseURL, apiKey: 'test' });
 * await model.chat({ messages: [{ role: 'user', content: 'Hi' }] });
 * expect(peer.chatRequests[0]?.messages[0]?.content).toBe('Hi');
 * await peer.close();
 */
export async function startOpenAiPeer(options: ModelPeerOptions = {}): Promise<OpenAiPeer> {
  const script = new PeerScript(options.script);
  const requests: RecordedRequest[] = [];
  const mediaScripts = {
    images: [] as ScriptedResponse[],
    transcriptions: [] as ScriptedResponse[],
    speech: [] as ScriptedResponse[],
  };
  const speechRequests: CheckedSpeechRequest[] = [];
  let voice: SpeechSynthesizer | undefined;
  const imageRequests: CheckedImageRequest[] = [];
  const transcriptionRequests: CheckedTranscriptionRequest[] = [];
  const transcripts = new Map<string, string>();
  const pictures = new Map<string, Uint8Array>();
  let self: OpenAiPeer | undefined;
  let counter = 0;

  const fail = sendError<OpenAiErrorObject>;

  const knownModel = (model: string) => !options.models || options.models.includes(model);

  const scriptedError = (entry: ScriptedResponse, status: number): OpenAiErrorObject => ({
    message: entry.error ?? `The peer answered ${status} as scripted.`,
    type: entry.errorType ?? errorTypes[status] ?? 'api_error',
    param: null,
    code: entry.errorCode ?? null,
  });

  async function chat(
    request: RecordedChatRequest,
    response: ServerResponse,
    record: RecordedRequest,
  ) {
    const entry = script.take('chat') ?? options.fallback?.(request);
    if (!(await beforeAnswer(entry, options.delayMs ?? 0, response, record))) return;
    if (!entry) {
      return fail(response, record, 500, {
        message: `The peer script is exhausted: request #${requests.indexOf(record) + 1} (POST /v1/chat/completions) has no scripted response. Push more responses with peer.push().`,
        type: 'peer_script_exhausted',
        param: null,
        code: null,
      });
    }
    const headers = scriptedHeaders(entry);
    if (entry.status !== undefined && entry.status >= 400) {
      return fail(response, record, entry.status, scriptedError(entry, entry.status), headers);
    }
    counter += 1;
    const text =
      entry.json !== undefined
        ? JSON.stringify(entry.json)
        : (entry.text ?? (entry.toolCalls ? null : ''));
    const toolCalls = entry.toolCalls?.map((call, index) => ({
      id: call.id ?? `call_peer${counter}_${index}`,
      type: 'function' as const,
      function: {
        name: call.name,
        arguments:
          typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    const outputTokens =
      entry.usage?.outputTokens ??
      estimateTokens((text ?? '') + (toolCalls ? JSON.stringify(toolCalls) : ''));
    const inputTokens = entry.usage?.inputTokens ?? estimateTokens(inputText(request));
    record.answer = entry.status ?? 200;
    sendJson(
      response,
      entry.status ?? 200,
      {
        id: `chatcmpl-peer${counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text,
              refusal: null,
              ...(toolCalls ? { tool_calls: toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: entry.finishReason ?? (toolCalls ? 'tool_calls' : 'stop'),
          },
        ],
        usage: {
          prompt_tokens: inputTokens,
          completion_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
        system_fingerprint: 'fp_botwire_peer',
      },
      headers,
    );
  }

  async function embeddings(body: unknown, response: ServerResponse, record: RecordedRequest) {
    const checked = checkEmbeddingsBody(body);
    if ('message' in checked) return fail(response, record, 400, checked);
    if (!knownModel(checked.model)) return fail(response, record, 404, unknownModel(checked.model));
    const entry = script.take('embeddings');
    if (!(await beforeAnswer(entry, options.delayMs ?? 0, response, record))) return;
    if (entry?.status !== undefined && entry.status >= 400) {
      return fail(
        response,
        record,
        entry.status,
        scriptedError(entry, entry.status),
        scriptedHeaders(entry),
      );
    }
    const dimensions = checked.dimensions ?? options.dimensions ?? 16;
    const tokens = checked.texts.reduce((sum, text) => sum + estimateTokens(text), 0);
    record.answer = 200;
    sendJson(response, 200, {
      object: 'list',
      data: checked.texts.map((text, index) => {
        const vector = hashedEmbedding(text, dimensions);
        return {
          object: 'embedding',
          index,
          embedding: checked.base64
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector,
        };
      }),
      model: checked.model,
      usage: { prompt_tokens: entry?.usage?.inputTokens ?? tokens, total_tokens: tokens },
    });
  }

  /** Applies a scripted media answer; resolves true when the caller should answer normally. */
  async function scriptedMedia(
    route: 'images' | 'transcriptions' | 'speech',
    response: ServerResponse,
    record: RecordedRequest,
  ): Promise<boolean> {
    const entry = mediaScripts[route].shift();
    if (!(await beforeAnswer(entry, options.delayMs ?? 0, response, record))) return false;
    if (entry?.status !== undefined && entry.status >= 400) {
      fail(
        response,
        record,
        entry.status,
        scriptedError(entry, entry.status),
        scriptedHeaders(entry),
      );
      return false;
    }
    return true;
  }

  /**
   * Reads the input aloud with the embedded espeak-ng driver: real Ogg Opus of the text, at the
   * asked speed. The peer makes only `opus` (what Botwire asks for) and says so for the rest.
   */
  async function speech(body: unknown, response: ServerResponse, record: RecordedRequest) {
    const checked = checkSpeechBody(body, options.models);
    if ('error' in checked) return fail(response, record, checked.status, checked.error);
    speechRequests.push(checked);
    if (!(await scriptedMedia('speech', response, record))) return;
    if (checked.responseFormat !== 'opus')
      return fail(
        response,
        record,
        400,
        invalidRequest(
          `The peer makes only response_format "opus", not "${checked.responseFormat}".`,
          'response_format',
        ),
      );
    voice ??= espeakSpeechSynthesizer({ maxTextLength: 4096 });
    const spoken = await voice.synthesize({
      text: checked.input,
      speed: Math.min(2, Math.max(0.5, checked.speed)),
    });
    record.answer = 200;
    response.writeHead(200, {
      'content-type': 'audio/ogg',
      'content-length': spoken.data.byteLength,
    });
    response.end(spoken.data);
  }

  async function images(body: unknown, response: ServerResponse, record: RecordedRequest) {
    const checked = checkImageBody(body, options.models);
    if ('message' in checked) return fail(response, record, 400, checked);
    imageRequests.push(checked);
    if (!(await scriptedMedia('images', response, record))) return;
    record.answer = 200;
    sendJson(
      response,
      200,
      imagesAnswer(checked, (png) => {
        const id = randomUUID();
        pictures.set(id, png);
        return `${self?.url}/peer-images/${id}.png`;
      }),
    );
  }

  async function transcriptions(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const record: RecordedRequest = {
      method: 'POST',
      path: '/v1/audio/transcriptions',
      headers: { ...request.headers },
      body: undefined,
    };
    requests.push(record);
    if (!authorized(request, options.apiKey)) return unauthorized(request, response, record);
    const checked = await checkTranscriptionBody(
      Buffer.concat(chunks),
      request.headers['content-type'],
      options.models,
    );
    if ('error' in checked) return fail(response, record, checked.status, checked.error);
    const { bytes: _bytes, ...file } = checked.file;
    record.body = { ...checked, file: { ...file, size: checked.file.bytes.byteLength } };
    transcriptionRequests.push(checked);
    if (!(await scriptedMedia('transcriptions', response, record))) return;
    const text =
      transcripts.get(checked.file.sha256) ??
      self?.transcribe?.(checked.file, checked) ??
      `[audio of ${checked.file.bytes.byteLength} bytes]`;
    const answer = transcriptionAnswer(checked, text);
    record.answer = 200;
    response.writeHead(200, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
    });
    response.end(answer.body);
  }

  function unauthorized(
    request: IncomingMessage,
    response: ServerResponse,
    record: RecordedRequest,
  ) {
    const message = request.headers.authorization
      ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    return fail(response, record, 401, {
      ...invalidRequest(message),
      code: request.headers.authorization ? 'invalid_api_key' : null,
    });
  }

  const unknownModel = (model: string) =>
    invalidRequest(
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      'model_not_found',
    );

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && url === '/v1/audio/transcriptions') {
      return transcriptions(request, response);
    }
    const { record, parsed } = await recordRequest(request);
    const { path } = record;
    requests.push(record);
    const route = `${record.method} ${path}`;
    const picture = route.match(/^GET \/peer-images\/([\w-]+)\.png$/)?.[1];
    if (picture !== undefined && pictures.has(picture)) {
      // Like the API's picture URLs: served without the API key, for a while.
      const png = pictures.get(picture)!;
      record.answer = 200;
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength });
      return response.end(png);
    }
    const known = [
      'POST /v1/chat/completions',
      'POST /v1/embeddings',
      'POST /v1/images/generations',
      'POST /v1/audio/speech',
      'GET /v1/models',
    ];
    if (!known.includes(route) && !(record.method === 'GET' && path.startsWith('/v1/models/'))) {
      return fail(response, record, 404, invalidRequest(`Invalid URL (${route})`));
    }
    if (!authorized(request, options.apiKey)) return unauthorized(request, response, record);
    if (record.method === 'GET') {
      const ids = options.models ?? ['gpt-peer'];
      const model = path.slice('/v1/models/'.length);
      if (path === '/v1/models') {
        return sendJson(response, 200, {
          object: 'list',
          data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'botwire-peer' })),
        });
      }
      if (!knownModel(model)) return fail(response, record, 404, unknownModel(model));
      return sendJson(response, 200, {
        id: model,
        object: 'model',
        created: 0,
        owned_by: 'botwire-peer',
      });
    }
    if (!parsed.ok) {
      return fail(
        response,
        record,
        400,
        invalidRequest(
          'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.',
        ),
      );
    }
    if (path === '/v1/embeddings') return embeddings(parsed.value, response, record);
    if (path === '/v1/images/generations') return images(parsed.value, response, record);
    if (path === '/v1/audio/speech') return speech(parsed.value, response, record);
    const checked = checkChatBody(parsed.value);
    if ('message' in checked) return fail(response, record, 400, checked);
    if (!knownModel(checked.model)) return fail(response, record, 404, unknownModel(checked.model));
    if (
      options.visionModels &&
      !options.visionModels.includes(checked.model) &&
      checked.messages.some((message) => message.images?.length)
    )
      return fail(
        response,
        record,
        400,
        invalidRequest(
          'Invalid content type. image_url is only supported by certain models.',
          'messages',
          null,
        ),
      );
    record.chat = checked;
    return chat(checked, response, record);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: {
            message: `The peer failed: ${String(error)}`,
            type: 'server_error',
            param: null,
            code: null,
          },
        });
      }
    });
  });
  const peer = await listenPeer(server, options.port, requests, script);
  self = Object.assign(peer, {
    baseURL: `${peer.url}/v1`,
    imageRequests,
    transcriptionRequests,
    speechRequests,
    transcripts,
    pushFor(route: 'images' | 'transcriptions' | 'speech', ...responses: ScriptedResponse[]) {
      mediaScripts[route].push(...responses);
    },
  }) as OpenAiPeer;
  return self;
}

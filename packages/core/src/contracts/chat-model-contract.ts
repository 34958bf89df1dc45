import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotwireErrorCode } from '../errors/error-catalog';
import type { ChatModel, ChatRequest, ModelTool } from '../ports/chat-model';
import type { ModelPeer, ModelPeerOptions } from '../testing/peers/peer-script';

/** Where {@link runChatModelContract} points the driver under test. */
export interface ChatModelTarget {
  /** The peer's URL (`http://127.0.0.1:<port>`), or a port where nothing listens. */
  url: string;
  model: string;
  /** The key to send; undefined means none. */
  apiKey?: string;
}

/** Options for {@link runChatModelContract}. */
export interface ChatModelContractOptions {
  /** Starts the peer that speaks the driver's protocol (`startOpenAiPeer`, `startOllamaPeer`). */
  startPeer: (options: ModelPeerOptions) => Promise<ModelPeer>;
  /** Makes the driver under test, talking to `target`. */
  createModel: (target: ChatModelTarget) => ChatModel;
}

const weatherTool: ModelTool = {
  name: 'get_weather',
  description: 'The weather in a city now.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

const citySchema = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'number' } },
  required: ['city', 'celsius'],
  additionalProperties: false,
};

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const expectCode = (
  error: unknown,
  code: BotwireErrorCode,
  details: Record<string, unknown> = {},
) => expect(error).toMatchObject({ name: 'BotwireError', code, details });

/**
 * The test suite every chat model driver passes against its protocol's peer: answers with
 * usage, a tool call round trip, structured output, error mapping (401, 404, 400, 429 with
 * `Retry-After`, 500, refused connection, closed socket) and aborting through the signal.
 *
 * @example
 * runChatModelContract('openai', {
 *   startPeer: startOpenAiPeer,
 *   createModel: ({ url, model, apiKey }) =>
 *     openaiChatModel({ model, baseURL: `${url}/v1`, apiKey: apiKey ?? 'test-key' }),
 * });
 */
export function runChatModelContract(name: string, options: ChatModelContractOptions): void {
  describe(`chat model contract: ${name}`, () => {
    const peers: ModelPeer[] = [];
    const start = async (peerOptions: ModelPeerOptions = {}, apiKey?: string) => {
      const peer = await options.startPeer({ apiKey, ...peerOptions });
      peers.push(peer);
      const model = options.createModel({ url: peer.url, model: 'test-model', apiKey });
      return { peer, model };
    };

    afterEach(async () => {
      await Promise.all(peers.splice(0).map((peer) => peer.close()));
    });

    it('answers with text, usage, the model name and the finish reason', async () => {
      const { peer, model } = await start({
        script: [{ text: 'Hello there!', usage: { inputTokens: 12, outputTokens: 3 } }],
      });
      const response = await model.chat({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        temperature: 0.2,
        maxTokens: 50,
      });
      expect(response).toMatchObject({
        text: 'Hello there!',
        toolCalls: [],
        usage: { inputTokens: 12, outputTokens: 3 },
        model: 'test-model',
        finishReason: 'stop',
      });
      expect(peer.chatRequests).toHaveLength(1);
      expect(peer.chatRequests[0]).toMatchObject({
        model: 'test-model',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        tools: [],
        temperature: 0.2,
        maxTokens: 50,
      });
    });

    it('reports the usage the endpoint reports when the script gives none', async () => {
      const { model } = await start({
        script: [{ text: 'A longer answer of some forty characters.' }],
      });
      const response = await model.chat(ask('Tell me something.'));
      expect(response.usage.inputTokens).toBeGreaterThan(0);
      expect(response.usage.outputTokens).toBeGreaterThan(0);
    });

    it('returns tool calls with parsed arguments and sends the tool result back', async () => {
      const { peer, model } = await start({
        script: [
          { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
          { text: 'It is sunny in Paris.' },
        ],
      });
      const first = await model.chat(ask('Weather in Paris?', { tools: [weatherTool] }));
      expect(first.toolCalls).toHaveLength(1);
      const call = first.toolCalls[0]!;
      expect(call).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
      expect(typeof call.id).toBe('string');
      expect(call.id.length).toBeGreaterThan(0);
      expect(first.text).toBe('');
      expect(first.finishReason).toBe('tool_calls');

      const second = await model.chat({
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: '', toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: call.id, content: '{"sky":"sunny"}' },
        ],
        tools: [weatherTool],
      });
      expect(second.text).toBe('It is sunny in Paris.');
      const sent = peer.chatRequests[1]!;
      expect(sent.tools.map((tool) => tool.name)).toEqual(['get_weather']);
      expect(sent.tools[0]?.parameters).toEqual(weatherTool.parameters);
      expect(sent.messages[1]).toMatchObject({
        role: 'assistant',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      });
      expect(sent.messages[2]).toMatchObject({ role: 'tool', content: '{"sky":"sunny"}' });
    });

    it('asks for structured output with the JSON Schema and returns the JSON text', async () => {
      const { peer, model } = await start({ script: [{ json: { city: 'Paris', celsius: 21 } }] });
      const response = await model.chat(
        ask('Weather as JSON.', { responseSchema: { name: 'weather', schema: citySchema } }),
      );
      expect(JSON.parse(response.text)).toEqual({ city: 'Paris', celsius: 21 });
      expect(peer.chatRequests[0]?.responseSchema?.schema).toEqual(citySchema);
    });

    it('maps a wrong key to BOTWIRE_MODEL_FAILED 401 without showing the key', async () => {
      const peer = await options.startPeer({
        apiKey: 'peer-secret-key',
        script: [{ text: 'never' }],
      });
      peers.push(peer);
      const model = options.createModel({
        url: peer.url,
        model: 'test-model',
        apiKey: 'wrong-secret-key',
      });
      const error = await failure(() => model.chat(ask('Hi')));
      expectCode(error, 'BOTWIRE_MODEL_FAILED', { status: 401 });
      const shown = JSON.stringify({ message: (error as Error).message, error });
      expect(shown).not.toContain('wrong-secret-key');
      expect(shown).not.toContain('peer-secret-key');
      expect(peer.pending).toBe(1);
    });

    it('maps an unknown model to BOTWIRE_MODEL_FAILED 404', async () => {
      const { model } = await start({ models: ['another-model'] });
      expectCode(await failure(() => model.chat(ask('Hi'))), 'BOTWIRE_MODEL_FAILED', {
        status: 404,
      });
    });

    it('maps a request the endpoint rejects to BOTWIRE_MODEL_FAILED 400', async () => {
      const { peer, model } = await start({ script: [{ text: 'never' }] });
      const badTool = {
        ...weatherTool,
        parameters: 'not a schema' as unknown as ModelTool['parameters'],
      };
      const error = await failure(() => model.chat(ask('Hi', { tools: [badTool] })));
      expectCode(error, 'BOTWIRE_MODEL_FAILED', { status: 400 });
      expect(peer.pending).toBe(1);
    });

    it('maps 429 to BOTWIRE_MODEL_RATE_LIMITED with retryAfterMs from Retry-After', async () => {
      const { model } = await start({
        script: [{ status: 429, error: 'Slow down.', retryAfter: 2 }],
      });
      const error = await failure(() => model.chat(ask('Hi')));
      expectCode(error, 'BOTWIRE_MODEL_RATE_LIMITED', { status: 429, retryAfterMs: 2000 });
      expect((error as Error).message).toContain('Slow down.');
    });

    it('maps 500 to BOTWIRE_MODEL_FAILED with status 500', async () => {
      const { model } = await start({ script: [{ status: 500, error: 'The server broke.' }] });
      expectCode(await failure(() => model.chat(ask('Hi'))), 'BOTWIRE_MODEL_FAILED', {
        status: 500,
      });
    });

    it('answers 500 once the script is exhausted', async () => {
      const { model } = await start({ script: [] });
      const error = await failure(() => model.chat(ask('Hi')));
      expectCode(error, 'BOTWIRE_MODEL_FAILED', { status: 500 });
      expect((error as Error).message).toContain('exhausted');
    });

    it('maps a refused connection to BOTWIRE_MODEL_UNAVAILABLE', async () => {
      const model = options.createModel({
        url: await closedPortUrl(),
        model: 'test-model',
        apiKey: 'key',
      });
      expectCode(await failure(() => model.chat(ask('Hi'))), 'BOTWIRE_MODEL_UNAVAILABLE');
    });

    it('maps a socket closed without an answer to BOTWIRE_MODEL_UNAVAILABLE', async () => {
      const { model } = await start({ script: [{ close: true }] });
      expectCode(await failure(() => model.chat(ask('Hi'))), 'BOTWIRE_MODEL_UNAVAILABLE');
    });

    it("stops waiting when the caller's signal aborts, rejecting with its reason", async () => {
      const { peer, model } = await start({ script: [{ hang: true }] });
      const controller = new AbortController();
      const reason = new Error('the user left');
      setTimeout(() => controller.abort(reason), 50);
      const startedAt = Date.now();
      const error = await failure(() => model.chat(ask('Hi', { signal: controller.signal })));
      expect(error).toBe(reason);
      expect(Date.now() - startedAt).toBeLessThan(2000);
      expect(peer.requests[0]?.answer).toBe('hang');
    });

    it('does not call the endpoint when the signal is already aborted', async () => {
      const { peer, model } = await start({ script: [{ text: 'never' }] });
      const controller = new AbortController();
      controller.abort(new Error('too late'));
      await expect(model.chat(ask('Hi', { signal: controller.signal }))).rejects.toThrow(
        'too late',
      );
      expect(peer.requests).toHaveLength(0);
    });
  });
}

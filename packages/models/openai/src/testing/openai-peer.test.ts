import { afterEach, describe, expect, it } from 'vitest';
import { type OpenAiPeer, startOpenAiPeer } from './openai-peer';

let peer: OpenAiPeer;
afterEach(() => peer?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${peer.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const chat = (body: Record<string, unknown>) =>
  post('/v1/chat/completions', {
    model: 'm',
    messages: [{ role: 'user', content: 'Hi' }],
    ...body,
  });
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { message: string } }).error;

describe('startOpenAiPeer', () => {
  it('answers in the Chat Completions wire format, with usage, and records the request', async () => {
    peer = await startOpenAiPeer({
      script: [{ text: 'Hello!', usage: { inputTokens: 4, outputTokens: 2 } }],
    });
    const response = await chat({ temperature: 0.5 });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    });
    expect(peer.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      answer: 200,
    });
    expect(peer.chatRequests[0]).toMatchObject({
      model: 'm',
      temperature: 0.5,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('checks requests as the API does', async () => {
    peer = await startOpenAiPeer({ script: [{ text: 'never' }] });
    const cases: [Record<string, unknown>, string][] = [
      [{ messages: [] }, 'empty array'],
      [{ model: undefined }, 'model parameter'],
      [{ foo: 1 }, 'Unrecognized request argument supplied: foo'],
      [{ tools: [] }, "Invalid 'tools': empty array"],
      [{ tool_choice: 'auto' }, 'only allowed when'],
      [{ temperature: 3 }, 'temperature'],
      [{ response_format: { type: 'json_object' } }, "must contain the word 'json'"],
      [
        {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'x',
              strict: true,
              schema: { type: 'object', properties: { a: {} } },
            },
          },
        },
        "'additionalProperties' is required",
      ],
      [
        { messages: [{ role: 'tool', tool_call_id: 'call_1', content: 'x' }] },
        "must be a response to a preceeding message with 'tool_calls'",
      ],
      [
        {
          messages: [
            { role: 'user', content: 'x' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }],
            },
          ],
        },
        'expected a string',
      ],
      [
        {
          messages: [
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
            },
            { role: 'user', content: 'x' },
          ],
        },
        'did not have response messages: c',
      ],
    ];
    for (const [body, words] of cases) {
      const response = await chat(body);
      expect(response.status, words).toBe(400);
      expect((await errorOf(response)).message).toContain(words);
    }
    const broken = await post('/v1/chat/completions', '{not json');
    expect(broken.status).toBe(400);
    expect(peer.pending).toBe(1);
  });

  it('answers 401 without the right key, 404 for unknown routes and models, without echoing the key', async () => {
    peer = await startOpenAiPeer({
      apiKey: 'sk-peer',
      models: ['known'],
      script: [{ text: 'ok' }],
    });
    const missing = await chat({});
    expect(missing.status).toBe(401);
    expect((await errorOf(missing)).message).toContain("didn't provide an API key");
    const wrongKey = await post(
      '/v1/chat/completions',
      { model: 'known', messages: [{ role: 'user', content: 'x' }] },
      { authorization: 'Bearer sk-wrong' },
    );
    expect(JSON.stringify(await wrongKey.json())).not.toContain('sk-wrong');
    const route = await post('/v1/nothing', {}, { authorization: 'Bearer sk-peer' });
    expect(route.status).toBe(404);
    expect((await errorOf(route)).message).toBe('Invalid URL (POST /v1/nothing)');
    const model = await post(
      '/v1/chat/completions',
      { model: 'other', messages: [{ role: 'user', content: 'x' }] },
      { authorization: 'Bearer sk-peer' },
    );
    expect(model.status).toBe(404);
    expect(await errorOf(model)).toMatchObject({ code: 'model_not_found' });
    const models = await fetch(`${peer.url}/v1/models`, {
      headers: { authorization: 'Bearer sk-peer' },
    });
    expect(await models.json()).toMatchObject({ data: [{ id: 'known' }] });
  });

  it('sends scripted errors with Retry-After, tool calls, and a clear 500 when the script is exhausted', async () => {
    peer = await startOpenAiPeer({
      script: [
        { status: 429, error: 'Rate limit reached.', retryAfter: 7 },
        { toolCalls: [{ name: 'f', arguments: { a: 1 } }] },
      ],
    });
    const limited = await chat({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await errorOf(limited)).toMatchObject({
      message: 'Rate limit reached.',
      type: 'rate_limit_exceeded',
    });
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const called = (await (await chat({ tools })).json()) as {
      choices: { message: { content: unknown; tool_calls: unknown[] }; finish_reason: string }[];
    };
    expect(called.choices[0]).toMatchObject({
      message: {
        content: null,
        tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      finish_reason: 'tool_calls',
    });
    const exhausted = await chat({});
    expect(exhausted.status).toBe(500);
    expect((await errorOf(exhausted)).message).toContain('script is exhausted');
  });

  it('answers from the fallback with the peer delay once the script is used up', async () => {
    peer = await startOpenAiPeer({
      delayMs: 60,
      fallback: (request) => ({ text: `echo ${request.messages.length}` }),
    });
    const startedAt = Date.now();
    const body = (await (await chat({})).json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe('echo 1');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
  });

  it('closes even with a hanging request open', async () => {
    peer = await startOpenAiPeer({ script: [{ hang: true }] });
    const pending = chat({}).catch((error: unknown) => error);
    // Wait until the peer holds the request (a fixed pause was too short on a loaded machine).
    await expect.poll(() => peer?.requests[0]?.answer, { timeout: 5_000 }).toBe('hang');
    await peer.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(peer.requests[0]?.answer).toBe('hang');
  });

  it('embeds deterministically as floats or base64, with usage', async () => {
    peer = await startOpenAiPeer({ dimensions: 4 });
    const floats = (await (
      await post('/v1/embeddings', { model: 'e', input: ['a b', 'c'] })
    ).json()) as {
      data: { index: number; embedding: number[] }[];
      usage: { prompt_tokens: number };
    };
    expect(floats.data.map((item) => item.index)).toEqual([0, 1]);
    expect(Math.hypot(...floats.data[0]!.embedding)).toBeCloseTo(1, 6);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    const encoded = (await (
      await post('/v1/embeddings', { model: 'e', input: 'a b', encoding_format: 'base64' })
    ).json()) as {
      data: { embedding: string }[];
    };
    const bytes = Buffer.from(encoded.data[0]!.embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    for (const [index, value] of decoded.entries()) {
      expect(value).toBeCloseTo(floats.data[0]!.embedding[index]!, 6);
    }
    expect((await post('/v1/embeddings', { model: 'e', input: '' })).status).toBe(400);
  });
});

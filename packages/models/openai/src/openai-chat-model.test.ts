import { isBotwireError } from '@botwire/core';
import { runChatModelContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import createModel from './index';
import { isStrictCompatible, openaiChatModel } from './openai-chat-model';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

runChatModelContract('openai', {
  startPeer: startOpenAiPeer,
  createModel: ({ url, model, apiKey }) => openaiChatModel({ model, baseURL: `${url}/v1`, apiKey }),
});

const closedSchema = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
};
const openSchema = { type: 'object', properties: { answer: { type: 'string' } } };

describe('openaiChatModel', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  const body = (index = 0) => peer.requests[index]?.body as Record<string, unknown>;
  const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };

  it('sends pictures as data URL parts after the text; the peer refuses them for a model without vision', async () => {
    const png = new Uint8Array(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    peer = await startOpenAiPeer({
      script: [{ text: 'A dot.' }],
      visionModels: ['gpt-4o-mini'],
    });
    const look = {
      messages: [
        {
          role: 'user' as const,
          content: 'What is it?',
          images: [{ data: png, mimeType: 'image/png' }],
        },
      ],
    };
    const seeing = openaiChatModel({ model: 'gpt-4o-mini', baseURL: peer.baseURL });
    expect(seeing.vision).toBe(true);
    expect((await seeing.chat(look)).text).toBe('A dot.');
    const content = (body(0).messages as Array<{ content: unknown }>)[0]!.content;
    expect(content).toEqual([
      { type: 'text', text: 'What is it?' },
      {
        type: 'image_url',
        image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` },
      },
    ]);
    expect(peer.chatRequests[0]?.messages[0]).toMatchObject({
      content: 'What is it?',
      images: [{ mimeType: 'image/png', data: png }],
    });

    const blind = openaiChatModel({ model: 'gpt-3.5-turbo', baseURL: peer.baseURL });
    expect(blind.vision).toBe(false);
    const error = await blind.chat(look).catch((caught: unknown) => caught);
    expect(isBotwireError(error) && error.code).toBe('BOTWIRE_MODEL_FAILED');
    expect(String((error as Error).message)).toMatch(
      /image_url is only supported by certain models/,
    );
    expect(
      openaiChatModel({ model: 'my-local-model', vision: true, baseURL: peer.baseURL }).vision,
    ).toBe(true);
  });

  it('sends the bearer key, and no Authorization header at all without one', async () => {
    peer = await startOpenAiPeer({ script: [{ text: 'a' }, { text: 'b' }] });
    await openaiChatModel({ model: 'm', baseURL: peer.baseURL, apiKey: 'sk-test-123' }).chat(hi);
    await openaiChatModel({ model: 'm', baseURL: peer.baseURL }).chat(hi);
    expect(peer.requests[0]?.headers.authorization).toBe('Bearer sk-test-123');
    expect(peer.requests[1]?.headers.authorization).toBeUndefined();
  });

  it('asks for strict structured output only when the schema allows it', async () => {
    peer = await startOpenAiPeer({
      script: [{ json: { answer: 'x' } }, { json: { answer: 'y' } }],
    });
    const model = openaiChatModel({ model: 'm', baseURL: peer.baseURL });
    await model.chat({ ...hi, responseSchema: { name: 'the answer!', schema: closedSchema } });
    await model.chat({ ...hi, responseSchema: { name: 'answer', schema: openSchema } });
    expect(body(0).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'the_answer_', schema: closedSchema, strict: true },
    });
    expect(body(1).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: openSchema },
    });
    expect(isStrictCompatible({ type: 'array', items: openSchema })).toBe(false);
  });

  it('passes tool_choice, leaves the tools out for "none", and uses the chosen max tokens field', async () => {
    peer = await startOpenAiPeer({ script: [{ text: 'a' }, { text: 'b' }] });
    const tool = { name: 'now', description: 'The time.', parameters: { type: 'object' } };
    const model = openaiChatModel({
      model: 'm',
      baseURL: peer.baseURL,
      maxTokensField: 'max_completion_tokens',
    });
    await model.chat({ ...hi, tools: [tool], toolChoice: 'required', maxTokens: 10 });
    await model.chat({ ...hi, tools: [tool], toolChoice: 'none' });
    expect(body(0)).toMatchObject({ tool_choice: 'required', max_completion_tokens: 10 });
    expect(body(1).tools).toBeUndefined();
    expect(body(1).tool_choice).toBeUndefined();
  });

  it('keeps tool arguments that are not JSON as a string, and sends them back as they were', async () => {
    peer = await startOpenAiPeer({
      script: [
        { toolCalls: [{ id: 'call_1', name: 'echo', arguments: 'not json' }] },
        { text: 'done' },
      ],
    });
    const model = openaiChatModel({ model: 'm', baseURL: peer.baseURL });
    const tools = [{ name: 'echo', description: 'Echo.', parameters: { type: 'object' } }];
    const first = await model.chat({ ...hi, tools });
    expect(first.toolCalls).toEqual([{ id: 'call_1', name: 'echo', arguments: 'not json' }]);
    await model.chat({
      messages: [
        ...hi.messages,
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_1', content: 'ok' },
      ],
      tools,
    });
    const sent = body(1).messages as Record<string, unknown>[];
    expect(sent[1]).toMatchObject({
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'echo', arguments: 'not json' } },
      ],
    });
  });

  it('reads retry-after-ms as well as Retry-After', async () => {
    peer = await startOpenAiPeer({
      script: [{ status: 429, headers: { 'retry-after-ms': '150' } }],
    });
    const error = await openaiChatModel({ model: 'm', baseURL: peer.baseURL })
      .chat(hi)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'BOTWIRE_MODEL_RATE_LIMITED',
      details: { retryAfterMs: 150 },
    });
  });

  it('fails at creation without a key or base URL', () => {
    expect(() => openaiChatModel({ model: 'm' })).toThrow(/no API key/);
    expect(() => openaiChatModel({ model: ' ', apiKey: 'k' })).toThrow(/model name/);
  });
});

describe('createModel (openai)', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY from the env it is given', async () => {
    peer = await startOpenAiPeer({ apiKey: 'sk-env-key', script: [{ text: 'from env' }] });
    const model = createModel({
      kind: 'chat',
      model: 'gpt-env',
      env: { OPENAI_BASE_URL: peer.baseURL, OPENAI_API_KEY: 'sk-env-key' },
    });
    expect(model).toMatchObject({ provider: 'openai', model: 'gpt-env' });
    const response = await (model as ReturnType<typeof openaiChatModel>).chat({
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.text).toBe('from env');
  });

  it('says which variable to set when nothing is configured', () => {
    let caught: unknown;
    try {
      createModel({ kind: 'chat', model: 'gpt-x', env: {} });
    } catch (error) {
      caught = error;
    }
    expect(isBotwireError(caught, 'BOTWIRE_MODEL_NOT_CONFIGURED')).toBe(true);
    expect((caught as { hint?: string }).hint).toContain('OPENAI_API_KEY');
  });
});

import { isBotwireError } from '@botwire/core';
import { runChatModelContract } from '@botwire/core/contract-suites';
import { Ollama } from 'ollama';
import { afterEach, describe, expect, it } from 'vitest';
import createModel from './index';
import { ollamaChatModel } from './ollama-chat-model';
import { type OllamaPeer, startOllamaPeer } from './testing';

runChatModelContract('ollama', {
  startPeer: startOllamaPeer,
  createModel: ({ url, model, apiKey }) => ollamaChatModel({ model, host: url, apiKey }),
});

describe('ollamaChatModel', () => {
  let peer: OllamaPeer;
  afterEach(() => peer?.close());

  const body = (index = 0) => peer.requests[index]?.body as Record<string, unknown>;
  const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };

  it('sends stream: false, the schema as format, and temperature and maxTokens as options', async () => {
    peer = await startOllamaPeer({ script: [{ json: { ok: true } }] });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const model = ollamaChatModel({ model: 'llama-test', host: peer.url, keepAlive: '10m' });
    await model.chat({
      ...hi,
      responseSchema: { name: 'x', schema },
      temperature: 0,
      maxTokens: 20,
    });
    expect(body()).toMatchObject({
      model: 'llama-test',
      stream: false,
      format: schema,
      options: { temperature: 0, num_predict: 20 },
      keep_alive: '10m',
    });
  });

  it('gives tool calls distinct ids and sends results back with the tool name', async () => {
    peer = await startOllamaPeer({
      script: [
        {
          toolCalls: [
            { name: 'get_time', arguments: { zone: 'UTC' } },
            { name: 'get_date', arguments: {} },
          ],
        },
        { text: 'It is noon.' },
      ],
    });
    const model = ollamaChatModel({ model: 'm', host: peer.url });
    const tools = ['get_time', 'get_date'].map((name) => ({
      name,
      description: name,
      parameters: { type: 'object' },
    }));
    const first = await model.chat({ ...hi, tools });
    const [time, date] = first.toolCalls;
    expect(time?.id).not.toBe(date?.id);
    await model.chat({
      messages: [
        ...hi.messages,
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: date!.id, content: 'Monday' },
        { role: 'tool', toolCallId: time!.id, content: '12:00' },
      ],
      tools,
    });
    expect(peer.chatRequests[1]?.messages.slice(2)).toEqual([
      { role: 'tool', content: 'Monday', toolName: 'get_date' },
      { role: 'tool', content: '12:00', toolName: 'get_time' },
    ]);
    expect((body(1).messages as Record<string, unknown>[])[1]).toMatchObject({
      tool_calls: [
        { function: { name: 'get_time', arguments: { zone: 'UTC' } } },
        { function: { name: 'get_date' } },
      ],
    });
  });

  it('sends pictures as base64 images beside the text, and guesses vision from the name', async () => {
    const png = new Uint8Array(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    peer = await startOllamaPeer({ script: [{ text: 'A dot.' }] });
    const model = ollamaChatModel({ model: 'llava:7b', host: peer.url });
    expect(model.vision).toBe(true);
    await model.chat({
      messages: [
        { role: 'user', content: 'What is it?', images: [{ data: png, mimeType: 'image/png' }] },
      ],
    });
    const sent = (body().messages as Array<Record<string, unknown>>)[0];
    expect(sent).toEqual({
      role: 'user',
      content: 'What is it?',
      images: [Buffer.from(png).toString('base64')],
    });
    expect(peer.chatRequests[0]?.messages[0]?.images).toEqual([
      { mimeType: 'image/png', data: png },
    ]);
    expect(ollamaChatModel({ model: 'llama3.2', host: peer.url }).vision).toBe(false);
    expect(ollamaChatModel({ model: 'llama3.2-vision', host: peer.url }).vision).toBe(true);
    expect(ollamaChatModel({ model: 'llama3.2', vision: true, host: peer.url }).vision).toBe(true);
  });

  it('leaves the tools out for toolChoice "none"', async () => {
    peer = await startOllamaPeer({ script: [{ text: 'a' }] });
    const tools = [{ name: 'now', description: 'now', parameters: { type: 'object' } }];
    await ollamaChatModel({ model: 'm', host: peer.url }).chat({
      ...hi,
      tools,
      toolChoice: 'none',
    });
    expect(body().tools).toBeUndefined();
  });

  it('passes a 429 Retry-After on, which the ollama client alone would drop', async () => {
    peer = await startOllamaPeer({ script: [{ status: 429, error: 'busy', retryAfter: 3 }] });
    await expect(ollamaChatModel({ model: 'm', host: peer.url }).chat(hi)).rejects.toMatchObject({
      code: 'BOTWIRE_MODEL_RATE_LIMITED',
      details: { status: 429, retryAfterMs: 3000 },
    });
  });

  it('aborts the HTTP request itself, not only the waiting', async () => {
    peer = await startOllamaPeer({ script: [{ hang: true }] });
    const controller = new AbortController();
    const call = ollamaChatModel({ model: 'm', host: peer.url }).chat({
      ...hi,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('stop'));
    await expect(call).rejects.toThrow('stop');
    // The peer sees the connection go: a later request on a fresh connection still works.
    peer.push({ text: 'after' });
    expect((await ollamaChatModel({ model: 'm', host: peer.url }).chat(hi)).text).toBe('after');
  });
});

describe('ollamaChatModel with an injected client', () => {
  let peer: OllamaPeer;
  afterEach(() => peer?.close());

  it('uses the client, maps its ResponseError, and stops waiting on abort', async () => {
    peer = await startOllamaPeer({ models: ['known'], script: [{ text: 'hi' }, { hang: true }] });
    const client = new Ollama({ host: peer.url });
    const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };
    expect((await ollamaChatModel({ model: 'known', client }).chat(hi)).text).toBe('hi');
    await expect(ollamaChatModel({ model: 'other', client }).chat(hi)).rejects.toMatchObject({
      code: 'BOTWIRE_MODEL_FAILED',
      details: { status: 404 },
    });
    const controller = new AbortController();
    const call = ollamaChatModel({ model: 'known', client }).chat({
      ...hi,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('gone')), 30);
    await expect(call).rejects.toThrow('gone');
  });
});

describe('createModel (ollama)', () => {
  let peer: OllamaPeer;
  afterEach(() => peer?.close());

  it('reads OLLAMA_HOST and OLLAMA_API_KEY from the env it is given', async () => {
    peer = await startOllamaPeer({ apiKey: 'ollama-key', script: [{ text: 'from env' }] });
    const model = createModel({
      kind: 'chat',
      model: 'llama-env',
      env: { OLLAMA_HOST: peer.url, OLLAMA_API_KEY: 'ollama-key' },
    }) as ReturnType<typeof ollamaChatModel>;
    expect((await model.chat({ messages: [{ role: 'user', content: 'Hi' }] })).text).toBe(
      'from env',
    );
    expect(peer.requests[0]?.headers.authorization).toBe('Bearer ollama-key');
  });

  it('takes BOTWIRE_MODEL_VISION over the guess from the name, and names a bad value', () => {
    const chat = (env: Record<string, string>) =>
      createModel({ kind: 'chat', model: 'llama3.2', env }) as ReturnType<typeof ollamaChatModel>;
    expect(chat({}).vision).toBe(false);
    expect(chat({ BOTWIRE_MODEL_VISION: 'true' }).vision).toBe(true);
    expect(chat({ BOTWIRE_MODEL_VISION: '0' }).vision).toBe(false);
    expect(() => chat({ BOTWIRE_MODEL_VISION: 'maybe' })).toThrow(
      /BOTWIRE_MODEL_VISION.*"maybe" is neither true nor false/,
    );
  });

  it('rejects a missing model name', () => {
    let caught: unknown;
    try {
      createModel({ kind: 'chat', model: '', env: {} });
    } catch (error) {
      caught = error;
    }
    expect(isBotwireError(caught, 'BOTWIRE_MODEL_NOT_CONFIGURED')).toBe(true);
  });
});

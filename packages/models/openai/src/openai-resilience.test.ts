import { type ModelCallReport, resilientChatModel } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiChatModel } from './openai-chat-model';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

// resilientChatModel around the real openai driver and client, against the peer.
describe('resilientChatModel with the openai driver', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };
  const driver = () => openaiChatModel({ model: 'gpt-test', baseURL: peer.baseURL, apiKey: 'k' });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error,
    );

  it('retries a 429 after the Retry-After time and records one call', async () => {
    peer = await startOpenAiPeer({
      script: [
        { status: 429, error: 'Too many requests.', retryAfter: '0.3' },
        { text: 'Finally.', usage: { inputTokens: 7, outputTokens: 2 } },
      ],
    });
    const records: ModelCallReport[] = [];
    const model = resilientChatModel(driver(), { onCall: (record) => records.push(record) });
    const startedAt = Date.now();
    const response = await model.chat(hi);
    expect(response.text).toBe('Finally.');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(peer.requests).toHaveLength(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-test',
      ok: true,
      attempts: 2,
      inputTokens: 7,
      outputTokens: 2,
    });
    expect(records[0]!.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('caps a long Retry-After at maxRetryDelayMs', async () => {
    peer = await startOpenAiPeer({ script: [{ status: 429, retryAfter: 60 }, { text: 'ok' }] });
    const delays: number[] = [];
    const model = resilientChatModel(driver(), {
      maxRetryDelayMs: 50,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect((await model.chat(hi)).text).toBe('ok');
    expect(delays).toEqual([50]);
  });

  it('retries 500 answers and closed sockets, then gives the last error up', async () => {
    peer = await startOpenAiPeer({
      script: [{ status: 500 }, { close: true }, { status: 503, error: 'Overloaded.' }],
    });
    const model = resilientChatModel(driver(), { retries: 2, baseDelayMs: 5 });
    const error = await failure(model.chat(hi));
    expect(error).toMatchObject({
      code: 'BOTWIRE_MODEL_FAILED',
      details: { status: 503, attempts: 3 },
    });
    expect(peer.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    peer = await startOpenAiPeer({ script: [{ text: 'never' }] });
    const model = resilientChatModel(driver(), { baseDelayMs: 5 });
    const badTool = { name: 'bad name!', description: 'x', parameters: { type: 'object' } };
    const error = await failure(model.chat({ ...hi, tools: [badTool] }));
    expect(error).toMatchObject({
      code: 'BOTWIRE_MODEL_FAILED',
      details: { status: 400, attempts: 1 },
    });
    expect(peer.requests).toHaveLength(1);
  });

  it('times out a hanging endpoint within timeoutMs, aborts the request and does not retry', async () => {
    peer = await startOpenAiPeer({ script: [{ hang: true }, { text: 'too late' }] });
    const model = resilientChatModel(driver(), { timeoutMs: 200 });
    const startedAt = Date.now();
    const error = await failure(model.chat(hi));
    const elapsed = Date.now() - startedAt;
    expect(error).toMatchObject({ code: 'BOTWIRE_MODEL_TIMEOUT', details: { timeoutMs: 200 } });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(peer.requests).toHaveLength(1);
    expect(peer.pending).toBe(1);
  });

  it('keeps the whole call within deadlineMs', async () => {
    peer = await startOpenAiPeer({ script: [{ status: 500 }, { hang: true }] });
    const model = resilientChatModel(driver(), {
      timeoutMs: 5000,
      deadlineMs: 300,
      baseDelayMs: 20,
    });
    const startedAt = Date.now();
    const error = await failure(model.chat(hi));
    expect(error).toMatchObject({ code: 'BOTWIRE_MODEL_TIMEOUT' });
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(peer.requests).toHaveLength(2);
  });

  it('opens the circuit after repeated failures, fails fast, half-opens and closes on success', async () => {
    peer = await startOpenAiPeer({ script: [{ status: 500 }, { status: 500 }] });
    let now = 1_000;
    const records: ModelCallReport[] = [];
    const model = resilientChatModel(driver(), {
      retries: 0,
      failureThreshold: 2,
      coolDownMs: 10_000,
      now: () => now,
      onCall: (record) => records.push(record),
    });
    await failure(model.chat(hi));
    expect(model.state).toBe('closed');
    await failure(model.chat(hi));
    expect(model.state).toBe('open');

    const fast = await failure(model.chat(hi));
    expect(fast).toMatchObject({ code: 'BOTWIRE_MODEL_CIRCUIT_OPEN' });
    expect(peer.requests).toHaveLength(2);
    expect(records.at(-1)).toMatchObject({
      ok: false,
      attempts: 0,
      errorCode: 'BOTWIRE_MODEL_CIRCUIT_OPEN',
    });

    now += 10_000;
    expect(model.state).toBe('half-open');
    peer.push({ text: 'back' });
    expect((await model.chat(hi)).text).toBe('back');
    expect(model.state).toBe('closed');
  });

  it('re-opens the circuit when the single half-open trial fails', async () => {
    peer = await startOpenAiPeer({ script: [{ status: 502 }, { status: 502 }, { status: 502 }] });
    let now = 0;
    const model = resilientChatModel(driver(), {
      retries: 2,
      sleep: async () => {},
      failureThreshold: 1,
      coolDownMs: 100,
      now: () => now,
    });
    await failure(model.chat(hi));
    expect(model.state).toBe('open');
    expect(peer.requests).toHaveLength(3);

    now += 100;
    peer.push({ status: 502 }, { text: 'back again' });
    const trial = await failure(model.chat(hi));
    expect(trial).toMatchObject({ code: 'BOTWIRE_MODEL_FAILED', details: { attempts: 1 } });
    expect(peer.requests).toHaveLength(4);
    expect(model.state).toBe('open');

    now += 100;
    expect((await model.chat(hi)).text).toBe('back again');
    expect(model.state).toBe('closed');
  });
});

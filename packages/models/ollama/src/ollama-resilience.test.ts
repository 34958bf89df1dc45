import { type ModelCallReport, resilientChatModel } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ollamaChatModel } from './ollama-chat-model';
import { type OllamaPeer, startOllamaPeer } from './testing';

// resilientChatModel around the real ollama driver and client, against the peer.
describe('resilientChatModel with the ollama driver', () => {
  let peer: OllamaPeer;
  afterEach(() => peer?.close());

  const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };

  it('retries a 429 after its Retry-After and records usage from the eval counts', async () => {
    peer = await startOllamaPeer({
      script: [
        { status: 429, error: 'server busy', retryAfter: '0.2' },
        { text: 'ok', usage: { inputTokens: 9, outputTokens: 4 } },
      ],
    });
    const records: ModelCallReport[] = [];
    const model = resilientChatModel(ollamaChatModel({ model: 'llama-test', host: peer.url }), {
      onCall: (record) => records.push(record),
    });
    const startedAt = Date.now();
    expect((await model.chat(hi)).text).toBe('ok');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(records).toEqual([
      expect.objectContaining({
        provider: 'ollama',
        ok: true,
        attempts: 2,
        inputTokens: 9,
        outputTokens: 4,
      }),
    ]);
  });

  it('times out a hanging server and frees the connection', async () => {
    peer = await startOllamaPeer({ script: [{ hang: true }, { text: 'next' }] });
    const model = resilientChatModel(ollamaChatModel({ model: 'llama-test', host: peer.url }), {
      timeoutMs: 150,
    });
    const startedAt = Date.now();
    await expect(model.chat(hi)).rejects.toMatchObject({ code: 'BOTWIRE_MODEL_TIMEOUT' });
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(peer.requests).toHaveLength(1);
    expect((await model.chat(hi)).text).toBe('next');
  });
});

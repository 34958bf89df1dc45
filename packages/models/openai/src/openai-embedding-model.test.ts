import { runEmbeddingModelContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import createModel from './index';
import { openaiEmbeddingModel } from './openai-embedding-model';
import { type OpenAiPeer, startOpenAiPeer } from './testing';

const cosine = (a: number[], b: number[]) =>
  a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe('openaiEmbeddingModel', () => {
  let peer: OpenAiPeer;
  afterEach(() => peer?.close());

  it('embeds texts in order, deterministically, with usage (through the base64 wire format)', async () => {
    peer = await startOpenAiPeer({ dimensions: 32 });
    const model = openaiEmbeddingModel({ model: 'embed-test', baseURL: peer.baseURL, apiKey: 'k' });
    const first = await model.embed(['the red apple', 'a red apple pie', 'quantum physics']);
    const again = await model.embed(['the red apple']);
    expect(first.vectors).toHaveLength(3);
    expect(first.vectors[0]).toHaveLength(32);
    expect(model.dimensions).toBe(32);
    expect(again.vectors[0]![0]).toBeCloseTo(first.vectors[0]![0]!, 6);
    expect(cosine(first.vectors[0]!, first.vectors[1]!)).toBeGreaterThan(
      cosine(first.vectors[0]!, first.vectors[2]!),
    );
    expect(first.inputTokens).toBeGreaterThan(0);
    expect(peer.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
  });

  it('asks for the configured dimensions and skips the call for no texts', async () => {
    peer = await startOpenAiPeer();
    const model = openaiEmbeddingModel({ model: 'e', baseURL: peer.baseURL, dimensions: 8 });
    expect(await model.embed([])).toEqual({ vectors: [] });
    const { vectors } = await model.embed(['hello']);
    expect(vectors[0]).toHaveLength(8);
    expect(peer.requests).toHaveLength(1);
  });

  it('maps errors like the chat model does', async () => {
    peer = await startOpenAiPeer({ apiKey: 'right', script: [] });
    const model = openaiEmbeddingModel({ model: 'e', baseURL: peer.baseURL, apiKey: 'wrong' });
    await expect(model.embed(['x'])).rejects.toMatchObject({
      code: 'BOTWIRE_MODEL_FAILED',
      details: { status: 401 },
    });
    peer.push({ route: 'embeddings', status: 429, retryAfter: 1 });
    const keyed = openaiEmbeddingModel({ model: 'e', baseURL: peer.baseURL, apiKey: 'right' });
    await expect(keyed.embed(['x'])).rejects.toMatchObject({
      code: 'BOTWIRE_MODEL_RATE_LIMITED',
      details: { retryAfterMs: 1000 },
    });
  });

  it('is made by the default export for kind "embeddings"', async () => {
    peer = await startOpenAiPeer();
    const model = createModel({
      kind: 'embeddings',
      model: 'e',
      env: { OPENAI_BASE_URL: peer.baseURL },
    });
    expect('embed' in model).toBe(true);
  });
});

runEmbeddingModelContract('openai', async () => {
  const contractPeer = await startOpenAiPeer({ dimensions: 64 });
  return {
    model: openaiEmbeddingModel({
      model: 'embed-test',
      baseURL: contractPeer.baseURL,
      apiKey: 'k',
    }),
    close: () => contractPeer.close(),
  };
});

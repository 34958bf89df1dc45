import { runEmbeddingModelContract } from '@botwire/core/contract-suites';
import { afterEach, describe, expect, it } from 'vitest';
import createModel from './index';
import { ollamaEmbeddingModel } from './ollama-embedding-model';
import { type OllamaPeer, startOllamaPeer } from './testing';

describe('ollamaEmbeddingModel', () => {
  let peer: OllamaPeer;
  afterEach(() => peer?.close());

  it('embeds texts in order, deterministically, with usage', async () => {
    peer = await startOllamaPeer({ dimensions: 24 });
    const model = ollamaEmbeddingModel({ model: 'nomic-test', host: peer.url });
    const { vectors, inputTokens } = await model.embed(['alpha beta', 'gamma']);
    const again = await model.embed(['gamma']);
    expect(vectors).toHaveLength(2);
    expect(vectors[1]).toEqual(again.vectors[0]);
    expect(vectors[0]).toHaveLength(24);
    expect(model.dimensions).toBe(24);
    expect(inputTokens).toBeGreaterThan(0);
    expect(peer.requests[0]?.body).toMatchObject({
      model: 'nomic-test',
      input: ['alpha beta', 'gamma'],
    });
  });

  it('maps an unknown model to 404 with a pull hint', async () => {
    peer = await startOllamaPeer({ models: ['other'] });
    const error = await ollamaEmbeddingModel({ model: 'missing', host: peer.url })
      .embed(['x'])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BOTWIRE_MODEL_FAILED', details: { status: 404 } });
    expect((error as { hint?: string }).hint).toContain('ollama pull missing');
  });

  it('is made by the default export for kind "embeddings"', async () => {
    peer = await startOllamaPeer({ dimensions: 4 });
    const model = createModel({ kind: 'embeddings', model: 'e', env: { OLLAMA_HOST: peer.url } });
    expect('embed' in model && (await model.embed(['hi'])).vectors[0]).toHaveLength(4);
  });
});

runEmbeddingModelContract('ollama', async () => {
  const contractPeer = await startOllamaPeer({ dimensions: 64 });
  return {
    model: ollamaEmbeddingModel({ model: 'nomic-test', host: contractPeer.url }),
    close: () => contractPeer.close(),
  };
});

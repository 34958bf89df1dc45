import { describe, expect, it } from 'vitest';
import { BotwireError, isBotwireError } from '../errors/botwire-error';
import type { EmbeddingModel } from '../ports/embedding-model';
import { resilientEmbeddingModel } from './resilient-embedding-model';

/** An embeddings driver that fails as told, then answers one vector per text. */
function flakyModel(failures: BotwireError[], dimensions = 3) {
  const calls: string[][] = [];
  const model: EmbeddingModel = {
    provider: 'fake',
    model: 'fake-embed',
    async embed(texts) {
      calls.push([...texts]);
      const failure = failures.shift();
      if (failure) throw failure;
      return {
        vectors: texts.map((text) => Array.from({ length: dimensions }, () => text.length)),
        inputTokens: texts.length,
      };
    },
  };
  return { model, calls };
}

const unavailable = () =>
  new BotwireError('BOTWIRE_MODEL_UNAVAILABLE', { message: 'connection refused' });
const noSleep = async () => {};

describe('resilientEmbeddingModel', () => {
  it('retries an unreachable endpoint, then answers', async () => {
    const { model, calls } = flakyModel([unavailable(), unavailable()]);
    const resilient = resilientEmbeddingModel(model, { retries: 2, sleep: noSleep });
    const result = await resilient.embed(['a', 'bb']);
    expect(result.vectors).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(calls).toHaveLength(3);
    expect(resilient.dimensions).toBe(3);
  });

  it('splits long lists into batches and adds up the tokens', async () => {
    const { model, calls } = flakyModel([]);
    const resilient = resilientEmbeddingModel(model, { batchSize: 2 });
    const result = await resilient.embed(['a', 'b', 'c', 'd', 'e']);
    expect(calls.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(result.vectors).toHaveLength(5);
    expect(result.inputTokens).toBe(5);
  });

  it('opens the circuit after repeated failures and refuses calls at once', async () => {
    const { model, calls } = flakyModel(Array.from({ length: 10 }, unavailable));
    const resilient = resilientEmbeddingModel(model, {
      retries: 0,
      failureThreshold: 2,
      sleep: noSleep,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(resilient.embed(['x'])).rejects.toMatchObject({
        code: 'BOTWIRE_MODEL_UNAVAILABLE',
      });
    }
    const error = await resilient.embed(['x']).catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_MODEL_CIRCUIT_OPEN')).toBe(true);
    expect(calls).toHaveLength(2);
    expect(resilient.state).toBe('open');
  });

  it('refuses a driver that answers with the wrong number of vectors or mixed lengths', async () => {
    const short: EmbeddingModel = {
      provider: 'fake',
      model: 'short',
      embed: async () => ({ vectors: [[1, 2]] }),
    };
    const error = await resilientEmbeddingModel(short, { retries: 0 })
      .embed(['a', 'b'])
      .catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_MODEL_BAD_RESPONSE')).toBe(true);
    const mixed: EmbeddingModel = {
      provider: 'fake',
      model: 'mixed',
      embed: async (texts) => ({ vectors: texts.map((text) => Array(text.length).fill(0.5)) }),
    };
    const mixedError = await resilientEmbeddingModel(mixed, { batchSize: 1 })
      .embed(['a', 'bb'])
      .catch((caught: unknown) => caught);
    expect(isBotwireError(mixedError, 'BOTWIRE_MODEL_BAD_RESPONSE')).toBe(true);
  });

  it('times out an attempt that hangs', async () => {
    const hanging: EmbeddingModel = {
      provider: 'fake',
      model: 'hang',
      embed: () => new Promise(() => {}),
    };
    const error = await resilientEmbeddingModel(hanging, { timeoutMs: 50, retries: 0 })
      .embed(['a'])
      .catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_MODEL_TIMEOUT')).toBe(true);
  });
});

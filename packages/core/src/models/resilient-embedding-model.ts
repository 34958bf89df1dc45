import type { EmbeddingModel } from '../ports/embedding-model';
import { modelBadResponse } from './model-errors';
import { type CircuitState, type ResilienceOptions, resilientRunner } from './resilient-chat-model';

/** Options for {@link resilientEmbeddingModel}: those of a chat model, and the batch size. */
export interface EmbeddingResilienceOptions extends ResilienceOptions {
  /** Texts per request to the driver; longer lists are split (default 64). */
  batchSize?: number;
}

/** An embedding model with timeouts, retries, a circuit breaker and batching around it. */
export interface ResilientEmbeddingModel extends EmbeddingModel {
  /** The circuit breaker's state now. */
  readonly state: CircuitState;
  /** The driver inside. */
  readonly inner: EmbeddingModel;
}

/**
 * Wraps an embeddings driver the way {@link resilientChatModel} wraps a chat model: a time
 * limit per attempt, retries with backoff on rate limits, unreachable endpoints and 5xx, and a
 * circuit breaker (BOTWIRE_MODEL_CIRCUIT_OPEN while open). Long lists of texts go out in
 * batches of `batchSize`, one after another; a driver that answers with the wrong number of
 * vectors, or vectors of different lengths, fails with BOTWIRE_MODEL_BAD_RESPONSE.
 *
 * @example
 * const embeddings = resilientEmbeddingModel(openaiEmbeddingModel({ model: 'text-embedding-3-small' }));
 * const { vectors } = await embeddings.embed(chunks.map((chunk) => chunk.text));
 */
export function resilientEmbeddingModel(
  model: EmbeddingModel,
  options: EmbeddingResilienceOptions = {},
): ResilientEmbeddingModel {
  const runner = resilientRunner(model, { timeoutMs: 60_000, ...options });
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const context = { provider: model.provider, model: model.model };
  let dimensions = model.dimensions;

  const embedBatch = (texts: string[], signal: AbortSignal | undefined) =>
    runner.run(
      signal,
      async (attemptSignal) => {
        const result = await model.embed(texts, { signal: attemptSignal });
        if (!Array.isArray(result?.vectors) || result.vectors.length !== texts.length) {
          throw modelBadResponse(
            context,
            `asked for ${texts.length} vectors, got ${Array.isArray(result?.vectors) ? result.vectors.length : 'none'}`,
          );
        }
        return result;
      },
      (result) => ({ inputTokens: result.inputTokens ?? 0, outputTokens: 0 }),
    );

  return {
    provider: model.provider,
    model: model.model,
    inner: model,
    get dimensions() {
      return dimensions;
    },
    get state() {
      return runner.state;
    },
    async embed(texts, embedOptions = {}) {
      const vectors: number[][] = [];
      let inputTokens = 0;
      let counted = false;
      for (let start = 0; start < texts.length; start += batchSize) {
        const result = await embedBatch(texts.slice(start, start + batchSize), embedOptions.signal);
        for (const vector of result.vectors) {
          dimensions ??= vector.length;
          if (vector.length !== dimensions) {
            throw modelBadResponse(
              context,
              `returned a vector of ${vector.length} numbers where the others have ${dimensions}`,
            );
          }
          vectors.push(vector);
        }
        if (result.inputTokens !== undefined) {
          inputTokens += result.inputTokens;
          counted = true;
        }
      }
      return counted ? { vectors, inputTokens } : { vectors };
    },
  };
}
